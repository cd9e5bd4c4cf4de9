export { ERROR_CODES, EXIT_STATUS, errorCodeInfo, exitStatusOf } from "./codes.js";
export type { ErrorCode, ErrorCodeInfo, ErrorKind } from "./codes.js";
export { PkgError, asPkgError } from "./pkg-error.js";
export type { PkgErrorOptions } from "./pkg-error.js";
export { readFailureReason } from "./file-errors.js";
