// The interpretation sequence of Rez's ResolvedContext._execute, as Rex steps: system setup,
// package variables, pre_commands / commands / post_commands per package (pkg-rs envs in the
// commands phase), ephemeral variables, post system setup. Runs in TypeScript unless some package
// has code, then in one Python round trip.

import { PkgError } from "../errors/index.js";
import type { SourceCode } from "../package/index.js";
import {
  PkgRsEnvironment,
  headerComment,
  literal,
  minorHeaderComment,
  runRex,
  DEFAULT_ENV_VAR_SEPARATORS,
} from "../rex/index.js";
import type { RexCodeRunner, RexNamespace, RexRequest, RexResponse, RexStep } from "../rex/index.js";
import { Requirement } from "../version/index.js";
import type { ResolvedContext } from "./resolved-context.js";
import { qualifiedPackageName, qualifiedVariantName, variantBindingData } from "./variant.js";
import type { ContextVariant } from "./variant.js";

export const REX_COMMAND_ATTRS = ["pre_commands", "commands", "post_commands"] as const;

/** Where pkg's own command goes on PATH in a resolved environment (Rez's `rez_tools_visibility`). */
export interface ToolsOnPath {
  readonly toolsVisibility: "append" | "prepend" | "never";
  /** The folder holding the `pkg` launcher; absent when it is not put on PATH. */
  readonly toolsBinPath?: string;
}

export interface InterpretOptions {
  /** Environment the context applies on top of; default process.env. */
  readonly parentEnviron?: Readonly<Record<string, string>>;
  /** Rez `parent_variables`, or true for `all_parent_variables`. Default []. */
  readonly parentVariables?: boolean | readonly string[];
  readonly envVarSeparators?: Readonly<Record<string, string>>;
  /** Path separator of the target shell; default the host's. */
  readonly pathsep?: string;
  /** Record a shebang first (Rez default true). */
  readonly shebang?: boolean;
  /** Shell system paths appended to PATH when the context's appendSysPath is on. */
  readonly systemPaths?: readonly string[];
  /** Rez `rez_tools_visibility` with the folder holding pkg's own command; default: not on PATH. */
  readonly toolsVisibility?: ToolsOnPath["toolsVisibility"];
  readonly toolsBinPath?: string;
  /** `system` binding data (platform, arch, os, ...). */
  readonly system?: RexNamespace;
  /** Rez `optionvars`. */
  readonly optionvars?: { readonly [key: string]: unknown };
  /** Packages paths counted as local (REZ_USED_LOCAL_RESOLVE). */
  readonly localPackagesPath?: string;
  /** pkg-rs env name (default "default") and `--stamp` variables. */
  readonly pkgRsEnvName?: string;
  readonly pkgRsStamp?: boolean;
  /** Variables set before "system setup" (Rez `execute_shell`: REZ_RXT_FILE, REZ_CONTEXT_FILE). */
  readonly leadingVariables?: readonly (readonly [string, string])[];
  /** Steps right after the leading variables (Rez's `actions_callback`: a build's REZ_BUILD_* variables). */
  readonly callbackSteps?: readonly RexStep[];
  /** Steps after everything else (Rez's `post_actions_callback`: the built package's pre_build_commands). */
  readonly postSteps?: readonly RexStep[];
  /** Runs package code; required only when some package has commands. */
  readonly runner?: RexCodeRunner;
  /**
   * Payload-cache roots by package name (Rez's get_cached_root): `root`, `this.root`, `resolve.<name>.root`
   * and REZ_<NAME>_ROOT point there, REZ_<NAME>_ORIG_ROOT at the original.
   */
  readonly cachedRoots?: ReadonlyMap<string, string>;
}

export class PackageCommandError extends PkgError {
  override readonly name = "PackageCommandError";
  constructor(
    message: string,
    readonly info: NonNullable<RexResponse["error"]>,
  ) {
    super("PKG0012", message);
  }
}

function isSourceCode(v: unknown): v is SourceCode {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "source";
}

function normaliseRequest(s: string): string {
  try {
    return Requirement.parse(s).toString();
  } catch {
    return s;
  }
}

/** The Python request (and the formatting namespace for the TS path) for a context. */
export function contextRexRequest(ctx: ResolvedContext, options: InterpretOptions = {}): { request: RexRequest; namespace: RexNamespace } {
  const pathsep = options.pathsep ?? (process.platform === "win32" ? ";" : ":");
  const parentEnviron = options.parentEnviron ?? (Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)));
  const variants = ctx.variants;
  const steps: RexStep[] = [];
  const push = (...s: RexStep[]) => steps.push(...s);
  const setenv = (key: string, value: string | ReturnType<typeof literal>) => push({ op: "setenv", key, value });

  for (const [key, value] of options.leadingVariables ?? []) setenv(key, value);
  push(...(options.callbackSteps ?? []));

  // 1. system setup
  push(...headerComment("system setup"));
  setenv("REZ_USED", ctx.rezPath);
  setenv("REZ_USED_VERSION", ctx.rezVersion);
  setenv("REZ_USED_TIMESTAMP", String(ctx.timestamp));
  setenv("REZ_USED_REQUESTED_TIMESTAMP", String(ctx.requestedTimestamp ?? 0));
  setenv("REZ_USED_REQUEST", literal(ctx.requests.join(" ")));
  setenv("REZ_USED_IMPLICIT_PACKAGES", literal(ctx.implicitPackages.join(" ")));
  setenv("REZ_USED_RESOLVE", variants.map(qualifiedPackageName).join(" "));
  setenv("REZ_USED_PACKAGES_PATH", ctx.packagePaths.join(pathsep));
  if (ctx.ephemerals.length > 0) setenv("REZ_USED_EPH_RESOLVE", ctx.ephemerals.join(" "));
  const local = options.localPackagesPath;
  const localResolve = local === undefined ? [] : variants.filter((v) => v.location === local).map(qualifiedPackageName);
  if (localResolve.length > 0) setenv("REZ_USED_LOCAL_RESOLVE", localResolve.join(" "));
  if (ctx.building) setenv("REZ_BUILD_ENV", "1");

  // 3. package variables
  push(...headerComment("package variables"));
  for (const v of variants) {
    push(...minorHeaderComment(`variables for package ${qualifiedVariantName(v)}`));
    const prefix = "REZ_" + v.name.toUpperCase().replace(/\./g, "_");
    const tokens = v.version === "" ? [] : versionTokens(v.version);
    setenv(`${prefix}_VERSION`, v.version);
    setenv(`${prefix}_MAJOR_VERSION`, tokens[0] ?? "");
    setenv(`${prefix}_MINOR_VERSION`, tokens[1] ?? "");
    setenv(`${prefix}_PATCH_VERSION`, tokens[2] ?? "");
    setenv(`${prefix}_BASE`, v.base ?? "None");
    const cached = options.cachedRoots?.get(v.name);
    if (cached !== undefined) {
      setenv(`${prefix}_ROOT`, cached);
      setenv(`${prefix}_ORIG_ROOT`, v.root ?? "None");
    } else setenv(`${prefix}_ROOT`, v.root ?? "None");
  }

  // 4. pre_commands / commands / post_commands
  const pkgRsPackages = variants
    .filter((v) => v.definition.pkgrs !== undefined)
    .map((v) => ({ name: v.name, version: v.version, data: v.definition.pkgrs! }));
  const pkgrs = new PkgRsEnvironment(pkgRsPackages, { parentEnviron, envName: options.pkgRsEnvName, separator: pathsep });
  for (const attr of REX_COMMAND_ATTRS) {
    let found = false;
    for (const v of variants) {
      const value = v.definition.attributes[attr];
      // A string is a block of Rex code, in package.py as in package.yaml (Rez `SourceCode(source=...)`).
      const code = typeof value === "string" ? { source: value, file: v.definition.file, line: 1 } : isSourceCode(value) ? value : undefined;
      const pkgRsSteps = attr === "commands" && v.definition.pkgrs !== undefined ? pkgRsStepsFor(pkgrs, v, options.pkgRsStamp === true) : [];
      if (code === undefined && pkgRsSteps.length === 0) continue;
      if (!found) {
        found = true;
        push(...headerComment(attr));
      }
      push(...minorHeaderComment(`${attr} from package ${qualifiedVariantName(v)}`));
      push(...pkgRsSteps);
      if (code !== undefined) {
        push({ op: "code", attr, package: v.name, source: code.source, file: code.file || v.definition.file, line: code.line || 1 });
      }
    }
  }

  // 5. ephemeral variables
  if (ctx.ephemerals.length > 0) {
    push(...headerComment("ephemeral variables"));
    for (const eph of ctx.ephemerals) {
      const req = Requirement.parse(eph);
      const uname = req.name.slice(1).toUpperCase().replace(/\./g, "_");
      setenv(`REZ_EPH_${uname}_REQUEST`, req.range?.toString() ?? "");
    }
  }

  // 6. post system setup
  push(...headerComment("post system setup"));
  if (ctx.appendSysPath) for (const p of options.systemPaths ?? []) push({ op: "appendenv", key: "PATH", value: p });
  const bin = options.toolsBinPath;
  if (bin !== undefined && options.toolsVisibility === "append") push({ op: "appendenv", key: "PATH", value: bin });
  if (bin !== undefined && options.toolsVisibility === "prepend") push({ op: "prependenv", key: "PATH", value: bin });
  push(...(options.postSteps ?? []));

  const system = options.system ?? {};
  const request: RexRequest = {
    parent_environ: parentEnviron,
    parent_variables: options.parentVariables ?? [],
    env_var_separators: options.envVarSeparators ?? DEFAULT_ENV_VAR_SEPARATORS,
    pathsep,
    shebang: options.shebang ?? true,
    ...(options.optionvars !== undefined ? { optionvars: options.optionvars } : {}),
    bindings: {
      system,
      building: ctx.building,
      testing: ctx.testing,
      request: ctx.requests.map(normaliseRequest),
      implicits: ctx.implicitPackages.map(normaliseRequest),
      ephemerals: ctx.ephemerals,
      resolve: Object.fromEntries(variants.map((v) => {
        const cached = options.cachedRoots?.get(v.name);
        return [v.name, cached !== undefined ? { ...variantBindingData(v), root: cached } : variantBindingData(v)];
      })),
    },
    steps,
  };
  const namespace: RexNamespace = { system, building: ctx.building, testing: ctx.testing };
  return { request, namespace };
}

function pkgRsStepsFor(pkgrs: PkgRsEnvironment, v: ContextVariant, stamp: boolean): RexStep[] {
  const origin = { package: v.name, file: v.definition.file };
  return [...pkgrs.stepsFor(v.name), ...(stamp ? pkgrs.stampSteps(v.name) : [])].map((s) => ({ ...s, ...origin }));
}

function versionTokens(version: string): string[] {
  return version.match(/[a-zA-Z0-9_]+/g) ?? [];
}

/**
 * Interpret the context into recorded actions (Rez order). Throws PackageCommandError when a
 * package's commands fail (Rez: "Error in commands in package '<uri>':").
 */
export async function interpretContext(ctx: ResolvedContext, options: InterpretOptions = {}): Promise<RexResponse> {
  const { request, namespace } = contextRexRequest(ctx, options);
  const response = await runRex(request, options.runner, namespace);
  if (response.error !== null) {
    const e = response.error;
    const variant = ctx.variants.find((v) => v.name === e.package);
    const where = e.file !== null ? `${e.file}${e.line !== null ? `:${e.line}` : ""}` : "";
    const message =
      `Error in ${e.attr ?? "commands"} in package '${variant?.uri ?? e.package ?? "?"}':\n` +
      `${e.type === e.exception ? e.type : `${e.type} (${e.exception})`}: ${e.message}` +
      (where ? `\n  at ${where}` : "");
    throw new PackageCommandError(message, e);
  }
  return response;
}
