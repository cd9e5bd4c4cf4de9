import { Command, Option } from "@commander-js/extra-typings";
import { readFileSync } from "node:fs";
import { patchedRequest, resolveContext, writeRxt } from "../../context/index.js";
import type { ResolvedContext } from "../../context/index.js";
import { defaultShellName, findExecutable, getShell, jsonFormatShellName, shellNames } from "../../shells/index.js";
import { contextJson, formatContextSummary } from "../context-format.js";
import { currentContextFile, executeShell, interpretForShell, lazyRexRunner, loadCliContext, pkgInstallPath, pkgToolsOnPath, processEnviron, shellOf } from "../environment.js";
import { CliError } from "../errors.js";
import { checkUserFile, writeFailureGraph, writeUserFile } from "../output-files.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions, withoutLocalPackages } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";
import { wholeNumberOption } from "../number-options.js";
import { checkRequestNames, resolveSettings, withResolveOptions } from "../resolve-options.js";
import type { ResolveFlags } from "../resolve-options.js";
import { environmentResolveExitCode, reportResolveFailure } from "../resolve-report.js";
import type { ResolveResult } from "../../solver/index.js";

/** Rez's terminal_emulator_command, else the first terminal found on PATH with the words that make it run a command. */
export function detachedTerminalCommand(configured: string, pathValue = process.env.PATH): string[] {
  if (configured.trim() !== "") return configured.trim().split(/\s+/);
  const known: [string, ...string[]][] = [["x-terminal-emulator", "-e"], ["xterm", "-hold", "-e"], ["konsole", "--noclose", "-e"], ["gnome-terminal", "--"]];
  const found = known.find(([program]) => findExecutable(program, pathValue) !== undefined);
  if (found === undefined) {
    throw new CliError("PKG0002", "--detached: no terminal emulator found (x-terminal-emulator, xterm, konsole, gnome-terminal)", "set terminal_emulator_command in pkg's configuration (or REZ_TERMINAL_EMULATOR_COMMAND), e.g. 'xterm -hold -e'");
  }
  return found;
}

/** Arguments after a bare `--` on the command line (commander merges them into the operands). */
export function argsAfterDashDash(argv: readonly string[] = process.argv): string[] | undefined {
  const i = argv.indexOf("--");
  return i < 0 ? undefined : argv.slice(i + 1);
}

export function envCommand() {
  const rcfileShells = shellNames.map(getShell).filter((s) => s.rcFile !== undefined);
  return withResolveOptions(withRepositoryOptions(
    new Command("env")
      .description("resolve packages and run a command, or an interactive shell, in their environment (like rez-env)")
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  pkg env maya-2024 redshift            a shell (--shell; default $SHELL)\n" +
          "  pkg env maya-2024 -- maya -batch      run a command; exit with its status\n" +
          "  pkg env maya -c 'echo $MAYA_LOCATION' run a line of shell code\n" +
          "  pkg env maya --print                  print the script (or --format json)\n" +
          "  pkg env maya -o maya.rxt              save the context (pkg env -i maya.rxt)\n\n" +
          "The environment is built as Rez builds it: REZ_* variables, then every package's pre_commands,\n" +
          "commands and post_commands in resolve order (pkg-rs Env data in the commands phase),\n" +
          "ephemeral variables, and the shell's system paths appended to PATH. Rez settings read from the\n" +
          "environment: REZ_PARENT_VARIABLES, REZ_ALL_PARENT_VARIABLES, REZ_STANDARD_SYSTEM_PATHS (or PKG_*).",
      )
      .argument("[request...]", "package requests (foo, foo-1.2, foo-1+<2, ~weak, !conflict, .ephemeral-1)")
      .option("--shell <name>", `shell to start or print for: ${shellNames.join(", ")} (default: $SHELL)`)
      .option("-c, --command <code>", "run this shell code in the environment instead of an interactive shell")
      .option("--norc", "do not read the user's shell startup files")
      .option("--rcfile <file>", rcfileShells.map((s) => `${s.name}: read this startup file instead of ~/${s.rcFile}`).join("; "))
      .option("-q, --quiet", "no welcome message in an interactive shell")
      .option("-s, --stdin", "read the shell's commands from standard input (ignored when it is a terminal)")
      .option("--nl", "do not use the local packages path (same as --no-local)")
      .option("--no-local", "do not use the local packages path")
      .option("-p, --patch", "patch the current context ($REZ_RXT_FILE, or -i FILE): the requests given replace those of the same name and kind, ^name removes one")
      .option("--strict", "with --patch: start from the current resolve instead of its request")
      .option("--patch-rank <n>", "with --patch: versions not overridden may only rise from this rank on (3: patch numbers only)", wholeNumberOption("--patch-rank"), 0)
      .option("--prompt <text>", "text added to the prompt of the shell (REZ_ENV_PROMPT) instead of the shell's own ('>', '%')")
      .option("--new-session", "start the shell in a session of its own (a new process group)")
      .option("--detached", "open the shell in a new terminal (terminal_emulator_command, else one found on PATH)")
      .option("--pre-command <words>", "run the shell under this command (its words split at spaces), e.g. 'strace -f'")
      .option("-v, --verbose", "show the search paths and the resolve's details (-vv also the tools)", (_: string, n: number) => n + 1, 0)
      .option("--no-passive", "accepted for rez-env: it filters the solver's step-by-step trace, which pkg does not print")
      .option("-o, --output <file.rxt>", "save the resolved context (also a failed one) to a file and exit (0 solved, 1 failed, 2 bad input)")
      .option("-i, --input <file.rxt>", "use a saved context (pkg or Rez .rxt) instead of resolving")
      .option("--no-pkg-cache", "use the original payloads, not the payload cache (cache_packages_path), and cache nothing")
      .addOption(new Option("--pkg-cache-mode <mode>", "sync: wait for this environment's variants to be copied into the payload cache; async: copy them in the background (default: package_cache_async)").choices(["sync", "async"] as const))
      .option("--stamp", "also set pkg-rs's PKG_<NAME>_ROOT, _VERSION, _MAJOR, _MINOR, _PATCH and _VARIANT variables")
      .option("--fail-graph <file>", "on a failed resolve, write the failure graph to FILE as Graphviz DOT")
      .option("--print", "print the environment script (or JSON) instead of running anything")
      .option("--format <shell|json>", "with --print: shell syntax to print, or json for the resulting variables")
      .option("-n, --dry-run", "resolve and show the result; run nothing")
      .option("--json", 'resolve and print {"context", "explanation", "environ"} (environ with --print); run nothing (docs/json.md)'),
  )).action(async (requestArgs, options, command) => {
    const after = argsAfterDashDash();
    let requests = [...requestArgs];
    let argvCommand: string[] | undefined;
    if (after !== undefined) {
      // commander appended the words after `--` to the operands
      requests = requests.slice(0, Math.max(0, requests.length - after.length));
      argvCommand = after;
    }
    if (argvCommand !== undefined && argvCommand.length === 0) argvCommand = undefined;
    if (argvCommand !== undefined && options.command !== undefined) throw new CliError("PKG0002", "give either -c/--command or `-- COMMAND`, not both");
    if (options.input !== undefined && requests.length > 0 && !options.patch) {
      throw new CliError("PKG0002", "package requests cannot be given with -i/--input", "to change a saved context's request, add -p/--patch");
    }
    if (options.dryRun && (options.print || options.format !== undefined)) {
      throw new CliError("PKG0002", "-n/--dry-run shows the resolve, --print/--format the environment: give one of them", "pkg env -n REQUEST, or pkg env --print [--format F] REQUEST");
    }
    if (options.format !== undefined && !options.print) throw new CliError("PKG0002", "--format needs --print", "pkg env --print --format json REQUEST");
    if (options.json && (argvCommand !== undefined || options.command !== undefined)) {
      throw new CliError("PKG0002", "--json prints the resolved context and runs nothing", "drop -c/--command or `-- COMMAND`, or --json");
    }
    checkRequestNames(requests);
    if (options.rcfile !== undefined) checkUserFile(options.rcfile, "the startup file (--rcfile)");
    const verbosity = Number(options.verbose);
    const noLocal = options.nl === true || options.local === false;
    const repoOptions = noLocal ? withoutLocalPackages(repositoryOptionsOf(command)) : repositoryOptionsOf(command);
    const runner = lazyRexRunner();
    const reporter = cliReporter();
    let repos: OpenedRepositories | undefined;
    try {
      let context: ResolvedContext;
      let rxtText: string;
      let explanation: string | null = null;
      if (options.patch) {
        // as rez-env: the patched request is resolved afresh (the saved context only gives its request)
        const loaded = await loadCliContext(options.input ?? currentContextFile(), repoOptions);
        requests = patchedRequest({ requests: loaded.context.requests, resolved: loaded.context.variants }, requests, {
          ...(options.strict ? { strict: true } : {}),
          rank: options.patchRank,
        });
        void loaded.repos.close();
      }
      if (options.input !== undefined && !options.patch) {
        const loaded = await loadCliContext(options.input, repoOptions);
        repos = loaded.repos;
        context = loaded.context;
        if (context.status !== "solved") {
          throw new CliError("PKG0008", `the context in ${options.input} did not resolve:\n${context.failureDescription ?? context.status}`);
        }
        rxtText = writeRxt(context);
      } else {
        repos = openCliRepositories(repoOptions);
        const { context: ctx, result } = await resolveContext(requests, {
          source: repos.set,
          packagePaths: repos.set.searchedPaths,
          ...resolveSettings(options as ResolveFlags, repos.loaded.config),
          python: runner.pool,
          rezPath: pkgInstallPath(),
          ...(repos.resolveCache ? { resolveCache: repos.resolveCache } : {}),
          ...(options.pkgCache === false ? { packageCaching: false } : {}),
        });
        printWarnings(repos.warnings());
        context = ctx;
        rxtText = writeRxt(context);
        explanation = result.explanation;
        if (options.output !== undefined) writeUserFile(options.output, rxtText + "\n", "the context file");
        // -o saves the context and runs nothing (as rez-env -o); with --print it also prints the environment
        if ((options.output !== undefined && !options.print) || result.status !== "solved") {
          if (options.failGraph !== undefined && result.status !== "solved" && result.failureGraph) writeFailureGraph(options.failGraph, result.failureGraph);
          if (options.json) reportJson(context, result);
          else if (result.status !== "solved") reportResolveFailure(result);
          process.exitCode = environmentResolveExitCode(result);
          return;
        }
      }

      if (options.dryRun || (options.json && !options.print)) {
        reporter.result(options.json ? { json: envJson(context, explanation, null) } : { text: formatContextSummary(context, { verbosity, localPackagesPath: repos.loaded.config.local_packages_path, styles: reporter.styles.stdout }) });
        return;
      }

      const cacheDir = repos.loaded.config.cache_packages ? repos.loaded.config.cache_dir : undefined;
      const payloadCache = options.pkgCache ? { payloadCache: { config: repos.loaded.config, ...(options.pkgCacheMode !== undefined ? { mode: options.pkgCacheMode } : {}) } } : {};
      if (options.print) {
        const format = options.format ?? options.shell ?? defaultShellName();
        const shell = shellOf(format === "json" ? jsonFormatShellName : format, defaultShellName());
        const parentEnviron = processEnviron();
        const { response } = await interpretForShell(context, {
          shell,
          parentEnviron,
          runner,
          tools: pkgToolsOnPath(repos.loaded.config),
          ...(cacheDir ? { cacheDir } : {}),
          ...payloadCache,
          ...(options.stamp ? { stamp: true } : {}),
          ...(options.input !== undefined ? { leadingVariables: [["REZ_RXT_FILE", options.input] as const] } : {}),
        });
        if (options.json) reporter.result({ json: envJson(context, explanation, response.environ) });
        else if (format === "json") reporter.result({ text: JSON.stringify(response.environ, null, 2) + "\n" });
        else reporter.result({ text: shell.render(response.actions, { parentEnviron }) });
        return;
      }

      const shell = shellOf(options.shell, defaultShellName());
      // -s: the shell's commands come from a pipe or file; on a terminal, as Rez, the flag is ignored
      const stdinCommand = options.stdin && argvCommand === undefined && options.command === undefined && !process.stdin.isTTY ? readFileSync(0, "utf8") : undefined;
      const shellCommand = argvCommand ?? options.command ?? stdinCommand;
      const interactive = shellCommand === undefined;
      // as rez-env: the resolve is shown before an interactive shell starts (-q: not)
      if (interactive && !options.quiet) reporter.info(formatContextSummary(context, { verbosity, localPackagesPath: repos.loaded.config.local_packages_path, styles: reporter.styles.stderr }));
      // as Rez: a detached terminal takes the place of --pre-command, and the context files outlive pkg
      const preCommand = options.detached
        ? detachedTerminalCommand(repos.loaded.config.terminal_emulator_command)
        : options.preCommand !== undefined
          ? options.preCommand.trim().split(/\s+/).filter((w) => w !== "")
          : [];
      const status = await executeShell({
        shell,
        context,
        rxtText,
        runner,
        tools: pkgToolsOnPath(repos.loaded.config),
        ...(shellCommand !== undefined ? { command: shellCommand } : {}),
        ...(cacheDir ? { cacheDir } : {}),
        ...payloadCache,
        ...(options.stamp ? { stamp: true } : {}),
        ...(options.norc ? { norc: true } : {}),
        ...(options.rcfile ? { rcfile: options.rcfile } : {}),
        ...(options.quiet ? { quiet: true } : {}),
        ...(options.prompt !== undefined ? { prompt: options.prompt } : {}),
        ...(preCommand.length > 0 ? { preCommand } : {}),
        ...(options.newSession ? { newSession: true } : {}),
        ...(options.detached ? { keepFiles: true } : {}),
      });
      process.exitCode = status;
    } finally {
      await runner.close();
      void repos?.close();
    }
  });
}

/** `pkg env --json`: the context as `pkg context --json` shows it, why it failed, and its variables (with --print). */
function envJson(context: ResolvedContext, explanation: string | null, environ: Readonly<Record<string, string>> | null): unknown {
  return { context: contextJson(context), explanation, environ };
}

/** After `-o` or a resolve that did not succeed: bad input is the error document, anything else the context. */
function reportJson(context: ResolvedContext, result: ResolveResult): void {
  const reporter = cliReporter();
  if (result.status === "error") reporter.error(result.error ?? new CliError("PKG0009", result.failureDescription ?? "resolve error"));
  else reporter.result({ json: envJson(context, result.explanation, null) });
}
