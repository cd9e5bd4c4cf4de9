// A small pool of long-lived python3 processes speaking JSON lines (see worker/worker.py for the protocol).
// Workers start lazily on the first request; a second one starts when requests queue up.

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { Socket } from "node:net";
import { join } from "node:path";
import { PkgError, type PkgErrorOptions } from "../errors/index.js";
import { silentReporter } from "../report/index.js";
import type { Reporter } from "../report/index.js";

/** A request: an op name plus its parameters (`id` is added by the pool). */
export interface WorkerRequest {
  readonly op: string;
  readonly [param: string]: unknown;
}

export interface WorkerErrorInfo {
  readonly message: string;
  /** Line inside the file being evaluated, when known. */
  readonly line: number | null;
  readonly traceback: string | null;
  /** The failure is not the evaluated file's own (it could not be read): do not cache it. */
  readonly transient?: boolean;
}

export type WorkerResponse = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: WorkerErrorInfo };

/** Python could not be started (or the pool is closed); the request was not evaluated. */
export class PythonUnavailableError extends PkgError {
  override readonly name = "PythonUnavailableError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0017", message, options);
  }
}

/** A worker died while evaluating the request, in two workers one after the other: the request itself kills it. */
export class PythonWorkerDiedError extends PkgError {
  override readonly name = "PythonWorkerDiedError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0018", message, options);
  }
}

/** The request ran longer than its time limit; the worker evaluating it was killed (and is replaced). */
export class PythonTimeoutError extends PkgError {
  override readonly name = "PythonTimeoutError";
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super("PKG0019", message);
  }
}

export interface PythonWorkerPoolOptions {
  /** python executable; default $PKG_PYTHON, else "python3" ("python" on Windows). */
  readonly python?: string;
  /** At most this many processes (default 2). */
  readonly maxWorkers?: number;
  /** Path of worker.py; default: found beside the bundle or the source. */
  readonly workerScript?: string;
  /** Where package code's output (its prints, on the worker's stderr) and the pool's warnings go; default: nowhere. */
  readonly reporter?: Pick<Reporter, "output" | "warn">;
}

export interface WorkerRequestOptions {
  /** Milliseconds a worker may spend on the request once it starts on it; none by default. */
  readonly timeoutMs?: number;
  /**
   * Gives the request up when aborted: it rejects with the signal's reason, and the worker running it (which
   * may be stuck in package code) is killed; the other requests it had go to another worker.
   */
  readonly signal?: AbortSignal;
}

interface Pending {
  readonly id: number;
  readonly line: string;
  readonly timeoutMs: number | undefined;
  /** Workers that died while evaluating this request. */
  deaths: number;
  readonly resolve: (r: WorkerResponse) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Where one of pkg's Python scripts lives: dist/python/ beside the CJS bundle (which has __dirname), or
 * src/python/worker/ when running from source (vitest, tsx: from the repository root). No import.meta: the
 * bundle is CJS.
 */
export function findPythonScript(name: string): string {
  const candidates: string[] = [];
  if (typeof __dirname === "string") {
    candidates.push(join(__dirname, "python", name), join(__dirname, "worker", name));
  }
  candidates.push(join(process.cwd(), "src", "python", "worker", name));
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[0];
}

export function findWorkerScript(): string {
  return findPythonScript("worker.py");
}

let cachedFingerprint: string | undefined;

/** Hash of the worker source: changes whenever the evaluator does. */
export function workerFingerprint(script = findWorkerScript()): string {
  if (cachedFingerprint !== undefined) return cachedFingerprint;
  let text = "missing";
  try {
    text = readFileSync(script, "utf8");
  } catch {
    // A missing worker gives a stable fingerprint; loads needing Python will warn.
  }
  cachedFingerprint = createHash("sha256").update(text).digest("hex").slice(0, 16);
  return cachedFingerprint;
}

export function defaultPython(): string {
  const fromEnv = process.env.PKG_PYTHON;
  if (fromEnv) return fromEnv;
  return process.platform === "win32" ? "python" : "python3";
}

/** Package code's output passed on to the reporter per request at most; the rest is dropped (an endless print must not flood the terminal). */
const STDERR_BUDGET = 64 * 1024;
/** After the process exits, how long its answer channel may stay open (a forked child holding it) before it is dropped. */
const DRAIN_AFTER_EXIT_MS = 1000;

class Worker {
  readonly proc: ChildProcess;
  /** Requests sent, in order; the worker answers them one at a time, so the first is the one it is evaluating. */
  readonly inFlight = new Map<number, Pending>();
  private readonly requests: Socket | null;
  private readonly answers: Socket | null;
  private readonly stderr: Socket | null;
  private buffer = "";
  private timer: NodeJS.Timeout | undefined;
  private exitError: Error | undefined;
  private answersClosed = false;
  private stderrBudget = STDERR_BUDGET;
  ready = false;
  dead = false;
  /** Killed by the pool (a time limit), not by its own doing. */
  killed = false;
  stderrTail = "";

  constructor(
    private readonly python: string,
    script: string,
    private readonly onAnswer: (w: Worker) => void,
    private readonly onDeath: (w: Worker, error: Error) => void,
    private readonly onTimeout: (w: Worker, p: Pending) => void,
    private readonly reporter: Pick<Reporter, "output" | "warn">,
  ) {
    // stdin is /dev/null and the protocol has fds 3 (requests) and 4 (answers) to itself: package code that
    // reads stdin or writes stdout can neither block nor corrupt it.
    this.proc = spawn(python, ["-u", "-B", script], {
      stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONIOENCODING: "utf-8", PYTHONDONTWRITEBYTECODE: "1" },
      windowsHide: true,
    });
    this.stderr = (this.proc.stdio[2] as Socket | null) ?? null;
    this.requests = (this.proc.stdio[3] as Socket | null) ?? null;
    this.answers = (this.proc.stdio[4] as Socket | null) ?? null;
    this.answers?.setEncoding("utf8");
    this.answers?.on("data", (chunk: string) => this.onData(chunk));
    this.answers?.on("error", () => {
      // The channel breaks when the process dies; the exit handler reports it.
    });
    this.answers?.on("close", () => {
      this.answersClosed = true;
      if (this.exitError) this.die(this.exitError);
    });
    this.stderr?.setEncoding("utf8");
    this.stderr?.on("data", (chunk: string) => this.onStderr(chunk));
    this.stderr?.on("error", () => {
      // as above
    });
    this.requests?.on("error", () => {
      // EPIPE when the process died; the exit handler reports it.
    });
    this.proc.on("error", (e) => this.die(new PythonUnavailableError(`cannot start python '${python}': ${e.message}`)));
    this.proc.on("exit", (code, signal) => this.onExit(code, signal));
    // Without its channel the worker is of no use; its exit is reported as a python that cannot start.
    if (!this.requests || !this.answers) this.proc.kill("SIGKILL");
    this.unref();
  }

  private onStderr(chunk: string): void {
    // Package code may print; keep a tail for error messages and pass some of it on.
    this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    if (this.stderrBudget <= 0) return;
    const shown = chunk.length > this.stderrBudget ? chunk.slice(0, this.stderrBudget) : chunk;
    this.stderrBudget -= chunk.length;
    this.reporter.output(shown, this.stderrBudget <= 0);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const tail = this.stderrTail.trim();
    this.exitError = new PythonUnavailableError(`python worker '${this.python}' exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ""}`);
    // Answers written just before the exit are still in the channel: read them before failing what is left.
    if (this.answersClosed) this.die(this.exitError);
    else {
      const error = this.exitError;
      const drain = setTimeout(() => {
        this.answers?.destroy();
        this.die(error);
      }, DRAIN_AFTER_EXIT_MS);
      drain.unref();
    }
  }

  /** An idle worker must not keep the CLI alive. */
  unref(): void {
    this.proc.unref();
    this.answers?.unref();
    this.stderr?.unref();
    this.requests?.unref();
  }

  ref(): void {
    this.proc.ref();
    this.answers?.ref();
  }

  send(p: Pending): void {
    if (this.inFlight.size === 0) this.ref();
    this.inFlight.set(p.id, p);
    this.requests?.write(p.line);
    this.armTimer();
  }

  /** The time limit runs for the request being evaluated: the first one in flight. */
  private armTimer(): void {
    if (this.timer || this.dead) return;
    const head = this.inFlight.values().next();
    if (head.done || head.value.timeoutMs === undefined) return;
    const pending = head.value;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.inFlight.get(pending.id) === pending) this.onTimeout(this, pending);
    }, pending.timeoutMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim()) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let msg: { id?: unknown; ok?: unknown; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      this.reporter.warn(`unexpected output from the python worker: ${line.slice(0, 200)}`);
      return;
    }
    if (msg.id === 0) {
      this.ready = true;
      return;
    }
    if (typeof msg.id !== "number") return;
    const pending = this.inFlight.get(msg.id);
    if (!pending) return;
    this.inFlight.delete(msg.id);
    this.clearTimer();
    this.stderrBudget = STDERR_BUDGET;
    if (msg.ok === true) pending.resolve({ ok: true, result: msg.result });
    else pending.resolve({ ok: false, error: parseErrorInfo(msg.error) });
    if (this.inFlight.size === 0) this.unref();
    else this.armTimer();
    this.onAnswer(this);
  }

  /** Hands back every request in flight, in the order sent (the first was being evaluated). */
  takeInFlight(): Pending[] {
    this.clearTimer();
    const taken = [...this.inFlight.values()];
    this.inFlight.clear();
    return taken;
  }

  /** Stops a worker stuck in package code. */
  kill(): void {
    this.killed = true;
    this.clearTimer();
    this.proc.kill("SIGKILL");
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.clearTimer();
    this.unref();
    this.onDeath(this, error);
  }

  close(): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => {
      // An idle worker is unref'd; without this, awaiting close() could let Node exit before it resolves.
      this.ref();
      this.proc.once("exit", () => resolve());
      this.requests?.end();
      const timer = setTimeout(() => this.proc.kill(), 2000);
      timer.unref();
    });
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new PythonUnavailableError("the python request was given up");
}

function parseErrorInfo(raw: unknown): WorkerErrorInfo {
  const e = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    message: typeof e.message === "string" ? e.message : "unknown error in the python worker",
    line: typeof e.line === "number" ? e.line : null,
    traceback: typeof e.traceback === "string" ? e.traceback : null,
    ...(e.transient === true ? { transient: true } : {}),
  };
}

/** Long-lived python3 workers; requests go to the least busy one. */
export class PythonWorkerPool {
  readonly python: string;
  readonly maxWorkers: number;
  readonly script: string;
  private readonly reporter: Pick<Reporter, "output" | "warn">;
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Set once python proved unusable: later requests fail at once instead of respawning. */
  private unavailable: Error | undefined;
  /** A worker came up once: a later one that dies young is a death like any other, not a missing python. */
  private pythonWorks = false;

  constructor(options: PythonWorkerPoolOptions = {}) {
    this.python = options.python ?? defaultPython();
    this.maxWorkers = Math.max(1, options.maxWorkers ?? 2);
    this.script = options.workerScript ?? findWorkerScript();
    this.reporter = options.reporter ?? silentReporter;
  }

  get fingerprint(): string {
    return workerFingerprint(this.script);
  }

  /**
   * Sends one request; resolves with the worker's answer. Rejects with PythonUnavailableError (no python),
   * PythonTimeoutError (over `timeoutMs`) or PythonWorkerDiedError (it killed two workers). A request in a
   * worker that dies for another's sake is sent again to a fresh one.
   */
  request(req: WorkerRequest, options: WorkerRequestOptions = {}): Promise<WorkerResponse> {
    if (this.closed) return Promise.reject(new PythonUnavailableError("the python worker pool is closed"));
    if (this.unavailable) return Promise.reject(this.unavailable);
    const timeoutMs = options.timeoutMs !== undefined && options.timeoutMs > 0 && Number.isFinite(options.timeoutMs) ? options.timeoutMs : undefined;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<WorkerResponse>((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = (): void => this.abandon(pending, abortReason(signal!));
      const done = (): void => signal?.removeEventListener("abort", onAbort);
      const pending: Pending = {
        id,
        line: JSON.stringify({ ...req, id }) + "\n",
        timeoutMs,
        deaths: 0,
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  /** Gives up a request: dropped from the queue, or its worker killed (its other requests queued again first). */
  private abandon(p: Pending, reason: Error): void {
    const queued = this.queue.indexOf(p);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      p.reject(reason);
      return;
    }
    const worker = this.workers.find((w) => w.inFlight.get(p.id) === p);
    if (worker === undefined) return; // answered meanwhile
    const others = worker.takeInFlight().filter((o) => o !== p);
    this.forget(worker);
    worker.kill();
    this.queue.unshift(...others);
    p.reject(reason);
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      let worker = this.workers.find((w) => !w.dead && w.inFlight.size === 0);
      if (!worker && this.workers.length < this.maxWorkers) worker = this.spawnWorker();
      if (!worker) {
        // Every worker busy: pipeline onto the least loaded one (keeps the pipes full).
        const live = this.workers.filter((w) => !w.dead);
        if (live.length === 0) return;
        worker = live.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
        if (worker.inFlight.size >= 4) return;
      }
      const next = this.queue.shift();
      if (next) worker.send(next);
    }
  }

  private forget(worker: Worker): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
  }

  private spawnWorker(): Worker {
    const w = new Worker(
      this.python,
      this.script,
      () => {
        this.pythonWorks = true;
        this.dispatch();
      },
      (dead, error) => this.onDeath(dead, error),
      (stuck, pending) => this.onTimeout(stuck, pending),
      this.reporter,
    );
    this.workers.push(w);
    return w;
  }

  private onDeath(dead: Worker, error: Error): void {
    this.forget(dead);
    const inFlight = dead.takeInFlight();
    if (this.closed) {
      for (const p of inFlight) p.reject(new PythonUnavailableError("the python worker pool is closed"));
      return;
    }
    if (dead.ready) this.pythonWorks = true;
    if (!dead.ready && !dead.killed && !this.pythonWorks) {
      // Never came up, and no worker ever did: python is missing or broken. Fail everything waiting.
      this.unavailable = error;
      for (const p of [...inFlight, ...this.queue.splice(0)]) p.reject(error);
      return;
    }
    // Only the first request was being evaluated; the others never started. The first gets one more try
    // in a fresh worker, since the death may not be its doing (the worker was killed, ran out of memory).
    const [current, ...waiting] = inFlight;
    const retry: Pending[] = [];
    if (current) {
      current.deaths++;
      if (current.deaths >= 2) {
        current.reject(new PythonWorkerDiedError(`the python worker died twice while evaluating it (${error.message})`));
      } else retry.push(current);
    }
    this.queue.unshift(...retry, ...waiting);
    this.dispatch();
  }

  private onTimeout(stuck: Worker, pending: Pending): void {
    if (stuck.ready) this.pythonWorks = true;
    this.forget(stuck);
    const [, ...waiting] = stuck.takeInFlight();
    stuck.kill();
    const seconds = (pending.timeoutMs ?? 0) / 1000;
    pending.reject(new PythonTimeoutError(`the python worker did not answer within ${seconds} s and was stopped`, pending.timeoutMs ?? 0));
    this.queue.unshift(...waiting);
    this.dispatch();
  }

  /** Ends every worker (request channel closed, killed after 2 s). */
  async close(): Promise<void> {
    this.closed = true;
    const err = new PythonUnavailableError("the python worker pool is closed");
    for (const p of this.queue.splice(0)) p.reject(err);
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
  }
}
