// Public entry point: resolve a request against a package source, Rez-identically.
import { PkgError, asPkgError } from "../errors/index.js";
import type { PackageDefinition } from "../package/index.js";
import { silentReporter } from "../report/index.js";
import type { Reporter } from "../report/index.js";
import { describeFailure, type FailureReason } from "./failures.js";
import { PackageFilterList, TimestampRule, type PackageFilterPod } from "./filters.js";
import type { Digraph } from "../graph/index.js";
import { resolveGraphDot } from "../graph/index.js";
import { explainFailure, phaseGraph } from "./explain.js";
import { PackageOrderList, type OrdererPod } from "./orderers.js";
import { Solver } from "./solver.js";
import { closeNames, didYouMean } from "./hints.js";
import { PackageFamilyNotFoundError, ResolveError, type LateAttributeEvaluator, type PackageFamilySource, type VariantSelectMode } from "./source.js";
import { FamilyStore } from "./store.js";
import { parseRequirement, VersionError, type Requirement } from "../version/index.js";

export interface ResolveOptions {
  /** A package source, or a FamilyStore shared between resolves (keeps loaded families warm). */
  readonly source: PackageFamilySource | FamilyStore;
  /** Include `build_requires` of every variant. */
  readonly building?: boolean;
  readonly variantSelectMode?: VariantSelectMode;
  readonly orderers?: readonly OrdererPod[] | PackageOrderList;
  readonly filter?: readonly PackageFilterPod[] | PackageFilterList | null;
  /** Epoch seconds: packages released after this are invisible (untimestamped ones stay). */
  readonly timestamp?: number;
  /** Appended to the request (Rez `implicit_packages`), when addImplicitPackages is not false. */
  readonly implicitPackages?: readonly string[];
  readonly addImplicitPackages?: boolean;
  /** Default true, as Rez. */
  readonly errorOnMissingVariantRequires?: boolean;
  /** Stop after this many failed phases (-1 = no limit). */
  readonly maxFails?: number;
  /** Seconds (-1 = no limit). */
  readonly timeLimit?: number;
  /** Only for testing: the unoptimised solver (same results, slower). */
  readonly optimised?: boolean;
  readonly evaluateLate?: LateAttributeEvaluator;
  /** Where warnings (missing variant requirements when not an error) and PKG_SOLVER_TRACE lines go; default: nowhere. */
  readonly reporter?: Pick<Reporter, "warn" | "debug">;
  /** Takes the reporter's warnings instead (for callers that only silence or collect them). */
  readonly warn?: (message: string) => void;
}

export interface ResolvedVariant {
  readonly name: string;
  readonly version: string;
  readonly index: number | null;
  /** `<package file>[<index>]`, empty brackets for a package without variants. */
  readonly uri: string;
  readonly definition: PackageDefinition;
}

export type ResolveStatus = "solved" | "failed" | "aborted" | "error";

export interface ResolveResult {
  readonly status: ResolveStatus;
  /** The merged request (incl. implicit packages), as strings. */
  readonly request: readonly string[];
  /** Resolved variants in Rez's resolve order; empty unless solved. */
  readonly variants: readonly ResolvedVariant[];
  /** Non-conflict ephemerals (`.name-range`), in scope order. */
  readonly ephemerals: readonly string[];
  /** Rez's failure description (failed), abort reason (aborted) or error message (error). */
  readonly failureDescription: string | null;
  readonly failureReason: FailureReason | null;
  /** Numbered plain-words steps from the request to the failure, and a hint (failed only; a note instead when the time limit ran out first). */
  readonly explanation: string | null;
  /** The failure graph as Graphviz DOT, as Rez's write_dot (failed only; null when the time limit ran out first). */
  readonly failureGraph: string | null;
  /**
   * The resolve graph (Rez's solver graph: requests, resolved variants, conflicts), drawn when first read:
   * solved and failed resolves (null when a failure's time limit ran out first), null otherwise.
   */
  readonly graph?: Digraph | null;
  /** The same graph in Rez's compacted form, when that is how it was kept (a resolve read from the resolve cache). */
  readonly compactedGraph?: string;
  /** Error class name for status "error" (PackageFamilyNotFoundError, PackageNotFoundError, ResolveError, VersionError). */
  readonly errorType: string | null;
  /** For status "error": the error itself, with its code (absent otherwise). */
  readonly error?: PkgError;
  readonly solveCount: number;
  readonly failCount: number;
  /** Milliseconds. */
  readonly solveTime: number;
}

function toOrderers(o: ResolveOptions["orderers"]): PackageOrderList {
  if (!o) return new PackageOrderList();
  if (o instanceof PackageOrderList) return o;
  return PackageOrderList.fromPods(o);
}

function toFilter(f: ResolveOptions["filter"], timestamp: number | undefined): PackageFilterList | null {
  let list: PackageFilterList | null = null;
  if (f instanceof PackageFilterList) list = f;
  else if (f) list = PackageFilterList.fromPod(f);
  if (timestamp) {
    list = list ? list.copy() : new PackageFilterList();
    list.addExclusion(TimestampRule.after(timestamp));
  }
  return list && !list.isEmpty ? list : null;
}

/** Resolve `request` (package request strings) as Rez would. Never throws for resolve problems. */
export async function resolve(request: readonly string[], options: ResolveOptions): Promise<ResolveResult> {
  const t0 = performance.now();
  const store = options.source instanceof FamilyStore ? options.source : new FamilyStore(options.source, options.evaluateLate);
  const strings = [...request];
  if (options.addImplicitPackages !== false && options.implicitPackages) strings.push(...options.implicitPackages);

  const base = {
    variants: [] as ResolvedVariant[],
    ephemerals: [] as string[],
    failureReason: null,
    explanation: null,
    failureGraph: null,
    graph: null,
  };

  let requests: Requirement[];
  try {
    requests = strings.map((s) => parseRequirement(s));
  } catch (e) {
    return {
      ...base,
      status: "error",
      request: strings,
      failureDescription: (e as Error).message,
      errorType: e instanceof VersionError ? "VersionError" : "ResolveError",
      error: requestError(e),
      solveCount: 0,
      failCount: 0,
      solveTime: performance.now() - t0,
    };
  }

  const reporter = options.reporter ?? silentReporter;
  const solver = new Solver(requests, store, {
    building: options.building ?? false,
    variantSelectMode: options.variantSelectMode ?? "version_priority",
    orderers: toOrderers(options.orderers),
    filter: toFilter(options.filter, options.timestamp),
    errorOnMissingVariantRequires: options.errorOnMissingVariantRequires ?? true,
    optimised: options.optimised ?? true,
    maxFails: options.maxFails ?? -1,
    timeLimit: options.timeLimit ?? -1,
    warn: options.warn ?? ((m) => reporter.warn(m)),
    // a debug hook: the caller's reporter decides where the trace goes
    ...(process.env["PKG_SOLVER_TRACE"] ? { trace: (l: string) => reporter.debug(l) } : {}),
  });
  const mergedRequest = solver.requestList.conflict ? strings : solver.requestList.requirements.map((r) => r.toString());

  try {
    await solver.solve();
  } catch (e) {
    if (e instanceof ResolveError || e instanceof VersionError) {
      return {
        ...base,
        status: "error",
        request: mergedRequest,
        failureDescription: e.message,
        errorType: e instanceof VersionError ? "VersionError" : e.name,
        // the request parsed above: a version error here comes from a package's data
        error: e instanceof PackageFamilyNotFoundError ? await explainMissingFamily(e, options.source) : e instanceof ResolveError ? e : new ResolveError(e.message, { cause: e }),
        solveCount: solver.solveCount,
        failCount: safeFails(solver),
        solveTime: performance.now() - t0,
      };
    }
    throw e;
  }

  const common = {
    request: mergedRequest,
    solveCount: solver.solveCount,
    failCount: solver.numFails,
    errorType: null,
  };
  const status = solver.status;
  if (status === "solved") {
    const variants = solver.resolvedVariants!.map(
      (v): ResolvedVariant => ({
        name: v.name,
        version: v.version.toString(),
        index: v.index,
        uri: v.uri,
        definition: v.pkg.definition,
      }),
    );
    const phase = solver.phaseStack[solver.phaseStack.length - 1];
    let drawn: Digraph | undefined;
    return withGraph({
      ...base,
      ...common,
      status: "solved",
      variants,
      ephemerals: solver.resolvedEphemerals!.map((r) => r.toString()),
      failureDescription: null,
      solveTime: performance.now() - t0,
    }, () => (phase ? (drawn ??= phaseGraph(solver, phase)) : null));
  }
  if (status === "unsolved") {
    return {
      ...base,
      ...common,
      status: "aborted",
      failureDescription: solver.abortReason,
      solveTime: performance.now() - t0,
    };
  }
  const failed = solver.failedPhase()!;
  let description = describeFailure(failed.phase.failureReason);
  if (failed.description === "\u0000" && solver.abortReason) description = `${solver.abortReason}:\n${description}`;
  // Worked out when first read: most callers of a failed resolve (a benchmark, a script checking the status)
  // never look at them. The time limit's remainder at the end of the solve bounds them, from that read on.
  const remaining = solver.deadline - Date.now();
  let explained: ReturnType<typeof explainFailure> | undefined;
  const explain = (): ReturnType<typeof explainFailure> =>
    (explained ??= explainFailure(solver, failed.phase, !Number.isFinite(remaining) ? Infinity : remaining > 0 ? Date.now() + remaining : 0, requests));
  return withGraph({
    ...base,
    ...common,
    status: "failed",
    failureDescription: description,
    failureReason: failed.phase.failureReason,
    get explanation() {
      return explain().explanation;
    },
    get failureGraph() {
      const graph = explain().graph;
      return graph ? resolveGraphDot(graph) : null;
    },
    solveTime: performance.now() - t0,
  }, () => explain().graph);
}

/**
 * The result with its graph drawn when first read, kept out of copies and JSON (a stored resolve has none:
 * read `graph ?? null`).
 */
function withGraph(result: ResolveResult, draw: () => Digraph | null): ResolveResult {
  return Object.defineProperty(result, "graph", { get: draw, enumerable: false, configurable: true });
}

/**
 * A family that is not found, said better where the source can tell more: a family folder with nothing
 * loadable in it says so, and a mistyped name gets "did you mean …?" as its hint.
 */
async function explainMissingFamily(error: PackageFamilyNotFoundError, given: PackageFamilySource | FamilyStore): Promise<PackageFamilyNotFoundError> {
  const source = given instanceof FamilyStore ? given.source : given;
  const family = error.family;
  if (family === undefined || error.hint !== undefined) return error;
  try {
    const loaded = await source.getFamily(family);
    if (loaded !== undefined && loaded.length === 0) {
      return new PackageFamilyNotFoundError(
        `no version of ${family} could be loaded: every package file of it failed to load, or it has none (searched: ${source.searchedPaths.join("; ")})`,
        { hint: "fix the package files the warnings name (pkg scan lists every broken file)", cause: error },
        family,
      );
    }
    if (!source.familyNames) return error;
    const hint = didYouMean(closeNames(family, await source.familyNames()));
    return hint ? new PackageFamilyNotFoundError(error.message, { hint, cause: error.cause }, family) : error;
  } catch {
    return error;
  }
}

/** A request that does not parse is bad input: the version module's errors carry no code of their own. */
function requestError(e: unknown): PkgError {
  return asPkgError(e) ?? new PkgError("PKG0004", e instanceof Error ? e.message : String(e), { cause: e });
}

function safeFails(solver: Solver): number {
  try {
    return solver.numFails;
  } catch {
    return 0;
  }
}
