// Loading package definitions: package.py through the TypeScript reader when it is pure data, through the
// Python worker pool otherwise; package.yaml; pkg-rs toolsets. Never throws for a broken file.

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import { PythonTimeoutError, PythonUnavailableError, PythonWorkerDiedError, PythonWorkerPool, workerFingerprint } from "../python/index.js";
import type { Reporter } from "../report/index.js";
import { parsePkgRsRequirement, parseRequirement } from "../version/index.js";
import { isSourceCode, normalisePackageAttributes, validatePackageAttributes } from "./attribute-schema.js";
import type { RequirementCheck } from "./attribute-schema.js";
import { DECLARATIVE_READER_VERSION, readDeclarativePython } from "./declarative-python.js";
import type { EvarAction, LoadWarning, PackageDefinition, PackageFormat, PackageValue, PkgRsApp, PkgRsData, PkgRsEnv, SourceCode } from "./definition.js";
import { readPackageYaml } from "./package-yaml.js";
import { readToolsets } from "./toolsets.js";

/** Bump when loading or validation changes what a file turns into (part of the cache key). */
export const LOADER_VERSION = "3";

export interface PackageIdentity {
  readonly name: string;
  readonly version: string;
}

export interface LoadResult {
  readonly definition?: PackageDefinition;
  readonly warnings: LoadWarning[];
  /**
   * The load failed for a reason that is not the file's own (unreadable now, a time limit, a dead worker,
   * no Python): the result must not be cached, so the next run tries again.
   */
  readonly transient?: boolean;
}

export interface ToolsetsLoadResult {
  readonly definitions: PackageDefinition[];
  readonly warnings: LoadWarning[];
}

export interface PackageLoaderOptions {
  /** python executable for files that need code execution; default $PKG_PYTHON or python3. */
  readonly python?: string;
  /** Python worker processes at most (default 2). */
  readonly maxWorkers?: number;
  /** Seconds one package.py may take in Python before it is given up and its worker replaced (default 10; 0: no limit). */
  readonly loadTimeout?: number;
  /** Where what package files print while they load goes (see PythonWorkerPoolOptions.reporter). */
  readonly reporter?: Pick<Reporter, "output" | "warn">;
}

export const DEFAULT_LOAD_TIMEOUT = 10;

/** What `@early` functions see (Rez's defaults: not building, variant 0, no variant requires). */
export interface EarlyBindings {
  readonly building?: boolean;
  readonly testing?: boolean;
  readonly build_variant_index?: number;
  /** The variant's requirement strings. */
  readonly build_variant_requires?: readonly string[];
}

export interface LoadOptions {
  /** Re-evaluation for a build (Rez `get_reevaluated`): only files with code can depend on them. */
  readonly earlyBindings?: EarlyBindings;
  /** The package is being built: a pkg-rs `Package` also gives its build fields (variants, build_command, ...). */
  readonly developer?: boolean;
}

export interface PackageLoader {
  /** Changes whenever the evaluator changes (worker source, reader, loader): part of the on-disk cache key. */
  readonly fingerprint: string;
  load(file: string, identity?: PackageIdentity, options?: LoadOptions): Promise<LoadResult>;
  /**
   * A declarative read (tryLoadDeclarative) checked as Rez's load of the whole file would check it: the syntax
   * of every function it keeps as source. Checks asked for in the same turn of the event loop go to Python as
   * one request. A function with a syntax error makes the package fail to load, with the file's line.
   */
  checkDeclarative(result: LoadResult): LoadResult | Promise<LoadResult>;
  loadToolsets(file: string): Promise<ToolsetsLoadResult>;
  /** Stops the Python workers, if any started. */
  close(): Promise<void>;
}

const checkRezRequirement: RequirementCheck = (text) => {
  parseRequirement(text);
};
const checkPkgRsRequirement: RequirementCheck = (text) => {
  parsePkgRsRequirement(text);
};

/** Evaluator fingerprint without starting anything. */
export function loaderFingerprint(): string {
  return createHash("sha256")
    .update(`${LOADER_VERSION}/${DECLARATIVE_READER_VERSION}/${workerFingerprint()}`)
    .digest("hex")
    .slice(0, 16);
}

/** Attributes → a definition, or warnings naming the file, line and reason. */
function finish(
  file: string,
  format: PackageFormat,
  attributes: { [key: string]: PackageValue },
  lines: { readonly [key: string]: number },
  identity: PackageIdentity | undefined,
  pkgrs?: PkgRsData,
  fallbackIdentity?: PackageIdentity,
): LoadResult {
  normalisePackageAttributes(attributes);
  const problems = validatePackageAttributes(attributes, format === "rez" ? checkRezRequirement : checkPkgRsRequirement);
  const warnings: LoadWarning[] = problems.map((p) => ({ file, line: lines[p.attribute], message: p.message }));
  const name = identity?.name ?? fallbackIdentity?.name ?? (typeof attributes.name === "string" ? attributes.name : undefined);
  const version = identity?.version ?? fallbackIdentity?.version ?? (typeof attributes.version === "string" ? attributes.version : "");
  if (name === undefined) warnings.push({ file, message: "the package has no 'name'" });
  if (warnings.length > 0 || name === undefined) return { warnings };
  const definition: PackageDefinition = pkgrs ? { name, version, format, file, attributes, pkgrs } : { name, version, format, file, attributes };
  return { definition, warnings };
}

/** The functions a definition keeps as source text (commands, @late attributes, preprocess), by attribute. */
export function keptSources(definition: PackageDefinition): [string, SourceCode][] {
  const out: [string, SourceCode][] = [];
  for (const [key, value] of Object.entries(definition.attributes)) if (isSourceCode(value) && value.source !== "") out.push([key, value]);
  return out;
}

/** One function's syntax problem, as the worker's check_syntax answers it. */
interface SyntaxProblem {
  readonly line: number | undefined;
  readonly message: string;
}

function parseSyntaxAnswer(raw: unknown, count: number): (SyntaxProblem | null)[] | undefined {
  if (!isObject(raw) || !Array.isArray(raw.errors) || raw.errors.length !== count) return undefined;
  const out: (SyntaxProblem | null)[] = [];
  for (const e of raw.errors) {
    if (e === null) out.push(null);
    else if (isObject(e) && typeof e.message === "string") out.push({ line: typeof e.line === "number" ? e.line : undefined, message: e.message });
    else return undefined;
  }
  return out;
}

interface SyntaxCheck {
  readonly sources: readonly [string, SourceCode][];
  readonly done: (answer: (SyntaxProblem | null)[] | undefined) => void;
}

/**
 * The synchronous fast path for package.py text that is pure data. Returns undefined when the file
 * needs Python (imports, expressions, @early, pkg-rs get_package, ...).
 */
export function tryLoadDeclarative(file: string, text: string, identity?: PackageIdentity): LoadResult | undefined {
  const read = readDeclarativePython(text, file);
  if (read.kind !== "ok") return undefined;
  return finish(file, "rez", read.attributes, read.lines, identity);
}

/** package.yaml text → definition (synchronous; YAML never needs Python). */
export function loadPackageYamlText(file: string, text: string, identity?: PackageIdentity): LoadResult {
  const read = readPackageYaml(text, file);
  if (read.kind !== "ok") return { warnings: [{ file, line: read.line, message: read.message }] };
  return finish(file, "rez", read.attributes, read.lines, identity);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const EVAR_ACTIONS: ReadonlySet<string> = new Set(["set", "append", "insert"]);

/** The worker's pkg-rs answer, checked at the boundary. */
function parsePkgRsData(raw: unknown): PkgRsData | undefined {
  if (!isObject(raw) || !Array.isArray(raw.envs) || !Array.isArray(raw.apps) || !Array.isArray(raw.tags)) return undefined;
  const envs: PkgRsEnv[] = [];
  for (const e of raw.envs) {
    if (!isObject(e) || typeof e.name !== "string" || !Array.isArray(e.evars)) return undefined;
    const evars = [];
    for (const v of e.evars) {
      if (!isObject(v) || typeof v.name !== "string" || typeof v.value !== "string" || typeof v.action !== "string" || !EVAR_ACTIONS.has(v.action)) return undefined;
      evars.push({ name: v.name, value: v.value, action: v.action as EvarAction });
    }
    envs.push({ name: e.name, evars });
  }
  const apps: PkgRsApp[] = [];
  const strOrNull = (v: unknown): string | null | undefined => (v === null || v === undefined ? null : typeof v === "string" ? v : undefined);
  for (const a of raw.apps) {
    if (!isObject(a) || typeof a.name !== "string") return undefined;
    const path = strOrNull(a.path);
    const envName = strOrNull(a.env_name);
    const cwd = strOrNull(a.cwd);
    const args = Array.isArray(a.args) && a.args.every((x) => typeof x === "string") ? (a.args as string[]) : undefined;
    const props = isObject(a.properties) && Object.values(a.properties).every((x) => typeof x === "string") ? (a.properties as Record<string, string>) : undefined;
    if (path === undefined || envName === undefined || cwd === undefined || !args || !props) return undefined;
    apps.push({ name: a.name, path, env_name: envName, args, cwd, properties: props });
  }
  if (!raw.tags.every((t) => typeof t === "string")) return undefined;
  const icon = strOrNull(raw.icon);
  if (icon === undefined) return undefined;
  return { envs, apps, tags: raw.tags as string[], icon };
}

function workerWarnings(file: string, raw: unknown): LoadWarning[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((w) => ({
    file,
    line: typeof w.line === "number" ? w.line : undefined,
    message: typeof w.message === "string" ? w.message : "warning from the python worker",
  }));
}

/** Converts the worker's load_package result into a definition. */
function fromWorkerResult(file: string, result: unknown, identity: PackageIdentity | undefined): LoadResult {
  if (!isObject(result) || !isObject(result.attributes)) return { warnings: [{ file, message: "malformed answer from the python worker" }] };
  const extra = workerWarnings(file, result.warnings);
  const lines: { [key: string]: number } = {};
  if (isObject(result.lines)) for (const [k, v] of Object.entries(result.lines)) if (typeof v === "number") lines[k] = v;
  const attributes = result.attributes as { [key: string]: PackageValue };
  let loaded: LoadResult;
  if (result.format === "pkg-rs") {
    const pkgrs = parsePkgRsData(result.pkgrs);
    if (!pkgrs || typeof result.name !== "string" || typeof result.version !== "string") {
      return { warnings: [...extra, { file, message: "malformed pkg-rs answer from the python worker" }] };
    }
    loaded = finish(file, "pkg-rs", attributes, lines, identity, pkgrs, { name: result.name, version: result.version });
  } else loaded = finish(file, "rez", attributes, lines, identity);
  return { definition: loaded.definition, warnings: [...extra, ...loaded.warnings] };
}

class DefaultPackageLoader implements PackageLoader {
  private pool: PythonWorkerPool | undefined;
  readonly fingerprint = loaderFingerprint();

  constructor(private readonly options: PackageLoaderOptions) {}

  private workers(): PythonWorkerPool {
    this.pool ??= new PythonWorkerPool({
      python: this.options.python,
      maxWorkers: this.options.maxWorkers,
      ...(this.options.reporter ? { reporter: this.options.reporter } : {}),
    });
    return this.pool;
  }

  async load(path: string, identity?: PackageIdentity, options: LoadOptions = {}): Promise<LoadResult> {
    const file = resolvePath(path);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      // Often fixed without touching the file (permissions, a mount): not cached.
      return { warnings: [{ file, message: `cannot read: ${e instanceof Error ? e.message : String(e)}` }], transient: true };
    }
    if (/\.ya?ml$/i.test(file)) return loadPackageYamlText(file, text, identity);
    // Not UTF-8 (e.g. a latin-1 coding line): only Python decodes it properly.
    if (text.includes("\ufffd")) return this.evaluate(file, identity, "text is not UTF-8", options);
    const read = readDeclarativePython(text, file);
    if (read.kind === "ok") return this.checkDeclarative(finish(file, "rez", read.attributes, read.lines, identity));
    return this.evaluate(file, identity, `${read.reason} at line ${read.line}`, options);
  }

  private checks: SyntaxCheck[] = [];

  checkDeclarative(result: LoadResult): LoadResult | Promise<LoadResult> {
    const definition = result.definition;
    if (!definition || definition.format !== "rez" || /\.ya?ml$/i.test(definition.file)) return result;
    const sources = keptSources(definition);
    if (sources.length === 0) return result;
    return new Promise<LoadResult>((resolve) => {
      if (this.checks.length === 0) setImmediate(() => void this.flushChecks());
      this.checks.push({
        sources,
        done: (answer) => {
          // Not checked (no Python, a dead worker): the definition stands, but is not cached, so a later run checks it.
          if (!answer) return resolve({ ...result, transient: true });
          const problems: LoadWarning[] = [];
          answer.forEach((problem, index) => {
            if (!problem) return;
            const [attribute, code] = sources[index];
            const name = code.late ? `@late ${attribute}()` : `${attribute}()`;
            problems.push({ file: definition.file, line: problem.line ?? code.line, message: `syntax error in ${name}: ${problem.message}; package skipped` });
          });
          resolve(problems.length === 0 ? result : { warnings: [...result.warnings, ...problems] });
        },
      });
    });
  }

  /** Every check asked for since the last flush, in one worker request. */
  private async flushChecks(): Promise<void> {
    const checks = this.checks;
    this.checks = [];
    const items = checks.flatMap((c) => c.sources.map(([, code]) => ({ file: code.file, line: code.line, source: code.source })));
    // none left: close() answered them
    if (items.length === 0) return;
    let answer: (SyntaxProblem | null)[] | undefined;
    try {
      const seconds = this.options.loadTimeout ?? DEFAULT_LOAD_TIMEOUT;
      const response = await this.workers().request({ op: "check_syntax", items }, { timeoutMs: seconds * 1000 });
      answer = response.ok ? parseSyntaxAnswer(response.result, items.length) : undefined;
    } catch {
      answer = undefined;
    }
    let at = 0;
    for (const check of checks) {
      const count = check.sources.length;
      check.done(answer?.slice(at, at + count));
      at += count;
    }
  }

  async evaluate(file: string, identity: PackageIdentity | undefined, why: string, options: LoadOptions = {}): Promise<LoadResult> {
    const pool = this.workers();
    const seconds = this.options.loadTimeout ?? DEFAULT_LOAD_TIMEOUT;
    try {
      const request = {
        op: "load_package",
        path: file,
        ...(options.earlyBindings ? { early_bindings: options.earlyBindings } : {}),
        ...(options.developer ? { developer: true } : {}),
      };
      const answer = await pool.request(request, { timeoutMs: seconds * 1000 });
      if (!answer.ok) {
        const { message, line, traceback, transient } = answer.error;
        const warning: LoadWarning = { file, line: line ?? undefined, message: traceback ? `${message}\n${traceback}` : message };
        return transient ? { warnings: [warning], transient: true } : { warnings: [warning] };
      }
      return fromWorkerResult(file, answer.result, identity);
    } catch (e) {
      // None of these is proof the file is broken, so none is cached.
      const fail = (message: string): LoadResult => ({ warnings: [{ file, message }], transient: true });
      if (e instanceof PythonTimeoutError) {
        return fail(`evaluating this package.py took longer than ${seconds} s (package_load_timeout); package skipped, its python worker replaced`);
      }
      if (e instanceof PythonWorkerDiedError) return fail(`this package.py ends the python worker, so the package is skipped: ${e.message}`);
      if (e instanceof PythonUnavailableError) {
        return fail(`this package.py needs Python (${why}) but ${e.message}; install python3 or set PKG_PYTHON`);
      }
      return fail(`python worker failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async loadToolsets(path: string): Promise<ToolsetsLoadResult> {
    const file = resolvePath(path);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      return { definitions: [], warnings: [{ file, message: `cannot read: ${e instanceof Error ? e.message : String(e)}` }] };
    }
    return readToolsets(text, file, checkPkgRsRequirement);
  }

  async close(): Promise<void> {
    // Checks not sent yet would start a worker after this: their definitions stand unchecked (and are not cached).
    const unsent = this.checks;
    this.checks = [];
    for (const check of unsent) check.done(undefined);
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await pool.close();
  }
}

export function createPackageLoader(options: PackageLoaderOptions = {}): PackageLoader {
  return new DefaultPackageLoader(options);
}
