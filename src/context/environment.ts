// Orchestration behind `pkg env`, `pkg context`, `pkg run`: system facts, implicit packages,
// resolve → ResolvedContext, .rxt loading through repositories, a Python runner started only when
// some package has code, and the environment a context produces. Shell syntax stays in src/shells.

import { readFileSync } from "node:fs";
import { arch as osArch, homedir, hostname, release as osRelease, userInfo } from "node:os";
import { PkgError, fsErrorReason, type PkgErrorOptions } from "../errors/index.js";
import type { PackageDefinition } from "../package/index.js";
import { PythonWorkerPool } from "../python/index.js";
import { silentReporter } from "../report/index.js";
import type { Reporter } from "../report/index.js";
import type { RexCodeRunner, RexNamespace, RexRequest, RexResponse } from "../rex/index.js";
import { DEFAULT_ENV_VAR_SEPARATORS, poolRexRunner, runRex } from "../rex/index.js";
import { writeCompacted } from "../graph/index.js";
import type { Digraph } from "../graph/index.js";
import { resolve } from "../solver/index.js";
import { Requirement } from "../version/index.js";
import type { LateAttributeEvaluator, OrdererPod, PackageFamilySource, PackageFilterPod, ResolveResult, VariantSelectMode } from "../solver/index.js";
import { createLateEvaluator, lazyPythonPool } from "./late.js";
import type { LatePythonPool } from "./late.js";
import { createResolvedContext } from "./resolved-context.js";
import type { ResolveCache } from "./resolve-cache.js";
import type { ResolvedContext } from "./resolved-context.js";
import { ContextFileError, loadResolvedContext, parseRxt } from "./rxt.js";
import type { VariantFinder } from "./rxt.js";
import type { HandledVariant, VariantHandle } from "../repository/index.js";
import type { ResolvedVariantInput, VariantLayoutOptions } from "./variant.js";

/** Rez's `system` facts used by implicit packages and the `system` binding. */
export interface SystemInfo {
  readonly platform: string;
  readonly arch: string;
  readonly os: string;
}

function readKeyValues(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1");
    }
  } catch {
    // not there
  }
  return out;
}

let cachedSystem: SystemInfo | undefined;

/** platform (`linux`, `osx`, `windows`), arch (`x86_64`, ...), os (`Ubuntu-22.04`, `CentOS-7`, ...) as Rez names them. */
export function systemInfo(): SystemInfo {
  if (cachedSystem) return cachedSystem;
  const platform = process.platform === "win32" ? "windows" : process.platform === "darwin" ? "osx" : process.platform;
  const a = osArch();
  const arch = a === "x64" ? (process.platform === "win32" ? "AMD64" : "x86_64") : a === "arm64" ? (process.platform === "darwin" ? "arm64" : "aarch64") : a;
  let os = `${platform}-${osRelease()}`;
  if (process.platform === "linux") {
    const lsb = readKeyValues("/etc/lsb-release");
    if (lsb.DISTRIB_ID && lsb.DISTRIB_RELEASE) os = `${lsb.DISTRIB_ID}-${lsb.DISTRIB_RELEASE}`;
    else {
      const rel = readKeyValues("/etc/os-release");
      const name = (rel.NAME ?? "").split(/\s+/)[0];
      if (name && rel.VERSION_ID) os = `${name}-${rel.VERSION_ID}`;
    }
  }
  cachedSystem = { platform, arch, os };
  return cachedSystem;
}

/** The `system` Rex binding. */
export function systemBinding(info: SystemInfo = systemInfo(), rezVersion = "3.4.0"): RexNamespace {
  let user = process.env.USER ?? "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry
  }
  const host = hostname();
  const dot = host.indexOf(".");
  return {
    platform: info.platform,
    arch: info.arch,
    os: info.os,
    hostname: dot >= 0 ? host.slice(0, dot) : host,
    fqdn: host,
    domain: dot >= 0 ? host.slice(dot + 1) : "",
    user,
    home: process.env.HOME ?? homedir(),
    num_cpus: 1,
    rez_version: rezVersion,
    is_production_rez_install: false,
  };
}

/** `~platform=={system.platform}` → `~platform==linux` (Rez expands implicit packages with the system object). */
export function expandImplicitPackages(implicits: readonly string[], info: SystemInfo = systemInfo()): string[] {
  const fields: Record<string, string> = { platform: info.platform, arch: info.arch, os: info.os };
  return implicits.map((s) => s.replace(/\{system\.(\w+)\}/g, (m, k: string) => fields[k] ?? m));
}

/** `-t/--time`: epoch seconds, or relative to now (`-10s`, `-5m`, `-0.5h`, `-10d`, `-1w`). */
export function parseTimeArgument(text: string, now = Date.now() / 1000): number {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^-?(\d+(?:\.\d+)?)([smhdw])$/.exec(text);
  if (!m) throw new Error(`invalid time '${text}': use epoch seconds or a relative time such as -10s, -5m, -2h, -3d, -1w`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as "s" | "m" | "h" | "d" | "w"];
  return Math.floor(now - Number(m[1]) * unit);
}

export interface ResolveContextOptions extends VariantLayoutOptions {
  /** Where families come from (a RepositorySet fits). */
  readonly source: PackageFamilySource;
  readonly packagePaths: readonly string[];
  /** Already expanded (see expandImplicitPackages); empty for `--ni`. */
  readonly implicitPackages?: readonly string[];
  readonly timestamp?: number;
  readonly building?: boolean;
  readonly maxFails?: number;
  readonly timeLimit?: number;
  readonly filter?: readonly PackageFilterPod[];
  readonly orderers?: readonly OrdererPod[];
  readonly variantSelectMode?: VariantSelectMode;
  readonly errorOnMissingVariantRequires?: boolean;
  readonly rezPath?: string;
  /** Warnings, package code's output (late-bound attributes) and debug lines; default: nowhere. */
  readonly reporter?: Reporter;
  /** The `testing` binding of late functions (Rez's ResolvedContext `testing`). */
  readonly testing?: boolean;
  /** Python for `@late` requirement attributes, asked for only when a package has one; default: a pool of its own, closed after the resolve. */
  readonly python?: () => LatePythonPool;
  /** Replaces the default late-binding evaluator. */
  readonly evaluateLate?: LateAttributeEvaluator;
  /** Reuse solved resolves (see ResolveCache). */
  readonly resolveCache?: ResolveCache;
  /** Written into the context: whether its environments use the payload cache (default true). */
  readonly packageCaching?: boolean;
}

export interface ContextResolution {
  readonly context: ResolvedContext;
  readonly result: ResolveResult;
}

/** Rez's compacted form of a resolve's graph, as a context file keeps it (null: none was drawn). */
function compactedGraph(result: ResolveResult): string | null {
  if (result.compactedGraph !== undefined) return result.compactedGraph;
  const graph: Digraph | null | undefined = result.graph;
  return graph ? writeCompacted(graph) : null;
}

/** Resolve a request into a context (failed and aborted resolves give a context too, for `-o`). */
export async function resolveContext(requests: readonly string[], options: ResolveContextOptions): Promise<ContextResolution> {
  const implicits = options.implicitPackages ?? [];
  const ownPython = options.python || options.evaluateLate ? undefined : lazyPythonPool(undefined, options.reporter);
  const evaluateLate =
    options.evaluateLate ??
    createLateEvaluator({
      pool: options.python ?? ownPython!.get,
      request: requests,
      implicits,
      building: options.building ?? false,
      testing: options.testing ?? false,
      system: () => systemBinding(),
      source: options.source,
    });
  const resolveRequest = options.resolveCache ? options.resolveCache.resolve.bind(options.resolveCache) : resolve;
  const result = await resolveRequest(requests, {
    source: options.source,
    evaluateLate,
    implicitPackages: implicits,
    ...(options.building !== undefined ? { building: options.building } : {}),
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    ...(options.maxFails !== undefined ? { maxFails: options.maxFails } : {}),
    ...(options.timeLimit !== undefined ? { timeLimit: options.timeLimit } : {}),
    ...(options.filter && options.filter.length > 0 ? { filter: options.filter } : {}),
    ...(options.orderers && options.orderers.length > 0 ? { orderers: options.orderers } : {}),
    ...(options.variantSelectMode ? { variantSelectMode: options.variantSelectMode } : {}),
    ...(options.errorOnMissingVariantRequires !== undefined ? { errorOnMissingVariantRequires: options.errorOnMissingVariantRequires } : {}),
    ...(options.reporter ? { reporter: options.reporter } : {}),
  }).finally(() => ownPython?.close());
  const info = systemInfo();
  const context = createResolvedContext(
    {
      status: result.status,
      variants: withHandles(result.variants, options.source),
      ephemerals: result.ephemerals,
      failureDescription: result.failureDescription,
      solveTime: result.solveTime,
      graph: () => compactedGraph(result),
    },
    {
      requests,
      implicitPackages: implicits,
      packagePaths: options.packagePaths,
      timestamp: options.timestamp ?? null,
      building: options.building ?? false,
      packageFilter: options.filter ?? [],
      packageOrderers: options.orderers && options.orderers.length > 0 ? options.orderers : null,
      platform: info.platform,
      os: info.os,
      ...(options.rezPath !== undefined ? { rezPath: options.rezPath } : {}),
      ...(options.useShortlinks !== undefined ? { useShortlinks: options.useShortlinks } : {}),
      ...(options.packageCaching !== undefined ? { packageCaching: options.packageCaching } : {}),
    },
  );
  return { context, result };
}

/** A source that knows the repository of each package it handed out (a RepositorySet). */
interface HandleMaker {
  variantHandle(definition: PackageDefinition, index: number | null): VariantHandle | undefined;
}

/** Each variant with the handle its repository makes for it, when the source can tell. */
function withHandles(variants: readonly ResolvedVariantInput[], source: object): readonly ResolvedVariantInput[] {
  const maker = typeof (source as Partial<HandleMaker>).variantHandle === "function" ? (source as HandleMaker) : undefined;
  if (!maker) return variants;
  return variants.map((v) => {
    const handle = maker.variantHandle(v.definition, v.index);
    return handle ? { ...v, handle } : v;
  });
}

/** Turns an .rxt handle back into the variant (a RepositorySet fits). */
export interface HandleResolver {
  variantFromHandle(handle: VariantHandle): Promise<HandledVariant | undefined>;
}

/** Finds the variants named by .rxt handles through the repositories that made them. */
export function repositoryVariantFinder(repositories: HandleResolver): VariantFinder {
  return async (handle: VariantHandle): Promise<ResolvedVariantInput | undefined> => {
    const found = await repositories.variantFromHandle(handle);
    if (found === undefined) return undefined;
    const { definition, index } = found;
    return { name: definition.name, version: definition.version, index, uri: `${definition.file}[${index ?? ""}]`, definition, handle };
  };
}

/** Reads and parses a .rxt file (no variant lookup); unreadable or malformed files are ContextFileErrors. */
export function readRxtFile(file: string): ReturnType<typeof parseRxt> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ContextFileError(`cannot read context file ${file}: ${fsErrorReason(e)}`);
  }
  return parseRxt(text, file);
}

/** Load a .rxt file: variants found again through `finder`. */
export async function loadContextFile(
  file: string,
  finder: VariantFinder,
  options: VariantLayoutOptions & { readonly reporter?: Pick<Reporter, "warn"> } = {},
): Promise<ResolvedContext> {
  return loadResolvedContext(readRxtFile(file), finder, { ...options, file });
}

/** A Rex runner whose Python worker starts on first use only (contexts without code never start Python). */
export interface LazyRexRunner {
  readonly runner: RexCodeRunner;
  /** The same worker pool (created on first use), e.g. for late-bound attributes during the resolve. */
  readonly pool: () => PythonWorkerPool;
  /** True once Python was started. */
  readonly started: boolean;
  close(): Promise<void>;
}

/** `reporter` takes what package commands print (default: nowhere). */
export function lazyRexRunner(python?: string, reporter: Pick<Reporter, "output" | "warn"> = silentReporter): LazyRexRunner {
  let pool: PythonWorkerPool | undefined;
  const get = (): PythonWorkerPool => (pool ??= new PythonWorkerPool({ maxWorkers: 1, reporter, ...(python ? { python } : {}) }));
  return {
    runner: (request) => poolRexRunner(get())(request),
    pool: get,
    get started() {
      return pool !== undefined;
    },
    // Not awaited: idle workers are unref'd, and waiting on an unref'd process lets Node end early.
    close: () => {
      if (pool) void pool.close();
      return Promise.resolve();
    },
  };
}

/**
 * The full environment after a context's actions: the parent's variables, minus those the context
 * unset, plus everything it set (expanded values, as Rez's Python interpreter computes them).
 */
export function environmentAfter(parent: Readonly<Record<string, string | undefined>>, response: RexResponse): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) if (v !== undefined) env[k] = v;
  for (const a of response.actions) if (a.type === "unsetenv" && !(a.key in response.environ)) delete env[a.key];
  Object.assign(env, response.environ);
  return env;
}

export interface InterpretCodeOptions {
  readonly parentEnviron: Readonly<Record<string, string>>;
  readonly parentVariables?: boolean | readonly string[];
  readonly pathsep?: string;
  readonly system?: RexNamespace;
  readonly runner: RexCodeRunner;
}

/** `pkg interpret FILE`: Rex code outside any package (Rez's bare RexExecutor), as actions. */
export async function interpretRexCode(source: string, file: string, options: InterpretCodeOptions): Promise<RexResponse> {
  const request: RexRequest = {
    parent_environ: options.parentEnviron,
    parent_variables: options.parentVariables ?? [],
    env_var_separators: DEFAULT_ENV_VAR_SEPARATORS,
    pathsep: options.pathsep ?? (process.platform === "win32" ? ";" : ":"),
    shebang: false,
    bindings: { system: options.system ?? systemBinding() },
    steps: [{ op: "code", attr: "commands", package: null, source, file, line: 1 }],
  };
  return runRex(request, options.runner);
}

/** An app to launch (`pkg run`): a pkg-rs App, or a Rez tool of the package. */
export interface ContextApp {
  readonly name: string;
  readonly packageName: string;
  /** Executable (may hold `{TOKEN}` / `$VAR`); null: the app name on PATH. */
  readonly path: string | null;
  readonly args: readonly string[];
  readonly cwd: string | null;
  /** pkg-rs env the app wants; null: the default env. */
  readonly envName: string | null;
}

export class AppNotFoundError extends PkgError {
  override readonly name = "AppNotFoundError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0021", message, options);
  }
}

/** The app `app` (or the default one) of the package `request` names, in a resolved context. */
export function contextApp(ctx: ResolvedContext, request: string, app?: string): ContextApp {
  let name = request;
  try {
    name = Requirement.parse(request).name;
  } catch {
    const at = request.indexOf("@");
    if (at > 0) name = request.slice(0, at);
  }
  const variant = ctx.variants.find((v) => v.name === name);
  if (variant === undefined) throw new AppNotFoundError(`package '${name}' is not in the resolve`);
  const apps = variant.definition.pkgrs?.apps ?? [];
  const tools = variant.definition.attributes.tools;
  const toolNames = Array.isArray(tools) ? tools.filter((t): t is string => typeof t === "string") : [];
  if (apps.length > 0) {
    const chosen = app === undefined ? (apps.find((a) => a.name === name) ?? apps[0]!) : apps.find((a) => a.name === app);
    if (chosen !== undefined) {
      return { name: chosen.name, packageName: name, path: chosen.path, args: chosen.args, cwd: chosen.cwd, envName: chosen.env_name };
    }
  }
  const tool = app === undefined ? (toolNames.includes(name) ? name : toolNames[0]) : toolNames.includes(app) ? app : undefined;
  if (tool !== undefined) return { name: tool, packageName: name, path: null, args: [], cwd: null, envName: null };
  const known = [...apps.map((a) => a.name), ...toolNames];
  throw new AppNotFoundError(
    app === undefined
      ? `package '${name}' has no apps or tools`
      : `package '${name}' has no app or tool '${app}'${known.length ? ` (it has: ${known.join(", ")})` : ""}`,
  );
}

/** `{TOKEN}` (pkg-rs, case-insensitive) and `$VAR` / `${VAR}` from the context's environment. */
export function expandAppValue(value: string, env: Readonly<Record<string, string>>): string {
  const lower = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]));
  return value
    .replace(/\{([A-Za-z0-9_]+)\}/g, (m, k: string) => env[k] ?? lower.get(k.toLowerCase()) ?? m)
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? m);
}
