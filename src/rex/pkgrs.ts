// pkg-rs environments (Env / Evar data) as Rex steps, without Python.
//
// Each package's env (default "default") becomes steps in its evar order: `set` → setenv,
// `append` → appendenv, `insert` → prependenv. Packages are applied in resolve order, so a later
// package's insert goes in front and its append behind, as pkg-rs intends. Unlike pkg-rs:
// - inherited values are extended, never replaced (append/insert adopt the parent's value);
// - `{TOKEN}` expansion looks across the merged environment of the whole resolve (case-insensitive),
//   then the parent environment, so one package can refer to another's variables;
// - a variable referring to itself (`PATH = "{PATH}:/x"`) gets the parent's value instead of a
//   circular-reference error.

import { PkgError, type PkgErrorOptions } from "../errors/index.js";
import type { PkgRsData, PkgRsEnv, PkgRsEvar } from "../package/index.js";
import type { RexPrimitiveStep } from "./steps.js";

export class PkgRsTokenError extends PkgError {
  override readonly name = "PkgRsTokenError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0015", message, options);
  }
}

export interface PkgRsPackage {
  /** Package (base) name. */
  readonly name: string;
  readonly version: string;
  readonly data: PkgRsData;
}

export interface PkgRsEnvironmentOptions {
  /** Env to use from every package (pkg-rs `--env-name`); default "default". */
  readonly envName?: string;
  readonly parentEnviron: Readonly<Record<string, string>>;
  /** Separator used to merge values for token lookup; default ":" (";" on Windows). */
  readonly separator?: string;
  /** pkg-rs `Env.solve` max depth. */
  readonly maxDepth?: number;
}

const TOKEN = /\{([A-Za-z0-9_]+)\}/y;

/** The env of that name, or (pkg-rs `default_env`) the first env when there is no "default". */
export function selectPkgRsEnv(data: PkgRsData, envName = "default"): PkgRsEnv | undefined {
  const exact = data.envs.find((e) => e.name === envName);
  if (exact !== undefined) return exact;
  return envName === "default" ? data.envs[0] : data.envs.find((e) => e.name === "default") ?? data.envs[0];
}

/** pkg-rs merge of one evar into an existing value. */
function mergeValue(existing: string | undefined, evar: PkgRsEvar, sep: string): string {
  if (existing === undefined || evar.action === "set") return evar.value;
  if (existing === "") return evar.value;
  if (evar.value === "") return existing;
  return evar.action === "append" ? existing + sep + evar.value : evar.value + sep + existing;
}

export class PkgRsEnvironment {
  /** lower-case name → merged raw value across the resolve. */
  private readonly merged = new Map<string, string>();
  private readonly envs = new Map<string, PkgRsEnv | undefined>();
  private readonly sep: string;
  private readonly maxDepth: number;

  constructor(
    private readonly packages: readonly PkgRsPackage[],
    private readonly options: PkgRsEnvironmentOptions,
  ) {
    this.sep = options.separator ?? (process.platform === "win32" ? ";" : ":");
    this.maxDepth = options.maxDepth ?? 10;
    for (const p of packages) {
      const env = selectPkgRsEnv(p.data, options.envName);
      this.envs.set(p.name, env);
      for (const evar of env?.evars ?? []) {
        const k = evar.name.toLowerCase();
        this.merged.set(k, mergeValue(this.merged.get(k), evar, this.sep));
      }
    }
  }

  /** Expand `{TOKEN}`s in a value of variable `owner` (pkg-rs token syntax). */
  expand(value: string, owner?: string): string {
    return this.expandWith(value, owner === undefined ? [] : [owner.toLowerCase()], 0, owner?.toLowerCase());
  }

  private expandWith(value: string, stack: readonly string[], depth: number, owner: string | undefined): string {
    if (depth > this.maxDepth) throw new PkgRsTokenError(`solve depth exceeded: max ${this.maxDepth}`);
    let out = "";
    let i = 0;
    while (i < value.length) {
      if (value[i] === "{") {
        TOKEN.lastIndex = i;
        const m = TOKEN.exec(value);
        if (m) {
          const end = TOKEN.lastIndex; // the recursion below reuses TOKEN
          out += this.resolveToken(m[1]!, stack, depth, owner);
          i = end;
          continue;
        }
      }
      out += value[i];
      i += 1;
    }
    return out;
  }

  private resolveToken(token: string, stack: readonly string[], depth: number, owner: string | undefined): string {
    const key = token.toLowerCase();
    if (key === owner && stack.length === 1) {
      // self reference: the inherited value
      return this.options.parentEnviron[token] ?? "";
    }
    const merged = this.merged.get(key);
    if (merged !== undefined) {
      if (stack.includes(key)) throw new PkgRsTokenError(`circular reference in env solve: ${token}`);
      return this.expandWith(merged, [...stack, key], depth + 1, owner);
    }
    const os = this.options.parentEnviron[token];
    return os ?? `{${token}}`;
  }

  /** The steps of one package's env, in evar order, values token-expanded. */
  stepsFor(name: string): RexPrimitiveStep[] {
    const env = this.envs.get(name);
    const steps: RexPrimitiveStep[] = [];
    for (const evar of env?.evars ?? []) {
      const value = this.expand(evar.value, evar.name);
      if (evar.action === "set") steps.push({ op: "setenv", key: evar.name, value, raw: true });
      else if (evar.action === "append") steps.push({ op: "appendenv", key: evar.name, value, raw: true, inherit: true });
      else steps.push({ op: "prependenv", key: evar.name, value, raw: true, inherit: true });
    }
    return steps;
  }

  /** `pkg env --stamp`: PKG_<NAME>_ROOT/_VERSION/_MAJOR/_MINOR/_PATCH/_VARIANT. */
  stampSteps(name: string): RexPrimitiveStep[] {
    const p = this.packages.find((x) => x.name === name);
    if (p === undefined) return [];
    return pkgRsStampVariables(p).map(([key, value]) => ({ op: "setenv", key, value: this.expand(value), raw: true }));
  }
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

/** The six stamp variables of a pkg-rs package, raw (pkg-rs §4.5). */
export function pkgRsStampVariables(p: PkgRsPackage): [string, string][] {
  const prefix = `PKG_${p.name.toUpperCase().replace(/-/g, "_")}`;
  let root = "";
  outer: for (const env of p.data.envs) {
    for (const evar of env.evars) {
      const upper = evar.name.toUpperCase();
      if (upper === "ROOT" || upper.endsWith("_ROOT")) {
        root = evar.value;
        break outer;
      }
    }
  }
  const semver = SEMVER.exec(p.version);
  let major = "";
  let minor = "";
  let patch = "";
  let variant = "";
  if (semver) {
    [major, minor, patch] = [semver[1]!, semver[2]!, semver[3]!];
    variant = semver[4] ?? semver[5] ?? "";
  } else {
    const parts = p.version.split(".");
    [major, minor, patch] = [parts[0] ?? "", parts[1] ?? "", parts[2] ?? ""];
  }
  return [
    [`${prefix}_ROOT`, root],
    [`${prefix}_VERSION`, p.version],
    [`${prefix}_MAJOR`, major],
    [`${prefix}_MINOR`, minor],
    [`${prefix}_PATCH`, patch],
    [`${prefix}_VARIANT`, variant],
  ];
}

/** pkg-rs apps as context tools: every app not marked hidden. */
export function pkgRsTools(data: PkgRsData): string[] {
  return data.apps.filter((a) => !["true", "1"].includes(a.properties.hidden ?? "")).map((a) => a.name);
}
