import { Command, CommanderError, Help } from "@commander-js/extra-typings";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { PkgError, asPkgError } from "../errors/index.js";
import { CliError } from "./errors.js";
import { cliErrorOf } from "./environment.js";
import { commands, commandsByName, hiddenCommands, splitPipRemainder } from "./commands/index.js";
import { JsonReporter, TerminalReporter, cliReporter, useReporter } from "./output.js";
import { PKG_VERSION } from "../meta/index.js";
import { withRepositoryOptions } from "./repositories.js";

/** The command word of a command line (after the options before it), or undefined. */
function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-r" || arg === "--repo" || arg === "--paths") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/**
 * The program; with `only`, a command word that names a command, just that command (the others are not
 * built: `pkg --help`, `pkg help`, a mistyped command and `pkg completion` get them all).
 */
function buildProgram(only?: string): Command {
  const program = new Command("pkg")
    .description(
      "A package manager for VFX and animation pipelines.\n" +
        "Reads Rez and pkg-rs package repositories, resolves requests exactly as Rez does, and builds environments.",
    )
    .version(PKG_VERSION, "-V, --version", "print the pkg version")
    .enablePositionalOptions();
  withRepositoryOptions(program);
  const single = only === undefined ? undefined : commandsByName.get(only);
  for (const make of single ? [single] : [...commands, ...hiddenCommands]) {
    const command = make();
    // The command list shows one line per command; the full description is in `pkg <command> --help`.
    if (!command.summary()) command.summary(command.description().split("\n")[0] ?? "");
    program.addCommand(command, { hidden: hiddenCommands.includes(make) });
  }
  return program;
}

/**
 * Every command (commander copies no settings into commands made apart and added): usage errors reach
 * main as errors (exit 2), and with --json commander's own error text stays off stderr, main reports it.
 */
function configureCommands(command: CommandUnknownOpts, path = "pkg"): void {
  command.exitOverride((error) => {
    // help and version end with code 0; a bare `pkg` shows the help and fails as commander says
    if (error.exitCode === 0 || error.code === "commander.help") throw error;
    throw usageError(error, path);
  });
  // Prose is wrapped to the terminal; indented lines (examples laid out in columns) are kept as written.
  command.configureHelp({
    // the command list's first column is wide (`info|view [options] <package>`): wrap even in a narrow box
    minWidthToWrap: 24,
    boxWrap(this: Help, text: string, width: number): string {
      return wrapParagraphs(text, width, (line) => Help.prototype.boxWrap.call(this, line, width));
    },
  });
  command.configureOutput({
    // main reports usage errors itself, with pkg's prefix, code and hint
    outputError: () => {},
    // help texts added after the options (addHelpText) are wrapped here as the descriptions are
    writeOut: (text) => process.stdout.write(wrapProse(text, process.stdout.columns || 80)),
    writeErr: (text) => {
      if (!cliReporter().json) process.stderr.write(text);
    },
  });
  for (const sub of command.commands) configureCommands(sub, `${path} ${sub.name()}`);
}

/** Lines of prose longer than the terminal wrapped at spaces; indented lines (tables, examples) kept. */
function wrapProse(text: string, width: number): string {
  const help = new Help();
  return wrapParagraphs(text, width, (line) => help.boxWrap(line, width));
}

/**
 * A prose line too long for `width` is wrapped together with the prose lines that follow it (the rest of
 * its paragraph), so the text is not broken mid-line where it was laid out for another width. Indented lines
 * (examples, tables), blank lines, headings (`Options:`) and lines that fit are kept as written.
 */
export function wrapParagraphs(text: string, width: number, wrap: (line: string) => string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  const prose = (line: string | undefined): line is string => line !== undefined && line.trim() !== "" && !/^\s/.test(line) && !line.endsWith(":");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.length <= width || /^\s/.test(line)) {
      out.push(line);
      continue;
    }
    while (prose(lines[i + 1])) line += ` ${lines[++i]}`;
    out.push(wrap(line));
  }
  return out.join("\n");
}

/** `--json` before any `--`: errors found while the command line is read are reported as JSON too. */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** commander's `error: unknown option '--x'` as a coded error naming the command's help. */
function usageError(error: CommanderError, path: string): CliError {
  return new CliError("PKG0002", error.message.replace(/^error: /, ""), `run '${path} --help' for usage`);
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram(commandWord(argv.slice(2)));
  configureCommands(program);
  useReporter(asksForJson(argv) ? new JsonReporter() : new TerminalReporter());
  // The option as commander read it decides, now that the command line is parsed.
  program.hook("preAction", (_program, action) => {
    const json = action.opts().json === true;
    if (json !== cliReporter().json) useReporter(json ? new JsonReporter() : new TerminalReporter());
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (caught) {
    const error = cliErrorOf(caught);
    if (error instanceof CommanderError) {
      // help and version requests end here with code 0; usage errors have already been printed as text.
      if (error.exitCode === 0) return 0;
      if (cliReporter().json) cliReporter().error(usageError(error, "pkg"));
      return 2;
    }
    const reported = asPkgError(error);
    if (reported) {
      cliReporter().error(reported);
      return reported.exitStatus;
    }
    // the stack goes to stderr below; a JSON reader still gets its one document
    cliReporter().error(new PkgError("PKG0001", error instanceof Error ? error.message : String(error)));
    throw error;
  } finally {
    cliReporter().finish();
  }
}

// A reader that stops early (`pkg search | head`) closes the pipe: the rest of the output is not wanted, so pkg
// ends quietly instead of dying on EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    throw error;
  });
}

main(splitPipRemainder(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`pkg: internal error: ${text}\n`);
    process.exitCode = 70;
  },
);
