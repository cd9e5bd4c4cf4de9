// How the library tells its caller what happens besides its return values: warnings, errors, progress,
// status lines, the output of package code, and a command's result. The library never writes to the
// terminal itself; whoever calls it decides where each of these goes (the CLI: a terminal or a JSON reporter).

import type { PkgError } from "../errors/index.js";

/** A problem that did not stop the work (a package file that does not load, a damaged cache file). */
export interface PkgWarning {
  readonly message: string;
  /** The file the problem is in, when it is about one, and the line in it. */
  readonly file?: string;
  readonly line?: number;
}

/** One long step (scanning repositories, resolving a request list). */
export interface Progress {
  update(done: number, total: number): void;
  /** The step ended: a progress line on a terminal is cleared. */
  done(): void;
}

/**
 * What a command gives its caller: `json` for machine readers (the `--json` document, docs/json.md),
 * `text` for people (stdout). A reporter uses the one its reader wants; a command may give only the one
 * its mode needs.
 */
export interface CommandResult {
  readonly json?: unknown;
  readonly text?: string;
}

export interface Reporter {
  warn(warning: PkgWarning | string): void;
  /** The error that ended the work. */
  error(error: PkgError): void;
  /** A status line for people; never data. */
  info(text: string): void;
  progress(label: string): Progress;
  /**
   * What package code printed (in the Python worker), passed on as it comes: not pkg's own words. `cut`:
   * more followed and was dropped (a budget per request). Said with the output, where its reader looks,
   * not among the warnings about packages.
   */
  output(text: string, cut?: boolean): void;
  /** Debug lines asked for explicitly (PKG_SOLVER_TRACE). */
  debug(line: string): void;
  result(result: CommandResult): void;
}

/** A string warning as a PkgWarning. */
export function warningOf(warning: PkgWarning | string): PkgWarning {
  return typeof warning === "string" ? { message: warning } : warning;
}

/** `FILE:LINE: MESSAGE` (or just the message when it is about no file). */
export function formatWarning(warning: PkgWarning | string): string {
  const w = warningOf(warning);
  if (w.file === undefined) return w.message;
  return `${w.file}${w.line !== undefined ? `:${w.line}` : ""}: ${w.message}`;
}

const noProgress: Progress = { update: () => {}, done: () => {} };

/** Drops everything: the default of library functions given no reporter. */
export const silentReporter: Reporter = {
  warn: () => {},
  error: () => {},
  info: () => {},
  progress: () => noProgress,
  output: () => {},
  debug: () => {},
  result: () => {},
};

/** A reporter that keeps everything it is told, for library callers that show it later, and for tests. */
export interface CollectingReporter extends Reporter {
  readonly warnings: PkgWarning[];
  readonly errors: PkgError[];
  readonly infos: string[];
  /** Package code's output, joined. */
  readonly outputText: string;
  /** How many times the output was cut. */
  readonly outputCuts: number;
  readonly debugLines: string[];
  readonly results: CommandResult[];
  /** Every progress update, `[label, done, total]`, and `[label, "done"]` when a step ended. */
  readonly progressEvents: (readonly [string, number, number] | readonly [string, "done"])[];
}

export function collectingReporter(): CollectingReporter {
  let outputText = "";
  let outputCuts = 0;
  const reporter = {
    warnings: [] as PkgWarning[],
    errors: [] as PkgError[],
    infos: [] as string[],
    debugLines: [] as string[],
    results: [] as CommandResult[],
    progressEvents: [] as (readonly [string, number, number] | readonly [string, "done"])[],
    get outputText() {
      return outputText;
    },
    get outputCuts() {
      return outputCuts;
    },
    warn(warning: PkgWarning | string) {
      reporter.warnings.push(warningOf(warning));
    },
    error(error: PkgError) {
      reporter.errors.push(error);
    },
    info(text: string) {
      reporter.infos.push(text);
    },
    progress(label: string): Progress {
      return {
        update: (done, total) => void reporter.progressEvents.push([label, done, total]),
        done: () => void reporter.progressEvents.push([label, "done"]),
      };
    },
    output(text: string, cut?: boolean) {
      outputText += text;
      if (cut) outputCuts++;
    },
    debug(line: string) {
      reporter.debugLines.push(line);
    },
    result(result: CommandResult) {
      reporter.results.push(result);
    },
  };
  return reporter;
}
