// `@late` requirement attributes evaluated in context during a resolve, as Rez does: its solver calls
// `package.set_context(context)` on every package it loads, so a late `requires` sees `in_context()` True
// and the pre-resolve bindings (system, building, testing, request, implicits, ephemerals, intersects).
// Evaluation happens in the Python worker (rex.py `evaluate_late`, the same code that serves Rex's `this`);
// Python starts only when a package in the resolve actually has such an attribute.

import { dirname } from "node:path";
import type { PkgErrorOptions } from "../errors/index.js";
import type { PackageDefinition, PackageValue, SourceCode } from "../package/index.js";
import { PythonWorkerPool } from "../python/index.js";
import { silentReporter } from "../report/index.js";
import type { Reporter } from "../report/index.js";
import type { WorkerRequest, WorkerRequestOptions, WorkerResponse } from "../python/index.js";
import type { RexNamespace } from "../rex/index.js";
import { ResolveError } from "../solver/index.js";
import type { LateAttributeEvaluator, PackageFamilySource } from "../solver/index.js";
import { parseRequirement } from "../version/index.js";

/** Attributes Rez validates with `late_requires_schema` (the only late ones a resolve reads). */
export const LATE_REQUIREMENT_ATTRIBUTES: readonly string[] = ["requires", "build_requires", "private_build_requires"];

/** A late function that raised, returned something other than requirement strings, or could not run. */
export class LateBindingError extends ResolveError {
  override name = "LateBindingError";
  constructor(message: string, options?: PkgErrorOptions) {
    super(message, options, "PKG0011");
  }
}

/** What the evaluator needs of the worker pool (a PythonWorkerPool fits; `signal` gives a request up, see there). */
export interface LatePythonPool {
  request(req: WorkerRequest, options?: WorkerRequestOptions): Promise<WorkerResponse>;
}

export interface LateEvaluatorOptions {
  /** The worker pool, or a function giving it on first use (so no Python starts unless needed). */
  readonly pool: LatePythonPool | (() => LatePythonPool);
  /** The user's request (the `request` binding; implicit packages not included). */
  readonly request: readonly string[];
  /** The `implicits` binding. */
  readonly implicits?: readonly string[];
  /** A build resolve (`-b`): the `building` binding, and late `build_requires` are evaluated. */
  readonly building?: boolean;
  readonly testing?: boolean;
  /** The `system` binding (a function is called only when Python is needed). */
  readonly system: RexNamespace | (() => RexNamespace);
  /** When given, one round trip evaluates every late package of the family being loaded. */
  readonly source?: PackageFamilySource;
}

function isSourceCode(value: PackageValue | undefined): value is SourceCode {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === "source";
}

function isLateAttribute(def: PackageDefinition, attribute: string): boolean {
  const value = def.attributes[attribute];
  return isSourceCode(value) && value.late;
}

/** True when a package has a late-bound attribute a resolve would evaluate. */
export function hasLateRequirements(def: PackageDefinition): boolean {
  return LATE_REQUIREMENT_ATTRIBUTES.some((a) => isLateAttribute(def, a)) || isLateAttribute(def, "variants");
}

function qualifiedName(def: PackageDefinition): string {
  return def.version ? `${def.name}-${def.version}` : def.name;
}

interface LateErrorInfo {
  readonly exception: string;
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly traceback: string | null;
}

type Outcome = { readonly value: readonly string[] } | { readonly error: LateBindingError };

function at(file: string | null | undefined, line: number | null | undefined): string {
  return file ? (line ? `${file}:${line}` : file) : "<unknown file>";
}

function lateError(def: PackageDefinition, attribute: string, info: LateErrorInfo): LateBindingError {
  const code = def.attributes[attribute];
  const where = at(info.file ?? def.file, info.line ?? (isSourceCode(code) ? code.line : null));
  const head = `late-bound '${attribute}' of package ${qualifiedName(def)} (${where}): ${info.exception}: ${info.message}`;
  const tb = info.traceback?.trim();
  // A traceback through several frames helps; one frame only repeats the line above.
  const frames = tb ? (tb.match(/^\s*File "/gm) ?? []).length : 0;
  return new LateBindingError(frames > 1 ? `${head}\n${tb}` : head);
}

function parseErrorInfo(raw: unknown): LateErrorInfo {
  const e = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    exception: typeof e.exception === "string" ? e.exception : "Error",
    message: typeof e.message === "string" ? e.message : "unknown error",
    file: typeof e.file === "string" ? e.file : null,
    line: typeof e.line === "number" ? e.line : null,
    traceback: typeof e.traceback === "string" ? e.traceback : null,
  };
}

/** The strings Python returned, checked with pkg's own requirement parser (Rez's PackageRequest). */
function checkRequirements(def: PackageDefinition, attribute: string, raw: unknown): Outcome {
  const code = def.attributes[attribute];
  const line = isSourceCode(code) ? code.line : null;
  const fail = (message: string): Outcome => ({
    error: lateError(def, attribute, { exception: "LateBindingError", message, file: def.file, line, traceback: null }),
  });
  if (!Array.isArray(raw) || raw.some((r) => typeof r !== "string")) return fail("must return a list of requirement strings");
  for (const text of raw as string[]) {
    try {
      parseRequirement(text);
    } catch (e) {
      return fail(`returned an invalid requirement: ${(e as Error).message}`);
    }
  }
  return { value: raw as string[] };
}

/** The package as `this` sees it (Rez's Package wrapper: plain and late attributes, is_package True). */
function packageData(def: PackageDefinition, evaluate: readonly string[]): Record<string, unknown> {
  const qualified = qualifiedName(def);
  return {
    name: def.name,
    version: def.version,
    base: dirname(def.file),
    uri: def.file,
    index: null,
    qualified_name: qualified,
    qualified_package_name: qualified,
    attributes: def.attributes,
    evaluate,
  };
}

/**
 * An evaluator for the solver's `evaluateLate`: each late requirement attribute is evaluated once per
 * package (Rez caches the value per package wrapper) with `in_context()` True.
 *
 * Outside a build resolve, late `build_requires` / `private_build_requires` give [] without running:
 * Rez's solver reads them only when building. `variants` cannot be late-bound (Rez refuses it too).
 */
export function createLateEvaluator(options: LateEvaluatorOptions): LateAttributeEvaluator {
  const building = options.building ?? false;
  const batchAttributes = building ? ["requires", "build_requires"] : ["requires"];
  const outcomes = new WeakMap<PackageDefinition, Map<string, Promise<Outcome>>>();
  let bindings: Record<string, unknown> | undefined;

  const pool = (): LatePythonPool => (typeof options.pool === "function" ? options.pool() : options.pool);
  const contextBindings = (): Record<string, unknown> =>
    (bindings ??= {
      system: typeof options.system === "function" ? options.system() : options.system,
      building,
      testing: options.testing ?? false,
      request: [...options.request],
      implicits: [...(options.implicits ?? [])],
      // Rez binds the context's resolved ephemerals, which are none before the resolve.
      ephemerals: [],
    });

  const outcomesOf = (def: PackageDefinition): Map<string, Promise<Outcome>> => {
    let m = outcomes.get(def);
    if (m === undefined) outcomes.set(def, (m = new Map()));
    return m;
  };

  const outcomeOf = (def: PackageDefinition, attribute: string, index: number, r: WorkerResponse | Error): Outcome => {
    if (r instanceof Error) {
      return { error: lateError(def, attribute, { exception: "PythonUnavailable", message: `cannot run Python: ${r.message}`, file: null, line: null, traceback: null }) };
    }
    if (!r.ok) return { error: lateError(def, attribute, { exception: "WorkerError", message: r.error.message, file: null, line: r.error.line, traceback: r.error.traceback }) };
    const packages = (r.result as { packages?: unknown }).packages;
    const entry = (Array.isArray(packages) ? packages[index] : undefined) as { values?: Record<string, unknown>; errors?: Record<string, unknown> } | undefined;
    const error = entry?.errors?.[attribute];
    if (error !== undefined) return { error: lateError(def, attribute, parseErrorInfo(error)) };
    return checkRequirements(def, attribute, entry?.values?.[attribute]);
  };

  /**
   * Evaluates `attribute` of `def` together with the batch attributes of `def` and (when the source
   * can list it) of the rest of its family, in one round trip. Every outcome is registered before
   * any await, so concurrent asks share one evaluation.
   */
  const evaluateBatch = (def: PackageDefinition, attribute: string, signal: AbortSignal | undefined): void => {
    const jobs: { readonly def: PackageDefinition; readonly settle: Map<string, (o: Outcome) => void> }[] = [];
    const register = (member: PackageDefinition, attrs: readonly string[]): void => {
      const map = outcomesOf(member);
      const settle = new Map<string, (o: Outcome) => void>();
      for (const a of attrs) {
        if (map.has(a) || !isLateAttribute(member, a)) continue;
        map.set(a, new Promise<Outcome>((r) => settle.set(a, r)));
      }
      if (settle.size > 0) jobs.push({ def: member, settle });
    };
    register(def, [attribute, ...batchAttributes]);
    void (async () => {
      let response: WorkerResponse | Error;
      try {
        let family: readonly PackageDefinition[] | undefined;
        try {
          family = options.source ? await options.source.getFamily(def.name) : undefined;
        } catch {
          family = undefined; // the solver reports a family that cannot load; this package still evaluates
        }
        if (family?.includes(def)) for (const member of family) if (member !== def) register(member, batchAttributes);
        response = await pool().request(
          { op: "late", bindings: contextBindings(), packages: jobs.map((j) => packageData(j.def, [...j.settle.keys()])) },
          signal ? { signal } : {},
        );
      } catch (e) {
        response = e instanceof Error ? e : new Error(String(e));
      }
      if (signal?.aborted) {
        // given up (the resolve's time limit): nothing is known, so a later ask evaluates again
        const reason: unknown = signal.reason;
        const error = new LateBindingError(`late-bound '${attribute}' of package ${qualifiedName(def)}: not evaluated (${reason instanceof Error ? reason.message : "given up"})`);
        for (const job of jobs) {
          const map = outcomesOf(job.def);
          for (const [a, settle] of job.settle) {
            map.delete(a);
            settle({ error });
          }
        }
        return;
      }
      jobs.forEach((job, i) => {
        for (const [a, settle] of job.settle) settle(outcomeOf(job.def, a, i, response));
      });
    })();
  };

  return async (def: PackageDefinition, attribute: string, signal?: AbortSignal): Promise<PackageValue> => {
    const code = def.attributes[attribute];
    if (attribute === "variants") {
      throw lateError(def, attribute, {
        exception: "LateBindingError",
        message: "'variants' cannot be late-bound (Rez does not allow it either); write the list as data",
        file: def.file,
        line: isSourceCode(code) ? code.line : null,
        traceback: null,
      });
    }
    if (!LATE_REQUIREMENT_ATTRIBUTES.includes(attribute)) {
      throw lateError(def, attribute, { exception: "LateBindingError", message: "is not an attribute a resolve evaluates", file: def.file, line: null, traceback: null });
    }
    if (!isLateAttribute(def, attribute)) return code ?? null;
    if (!building && attribute !== "requires") return [];

    if (!outcomes.get(def)?.has(attribute)) evaluateBatch(def, attribute, signal);
    const result = await outcomes.get(def)!.get(attribute)!;
    if ("error" in result) throw result.error;
    return result.value;
  };
}

/** A worker pool created on first use only. */
export interface LazyPythonPool {
  /** The pool (created now if it was not yet). */
  readonly get: () => PythonWorkerPool;
  /** True once Python was asked for. */
  readonly started: boolean;
  close(): Promise<void>;
}

/** `reporter` takes what package code prints (default: nowhere). */
export function lazyPythonPool(python?: string, reporter: Pick<Reporter, "output" | "warn"> = silentReporter): LazyPythonPool {
  let pool: PythonWorkerPool | undefined;
  return {
    get: () => (pool ??= new PythonWorkerPool({ maxWorkers: 1, reporter, ...(python ? { python } : {}) })),
    get started() {
      return pool !== undefined;
    },
    close: async () => {
      if (pool) await pool.close();
    },
  };
}

/**
 * A `@late` attribute evaluated outside a context, as Rez reads one from a package it did not resolve
 * (rez-test's `package.tests`): `this` the package, `in_context()` False, no other bindings.
 * The worker's answer is the value as data; an exception the function raised is a LateBindingError.
 */
export async function evaluateLateOutOfContext(def: PackageDefinition, attribute: string, pool: LatePythonPool): Promise<PackageValue> {
  let response: WorkerResponse;
  try {
    response = await pool.request({ op: "late", in_context: false, bindings: {}, packages: [packageData(def, [attribute])] });
  } catch (e) {
    throw lateError(def, attribute, { exception: "PythonUnavailable", message: `cannot run Python: ${(e as Error).message}`, file: null, line: null, traceback: null });
  }
  if (!response.ok) throw lateError(def, attribute, { exception: "WorkerError", message: response.error.message, file: null, line: response.error.line, traceback: response.error.traceback });
  const packages = (response.result as { packages?: unknown }).packages;
  const entry = (Array.isArray(packages) ? packages[0] : undefined) as { values?: Record<string, PackageValue>; errors?: Record<string, unknown> } | undefined;
  const error = entry?.errors?.[attribute];
  if (error !== undefined) throw lateError(def, attribute, parseErrorInfo(error));
  return entry?.values?.[attribute] ?? null;
}
