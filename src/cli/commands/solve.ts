import { Command } from "@commander-js/extra-typings";
import { resolveContext } from "../../context/index.js";
import { CliError } from "../errors.js";
import { writeFailureGraph } from "../output-files.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import { reportResolveFailure, resolveExitCode } from "../resolve-report.js";
import { checkRequestNames, resolveSettings, withResolveOptions, type ResolveFlags } from "../resolve-options.js";

export function solveCommand() {
  return withResolveOptions(
    withRepositoryOptions(
      new Command("solve")
        .description(
          "resolve a request and print the packages, exactly as Rez would resolve it\n\n" +
            "  pkg solve maya-2024 redshift        a line per package: name-version[variant]\n" +
            "  pkg solve --json 'houdini-20+<21'   machine-readable result\n\n" +
            "Exit status: 0 solved, 1 failed (conflict, cycle, limits), 2 bad input (an unparsable\n" +
            "request, a package family that does not exist).",
        )
        .argument("<request...>", "package requests (foo, foo-1.2, foo-1+<2, foo==1.2, ~weak, !conflict, .ephemeral-1)")
        .option("--json", 'print {"status", "packages": [{"name", "version", "variant_index", "uri"}], "ephemerals", "failure", "explanation"} (docs/json.md)')
        .option("--fail-graph <file>", "on failure, write the failure graph to FILE as Graphviz DOT")
        .option("-v, --verbose", "also say what went wrong with memcached, if anything"),
    ),
  ).action(async (requests, options, command) => {
    checkRequestNames(requests);
    const { set, loaded, resolveCache, warnings, close } = openCliRepositories(repositoryOptionsOf(command));
    try {
      const { result } = await resolveContext(requests, {
        source: set,
        packagePaths: set.searchedPaths,
        ...resolveSettings(command.opts() as ResolveFlags, loaded.config),
        ...(resolveCache ? { resolveCache } : {}),
      });
      printWarnings(warnings());
      if (options.failGraph !== undefined && result.failureGraph !== null) {
        writeFailureGraph(options.failGraph, result.failureGraph);
      }
      const reporter = cliReporter();
      if (options.json && result.status === "error") {
        // bad input: the error document, with the exit status pkg solve always had for it
        reporter.error(result.error ?? new CliError("PKG0009", result.failureDescription ?? "resolve error"));
      } else if (options.json) {
        const json = {
          status: result.status === "solved" ? "solved" : "failed",
          packages: result.variants.map((v) => ({ name: v.name, version: v.version, variant_index: v.index, uri: v.uri })),
          ephemerals: result.ephemerals,
          failure: result.status === "solved" ? null : result.failureDescription,
          explanation: result.explanation,
        };
        reporter.result({ json });
      } else if (result.status === "solved") {
        const paint = reporter.styles.stdout.package;
        const lines = result.variants.map((v) => `${paint(v.version ? `${v.name}-${v.version}` : v.name)}[${v.index ?? ""}]`);
        reporter.result({ text: lines.concat(result.ephemerals).map((l) => `${l}\n`).join("") });
      } else reportResolveFailure(result);
      process.exitCode = resolveExitCode(result);
    } finally {
      await close();
    }
  });
}
