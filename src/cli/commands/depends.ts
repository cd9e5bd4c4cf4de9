import { Command } from "@commander-js/extra-typings";
import { pydotGraphDot } from "../../graph/index.js";
import { dependsGraph, reverseDependencies } from "../../query/index.js";
import { CliError } from "../errors.js";
import { numberOption } from "../number-options.js";
import { emitGraph, graphFileFormatOf } from "../graph-output.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function dependsCommand() {
  return withRepositoryOptions(
    new Command("depends")
      .description("list the families that depend on a family, by depth (rez-depends): from each family's newest package, every variant")
      .argument("<package>", "the family others depend on")
      .option("-d, --depth <levels>", "follow this many levels (all when left out)", numberOption("-d/--depth", { takes: "a whole number of levels (0 or more)", min: 0 }))
      .option("-b, --build-requires", "count build_requires too")
      .option("-p, --private-build-requires", "count PKG's own private_build_requires")
      .option("-q, --quiet", "no depth labels: only the names, one depth a line")
      .option("--pg", "print the dependency tree as Graphviz DOT (same as --print-graph)")
      .option("--print-graph", "print the dependency tree as Graphviz DOT")
      .option("--wg <file>", "write the dependency tree to FILE (same as --write-graph)")
      .option("--write-graph <file>", "write the dependency tree to FILE: .dot, .svg (drawn by the built-in Graphviz) or .mmd (Mermaid)")
      .option("-g, --graph", "draw the dependency tree as SVG in a temporary file and print its path")
      .option("--json", 'print {"package", "levels": [[names]], "edges": [[dependent, dependency]]} (docs/json.md)'),
  ).action(async (name, options, command) => {
    const write = options.writeGraph ?? options.wg;
    if (write !== undefined) graphFileFormatOf(write); // a bad name fails before the search
    const { set, close } = openCliRepositories(repositoryOptionsOf(command));
    try {
      const outcome = await reverseDependencies(set, name, {
        ...(options.depth !== undefined ? { depth: options.depth } : {}),
        buildRequires: options.buildRequires === true,
        privateBuildRequires: options.privateBuildRequires === true,
      });
      // like rez-depends, no load warnings: every family is read, and broken ones elsewhere are not the question
      if (!outcome) {
        throw new CliError("PKG0006", `package family '${name}' not found in ${set.searchedPaths.join(", ") || "(no package paths)"}`, "check the name, or the paths with -r/--repo, --paths or PKG_PACKAGES_PATH");
      }
      const graph = { print: options.pg === true || options.printGraph === true, ...(write !== undefined ? { write } : {}), view: options.graph === true };
      if (await emitGraph(() => {
        const g = dependsGraph(outcome);
        return { graph: g, dot: pydotGraphDot(g) };
      }, graph)) return;
      const text = outcome.levels.map((level, i) => `${(options.quiet ? level : [`#${i}:`, ...level]).join(" ")}\n`).join("");
      cliReporter().result({ json: { package: name, levels: outcome.levels, edges: outcome.edges }, text });
    } finally {
      await close();
    }
  });
}
