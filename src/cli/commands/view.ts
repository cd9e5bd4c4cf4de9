import { Command, Option } from "@commander-js/extra-typings";
import { PkgError } from "../../errors/index.js";
import { definitionAsPython, definitionAsRezYaml } from "../../package/index.js";
import type { PackageDefinition } from "../../package/index.js";
import { RELEASE_KEYS } from "../../repository/index.js";
import { loadCliContext } from "../environment.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import { findPackage } from "./info.js";

/** rez-view's answers that are not errors of input: a message and exit 1. */
function notFound(message: string, stdoutText?: string): void {
  const reporter = cliReporter();
  if (reporter.json) reporter.error(new PkgError("PKG0042", message));
  else {
    reporter.info(message);
    if (stdoutText !== undefined) reporter.result({ text: stdoutText });
  }
  process.exitCode = 1;
}

export function viewCommand() {
  return withRepositoryOptions(
    new Command("view")
      .description("print a package's definition as rez-view does (newest in the range): URI, then its contents")
      .argument("<package>", "NAME, NAME-VERSION or NAME-RANGE (e.g. foo, foo-1.2, 'foo-1+<2')")
      .addOption(new Option("-f, --format <format>", "format to print the package in").choices(["py", "yaml"] as const).default("yaml" as const))
      .option("-a, --all", "show all package data, including release-related fields (timestamp, changelog, ...)")
      .option("-b, --brief", "do not print the URI header, only the contents")
      .option("-c, --current", "show the package of the current context (REZ_RXT_FILE), if it has it")
      .option("--json", 'print the definition as `pkg info --json` does (docs/json.md)'),
  ).action(async (request, options, command) => {
    const repositoryOptions = repositoryOptionsOf(command);
    let definition: PackageDefinition;
    let searched: readonly string[];
    if (options.current) {
      const file = process.env.REZ_RXT_FILE;
      if (!file) return notFound("not in a resolved environment context.");
      const { context, repos } = await loadCliContext(file, repositoryOptions);
      try {
        const name = request.split(/[-@#=<>]/)[0] ?? request;
        const variant = context.variants.find((v) => v.name === name);
        if (!variant) return notFound(`Package '${name}' is not in the current context`);
        definition = variant.definition;
        searched = repos.set.searchedPaths;
      } finally {
        await repos.close();
      }
    } else {
      const { set, close } = openCliRepositories(repositoryOptions);
      try {
        try {
          definition = await findPackage(set, request);
        } catch (error) {
          // Rez's answer for an unknown family or version: "no matches found" on stdout, exit 1
          if (error instanceof PkgError && (error.code === "PKG0006" || error.code === "PKG0007")) {
            printWarnings(set.warnings);
            return notFound(error.message, "no matches found\n");
          }
          throw error;
        }
        printWarnings(set.warnings);
        searched = set.searchedPaths;
      } finally {
        await close();
      }
    }
    if (options.json) {
      const repository = searched.find((p) => definition.file.startsWith(p)) ?? null;
      cliReporter().result({ json: { ...definition, uri: definition.file, repository } });
      return;
    }
    const textOptions = options.all ? {} : { skip: RELEASE_KEYS };
    const contents = options.format === "py" ? definitionAsPython(definition, textOptions) : definitionAsRezYaml(definition, textOptions);
    const header = options.brief ? "" : `URI:\n${definition.file}\n\nCONTENTS:\n`;
    cliReporter().result({ text: header + contents });
  });
}
