import { PkgError } from "../errors/index.js";

/**
 * A value, name or argument a shell cannot carry byte for byte (a newline in a cmd.exe line, a word
 * longer than csh's limit, a name that is not a variable name). Thrown while rendering, before
 * anything runs, so no environment is ever half applied.
 */
export class ShellValueError extends PkgError {
  override readonly name = "ShellValueError";
  constructor(
    readonly shell: string,
    message: string,
  ) {
    super("PKG0013", message);
  }
}
