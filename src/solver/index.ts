export { resolve, type ResolveOptions, type ResolveResult, type ResolvedVariant, type ResolveStatus } from "./resolve.js";
export {
  FamilyStore,
  PackageFamilyNotFoundError,
  PackageNotFoundError,
  ResolveError,
  SOLVER_VERSION,
  type LateAttributeEvaluator,
  type PackageFamilySource,
  type VariantSelectMode,
} from "./solver.js";
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
