import { PkgError } from "../errors/index.js";
import type { ErrorCode } from "../errors/index.js";

/** An error the CLI reports without a stack trace: a code (its exit status), a message and an optional hint. */
export class CliError extends PkgError {
  override name = "CliError";
  constructor(code: ErrorCode, message: string, hint?: string, cause?: unknown) {
    super(code, message, { hint, cause });
  }
}

/** How the labels of status lines look: plain, or coloured on a terminal (see output.ts). */
export interface Paint {
  readonly error: (label: string) => string;
  readonly warning: (label: string) => string;
  readonly hint: (label: string) => string;
}

/**
 * How text for people looks, per stream: the status labels, and the parts of results Rez colours (its
 * rezconfig `*_fore`/`*_styles`: headings bright, implicit packages cyan, failures bright red) plus the packages
 * of a resolve. Plain when piped, with NO_COLOR or in CI.
 */
export interface Styles extends Paint {
  /** `requested packages:`, `resolved packages:`, … */
  readonly heading: (text: string) => string;
  /** A resolved package (`pkg solve`'s lines, a context's resolved packages). */
  readonly package: (text: string) => string;
  readonly implicit: (text: string) => string;
  readonly ephemeral: (text: string) => string;
  /** "The context failed to resolve: …" */
  readonly failure: (text: string) => string;
}

const same = (label: string): string => label;
export const plainPaint: Paint = { error: same, warning: same, hint: same };
export const plainStyles: Styles = { ...plainPaint, heading: same, package: same, implicit: same, ephemeral: same, failure: same };

/** `pkg: error: MESSAGE [CODE]` and `hint: …`; the code ends the first line, so a long message reads on below it. */
export function formatError(error: PkgError, paint: Paint = plainPaint): string {
  const newline = error.message.indexOf("\n");
  const message =
    newline < 0 ? `${error.message} [${error.code}]` : `${error.message.slice(0, newline)} [${error.code}]${error.message.slice(newline)}`;
  const label = error.errorKind === "internal" ? "internal error" : "error";
  return `${paint.error(`pkg: ${label}:`)} ${message}\n${error.hint ? `${paint.hint("hint:")} ${error.hint}\n` : ""}`;
}
