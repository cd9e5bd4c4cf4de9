import { Command } from "@commander-js/extra-typings";
import { AppNotFoundError, contextApp, environmentAfter, expandAppValue, resolveContext, runChild } from "../../context/index.js";
import { defaultShellName, findExecutable } from "../../shells/index.js";
import { interpretForShell, lazyRexRunner, pkgInstallPath, pkgToolsOnPath, processEnviron, shellOf } from "../environment.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import { checkRequestNames, resolveSettings, withResolveOptions } from "../resolve-options.js";
import type { ResolveFlags } from "../resolve-options.js";
import { argsAfterDashDash } from "./env.js";

export function runCommand() {
  return withResolveOptions(withRepositoryOptions(
    new Command("run")
      .description("launch an app of a package in the package's resolved environment (pkg-rs `run`)")
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  pkg run maya                              the package's default app\n" +
          "  pkg run maya mayapy -- -c 'print(1)'      an app by name, with extra arguments\n\n" +
          "pkg-rs apps bring their own environment (env_name), arguments and working directory;\n" +
          "for Rez packages APP is one of the package's tools, found on the context's PATH.",
      )
      .argument("<package>", "package request (maya, maya-2024, maya@2024)")
      .argument("[app]", "app (pkg-rs) or tool (Rez) to launch; default: the package's first app")
      .option("--stamp", "also set pkg-rs's PKG_<NAME>_* variables")
      .option("--print", "print the command line and working directory instead of launching")
      .option("--json", 'print {"package", "app", "command": [program, ...args], "cwd"} instead of launching (docs/json.md)')
      .allowExcessArguments(true),
  )).action(async (packageRequest, appArg, options, command) => {
    const after = argsAfterDashDash() ?? [];
    // commander also counts the words after `--` as operands: APP is only what came before it
    const before = command.args.length - after.length;
    const app = before >= 2 ? appArg : undefined;
    checkRequestNames([packageRequest]);
    const repos = openCliRepositories(repositoryOptionsOf(command));
    const runner = lazyRexRunner();
    try {
      const config = repos.loaded.config;
      const { context, result } = await resolveContext([packageRequest], {
        source: repos.set,
        packagePaths: repos.set.searchedPaths,
        ...resolveSettings(options as ResolveFlags, config),
        python: runner.pool,
        rezPath: pkgInstallPath(),
        ...(repos.resolveCache ? { resolveCache: repos.resolveCache } : {}),
      });
      printWarnings(repos.warnings());
      if (result.status !== "solved") {
        // a resolve error keeps its own code: an unknown family or a bad request is bad input (exit 2)
        throw new CliError(result.error?.code ?? "PKG0008", `cannot resolve ${packageRequest}:\n${result.failureDescription ?? result.status}${result.explanation ? `\n\nIn plain words:\n${result.explanation}` : ""}`);
      }
      let target;
      try {
        target = contextApp(context, packageRequest, app);
      } catch (e) {
        if (e instanceof AppNotFoundError) throw new CliError(e.code, e.message, undefined, e);
        throw e;
      }
      const parentEnviron = processEnviron();
      const shell = shellOf(undefined, defaultShellName());
      const cacheDir = config.cache_packages ? config.cache_dir : undefined;
      const { response } = await interpretForShell(context, {
        shell,
        parentEnviron,
        runner,
        tools: pkgToolsOnPath(config),
        ...(target.envName ? { pkgRsEnvName: target.envName } : {}),
        ...(options.stamp ? { stamp: true } : {}),
        ...(cacheDir ? { cacheDir } : {}),
        payloadCache: { config },
      });
      void runner.close();
      const env = environmentAfter(parentEnviron, response);
      const program = expandAppValue(target.path ?? target.name, env);
      const executable = findExecutable(program, env.PATH);
      if (executable === undefined) throw new CliError("PKG0023", `cannot find '${program}' (app ${target.name} of ${target.packageName}) in the context's PATH`);
      const args = [...target.args.map((a) => expandAppValue(a, env)), ...after];
      const cwd = target.cwd ? expandAppValue(target.cwd, env) : process.cwd();
      if (options.json) {
        cliReporter().result({ json: { package: target.packageName, app: target.name, command: [executable, ...args], cwd } });
        return;
      }
      if (options.print) {
        cliReporter().result({ text: `${[executable, ...args].map((a) => JSON.stringify(a)).join(" ")}\ncwd: ${cwd}\n` });
        return;
      }
      process.exitCode = await runChild({ program: executable, args, env, cwd });
    } finally {
      await runner.close();
      void repos.close();
    }
  });
}
