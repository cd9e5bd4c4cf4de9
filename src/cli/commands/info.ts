import { Command, Option } from "@commander-js/extra-typings";
import { definitionAsPython, definitionAsYaml } from "../../package/index.js";
import type { PackageDefinition } from "../../package/index.js";
import { Version, VersionRange } from "../../version/index.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import type { RepositorySet } from "../../repository/index.js";

/** `name` (newest), `name-1.2` (exact, else newest in the range), `name==1.2`, `name-1+<2`, `name@1.2`. */
export async function findPackage(set: RepositorySet, request: string): Promise<PackageDefinition> {
  const exact = await set.getFamily(request);
  let name = request;
  let rangeText: string | undefined;
  let family = exact;
  if (!family) {
    const at = request.search(/[-@#=<>]/);
    if (at > 0) {
      name = request.slice(0, at);
      rangeText = /[-@#]/.test(request[at]) ? request.slice(at + 1) : request.slice(at);
      family = await set.getFamily(name);
    }
  }
  if (!family) {
    throw new CliError("PKG0006", `package family '${name}' not found in ${set.searchedPaths.length > 0 ? set.searchedPaths.join(", ") : "(no package paths)"}`, "check the name, or the paths with -r/--repo, --paths or PKG_PACKAGES_PATH");
  }
  if (family.length === 0) throw new CliError("PKG0007", `package family '${name}' has no packages`);
  if (rangeText === undefined || rangeText === "") return family[family.length - 1];
  const byString = family.filter((d) => d.version === rangeText);
  if (byString.length > 0) return byString[0];
  let range: VersionRange;
  try {
    range = VersionRange.parse(rangeText);
  } catch (error) {
    throw new CliError("PKG0005", `'${request}': ${(error as Error).message}`, undefined, error);
  }
  for (let i = family.length - 1; i >= 0; i--) {
    try {
      if (range.contains(Version.parse(family[i].version))) return family[i];
    } catch {
      // unparsable version strings cannot match a range
    }
  }
  throw new CliError("PKG0007", `no version of '${name}' matches '${rangeText}'`, `available: ${family.map((d) => d.version).join(", ")}`);
}

export function infoCommand() {
  return withRepositoryOptions(
    new Command("info")
      .description("show a package's definition (newest version unless one is given): every attribute, where it was loaded from")
      .argument("<package>", "NAME, NAME-VERSION or NAME-RANGE (e.g. foo, foo-1.2, 'foo-1+<2')")
      .option("--json", 'print the definition as JSON: {"name", "version", "format", "file", "attributes", "uri", "repository", ...} (docs/json.md)')
      .addOption(new Option("-f, --format <format>", "text format").choices(["yaml", "py"] as const).default("yaml" as const)),
  ).action(async (request, options, command) => {
    const { set, close } = openCliRepositories(repositoryOptionsOf(command));
    try {
      const definition = await findPackage(set, request);
      printWarnings(set.warnings);
      const repository = set.searchedPaths.find((p) => definition.file.startsWith(p)) ?? null;
      if (options.json) {
        cliReporter().result({ json: { ...definition, uri: definition.file, repository } });
        return;
      }
      const header = `# ${definition.name}${definition.version ? `-${definition.version}` : ""} (${definition.format})\n# loaded from: ${definition.file}\n`;
      cliReporter().result({ text: header + (options.format === "py" ? definitionAsPython(definition) : definitionAsYaml(definition)) });
    } finally {
      await close();
    }
  });
}
