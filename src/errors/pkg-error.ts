import { RequirementError, VersionError } from "../version/index.js";
import { errorCodeInfo, exitStatusOf } from "./codes.js";
import type { ErrorCode, ErrorKind } from "./codes.js";

export interface PkgErrorOptions {
  /** What the user can do about it. */
  readonly hint?: string | undefined;
  readonly cause?: unknown;
}

/** Every error pkg reports to a user: a stable code, a message, an optional hint and cause. */
export class PkgError extends Error {
  override name = "PkgError";
  readonly hint: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: PkgErrorOptions = {},
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.hint = options.hint;
  }

  get errorKind(): ErrorKind {
    return errorCodeInfo(this.code).kind;
  }

  get exitStatus(): number {
    return exitStatusOf(this.errorKind);
  }
}

/**
 * The PkgError for a library error, or undefined for one pkg did not expect. src/version stays a leaf
 * (it imports nothing of the project), so its errors get their codes here.
 */
export function asPkgError(error: unknown): PkgError | undefined {
  if (error instanceof PkgError) return error;
  if (error instanceof RequirementError) return new PkgError("PKG0004", error.message, { cause: error });
  if (error instanceof VersionError) return new PkgError("PKG0005", error.message, { cause: error });
  return undefined;
}
