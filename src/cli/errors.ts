import { PkgError } from "../errors/index.js";
import type { ErrorCode } from "../errors/index.js";

/** An error the CLI reports without a stack trace: a code (its exit status), a message and an optional hint. */
export class CliError extends PkgError {
  override name = "CliError";
  constructor(code: ErrorCode, message: string, hint?: string, cause?: unknown) {
    super(code, message, { hint, cause });
  }
}

/** `pkg: error: MESSAGE [CODE]` and `hint: …`; the code ends the first line, so a long message reads on below it. */
export function formatError(error: PkgError): string {
  const newline = error.message.indexOf("\n");
  const message =
    newline < 0 ? `${error.message} [${error.code}]` : `${error.message.slice(0, newline)} [${error.code}]${error.message.slice(newline)}`;
  const label = error.errorKind === "internal" ? "internal error" : "error";
  return `pkg: ${label}: ${message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`;
}
