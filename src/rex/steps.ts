// The steps of a context's interpretation, in order: primitive actions computed in TypeScript and
// package code blocks run by Python. The same list drives the TypeScript recorder (no code) and the
// Python worker's `rex` op (any code), so both see one tracked environment.

import type { RexString } from "./actions.js";
import type { RexVariantData } from "./protocol.js";

/** Which package (and file) a primitive step comes from, so an error can name them (pkg-rs `Env` data). */
export interface RexStepOrigin {
  readonly package?: string;
  readonly file?: string;
}

export type RexPrimitiveStep = RexStepOrigin & (
  | { readonly op: "setenv"; readonly key: string; readonly value: RexString; readonly raw?: boolean }
  | { readonly op: "resetenv"; readonly key: string; readonly value: RexString; readonly raw?: boolean }
  | { readonly op: "unsetenv"; readonly key: string; readonly raw?: boolean }
  | {
      readonly op: "appendenv" | "prependenv";
      readonly key: string;
      readonly value: RexString;
      /** Use the value as is: no `{}` formatting (pkg-rs values, already token-expanded). */
      readonly raw?: boolean;
      /** Extend the parent environment's value when it has one, instead of overwriting on first reference. */
      readonly inherit?: boolean;
    }
  | { readonly op: "alias"; readonly key: string; readonly value: string }
  | { readonly op: "info" | "error"; readonly value: RexString }
  | { readonly op: "comment" | "source"; readonly value: string }
  | { readonly op: "command"; readonly value: string }
  | { readonly op: "shebang" });

/** A package's pre_commands / commands / post_commands source, run with the package's bindings. */
export interface RexCodeStep {
  readonly op: "code";
  readonly attr: string;
  /** Key into `bindings.resolve` (the package name), or null for bare code (rez-interpret). */
  readonly package: string | null;
  /** A whole `def commands():` function (its body runs as a block) or a plain code block. */
  readonly source: string;
  readonly file: string;
  /** Line of the source's first line in `file`. */
  readonly line: number;
  /** Directory holding `.rez/include/<module>.py` for `@include` (default: the package base). */
  readonly includes_base?: string;
  /** `this` for a package outside the resolve (the package being built, in its pre_build_commands). */
  readonly this?: RexVariantData;
  /** More names the code sees (`build` in pre_build_commands); objects gain attribute access. */
  readonly globals?: { readonly [name: string]: unknown };
}

export type RexStep = RexPrimitiveStep | RexCodeStep;

/** Rez's `header_comment`: two blank comments and a titled banner. */
export function headerComment(title: string): RexPrimitiveStep[] {
  const bar = "#".repeat(80);
  return [
    { op: "comment", value: "" },
    { op: "comment", value: "" },
    { op: "comment", value: bar },
    { op: "comment", value: title },
    { op: "comment", value: bar },
  ];
}

/** Rez's `minor_header_comment`. */
export function minorHeaderComment(title: string): RexPrimitiveStep[] {
  return [
    { op: "comment", value: "" },
    { op: "comment", value: title },
    { op: "comment", value: "-".repeat(80) },
  ];
}
