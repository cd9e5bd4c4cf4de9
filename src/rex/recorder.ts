// Rez's ActionManager in TypeScript, for contexts that run no package code: records actions and
// tracks the expanded environment with the same rules as src/python/worker/rex.py.

import type { RexAction, RexString } from "./actions.js";
import { rexMapExpandable, rexParts, rexText } from "./actions.js";
import { expandEnvVars, formatRexText } from "./format.js";
import type { RexNamespace } from "./format.js";
import { checkRexName } from "./names.js";
import type { RexPrimitiveStep } from "./steps.js";

/** Rez's default `env_var_separators`. */
export const DEFAULT_ENV_VAR_SEPARATORS: Readonly<Record<string, string>> = { CMAKE_MODULE_PATH: ";", DOXYGEN_TAGFILES: " " };

export interface RexRecorderOptions {
  /** The environment the context applies on top of. */
  readonly parentEnviron: Readonly<Record<string, string>>;
  /** Rez `parent_variables` (or `all_parent_variables` = true). */
  readonly parentVariables?: boolean | readonly string[];
  /** Rez `env_var_separators`; default {@link DEFAULT_ENV_VAR_SEPARATORS}. */
  readonly envVarSeparators?: Readonly<Record<string, string>>;
  /** Path separator of the target interpreter. */
  readonly pathsep: string;
  /** `{field}` namespace for formatting (Rez's rex globals as plain data). */
  readonly namespace?: RexNamespace;
  /** Home directory for `~` expansion; default parentEnviron.HOME. */
  readonly home?: string;
}

/** A value as a plain string when entirely expandable, else its parts (the JSON shape of actions). */
/** A plain expandable string that neither str.format nor `$VAR`/`~` expansion would change (most REZ_* values). */
function isInert(value: RexString): value is string {
  return typeof value === "string" && !value.includes("{") && !value.includes("}") && !value.includes("$") && !value.startsWith("~");
}

function compact(value: RexString): RexString {
  if (typeof value === "string") return value;
  const parts = rexParts(value);
  return parts.every((p) => !p.literal) ? rexText(parts) : parts;
}

export class RexRecorder {
  readonly actions: RexAction[] = [];
  /** The tracked (expanded) environment: only variables this context set. */
  readonly environ = new Map<string, string>();
  private readonly parentVariables: true | ReadonlySet<string>;
  private readonly separators: Readonly<Record<string, string>>;

  constructor(private readonly options: RexRecorderOptions) {
    const pv = options.parentVariables;
    this.parentVariables = pv === true ? true : new Set(pv === false || pv === undefined ? [] : pv);
    this.separators = options.envVarSeparators ?? DEFAULT_ENV_VAR_SEPARATORS;
  }

  separator(name: string): string {
    return this.separators[name] ?? this.options.pathsep;
  }

  private format(value: RexString): RexString {
    if (isInert(value)) return value;
    const namespace = this.options.namespace ?? {};
    let failed = false;
    const formatted = rexMapExpandable(value, (text) => {
      const out = formatRexText(text, namespace);
      if (out === undefined) failed = true;
      return out ?? text;
    });
    // Rez leaves the whole value unformatted when any part fails
    return failed ? value : formatted;
  }

  private expandUser(text: string): string {
    if (!text.startsWith("~")) return text;
    const home = this.options.home ?? this.options.parentEnviron.HOME;
    if (home === undefined || !(text.length === 1 || text[1] === "/")) return text;
    return home.replace(/\/+$/, "") + text.slice(1);
  }

  private expand(value: RexString): string {
    if (isInert(value)) return value;
    const lookupTracked = (n: string) => this.environ.get(n);
    const lookupParent = (n: string) => this.options.parentEnviron[n];
    return rexText(
      rexMapExpandable(value, (text) => this.expandUser(expandEnvVars(expandEnvVars(text, lookupTracked), lookupParent))),
    );
  }

  private key(key: string, raw: boolean): [unexpanded: string, expanded: string] {
    const unexpanded = raw ? key : rexText(this.format(key));
    checkRexName("variable", unexpanded);
    return [unexpanded, this.expand(unexpanded)];
  }

  private value(value: RexString, raw: boolean): [unexpanded: RexString, expanded: string] {
    const unexpanded = raw ? value : this.format(value);
    return [compact(unexpanded), this.expand(unexpanded)];
  }

  defined(key: string): boolean {
    const [, k] = this.key(key, false);
    return this.environ.has(k) || k in this.options.parentEnviron;
  }

  getenv(key: string): string | undefined {
    const [, k] = this.key(key, false);
    return this.environ.get(k) ?? this.options.parentEnviron[k];
  }

  setenv(key: string, value: RexString, raw = false): void {
    const [uk, k] = this.key(key, raw);
    const [uv, v] = this.value(value, raw);
    this.actions.push({ type: "setenv", key: uk, value: uv });
    this.environ.set(k, v);
  }

  resetenv(key: string, value: RexString, raw = false): void {
    const [uk, k] = this.key(key, raw);
    const [uv, v] = this.value(value, raw);
    this.actions.push({ type: "resetenv", key: uk, value: uv });
    this.environ.set(k, v);
  }

  unsetenv(key: string, raw = false): void {
    const [uk, k] = this.key(key, raw);
    this.actions.push({ type: "unsetenv", key: uk });
    this.environ.delete(k);
  }

  private pendenv(type: "appendenv" | "prependenv", key: string, value: RexString, raw: boolean, inherit: boolean): void {
    const [uk, k] = this.key(key, raw);
    const [uv, v] = this.value(value, raw);
    if (!this.environ.has(k)) {
      const parentValue = this.options.parentEnviron[k];
      if (this.parentVariables === true || this.parentVariables.has(k)) {
        this.environ.set(k, parentValue ?? "");
        this.actions.push({ type: "saferefenv", key: uk });
      } else if (inherit && parentValue) {
        this.environ.set(k, parentValue);
        this.actions.push({ type: "saferefenv", key: uk });
      }
    }
    const current = this.environ.get(k);
    if (current === undefined) {
      // first reference overwrites
      this.actions.push({ type: "setenv", key: uk, value: uv });
      this.environ.set(k, v);
      return;
    }
    const sep = this.separator(k);
    const parts = current.split(sep);
    this.actions.push({ type, key: uk, value: uv });
    this.environ.set(k, (type === "appendenv" ? [...parts, v] : [v, ...parts]).join(sep));
  }

  appendenv(key: string, value: RexString, raw = false, inherit = false): void {
    this.pendenv("appendenv", key, value, raw, inherit);
  }

  prependenv(key: string, value: RexString, raw = false, inherit = false): void {
    this.pendenv("prependenv", key, value, raw, inherit);
  }

  apply(step: RexPrimitiveStep): void {
    switch (step.op) {
      case "setenv":
        return this.setenv(step.key, step.value, step.raw === true);
      case "resetenv":
        return this.resetenv(step.key, step.value, step.raw === true);
      case "unsetenv":
        return this.unsetenv(step.key, step.raw === true);
      case "appendenv":
      case "prependenv":
        return this.pendenv(step.op, step.key, step.value, step.raw === true, step.inherit === true);
      case "alias": {
        const name = rexText(this.format(step.key));
        checkRexName("alias", name);
        this.actions.push({ type: "alias", name, command: rexText(this.format(step.value)) });
        return;
      }
      case "info":
      case "error":
        this.actions.push({ type: step.op, message: compact(this.format(step.value)) });
        return;
      case "comment":
        this.actions.push({ type: "comment", text: rexText(this.format(step.value)) });
        return;
      case "source":
        this.actions.push({ type: "source", path: rexText(this.format(step.value)) });
        return;
      case "command":
        this.actions.push({ type: "command", command: step.value });
        return;
      case "shebang":
        this.actions.push({ type: "shebang" });
        return;
    }
  }

  /** The tracked environment as a plain object (Rez's Python interpreter output). */
  environment(): Record<string, string> {
    return Object.fromEntries(this.environ);
  }
}
