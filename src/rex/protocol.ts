// The `rex` request sent to the Python worker (src/python/worker/rex.py execute_commands) and its
// response, plus a runner that executes steps without Python when no step is code.

import { spawn } from "node:child_process";
import type { RexAction } from "./actions.js";
import { parseRexActions } from "./actions.js";
import type { RexNamespace } from "./format.js";
import { RexNameError } from "./names.js";
import { RexRecorder } from "./recorder.js";
import type { RexStep } from "./steps.js";

/** Plain data behind a `this` / `resolve.<name>` binding. */
export interface RexVariantData {
  readonly name: string;
  readonly version: string;
  readonly root: string | null;
  readonly base: string | null;
  readonly index: number | null;
  readonly uri: string;
  readonly qualified_name: string;
  readonly qualified_package_name: string;
  readonly subpath?: string | null;
  readonly variant_requires?: readonly string[];
  /** Package attributes (requires, tools, extra keys...; @late ones as SourceCode objects). */
  readonly attributes: { readonly [key: string]: unknown };
}

export interface RexBindings {
  readonly system?: RexNamespace;
  readonly building?: boolean;
  readonly testing?: boolean;
  /** Requirement strings (normalised, as Rez's str(Requirement)). */
  readonly request?: readonly string[];
  readonly implicits?: readonly string[];
  /** Ephemeral requirement strings with their leading dot. */
  readonly ephemerals?: readonly string[];
  readonly resolve?: { readonly [name: string]: RexVariantData };
}

export interface RexRequest {
  readonly parent_environ: Readonly<Record<string, string>>;
  readonly parent_variables: boolean | readonly string[];
  readonly env_var_separators: Readonly<Record<string, string>>;
  readonly pathsep: string;
  readonly shebang: boolean;
  readonly optionvars?: { readonly [key: string]: unknown };
  readonly bindings: RexBindings;
  readonly steps: readonly RexStep[];
}

export interface RexErrorInfo {
  /** RexError, RexUndefinedVariableError, RexStopError or SyntaxError. */
  readonly type: string;
  /** The Python exception class. */
  readonly exception: string;
  readonly message: string;
  readonly package: string | null;
  readonly attr: string | null;
  readonly file: string | null;
  readonly line: number | null;
  readonly traceback: string;
}

export interface RexResponse {
  readonly actions: RexAction[];
  /** The tracked environment after all steps (expanded values). */
  readonly environ: Record<string, string>;
  readonly error: RexErrorInfo | null;
}

/** Runs a request whose steps include code (the worker pool's `rex` op, or a one-shot python3). */
export type RexCodeRunner = (request: RexRequest) => Promise<unknown>;

/** Validate the worker's JSON answer. */
export function parseRexResponse(json: unknown): RexResponse {
  if (typeof json !== "object" || json === null) throw new Error("rex response: expected an object");
  const o = json as Record<string, unknown>;
  const actions = parseRexActions(o.actions);
  const environ: Record<string, string> = {};
  if (typeof o.environ === "object" && o.environ !== null) {
    for (const [k, v] of Object.entries(o.environ as Record<string, unknown>)) if (typeof v === "string") environ[k] = v;
  }
  let error: RexErrorInfo | null = null;
  if (o.error !== null && o.error !== undefined) {
    const e = o.error as Record<string, unknown>;
    const s = (k: string): string | null => (typeof e[k] === "string" ? (e[k] as string) : null);
    error = {
      type: s("type") ?? "RexError",
      exception: s("exception") ?? "Exception",
      message: s("message") ?? "",
      package: s("package"),
      attr: s("attr"),
      file: s("file"),
      line: typeof e.line === "number" ? e.line : null,
      traceback: s("traceback") ?? "",
    };
  }
  return { actions, environ, error };
}

/** True when some step needs Python. */
export function requestHasCode(request: RexRequest): boolean {
  return request.steps.some((s) => s.op === "code");
}

/** Execute a request in TypeScript; only valid when no step is code. */
export function runRexWithoutPython(request: RexRequest, namespace: RexNamespace = {}): RexResponse {
  const recorder = new RexRecorder({
    parentEnviron: request.parent_environ,
    parentVariables: request.parent_variables,
    envVarSeparators: request.env_var_separators,
    pathsep: request.pathsep,
    namespace,
  });
  if (request.shebang) recorder.apply({ op: "shebang" });
  for (const step of request.steps) {
    if (step.op === "code") throw new Error("runRexWithoutPython: the request contains package code");
    try {
      recorder.apply(step);
    } catch (e) {
      if (!(e instanceof RexNameError)) throw e;
      const error: RexErrorInfo = {
        type: "RexError",
        exception: e.name,
        message: e.message,
        package: step.package ?? null,
        attr: "commands",
        file: step.file ?? null,
        line: null,
        traceback: "",
      };
      return { actions: recorder.actions, environ: recorder.environment(), error };
    }
  }
  return { actions: recorder.actions, environ: recorder.environment(), error: null };
}

/** Execute a request: in TypeScript when there is no code, else through `runner`. */
export async function runRex(request: RexRequest, runner: RexCodeRunner | undefined, namespace: RexNamespace = {}): Promise<RexResponse> {
  if (!requestHasCode(request)) return runRexWithoutPython(request, namespace);
  if (runner === undefined) throw new Error("package commands need Python, but no Python runner was given");
  return parseRexResponse(await runner(request));
}

/**
 * A runner that starts `python rex.py` once per request (tests, tools without a pool).
 * `script` is the path of src/python/worker/rex.py (or dist/python/rex.py).
 */
export function oneShotPythonRunner(script: string, python = process.env.PKG_PYTHON ?? "python3"): RexCodeRunner {
  return (request) =>
    new Promise((resolve, reject) => {
      const child = spawn(python, [script], { stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code !== 0) return reject(new Error(`${python} ${script} exited with ${code}: ${err}`));
        try {
          resolve(JSON.parse(out) as unknown);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      child.stdin.end(JSON.stringify(request));
    });
}

/** What {@link poolRexRunner} needs of the Python worker pool (src/python PythonWorkerPool). */
export interface RexWorkerPool {
  request(req: { readonly op: string; readonly [param: string]: unknown }): Promise<
    { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: { readonly message: string } }
  >;
}

/** A runner that sends the request to the worker pool's `rex` op: one round trip per context. */
export function poolRexRunner(pool: RexWorkerPool): RexCodeRunner {
  return async (request) => {
    const response = await pool.request({ ...request, op: "rex" });
    if (!response.ok) throw new Error(`Python rex worker failed: ${response.error.message}`);
    return response.result;
  };
}
