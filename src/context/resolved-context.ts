// ResolvedContext: the result of a resolve plus what Rez records with it (.rxt fields).

import { PKG_VERSION } from "../meta/index.js";
import { hostname, userInfo, arch as osArch } from "node:os";
import type { PackageValue } from "../package/index.js";
import { pkgRsTools } from "../rex/index.js";
import { contextVariant } from "./variant.js";
import type { ContextVariant, ResolvedVariantInput, VariantLayoutOptions } from "./variant.js";

export type ContextStatus = "solved" | "failed" | "aborted";

export interface ResolvedContext {
  /** User request (no implicits), as written. */
  readonly requests: readonly string[];
  readonly implicitPackages: readonly string[];
  readonly variants: readonly ContextVariant[];
  /** Resolved ephemerals (`.name-range`). */
  readonly ephemerals: readonly string[];
  readonly packagePaths: readonly string[];
  readonly status: ContextStatus;
  readonly failureDescription: string | null;
  /** Epoch seconds: the requested time, else the resolve time. */
  readonly timestamp: number;
  readonly requestedTimestamp: number | null;
  readonly created: number;
  readonly building: boolean;
  readonly testing: boolean;
  readonly caching: boolean;
  readonly appendSysPath: boolean;
  readonly packageCaching: boolean;
  readonly packageCacheAsync: boolean;
  /** PackageFilterList pod and orderer pods, kept as Rez writes them. */
  readonly packageFilter: readonly unknown[];
  readonly packageOrderers: readonly unknown[] | null;
  readonly defaultPatchLock: string;
  readonly patchLocks: Readonly<Record<string, string>>;
  readonly rezVersion: string;
  readonly rezPath: string;
  /** The tool that resolved it (`pkg 0.1.0`); null for a context Rez wrote. */
  readonly writtenBy: string | null;
  readonly user: string;
  readonly host: string;
  readonly platform: string;
  readonly arch: string;
  readonly os: string;
  readonly parentSuitePath: string | null;
  readonly suiteContextName: string | null;
  readonly fromCache: boolean;
  /** Seconds. */
  readonly solveTime: number;
  readonly loadTime: number;
  readonly numLoadedPackages: number;
  /** Compacted resolve graph (Rez `write_compacted`), or null to generate one on write. */
  readonly graph: string | null;
}

/** What `resolve()` from src/solver returns, in the parts the context needs. */
export interface SolverResultInput {
  readonly status: string;
  readonly variants: readonly ResolvedVariantInput[];
  readonly ephemerals: readonly string[];
  readonly failureDescription: string | null;
  /** Milliseconds. */
  readonly solveTime?: number;
  /** The resolve graph in Rez's compacted form (see graph/), when the solver drew one; a function: drawn when first read. */
  readonly graph?: string | null | (() => string | null);
}

export interface ContextCreateOptions extends VariantLayoutOptions {
  readonly requests: readonly string[];
  readonly implicitPackages?: readonly string[];
  readonly packagePaths: readonly string[];
  readonly timestamp?: number | null;
  readonly building?: boolean;
  readonly testing?: boolean;
  readonly caching?: boolean;
  readonly appendSysPath?: boolean;
  /** Whether environments of the context use the payload cache (Rez's package_caching, kept in the .rxt). */
  readonly packageCaching?: boolean;
  readonly packageFilter?: readonly unknown[];
  readonly packageOrderers?: readonly unknown[] | null;
  /** Written as rez_version / REZ_USED_VERSION (the Rez version pkg behaves as). */
  readonly rezVersion?: string;
  readonly rezPath?: string;
  readonly platform?: string;
  readonly os?: string;
  readonly numLoadedPackages?: number;
  readonly now?: number;
}

export const DEFAULT_REZ_VERSION = "3.4.0";

function rezPlatform(): string {
  return process.platform === "win32" ? "windows" : process.platform === "darwin" ? "osx" : process.platform;
}

function rezArch(): string {
  const a = osArch();
  return a === "x64" ? "x86_64" : a === "arm64" ? (process.platform === "darwin" ? "arm64" : "aarch64") : a;
}

/** Build a context from a solver result (variants in resolve order). */
export function createResolvedContext(result: SolverResultInput, options: ContextCreateOptions): ResolvedContext {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const status: ContextStatus = result.status === "solved" ? "solved" : result.status === "aborted" ? "aborted" : "failed";
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  const context: ResolvedContext = {
    requests: [...options.requests],
    implicitPackages: [...(options.implicitPackages ?? [])],
    variants: status === "solved" ? result.variants.map((v) => contextVariant(v, options)) : [],
    ephemerals: status === "solved" ? [...result.ephemerals] : [],
    packagePaths: [...options.packagePaths],
    status,
    failureDescription: result.failureDescription,
    timestamp: options.timestamp ?? now,
    requestedTimestamp: options.timestamp ?? null,
    created: now,
    building: options.building ?? false,
    testing: options.testing ?? false,
    caching: options.caching ?? false,
    appendSysPath: options.appendSysPath ?? true,
    packageCaching: options.packageCaching ?? true,
    packageCacheAsync: true,
    packageFilter: [...(options.packageFilter ?? [])],
    packageOrderers: options.packageOrderers ?? null,
    defaultPatchLock: "no_lock",
    patchLocks: {},
    rezVersion: options.rezVersion ?? DEFAULT_REZ_VERSION,
    rezPath: options.rezPath ?? "",
    writtenBy: `pkg ${PKG_VERSION}`,
    user,
    host: hostname(),
    platform: options.platform ?? rezPlatform(),
    arch: rezArch(),
    os: options.os ?? rezPlatform(),
    parentSuitePath: null,
    suiteContextName: null,
    fromCache: false,
    solveTime: (result.solveTime ?? 0) / 1000,
    loadTime: 0,
    numLoadedPackages: options.numLoadedPackages ?? result.variants.length,
    graph: null,
  };
  const graph = result.graph;
  if (typeof graph !== "function") return { ...context, graph: graph ?? null };
  let drawn: string | null | undefined;
  return Object.defineProperty(context, "graph", { get: () => (drawn === undefined ? (drawn = graph()) : drawn), enumerable: true, configurable: true });
}

export interface ContextTools {
  /** Package name → its tools (Rez `tools` attribute; pkg-rs apps). */
  readonly byPackage: ReadonlyMap<string, { readonly variant: ContextVariant; readonly tools: readonly string[] }>;
  /** Tools provided by more than one package (Rez: "tool conflicts"). */
  readonly conflicts: ReadonlyMap<string, readonly string[]>;
}

function toolsOf(v: ContextVariant): string[] {
  const t: PackageValue | undefined = v.definition.attributes.tools;
  const own = Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
  return v.definition.pkgrs !== undefined ? [...own, ...pkgRsTools(v.definition.pkgrs).filter((x) => !own.includes(x))] : own;
}

/** Rez `get_tools` (+ conflicts); `requestOnly` keeps packages named in the request. */
export function contextTools(ctx: ResolvedContext, requestOnly = false): ContextTools {
  const requested = new Set(ctx.requests.map((r) => r.replace(/^[!~]/, "").split(/[-@#=<>]/)[0]));
  const byPackage = new Map<string, { variant: ContextVariant; tools: string[] }>();
  const providers = new Map<string, string[]>();
  for (const v of ctx.variants) {
    if (requestOnly && !requested.has(v.name)) continue;
    const tools = toolsOf(v);
    if (tools.length === 0) continue;
    byPackage.set(v.name, { variant: v, tools });
    for (const tool of tools) providers.set(tool, [...(providers.get(tool) ?? []), v.name]);
  }
  const conflicts = new Map([...providers].filter(([, names]) => names.length > 1));
  return { byPackage, conflicts };
}

/** Which package provides a tool (Rez `get_tool_variants`); several means a conflict. */
export function toolProviders(ctx: ResolvedContext, tool: string): ContextVariant[] {
  return ctx.variants.filter((v) => toolsOf(v).includes(tool));
}
