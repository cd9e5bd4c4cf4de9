import { Command, CommanderError } from "@commander-js/extra-typings";
import { asPkgError } from "../errors/index.js";
import { formatError } from "./errors.js";
import { cliErrorOf } from "./environment.js";
import { commands } from "./commands/index.js";
import { PKG_VERSION } from "./version.js";
import { withRepositoryOptions } from "./repositories.js";

function buildProgram(): Command {
  const program = new Command("pkg")
    .description(
      "A package manager for VFX and animation pipelines.\n" +
        "Reads Rez and pkg-rs package repositories, resolves requests exactly as Rez does, and builds environments.",
    )
    .version(PKG_VERSION, "-V, --version", "print the pkg version")
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions();
  withRepositoryOptions(program);
  for (const make of commands) {
    const command = make();
    // The command list shows one line per command; the full description is in `pkg <command> --help`.
    if (!command.summary()) command.summary(command.description().split("\n")[0] ?? "");
    program.addCommand(command);
  }
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (caught) {
    const error = cliErrorOf(caught);
    if (error instanceof CommanderError) {
      // help and version requests end here with code 0; usage errors have already been printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    const reported = asPkgError(error);
    if (reported) {
      process.stderr.write(formatError(reported));
      return reported.exitStatus;
    }
    throw error;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pkg: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
