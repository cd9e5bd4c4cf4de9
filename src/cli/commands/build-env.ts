import { resolve as resolvePath } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { readBuildEnvSpec, runBuildEnv } from "../../build/index.js";
import { systemBinding } from "../../context/index.js";
import { argsAfterDashDash } from "./env.js";
import { cliErrorOf, lazyRexRunner, loadCliContext, parentVariablesSetting, processEnviron, shellOf, systemPaths } from "../environment.js";
import { CliError } from "../errors.js";
import { repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import { defaultShellName } from "../../shells/index.js";

/** What a `build-env` script written by `pkg build --scripts` runs (not listed in `pkg --help`). */
export function buildEnvCommand() {
  return withRepositoryOptions(
    new Command("build-env")
      .description("open a shell in a variant's build environment (what build/<variant>/build-env scripts run)")
      .argument("<build-folder>", "the variant's build folder (holding build.rxt and build-env.json)")
      .argument("[command...]", "after `--`: a program and its arguments to run instead of a shell")
      .option("-c, --command <code>", "run this shell code instead of an interactive shell")
      .option("--shell <name>", "the shell (default: the one the build used)"),
  ).action(async (folder, _rest, options, command) => {
    const buildPath = resolvePath(folder);
    const after = argsAfterDashDash();
    if (after !== undefined && after.length > 0 && options.command !== undefined) throw new CliError("PKG0002", "give either -c/--command or `-- COMMAND`, not both");
    const spec = readBuildEnvSpec(buildPath);
    const shell = shellOf(options.shell ?? spec.shell, defaultShellName());
    const { context, repos } = await loadCliContext(resolvePath(buildPath, "build.rxt"), repositoryOptionsOf(command));
    const runner = lazyRexRunner();
    try {
      const commandToRun = after !== undefined && after.length > 0 ? after : options.command;
      process.exitCode = await runBuildEnv({
        context,
        spec,
        shell,
        parentEnviron: processEnviron(),
        interpret: {
          parentVariables: parentVariablesSetting(),
          systemPaths: context.appendSysPath ? systemPaths(shell, repos.loaded.config.cache_packages ? repos.loaded.config.cache_dir : undefined) : [],
          system: systemBinding(),
          runner: runner.runner,
        },
        onInterpreted: () => void runner.close(),
        ...(commandToRun !== undefined ? { command: commandToRun } : {}),
      });
    } catch (error) {
      throw cliErrorOf(error);
    } finally {
      await runner.close();
      void repos.close();
    }
  });
}
