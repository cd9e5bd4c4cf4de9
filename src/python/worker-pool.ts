// A small pool of long-lived python3 processes speaking JSON lines (see worker/worker.py for the protocol).
// Workers start lazily on the first request; a second one starts when requests queue up.

import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

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
}

export type WorkerResponse = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: WorkerErrorInfo };

/** What a request may be given besides its parameters. */
export interface WorkerRequestOptions {
  /**
   * Gives the request up when aborted: it rejects with the signal's reason, and the worker running it (which
   * may be stuck in package code) is killed; the other requests it had go to another worker.
   */
  readonly signal?: AbortSignal;
}

/** Python could not be started or died; the request was not evaluated. */
export class PythonUnavailableError extends Error {
  override readonly name = "PythonUnavailableError";
}

export interface PythonWorkerPoolOptions {
  /** python executable; default $PKG_PYTHON, else "python3" ("python" on Windows). */
  readonly python?: string;
  /** At most this many processes (default 2). */
  readonly maxWorkers?: number;
  /** Path of worker.py; default: found beside the bundle or the source. */
  readonly workerScript?: string;
}

interface Pending {
  readonly id: number;
  readonly line: string;
  readonly resolve: (r: WorkerResponse) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Where worker.py lives: dist/python/ beside the CJS bundle (which has __dirname), or src/python/worker/
 * when running from source (vitest, tsx: from the repository root). No import.meta: the bundle is CJS.
 */
export function findWorkerScript(): string {
  const candidates: string[] = [];
  if (typeof __dirname === "string") {
    candidates.push(join(__dirname, "python", "worker.py"), join(__dirname, "worker", "worker.py"));
  }
  candidates.push(join(process.cwd(), "src", "python", "worker", "worker.py"));
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[0];
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

class Worker {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly inFlight = new Map<number, Pending>();
  private buffer = "";
  ready = false;
  dead = false;
  stderrTail = "";

  constructor(
    python: string,
    script: string,
    private readonly onAnswer: (w: Worker) => void,
    private readonly onDeath: (w: Worker, error: Error) => void,
  ) {
    this.proc = spawn(python, ["-u", "-B", script], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONIOENCODING: "utf-8", PYTHONDONTWRITEBYTECODE: "1" },
      windowsHide: true,
    });
    this.proc.stdout.setEncoding("utf8");
    this.proc.stdout.on("data", (chunk: string) => this.onData(chunk));
    this.proc.stderr.setEncoding("utf8");
    this.proc.stderr.on("data", (chunk: string) => {
      // Package code may print; keep a tail for error messages and pass it on.
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
      process.stderr.write(chunk);
    });
    this.proc.on("error", (e) => this.die(new PythonUnavailableError(`cannot start python '${python}': ${e.message}`)));
    this.proc.on("exit", (code, signal) => {
      const tail = this.stderrTail.trim();
      this.die(new PythonUnavailableError(`python worker '${python}' exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ""}`));
    });
    this.proc.stdin.on("error", () => {
      // EPIPE when the process died; the exit handler reports it.
    });
    this.unref();
  }

  /** An idle worker must not keep the CLI alive. */
  unref(): void {
    this.proc.unref();
    (this.proc.stdout as unknown as { unref?: () => void }).unref?.();
    (this.proc.stderr as unknown as { unref?: () => void }).unref?.();
    (this.proc.stdin as unknown as { unref?: () => void }).unref?.();
  }

  ref(): void {
    this.proc.ref();
    (this.proc.stdout as unknown as { ref?: () => void }).ref?.();
  }

  send(p: Pending): void {
    if (this.inFlight.size === 0) this.ref();
    this.inFlight.set(p.id, p);
    this.proc.stdin.write(p.line);
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
      process.stderr.write(`pkg: unexpected output from the python worker: ${line.slice(0, 200)}\n`);
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
    if (msg.ok === true) pending.resolve({ ok: true, result: msg.result });
    else pending.resolve({ ok: false, error: parseErrorInfo(msg.error) });
    if (this.inFlight.size === 0) this.unref();
    this.onAnswer(this);
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    for (const p of this.inFlight.values()) p.reject(error);
    this.inFlight.clear();
    this.onDeath(this, error);
  }

  /** Ends the process now, without reporting its death (the pool has taken its requests back). */
  kill(): void {
    this.dead = true;
    this.inFlight.clear();
    this.unref();
    this.proc.kill("SIGKILL");
  }

  close(): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => {
      // An idle worker is unref'd; without this, awaiting close() could let Node exit before it resolves.
      this.ref();
      this.proc.once("exit", () => resolve());
      this.proc.stdin.end();
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
  };
}

/** Long-lived python3 workers; requests go to the least busy one. */
export class PythonWorkerPool {
  readonly python: string;
  readonly maxWorkers: number;
  readonly script: string;
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Set once python proved unusable: later requests fail at once instead of respawning. */
  private unavailable: Error | undefined;

  constructor(options: PythonWorkerPoolOptions = {}) {
    this.python = options.python ?? defaultPython();
    this.maxWorkers = Math.max(1, options.maxWorkers ?? 2);
    this.script = options.workerScript ?? findWorkerScript();
  }

  get fingerprint(): string {
    return workerFingerprint(this.script);
  }

  /** Sends one request; resolves with the worker's answer, rejects with PythonUnavailableError (or the abort reason). */
  request(req: WorkerRequest, options: WorkerRequestOptions = {}): Promise<WorkerResponse> {
    if (this.closed) return Promise.reject(new PythonUnavailableError("the python worker pool is closed"));
    if (this.unavailable) return Promise.reject(this.unavailable);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<WorkerResponse>((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = (): void => this.abandon(pending, abortReason(signal!));
      const done = (): void => signal?.removeEventListener("abort", onAbort);
      const pending: Pending = {
        id,
        line: JSON.stringify({ ...req, id }) + "\n",
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
    const others = [...worker.inFlight.values()].filter((o) => o !== p);
    worker.kill();
    this.workers.splice(this.workers.indexOf(worker), 1);
    this.queue.unshift(...others);
    p.reject(reason);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = this.workers.find((w) => !w.dead && w.inFlight.size === 0);
      if (!worker && this.workers.length < this.maxWorkers && (this.workers.length === 0 || this.queue.length > 0)) {
        worker = this.spawnWorker();
      }
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

  private spawnWorker(): Worker {
    const w = new Worker(
      this.python,
      this.script,
      () => this.dispatch(),
      (dead, error) => {
        const i = this.workers.indexOf(dead);
        if (i >= 0) this.workers.splice(i, 1);
        if (!dead.ready) {
          // Never came up: python is missing or broken. Fail everything waiting.
          this.unavailable = error;
          for (const p of this.queue.splice(0)) p.reject(error);
        } else this.dispatch();
      },
    );
    this.workers.push(w);
    return w;
  }

  /** Ends every worker (stdin closed, killed after 2 s). */
  async close(): Promise<void> {
    this.closed = true;
    const err = new PythonUnavailableError("the python worker pool is closed");
    for (const p of this.queue.splice(0)) p.reject(err);
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
  }
}
