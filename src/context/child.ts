// Running a program as pkg's child the way a user expects of a launcher: the child owns the terminal, a
// signal sent to pkg (SIGINT, SIGTERM, SIGHUP, SIGQUIT) is passed on to it, and pkg waits for it to end
// before cleaning up, then exits with its status.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { PkgError, type PkgErrorOptions } from "../errors/index.js";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;

/** Where a child's output goes instead of pkg's own stdout / stderr (a build's log, prefixed lines). */
export interface ChildOutput {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

export interface ChildRun {
  readonly program: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Capture the output (default: the child writes to pkg's stdout and stderr). */
  readonly output?: ChildOutput;
  /** `ignore`: the child reads nothing (several children at once); default: pkg's stdin. */
  readonly stdin?: "inherit" | "ignore";
  /** Start it in a session (and process group) of its own, so the terminal's signals do not reach it. */
  readonly newSession?: boolean;
}

/** The program could not be started (not found, not executable). */
export class ChildStartError extends PkgError {
  override readonly name = "ChildStartError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0023", message, options);
  }
}

/** Runs the program with inherited stdio; resolves to its exit status (128 + signal number when a signal ended it). */
export function runChild(run: ChildRun): Promise<number> {
  return new Promise<number>((resolveExit, reject) => {
    const stdin = run.stdin ?? "inherit";
    // Forwarding is in place before the child starts: a signal caught from here on waits for the event loop, by
    // which time the child exists; one that came between the start and the handlers would end pkg, orphaning it.
    let child: ReturnType<typeof spawn> | undefined;
    const forward = (signal: NodeJS.Signals): void => {
      // A Ctrl-C at the terminal reaches the child by itself; one sent to pkg alone (kill, a job scheduler) is passed on.
      if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const done = (): void => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    try {
      child = spawn(run.program, [...run.args], {
        stdio: run.output ? [stdin, "pipe", "pipe"] : [stdin, "inherit", "inherit"],
        env: { ...run.env },
        ...(run.cwd ? { cwd: run.cwd } : {}),
        ...(run.newSession ? { detached: true } : {}),
      });
    } catch (error) {
      done();
      throw error;
    }
    if (run.output) {
      const output = run.output;
      child.stdout?.on("data", (chunk: Buffer) => output.stdout(chunk));
      child.stderr?.on("data", (chunk: Buffer) => output.stderr(chunk));
    }
    child.on("error", (error) => {
      done();
      reject(new ChildStartError(`cannot start ${run.program}: ${error.message}`));
    });
    child.on("close", (status, signal) => {
      done();
      resolveExit(status ?? (signal ? 128 + (constants.signals[signal] ?? 1) : 1));
    });
  });
}
