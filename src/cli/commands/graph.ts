import { Command, Option } from "@commander-js/extra-typings";
import { resolveContext } from "../../context/index.js";
import { mermaidGraph, resolveGraphDot } from "../../graph/index.js";
import { emitGraph, graphFileFormatOf } from "../graph-output.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import { reportResolveFailure, resolveExitCode } from "../resolve-report.js";
import { checkRequestNames, resolveSettings, withResolveOptions, type ResolveFlags } from "../resolve-options.js";

export function graphCommand() {
  return withResolveOptions(
    withRepositoryOptions(
      new Command("graph")
        .description(
          "resolve a request and draw its graph, as Rez's solver draws it: the requests, the resolved variants\n" +
            "and what each requires, weak and conflict requests, and on a failure the conflict in red\n\n" +
            "  pkg graph maya-2024 redshift     DOT on stdout (as rez-context --print-graph)\n" +
            "  pkg graph --format mermaid foo   Mermaid flowchart text\n" +
            "  pkg graph -o resolve.svg foo     write .dot, .svg (built-in Graphviz) or .mmd\n\n" +
            "Exit status: 0 solved, 1 failed (the failure graph is drawn), 2 bad input.",
        )
        .argument("<request...>", "package requests (foo, foo-1.2, foo-1+<2, ~weak, !conflict)")
        .addOption(new Option("--format <format>", "text printed on stdout").choices(["dot", "mermaid"] as const).default("dot" as const))
        .option("-o, --write-graph <file>", "write the graph to FILE instead: .dot, .svg or .mmd (Mermaid) by its extension")
        .option("--view", "draw the graph as SVG in a temporary file and print its path"),
    ),
  ).action(async (requests, options, command) => {
    checkRequestNames(requests);
    if (options.writeGraph !== undefined) graphFileFormatOf(options.writeGraph);
    // no resolve cache: a stored resolve keeps no graph
    const { set, loaded, warnings, close } = openCliRepositories(repositoryOptionsOf(command));
    try {
      const { result } = await resolveContext(requests, {
        source: set,
        packagePaths: set.searchedPaths,
        ...resolveSettings(command.opts() as ResolveFlags, loaded.config),
      });
      printWarnings(warnings());
      const graph = result.graph ?? null;
      if (graph === null) {
        reportResolveFailure(result);
      } else {
        const drawn = { graph, dot: resolveGraphDot(graph) };
        const written = await emitGraph(() => drawn, {
          ...(options.writeGraph !== undefined ? { write: options.writeGraph } : {}),
          view: options.view === true,
        });
        if (!written) cliReporter().result({ text: options.format === "mermaid" ? mermaidGraph(graph) : `${drawn.dot}\n` });
        if (result.status !== "solved") cliReporter().info(`the resolve failed: ${result.failureDescription ?? ""}`.trim());
      }
      process.exitCode = resolveExitCode(result);
    } finally {
      await close();
    }
  });
}
