import { realpathSync } from "node:fs";
import { Command, Help } from "@commander-js/extra-typings";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { configFileCandidates } from "../../config/index.js";
import { COMPLETION_HELP, COMPLETION_SHELLS, completionKey, completionScript, writeFamiliesFile } from "../../query/index.js";
import type { CompletionOption, CompletionShell, CompletionSpec } from "../../query/index.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { loadCliConfig, openCliRepositories, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

/** Arguments completed with family names: packages, requests, search patterns. */
const PACKAGE_ARGUMENTS = new Set(["package", "pkg", "request", "pattern", "patterns"]);

function optionsOf(command: CommandUnknownOpts): CompletionOption[] {
  return new Help()
    .visibleOptions(command)
    .map((o) => ({ flags: [o.short, o.long].filter((f): f is string => f !== undefined), takesValue: o.required || o.optional, description: o.description }));
}

/** The working folder as the calling shell's `$PWD` spells it (through a symlink, say), else the real one. */
function shellWorkingFolder(): string {
  const cwd = process.cwd();
  const pwd = process.env.PWD;
  try {
    if (pwd && realpathSync(pwd) === realpathSync(cwd)) return pwd;
  } catch {
    // $PWD names no folder now: the real one
  }
  return cwd;
}

/** The command tree as the scripts need it. */
function completionSpec(program: CommandUnknownOpts, cacheDir: string): CompletionSpec {
  const commands = new Help()
    .visibleCommands(program)
    .filter((c) => c.name() !== "help")
    .map((c) => ({
      name: c.name(),
      description: c.summary() || c.description(),
      options: optionsOf(c),
      packages: c.registeredArguments.some((a) => PACKAGE_ARGUMENTS.has(a.name())),
    }));
  return { globalOptions: optionsOf(program), commands, cacheDir };
}

export function completionCommand() {
  return withRepositoryOptions(
    new Command("completion")
      .description(COMPLETION_HELP)
      .argument("[shell]", `one of ${COMPLETION_SHELLS.join(", ")}`)
      .option("--families", "print the family names of the package paths (and keep the list the scripts read, unless -r/--paths)")
      .option("--json", 'with --families: print {"families": [...]} (docs/json.md)'),
  ).action(async (shell, options, command) => {
    const reporter = cliReporter();
    if (options.json && !options.families) {
      throw new CliError("PKG0002", "--json goes with --families: a completion script is shell code", "pkg completion --families --json");
    }
    if (options.families) {
      const repoOptions = repositoryOptionsOf(command);
      const { set, loaded, pathsFollowWorkingFolder, close } = openCliRepositories(repoOptions);
      try {
        const names = await set.familyNames();
        // the scripts' list is of the configured paths: -r/--paths answer once and keep nothing
        const configured = repoOptions.repos.length === 0 && repoOptions.paths === undefined;
        if (configured && loaded.config.cache_packages) {
          writeFamiliesFile(
            loaded.config.cache_dir,
            completionKey(process.env),
            { configFiles: configFileCandidates(process.env), repositories: set.searchedPaths, ...(pathsFollowWorkingFolder ? { workingFolder: shellWorkingFolder() } : {}) },
            names,
          );
        }
        reporter.result({ json: { families: names }, text: names.map((n) => `${n}\n`).join("") });
      } finally {
        await close();
      }
      return;
    }
    if (shell === undefined || !(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
      throw new CliError("PKG0068", shell === undefined ? "name a shell" : `no completion for the shell '${shell}'`, `give one of ${COMPLETION_SHELLS.join(", ")}: pkg completion ${COMPLETION_SHELLS[0]}`);
    }
    const program = command.parent ?? command;
    reporter.result({ text: completionScript(shell as CompletionShell, completionSpec(program, loadCliConfig().config.cache_dir)) });
  });
}
