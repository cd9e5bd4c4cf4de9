// What may be written as a variable or alias name in generated shell code. Names are never quoted
// by any shell (`export NAME=…`, `setenv NAME …`, `function NAME`), so anything else could run code.
// The same rules live in src/python/worker/rex.py (`_check_name`).

import { PkgError } from "../errors/index.js";

/** An environment variable name every shell can set: letters, digits, `_`, not starting with a digit. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An alias (shell function) name: letters, digits, `_`, `.`, `+`, `-`, not starting with `-`. */
export const ALIAS_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

export type RexNameKind = "variable" | "alias";

/** Why `name` cannot be used, or undefined when it can. */
export function invalidNameReason(kind: RexNameKind, name: string): string | undefined {
  if (kind === "variable") {
    if (ENV_VAR_NAME.test(name)) return undefined;
    return `invalid environment variable name ${JSON.stringify(name)}: use letters, digits and '_', not starting with a digit`;
  }
  if (ALIAS_NAME.test(name)) return undefined;
  return `invalid alias name ${JSON.stringify(name)}: use letters, digits, '_', '.', '+' and '-', not starting with '-'`;
}

/** A variable or alias name that cannot be written into shell code. */
export class RexNameError extends PkgError {
  override readonly name = "RexNameError";
  constructor(
    readonly kind: RexNameKind,
    readonly invalidName: string,
  ) {
    super("PKG0014", invalidNameReason(kind, invalidName) ?? `invalid ${kind} name`);
  }
}

/** Throws {@link RexNameError} unless `name` is valid. */
export function checkRexName(kind: RexNameKind, name: string): void {
  if (invalidNameReason(kind, name) !== undefined) throw new RexNameError(kind, name);
}
