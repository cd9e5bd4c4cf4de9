export { ERROR_CODES, EXIT_STATUS, errorCodeInfo, exitStatusOf } from "./codes.js";
export type { ErrorCode, ErrorCodeInfo, ErrorKind } from "./codes.js";
export { PkgError, asPkgError } from "./pkg-error.js";
export type { PkgErrorOptions } from "./pkg-error.js";
export { fsErrorReason } from "./file-errors.js";
export type { FsAction } from "./file-errors.js";
