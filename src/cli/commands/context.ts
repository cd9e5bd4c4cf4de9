import { basename } from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import { contextDependencyGraph, contextResolveGraph, diffContexts, environmentAfter, pruneGraph, qualifiedPackageName, resolveContext, toolProviders } from "../../context/index.js";
import type { ContextDiff, ResolvedContext } from "../../context/index.js";
import { GraphFormatError, resolveGraphDot } from "../../graph/index.js";
import type { DrawnGraph } from "../../graph/index.js";
import { defaultShellName, findExecutable, isShellName, jsonFormatShellName, shellNames } from "../../shells/index.js";
import { pformat } from "../../package/index.js";
import { Version } from "../../version/index.js";
import {
  contextJson,
  environJson,
  environTable,
  evalStyle,
  formatContextSummary,
  formatRezResolveDiff,
  formatTools,
} from "../context-format.js";
import { currentContextFile, interpretForShell, lazyRexRunner, loadCliContext, pkgInstallPath, pkgToolsOnPath, processEnviron, shellOf } from "../environment.js";
import { CliError } from "../errors.js";
import { emitGraph, graphFileFormatOf } from "../graph-output.js";
import { cliReporter } from "../output.js";
import type { OpenedRepositories } from "../repositories.js";
import { repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import { resolveSettings } from "../resolve-options.js";

const ENVIRON_FORMATS = ["table", "dict", "json"] as const;

/** Rez's print_items: one item per line when piped, space-separated on a terminal. */
function items(list: readonly string[]): string {
  if (list.length === 0) return "";
  return process.stdout.isTTY ? list.join(" ") + "\n" : list.map((x) => x + "\n").join("");
}

/** How many versions of a family lie between two versions (both included), in the context's repositories: Rez's "(+N versions)". */
async function versionsBetween(repos: OpenedRepositories, diff: ContextDiff): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const change of [...diff.upgraded, ...diff.downgraded]) {
    const from = Version.parse(change.from);
    const to = Version.parse(change.to);
    const [low, high] = from.compare(to) <= 0 ? [from, to] : [to, from];
    const family = (await repos.set.getFamily(change.name)) ?? [];
    const versions = new Set(family.map((d) => d.version).filter((v) => {
      const version = Version.parse(v);
      return version.compare(low) >= 0 && version.compare(high) <= 0;
    }));
    counts.set(change.name, Math.max(versions.size, 2));
  }
  return counts;
}

export function contextCommand() {
  return withRepositoryOptions(
    new Command("context")
      .summary("show a resolved context (like rez-context): packages, tools, graph, environment, diff")
      .description(
        "show a resolved context (like rez-context): a .rxt file written by pkg or Rez ('-' reads it from stdin), or\n" +
          "by default the context of the current shell ($REZ_RXT_FILE, set inside `pkg env`)",
      )
      .argument("[file]", "context file (.rxt); '-' for stdin; default: $REZ_RXT_FILE")
      .option("--print-request", "print only the request list (not including implicits)")
      .addOption(new Option("--req", "same as --print-request").hideHelp())
      .option("--print-resolve", "print only the resolved packages (with --show-uris: their URIs)")
      .addOption(new Option("--res", "same as --print-resolve").hideHelp())
      .option("--source-order", "list resolved packages in the order they are sourced, not by name (also --so)")
      .addOption(new Option("--so", "same as --source-order").hideHelp())
      .option("--show-uris", "list resolved packages' URIs instead of their root folders (also --su)")
      .addOption(new Option("--su", "same as --show-uris").hideHelp())
      .option("-t, --tools", "list the tools the context provides, with their packages")
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
      .option("-i, --interpret", "print the context's environment script")
      .option("-f, --format <format>", `with --interpret: a shell (${shellNames.join(", ")}; default: yours), or table, dict or json for the variables`)
      .addOption(new Option("-s, --style <style>", "with --interpret: 'file' (a script, the default) or 'eval' (one line for eval)").choices(["file", "eval"] as const))
      .option("--no-env", "interpret the context in an empty parent environment")
      .option("--diff <rxt>", "compare this context's resolve with another context file's")
      .option("--fetch", "compare this context's resolve with the same request resolved again now")
      .option("-v, --verbose", "with the summary: search paths and resolve details (-vv: tools too)", (_: string, n: number) => n + 1, 0)
      .option("--json", 'print the context as JSON: {"status", "requests", "resolved_packages", ...} (docs/json.md); the other views are ignored'),
  ).action(async (file, options, command) => {
    const graphWrite = options.writeGraph ?? options.wg;
    if (graphWrite !== undefined) graphFileFormatOf(graphWrite);
    const path = file ?? currentContextFile();
    const repoOptions = repositoryOptionsOf(command);
    const { context, repos } = await loadCliContext(path, repoOptions);
    const runner = lazyRexRunner();
    const reporter = cliReporter();
    const showUris = options.showUris === true || options.su === true;
    try {
      if (options.json) {
        reporter.result({ json: contextJson(context) });
      } else if (!options.interpret && options.format !== undefined) {
        throw new CliError("PKG0002", "--format needs --interpret");
      } else if (!options.interpret && options.style !== undefined) {
        throw new CliError("PKG0002", "--style needs --interpret");
      } else if (options.interpret) {
        await printInterpreted(context, path, repos, runner, options);
      } else if (options.printRequest || options.req) {
        reporter.result({ text: items(context.requests) });
      } else if (options.printResolve || options.res) {
        reporter.result({ text: items(context.variants.map((v) => (showUris ? v.uri : qualifiedPackageName(v)))) });
      } else if (options.tools) {
        reporter.result({ text: formatTools(context) });
      } else if (
        await emitGraph(() => contextGraph(context, path, options.dependencyGraph === true, options.prunePackage ?? options.pp), {
          print: options.graph === true || options.pg === true || options.printGraph === true || (options.dependencyGraph === true && !graphWrite && !options.viewGraph),
          ...(graphWrite !== undefined ? { write: graphWrite } : {}),
          view: options.viewGraph === true,
        })
      ) {
        // drawn
      } else if (options.diff !== undefined) {
        const other = await loadCliContext(options.diff, repoOptions);
        void other.repos.close();
        reporter.result({ text: await resolveDiffText(context, other.context, repos, [basename(path), basename(options.diff)]) });
      } else if (options.fetch) {
        const { context: again } = await resolveContext(context.requests, {
          source: repos.set,
          packagePaths: repos.set.searchedPaths,
          ...resolveSettings({}, repos.loaded.config),
          python: runner.pool,
          rezPath: pkgInstallPath(),
        });
        reporter.result({ text: await resolveDiffText(context, again, repos, ["current", "updated"]) });
      } else if (options.which !== undefined) {
        const parentEnviron = options.env === false ? {} : processEnviron();
        const response = await interpretHere(context, path, repos, runner, shellOf(jsonFormatShellName, defaultShellName()), parentEnviron);
        const env = environmentAfter(parentEnviron, response);
        const found = findExecutable(options.which, env.PATH);
        const providers = toolProviders(context, options.which).map(qualifiedPackageName);
        if (found === undefined) {
          throw new CliError("PKG0021", `'${options.which}' not found in the context's PATH${providers.length ? ` (tool of ${providers.join(", ")})` : ""}`);
        }
        reporter.result({ text: `${found}${providers.length ? `  (${providers.join(", ")})` : ""}\n` });
      } else {
        reporter.result({
          text: formatContextSummary(context, {
            file: path,
            verbosity: Number(options.verbose),
            sourceOrder: options.sourceOrder === true || options.so === true,
            showUris,
            styles: reporter.styles.stdout,
            localPackagesPath: repos.loaded.config.local_packages_path,
            ...(path === process.env.REZ_RXT_FILE ? { currentEnviron: process.env } : {}),
          }),
        });
      }
    } finally {
      await runner.close();
      void repos.close();
    }
  });
}

/** The graph a context option draws: its resolve graph (an older file's DOT text as it is) or dependency graph. */
function contextGraph(context: ResolvedContext, path: string, dependencyGraph: boolean, prune: string | undefined): DrawnGraph {
  let drawn: DrawnGraph | undefined;
  if (dependencyGraph) {
    const graph = contextDependencyGraph(context);
    drawn = { graph, dot: resolveGraphDot(graph) };
  } else {
    try {
      drawn = contextResolveGraph(context);
    } catch (error) {
      if (!(error instanceof GraphFormatError)) throw error;
      throw new CliError("PKG0016", `${path}: the context's graph does not read: ${error.message}`, "resolve it again and write it with `pkg env -o FILE`", error);
    }
  }
  if (!drawn) throw new CliError("PKG0067", "The context does not contain a graph.", "resolve it again and write it with `pkg env -o FILE`");
  if (prune === undefined) return drawn;
  const name = prune.replace(/^[!~]/, "").split(/[-@#=<>[]/)[0] ?? prune;
  const pruned = pruneGraph(drawn.graph, name);
  if (!pruned) throw new CliError("PKG0067", `The package '${name}' does not appear in the graph.`, "give a package of the context");
  return { graph: pruned, dot: resolveGraphDot(pruned) };
}

async function resolveDiffText(a: ResolvedContext, b: ResolvedContext, repos: OpenedRepositories, heading: readonly [string, string]): Promise<string> {
  const diff = diffContexts(a, b, false);
  return formatRezResolveDiff(diff, heading, await versionsBetween(repos, diff));
}

/** The context's environment as this machine's pkg makes it (cache folder, pkg on PATH, payload cache). */
async function interpretHere(
  context: ResolvedContext,
  path: string,
  repos: OpenedRepositories,
  runner: ReturnType<typeof lazyRexRunner>,
  shell: ReturnType<typeof shellOf>,
  parentEnviron: Record<string, string>,
) {
  const config = repos.loaded.config;
  const { response } = await interpretForShell(context, {
    shell,
    parentEnviron,
    runner,
    leadingVariables: [["REZ_RXT_FILE", path]],
    tools: pkgToolsOnPath(config),
    ...(config.cache_packages ? { cacheDir: config.cache_dir } : {}),
    payloadCache: { config },
  });
  return response;
}

interface InterpretFlags {
  readonly format?: string;
  readonly style?: "file" | "eval";
  readonly env?: boolean;
}

async function printInterpreted(
  context: ResolvedContext,
  path: string,
  repos: OpenedRepositories,
  runner: ReturnType<typeof lazyRexRunner>,
  options: InterpretFlags,
): Promise<void> {
  const format = options.format ?? defaultShellName();
  const environFormat = (ENVIRON_FORMATS as readonly string[]).includes(format);
  if (!environFormat && !isShellName(format)) {
    throw new CliError("PKG0002", `unknown --format '${format}'`, `use one of ${[...shellNames, ...ENVIRON_FORMATS].join(", ")}`);
  }
  const shell = shellOf(environFormat ? jsonFormatShellName : format, defaultShellName());
  const parentEnviron = options.env === false ? {} : processEnviron();
  const response = await interpretHere(context, path, repos, runner, shell, parentEnviron);
  const reporter = cliReporter();
  if (format === "json") reporter.result({ text: environJson(response.environ) });
  else if (format === "table") reporter.result({ text: environTable(response.environ) });
  else if (format === "dict") reporter.result({ text: `${pformat(response.environ)}\n` });
  else {
    const script = shell.render(response.actions, { parentEnviron });
    reporter.result({ text: options.style === "eval" ? evalStyle(script) + "\n" : script });
  }
}
