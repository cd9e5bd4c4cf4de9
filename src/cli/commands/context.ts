import { Command } from "@commander-js/extra-typings";
import { contextDependencyGraph, contextResolveGraph, environmentAfter, pruneGraph, toolProviders, qualifiedPackageName } from "../../context/index.js";
import type { ResolvedContext } from "../../context/index.js";
import { resolveGraphDot } from "../../graph/index.js";
import type { DrawnGraph } from "../../graph/index.js";
import { defaultShellName, findExecutable, jsonFormatShellName } from "../../shells/index.js";
import { contextJson, formatContextSummary, formatTools } from "../context-format.js";
import { currentContextFile, interpretForShell, lazyRexRunner, loadCliContext, pkgToolsOnPath, processEnviron, shellOf } from "../environment.js";
import { CliError } from "../errors.js";
import { emitGraph, graphFileFormatOf } from "../graph-output.js";
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
      .option("-g, --graph", "print the resolve graph as Graphviz DOT (Rez's rez-context -g opens an image: pkg's --view-graph)")
      .option("--pg", "print the resolve graph as Graphviz DOT (same as --print-graph)")
      .option("-p, --print-graph", "print the resolve graph as Graphviz DOT, as rez-context prints it")
      .option("--wg <file>", "write the resolve graph to FILE (same as --write-graph)")
      .option("-w, --write-graph <file>", "write the resolve graph to FILE: .dot, .svg (drawn by the built-in Graphviz) or .mmd (Mermaid)")
      .option("--view-graph", "draw the resolve graph as SVG in a temporary file and print its path")
      .option("-d, --dependency-graph", "the simpler dependency graph (packages and what they require) instead, with the graph options")
      .option("--pp <pkg>", "prune the graph down to what leads to PKG (same as --prune-package)")
      .option("--prune-package <pkg>", "prune the graph down to what leads to PKG")
      .option("--interpret", "print the context's environment script")
      .option("--format <shell|json>", "with --interpret: shell syntax (default: your shell), or json for the variables")
      .option("--json", 'print the context as JSON: {"status", "requests", "resolved_packages", ...} (docs/json.md); the other views are ignored'),
  ).action(async (file, options, command) => {
    const graphWrite = options.writeGraph ?? options.wg;
    if (graphWrite !== undefined) graphFileFormatOf(graphWrite);
    const path = file ?? currentContextFile();
    const { context, repos } = await loadCliContext(path, repositoryOptionsOf(command));
    const runner = lazyRexRunner();
    const reporter = cliReporter();
    try {
      if (options.json) {
        reporter.result({ json: contextJson(context) });
      } else if (options.tools) {
        reporter.result({ text: formatTools(context) });
      } else if (
        await emitGraph(() => contextGraph(context, options.dependencyGraph === true, options.prunePackage ?? options.pp), {
          print: options.graph === true || options.pg === true || options.printGraph === true || (options.dependencyGraph === true && !graphWrite && !options.viewGraph),
          ...(graphWrite !== undefined ? { write: graphWrite } : {}),
          view: options.viewGraph === true,
        })
      ) {
        // drawn
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
        reporter.result({ text: formatContextSummary(context, { file: path }) });
      }
    } finally {
      await runner.close();
      void repos.close();
    }
  });
}

/** The graph rez-context draws: the stored resolve graph, or the dependency graph; pruned to a package if asked. */
function contextGraph(context: ResolvedContext, dependencyGraph: boolean, prune: string | undefined): DrawnGraph {
  let graph = dependencyGraph ? contextDependencyGraph(context) : contextResolveGraph(context);
  if (!graph) throw new CliError("PKG0067", "The context does not contain a graph.", "resolve it again and write it with `pkg env -o FILE`");
  if (prune !== undefined) {
    const name = prune.replace(/^[!~]/, "").split(/[-@#=<>[]/)[0] ?? prune;
    const pruned = pruneGraph(graph, name);
    if (!pruned) throw new CliError("PKG0067", `The package '${name}' does not appear in the graph.`, "give a package of the context");
    graph = pruned;
  }
  return { graph, dot: resolveGraphDot(graph) };
}
