// Versions, ranges and requirements with Rez semantics; the pkg-rs `name@spec` dialect on the same engine.
export { VersionError, RequirementError } from "./errors.js";
export { Version, versionSubtokens } from "./version.js";
export {
  VersionRange,
  LOWER_MIN,
  UPPER_INF,
  compareLowerBounds,
  compareUpperBounds,
  compareBounds,
  boundToString,
} from "./range.js";
export type { Bound, LowerBound, UpperBound, RangeOperator } from "./range.js";
export {
  Requirement,
  RequirementList,
  VersionedObject,
  isValidPackageName,
  isValidRequestName,
} from "./requirement.js";
export type { RequirementParseOptions, RequirementFlags } from "./requirement.js";
export { parseRequirement, parsePkgRsRequirement, parsePkgRsSpec, isValidPkgRsName } from "./pkgrs.js";
