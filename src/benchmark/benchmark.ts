// Rez's `rez-benchmark`, reproduced: resolve each request of a list (implicit packages off) and record
// results in Rez's resolves.json / summary.json format, so result folders of pkg and Rez compare directly.
import { relative, sep } from "node:path";
import { PkgError, type PkgErrorOptions } from "../errors/index.js";
import { FamilyStore, resolve } from "../solver/index.js";
import type { LateAttributeEvaluator, PackageFamilySource, ResolveResult } from "../solver/index.js";

export type BenchmarkStatus = "success" | "failed" | "error";

/** One entry of resolves.json, as Rez writes it. */
export interface BenchmarkResolve {
  readonly request: readonly string[];
  readonly status: BenchmarkStatus;
  /** Seconds. */
  readonly resolve_time: number;
  /** `<family>/<version>/package.py[<index>]`, relative to the repository, in resolve order. */
  readonly resolved_packages: readonly string[];
}

export interface BenchmarkSummary {
  readonly total_run_time: number;
  readonly num_success_resolves: number;
  readonly num_failed_resolves: number;
  readonly num_error_resolves: number;
  readonly rez_version: string;
  readonly rez_solver_version: number;
  readonly py_version: string;
  readonly platform: string;
  readonly num_cpu: number;
  readonly cpu: string;
  readonly median: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly stddev: number;
}

export interface RunBenchmarkOptions {
  readonly source: PackageFamilySource;
  /** Repository root the variant URIs are made relative to. */
  readonly repositoryRoot: string;
  /** Resolve every request this many times; the recorded time is the fastest (default 1). */
  readonly iterations?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Evaluates `@late` attributes for one request (late functions see the request, so they are per resolve). */
  readonly lateEvaluator?: (request: readonly string[]) => LateAttributeEvaluator;
  /**
   * Time each request in a new store of its own (what a fresh process pays to solve, once its package
   * files are read): the source's families are loaded beforehand, but no store's facts are. By default
   * every family is loaded into one shared store before the first request is timed, as rez-benchmark does.
   */
  readonly cold?: boolean;
}

function benchmarkStatus(result: ResolveResult): BenchmarkStatus {
  if (result.status === "solved") return "success";
  return result.status === "error" ? "error" : "failed";
}

/** `<repo>/foo/1.0/package.py[0]` → `foo/1.0/package.py[0]` (always with forward slashes, as Rez writes them). */
export function relativeVariantUri(uri: string, repositoryRoot: string): string {
  const rel = relative(repositoryRoot, uri);
  return sep === "/" ? rel : rel.split(sep).join("/");
}

export async function runBenchmark(requests: readonly (readonly string[])[], options: RunBenchmarkOptions): Promise<BenchmarkResolve[]> {
  let late: LateAttributeEvaluator | undefined;
  let lateSeen = false;
  // Loaded families stay warm across requests until a late attribute shows up: its value may depend on the
  // request, so from then on every request gets a store of its own.
  const shared = new FamilyStore(
    options.source,
    options.lateEvaluator
      ? (def, attribute) => {
          lateSeen = true;
          return late!(def, attribute);
        }
      : undefined,
  );
  // Every family loaded before timing (rez-benchmark's times do not include loading either). A family that
  // fails to load fails again, and so counts, in the requests that touch it.
  const names = (await options.source.familyNames?.()) ?? [];
  late = options.lateEvaluator?.([]);
  for (const name of names) {
    if (options.cold) await Promise.resolve(options.source.getFamily(name)).catch(() => undefined);
    else await shared.ensure([name]).catch(() => undefined);
  }
  const iterations = Math.max(1, options.iterations ?? 1);
  const out: BenchmarkResolve[] = [];
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i]!;
    late = options.lateEvaluator?.(request);
    let store = lateSeen && late ? new FamilyStore(options.source, late) : shared;
    let best = Infinity;
    let last: ResolveResult | undefined;
    for (let n = 0; n < iterations; n++) {
      // (cold: every iteration in a new store, so each one times a first solve)
      if (options.cold) store = new FamilyStore(options.source, late);
      last = await resolve(request, { source: store, addImplicitPackages: false, warn: () => {} });
      best = Math.min(best, last.solveTime / 1000);
    }
    const result = last!;
    out.push({
      request: [...request],
      status: benchmarkStatus(result),
      resolve_time: best,
      resolved_packages: result.status === "solved" ? result.variants.map((v) => relativeVariantUri(v.uri, options.repositoryRoot)) : [],
    });
    options.onProgress?.(i + 1, requests.length);
  }
  return out;
}

export interface Statistics {
  readonly median: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly stddev: number;
}

export function statistics(values: readonly number[]): Statistics {
  if (values.length === 0) return { median: 0, mean: 0, min: 0, max: 0, stddev: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  // sample standard deviation, as Python's statistics.stdev
  const variance = sorted.length > 1 ? sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / (sorted.length - 1) : 0;
  return { median, mean, min: sorted[0]!, max: sorted[sorted.length - 1]!, stddev: Math.sqrt(variance) };
}

export interface MachineFacts {
  readonly pkgVersion: string;
  readonly runtimeVersion: string;
  readonly platform: string;
  readonly numCpu: number;
  readonly cpu: string;
}

export function summarize(resolves: readonly BenchmarkResolve[], totalRunTime: number, machine: MachineFacts): BenchmarkSummary {
  const count = (s: BenchmarkStatus) => resolves.filter((r) => r.status === s).length;
  return {
    total_run_time: totalRunTime,
    // Rez counts every timed resolve here (failed ones too); we count the successes.
    num_success_resolves: count("success"),
    num_failed_resolves: count("failed"),
    num_error_resolves: count("error"),
    rez_version: `pkg ${machine.pkgVersion}`,
    rez_solver_version: 2,
    py_version: machine.runtimeVersion,
    platform: machine.platform,
    num_cpu: machine.numCpu,
    cpu: machine.cpu,
    ...statistics(resolves.map((r) => r.resolve_time)),
  };
}

export interface BenchmarkDifference {
  readonly index: number;
  readonly request: readonly string[];
  readonly ours: Pick<BenchmarkResolve, "status" | "resolved_packages"> | null;
  readonly theirs: Pick<BenchmarkResolve, "status" | "resolved_packages"> | null;
}

/** Requests whose status or resolved packages differ between two result lists (matched by position). */
export function compareResolves(ours: readonly BenchmarkResolve[], theirs: readonly Pick<BenchmarkResolve, "request" | "status" | "resolved_packages">[]): BenchmarkDifference[] {
  const differences: BenchmarkDifference[] = [];
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    const same =
      a !== undefined &&
      b !== undefined &&
      a.status === b.status &&
      a.resolved_packages.length === b.resolved_packages.length &&
      a.resolved_packages.every((p, j) => p === b.resolved_packages[j]);
    if (!same) {
      differences.push({
        index: i,
        request: (a ?? b)!.request,
        ours: a ? { status: a.status, resolved_packages: a.resolved_packages } : null,
        theirs: b ? { status: b.status, resolved_packages: b.resolved_packages } : null,
      });
    }
  }
  return differences;
}

export class BenchmarkInputError extends PkgError {
  override name = "BenchmarkInputError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0026", message, options);
  }
}

/** requests.json: a list of requests, each a list of request strings. */
export function parseRequestList(json: unknown, file: string): string[][] {
  if (!Array.isArray(json)) throw new BenchmarkInputError(`${file}: expected a JSON list of requests (lists of strings)`);
  return json.map((entry, i) => {
    if (!Array.isArray(entry) || !entry.every((s) => typeof s === "string")) {
      throw new BenchmarkInputError(`${file}: request #${i} is not a list of strings`);
    }
    return entry as string[];
  });
}

/** resolves.json of Rez or pkg (also Rez's expected_resolves.json). */
export function parseResolveList(json: unknown, file: string): BenchmarkResolve[] {
  if (!Array.isArray(json)) throw new BenchmarkInputError(`${file}: expected a JSON list of resolves`);
  return json.map((entry: unknown, i) => {
    const e = entry as Partial<Record<keyof BenchmarkResolve, unknown>> | null;
    const ok =
      e !== null &&
      typeof e === "object" &&
      Array.isArray(e.request) &&
      (e.status === "success" || e.status === "failed" || e.status === "error") &&
      Array.isArray(e.resolved_packages);
    if (!ok) throw new BenchmarkInputError(`${file}: entry #${i} needs "request", "status" (success|failed|error) and "resolved_packages"`);
    return {
      request: (e.request as unknown[]).map(String),
      status: e.status as BenchmarkStatus,
      resolve_time: typeof e.resolve_time === "number" ? e.resolve_time : 0,
      resolved_packages: (e.resolved_packages as unknown[]).map(String),
    };
  });
}
