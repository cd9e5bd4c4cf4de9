// The CLI's two reporters. Status (warnings, errors, progress) goes to stderr and data to stdout, so that
// `pkg … > file` keeps only the data. The terminal reporter writes text for people; the JSON reporter
// (`--json`) writes exactly one JSON document on stdout when the command ends: the command's result with
// the warnings in it, or `{"error": …}` (docs/json.md).

import pc from "picocolors";
import { PkgError } from "../errors/index.js";
import { formatWarning, warningOf } from "../report/index.js";
import type { CommandResult, PkgWarning, Progress, Reporter } from "../report/index.js";
import { formatError, plainStyles } from "./errors.js";
import type { Styles } from "./errors.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Where a reporter writes: process.stdout / process.stderr, or a test's buffer. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliReporter extends Reporter {
  /** True for the JSON reporter. */
  readonly json: boolean;
  /** The command ended (successfully or not): the JSON reporter writes its document now. */
  finish(): void;
  /** How text written to stdout (results) and to stderr (status) looks: coloured only on a terminal. */
  readonly styles: { readonly stdout: Styles; readonly stderr: Styles };
}

// "Set" as https://no-color.org reads NO_COLOR: present and not empty.
const isSet = (value: string | undefined): boolean => value !== undefined && value !== "";

/** Colour only for a person at a terminal: the stream is a TTY, and neither CI nor NO_COLOR is set. */
export function useColour(isTTY: boolean, env: Env): boolean {
  return isTTY && !isSet(env.CI) && !isSet(env.NO_COLOR);
}

/** The styles of one stream. */
export function stylesFor(isTTY: boolean, env: Env): Styles {
  if (!useColour(isTTY, env)) return plainStyles;
  const c = pc.createColors(true);
  return {
    error: (s) => c.bold(c.red(s)),
    warning: (s) => c.yellow(s),
    hint: (s) => c.cyan(s),
    heading: (s) => c.bold(s),
    package: (s) => c.green(s),
    implicit: (s) => c.cyan(s),
    ephemeral: (s) => c.blue(s),
    failure: (s) => c.bold(c.red(s)),
  };
}

/** A progress line redraws itself with `\r`: only on a terminal, and not in CI, whose logs keep every redraw. */
export function showProgress(stderrIsTTY: boolean, env: Env): boolean {
  return stderrIsTTY && !isSet(env.CI);
}

const noProgress: Progress = { update: () => {}, done: () => {} };

const OUTPUT_CUT = "more output of package code in the python worker was dropped";

/** The error object of a JSON document: the same code, message and hint the terminal shows. */
export function errorJson(error: PkgError): { code: string; message: string; hint: string | null } {
  return { code: error.code, message: error.message, hint: error.hint ?? null };
}

export class TerminalReporter implements CliReporter {
  readonly json = false;
  readonly styles: { readonly stdout: Styles; readonly stderr: Styles };
  private readonly paint: Styles;
  private readonly progressShown: boolean;
  /** Package code's output ended without a newline: pkg's next line starts on a new one. */
  private lineOpen = false;
  private barShown = false;

  constructor(
    private readonly stdout: OutputStream = process.stdout,
    private readonly stderr: OutputStream = process.stderr,
    env: Env = process.env,
  ) {
    const tty = stderr.isTTY === true;
    this.styles = { stdout: stylesFor(stdout.isTTY === true, env), stderr: stylesFor(tty, env) };
    this.paint = this.styles.stderr;
    this.progressShown = showProgress(tty, env);
  }

  private clearBar(): void {
    if (this.barShown) this.stderr.write("\r\x1b[2K");
    this.barShown = false;
  }

  /** A line of pkg's own on stderr: never in the middle of a progress bar or of package output. */
  private status(text: string): void {
    this.clearBar();
    if (this.lineOpen) this.stderr.write("\n");
    this.lineOpen = false;
    this.stderr.write(text);
  }

  warn(warning: PkgWarning | string): void {
    this.status(`${this.paint.warning("pkg: warning:")} ${formatWarning(warning)}\n`);
  }

  error(error: PkgError): void {
    this.status(formatError(error, this.paint));
  }

  info(text: string): void {
    this.status(text.endsWith("\n") ? text : `${text}\n`);
  }

  debug(line: string): void {
    this.status(`${line}\n`);
  }

  output(text: string, cut?: boolean): void {
    if (text !== "") {
      this.clearBar();
      this.stderr.write(text);
      this.lineOpen = !text.endsWith("\n");
    }
    if (cut) this.warn(OUTPUT_CUT);
  }

  result(result: CommandResult): void {
    if (result.text !== undefined) this.stdout.write(result.text);
  }

  progress(label: string): Progress {
    if (!this.progressShown) return noProgress;
    let last = 0;
    return {
      update: (done, total) => {
        const now = Date.now();
        // at most one redraw per 80 ms, but always the last one
        if (done < total && now - last < 80) return;
        last = now;
        if (this.lineOpen) this.stderr.write("\n");
        this.lineOpen = false;
        const width = 30;
        const filled = total === 0 ? width : Math.round((done / total) * width);
        this.stderr.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
        this.barShown = true;
      },
      done: () => this.clearBar(),
    };
  }

  finish(): void {
    this.clearBar();
  }
}

export class JsonReporter implements CliReporter {
  readonly json = true;
  readonly styles = { stdout: plainStyles, stderr: plainStyles };
  private readonly warnings: PkgWarning[] = [];
  private failure: PkgError | undefined;
  private document: { readonly value: unknown } | undefined;
  private finished = false;

  constructor(
    private readonly stdout: OutputStream = process.stdout,
    private readonly stderr: OutputStream = process.stderr,
  ) {}

  warn(warning: PkgWarning | string): void {
    this.warnings.push(warningOf(warning));
  }

  /** The first error is the one that ended the command. */
  error(error: PkgError): void {
    this.failure ??= error;
  }

  // Status lines, debug lines and package code's output are not data: stderr, as text.
  info(text: string): void {
    this.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  debug(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  output(text: string, cut?: boolean): void {
    this.stderr.write(text);
    // with the output it cut, on stderr: not one of the document's warnings about packages
    if (cut) this.stderr.write(`${text.endsWith("\n") ? "" : "\n"}pkg: warning: ${OUTPUT_CUT}\n`);
  }

  progress(): Progress {
    return noProgress;
  }

  result(result: CommandResult): void {
    if (result.json === undefined) throw new PkgError("PKG0001", "this output has no --json form");
    this.document = { value: result.json };
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const warnings = this.warnings.length > 0 ? { warnings: this.warnings } : {};
    let doc: unknown;
    if (this.failure) doc = { error: errorJson(this.failure), ...warnings };
    else if (this.document) doc = this.withWarnings(this.document.value);
    else if (this.warnings.length > 0) doc = warnings;
    else return;
    this.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }

  /**
   * The result with the reported warnings in its `warnings` list (after the command's own, as `pkg scan`
   * has). `warnings` is left out when there are none, so documents of a clean run stay as they were.
   */
  private withWarnings(value: unknown): unknown {
    if (this.warnings.length === 0) return value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      // a bare list (`pkg list --json`, kept from before) has no place for them: they stay status
      for (const w of this.warnings) this.stderr.write(`pkg: warning: ${formatWarning(w)}\n`);
      return value;
    }
    const own = (value as { warnings?: unknown }).warnings;
    return { ...value, warnings: [...(Array.isArray(own) ? (own as unknown[]) : []), ...this.warnings] };
  }
}

let current: CliReporter | undefined;

/** The reporter of this run of pkg (one command per process): main picks it before the command runs. */
export function cliReporter(): CliReporter {
  return (current ??= new TerminalReporter());
}

export function useReporter(reporter: CliReporter): void {
  current = reporter;
}
