import { Command, Option } from "@commander-js/extra-typings";
import { SearchTimeError, formatResource, parseSearchTime, qualifiedName, resultFields, searchPackages, numVariants } from "../../query/index.js";
import type { SearchResult, SearchType } from "../../query/index.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions, withoutLocalPackages } from "../repositories.js";
import type { RepositoryOptions } from "../repositories.js";

function timeArgument(option: string, text: string): number {
  try {
    return parseSearchTime(text, Date.now() / 1000);
  } catch (error) {
    if (error instanceof SearchTimeError) {
      throw new CliError("PKG0041", `${option}: ${error.message}`, "give epoch seconds (1393014494) or a time before now: -10s, -5m, -0.5h, -10d");
    }
    throw error;
  }
}

function resultJson(result: SearchResult): Record<string, unknown> {
  if (result.type === "family") return { type: "family", name: result.name };
  if (result.type === "package") {
    const d = result.definition;
    return {
      type: "package",
      name: result.name,
      version: result.version,
      qualified_name: qualifiedName(result),
      uri: result.file,
      timestamp: typeof d?.attributes.timestamp === "number" ? d.attributes.timestamp : null,
      num_variants: d ? numVariants(d) : null,
      error: result.error ?? null,
    };
  }
  const fields = resultFields(result);
  return {
    type: "variant",
    name: result.definition.name,
    version: result.definition.version,
    qualified_name: qualifiedName(result),
    index: result.index,
    uri: fields("uri"),
    root: fields("root"),
    error: null,
  };
}

function resultLines(result: SearchResult, format: string | undefined, noNewlines: boolean): string[] {
  if (result.type === "family") return [result.name];
  if (result.type === "package" && result.error !== undefined) return [qualifiedName(result), result.error];
  if (format) return formatResource(format, resultFields(result), noNewlines);
  return [qualifiedName(result)];
}

export function searchCommand() {
  return withRepositoryOptions(
    new Command("search")
      .description("search for package families, packages or variants (rez-search): a name glob or a request")
      .argument("[pattern]", "family-name glob (`pa*`) or request (`foo-1+<2`, `~foo-2`); all families when left out")
      .addOption(new Option("-t, --type <type>", "what to search for; auto: packages when the pattern names versions or matches one family, else families").choices(["package", "family", "variant", "auto"] as const).default("auto" as const))
      .option("--nl", "do not search the local packages path (same as --no-local)")
      .option("--no-local", "do not search the local packages path (local_packages_path)")
      .option("--validate", "report packages that failed to load (as a result with its error)")
      .option("-f, --format <format>", "format each result, e.g. '{qualified_name} | {description}'; fields: version, qualified_name, num_variants, index, root, uri, base, requires, timestamp, description… (abbreviations, {version.major}, {requires[0]})")
      .option("--no-newlines", "print newlines inside values as '\\n'")
      .option("-l, --latest", "only the newest version of each family")
      .option("-e, --errors", "only packages that failed to load (implies --validate)")
      .option("--nw", "do not print warnings (same as --no-warnings)")
      .option("--no-warnings", "do not print warnings")
      .option("--before <time>", "only packages released before this time: epoch seconds, or -10s, -5m, -0.5h, -10d", "0")
      .option("--after <time>", "only packages released after this time: epoch seconds, or -10s, -5m, -0.5h, -10d", "0")
      .option("--json", 'print {"type", "results": [...]} (docs/json.md)'),
  ).action(async (pattern, options, command) => {
    const before = timeArgument("--before", options.before);
    const after = timeArgument("--after", options.after);
    if (after && before && after >= before) throw new CliError("PKG0041", "non-overlapping --before and --after", "--after must be earlier than --before");
    const noLocal = options.nl === true || options.local === false;
    const quiet = options.nw === true || options.warnings === false;
    const repositoryOptions = repositoryOptionsOf(command);
    const { set, close } = openCliRepositories(noLocal ? withoutLocalPackages(repositoryOptions) : repositoryOptions);
    try {
      const type: SearchType | undefined = options.type === "auto" ? undefined : options.type;
      const outcome = await searchPackages(set, pattern, {
        ...(type ? { type } : {}),
        latest: options.latest === true,
        before,
        after,
        validate: options.validate === true || options.errors === true,
        errorsOnly: options.errors === true,
      });
      // with --validate the broken packages are results, not warnings
      if (!quiet && !(options.validate || options.errors)) printWarnings(set.warnings);
      let results = outcome.results;
      if (options.errors) results = results.filter((r) => r.type === "package" && r.error !== undefined);
      const reporter = cliReporter();
      if (results.length === 0) {
        // Rez's messages on stderr, exit 1; a JSON reader still gets its (empty) document
        reporter.info(`No matching ${options.errors ? "erroneous " : ""}${outcome.type} found.`);
        process.exitCode = 1;
      }
      const noNewlines = options.newlines === false;
      reporter.result({
        json: { type: outcome.type, results: results.map(resultJson) },
        text: results.flatMap((r) => resultLines(r, options.format, noNewlines)).map((line) => `${line}\n`).join(""),
      });
    } finally {
      await close();
    }
  });
}
