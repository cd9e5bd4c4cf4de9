export { resolve, type ResolveOptions, type ResolveResult, type ResolvedVariant, type ResolveStatus } from "./resolve.js";
export {
  PackageFamilyNotFoundError,
  PackageNotFoundError,
  ResolveError,
  type LateAttributeEvaluator,
  type PackageFamilySource,
  type VariantSelectMode,
} from "./source.js";
export { FamilyStore } from "./store.js";
export { SOLVER_VERSION } from "./solver.js";
export {
  PackageOrderList,
  SortedOrder,
  NullPackageOrder,
  VersionSplitPackageOrder,
  TimestampPackageOrder,
  PerFamilyOrder,
  ordererFromPod,
  reorderVersions,
  type OrdererPod,
  type PackageOrderer,
} from "./orderers.js";
export {
  PackageFilter,
  PackageFilterList,
  GlobRule,
  RegexRule,
  RangeRule,
  TimestampRule,
  parseFilterRule,
  type PackageFilterPod,
  type FilterRule,
} from "./filters.js";
export { describeFailure, Reduction, DependencyConflict, type FailureReason } from "./failures.js";
