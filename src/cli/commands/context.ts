import { Command } from "@commander-js/extra-typings";
import { environmentAfter, toolProviders, qualifiedPackageName } from "../../context/index.js";
import { defaultShellName, findExecutable, jsonFormatShellName } from "../../shells/index.js";
import { contextJson, formatContextSummary, formatResolveGraph, formatTools } from "../context-format.js";
import { currentContextFile, interpretForShell, lazyRexRunner, loadCliContext, pkgToolsOnPath, processEnviron, shellOf } from "../environment.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function contextCommand() {
  return withRepositoryOptions(
    new Command("context")
      .summary("show a resolved context (like rez-context): packages, tools, graph, environment")
      .description(
        "show a resolved context (like rez-context): a .rxt file written by pkg or Rez, or by default the\n" +
          "context of the current shell ($REZ_RXT_FILE, set inside `pkg env`)",
      )
      .argument("[file]", "context file (.rxt); default: $REZ_RXT_FILE")
      .option("--tools", "list the tools the context provides, with their packages")
      .option("--which <tool>", "print the path the tool resolves to in the context's PATH (and its package)")
      .option("-g, --graph", "print the resolve graph as Graphviz DOT")
      .option("--interpret", "print the context's environment script")
      .option("--format <shell|json>", "with --interpret: shell syntax (default: your shell), or json for the variables")
      .option("--json", 'print the context as JSON: {"status", "requests", "resolved_packages", ...} (docs/json.md); the other views are ignored'),
  ).action(async (file, options, command) => {
    const path = file ?? currentContextFile();
    const { context, repos } = await loadCliContext(path, repositoryOptionsOf(command));
    const runner = lazyRexRunner();
    const reporter = cliReporter();
    try {
      if (options.json) {
        reporter.result({ json: contextJson(context) });
      } else if (options.tools) {
        reporter.result({ text: formatTools(context) });
      } else if (options.graph) {
        reporter.result({ text: formatResolveGraph(context) });
      } else if (options.which !== undefined || options.interpret) {
        const format = options.format ?? defaultShellName();
        const shell = shellOf(format === "json" ? jsonFormatShellName : format, defaultShellName());
        const parentEnviron = processEnviron();
        const cacheDir = repos.loaded.config.cache_packages ? repos.loaded.config.cache_dir : undefined;
        const { response } = await interpretForShell(context, {
          shell,
          parentEnviron,
          runner,
          leadingVariables: [["REZ_RXT_FILE", path]],
          tools: pkgToolsOnPath(repos.loaded.config),
          ...(cacheDir ? { cacheDir } : {}),
        });
        if (options.which !== undefined) {
          const env = environmentAfter(parentEnviron, response);
          const found = findExecutable(options.which, env.PATH);
          const providers = toolProviders(context, options.which).map(qualifiedPackageName);
          if (found === undefined) {
            throw new CliError("PKG0021", `'${options.which}' not found in the context's PATH${providers.length ? ` (tool of ${providers.join(", ")})` : ""}`);
          }
          reporter.result({ text: `${found}${providers.length ? `  (${providers.join(", ")})` : ""}\n` });
        } else if (format === "json") {
          reporter.result({ text: JSON.stringify(response.environ, null, 2) + "\n" });
        } else {
          reporter.result({ text: shell.render(response.actions, { parentEnviron }) });
        }
      } else {
        if (options.format !== undefined) throw new CliError("PKG0002", "--format needs --interpret");
        reporter.result({ text: formatContextSummary(context, { file: path, localPackagesPath: repos.loaded.config.local_packages_path, styles: reporter.styles.stdout }) });
      }
    } finally {
      await runner.close();
      void repos.close();
    }
  });
}
