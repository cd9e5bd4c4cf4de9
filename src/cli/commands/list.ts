import { Command } from "@commander-js/extra-typings";
import type { PackageDefinition } from "../../package/index.js";
import { fnmatchToRegExp } from "../../glob/index.js";
import { parseSearchRequest } from "../../query/index.js";
import { Version } from "../../version/index.js";
import type { VersionRange } from "../../version/index.js";
import { cliReporter } from "../output.js";
import { collect, openCliRepositories, printWarnings, repositoryOptionsOf, requireExistingRepositories, withRepositoryOptions } from "../repositories.js";

function inRange(range: VersionRange, version: string): boolean {
  try {
    return range.contains(Version.parse(version));
  } catch {
    return false;
  }
}

function tagsOf(definition: PackageDefinition): Set<string> {
  const tags = new Set(definition.pkgrs?.tags ?? []);
  const declared = definition.attributes.tags;
  if (Array.isArray(declared)) for (const t of declared) if (typeof t === "string") tags.add(t);
  if (definition.format === "toolset") tags.add("toolset");
  return tags;
}

export function listCommand() {
  return withRepositoryOptions(
    new Command("list")
      .alias("ls")
      .description("list packages (name-version per line, sorted by name then version)")
      .argument("[patterns...]", "family-name globs (*, ?, [seq]; case-insensitive) or requests (maya-2024, 'houdini-20+<21')")
      .option("-L, --latest", "only the newest version of each family")
      .option("-t, --tag <tag>", "only packages having this tag (repeatable; all must match)", collect, [] as string[])
      .option("--json", 'print a JSON array of {"name", "version", "uri"} (docs/json.md)'),
  ).action(async (patterns, options, command) => {
    const repos = openCliRepositories(repositoryOptionsOf(command));
    const { set, close } = repos;
    try {
      requireExistingRepositories(repos);
      // As rez-search reads its pattern: a request whose name may be a glob, or a glob alone.
      const matchers = patterns.map((p) => {
        const { namePattern, range } = parseSearchRequest(p);
        return { name: fnmatchToRegExp(namePattern, { ignoreCase: true }), range };
      });
      const names = (await set.familyNames()).filter((name) => matchers.length === 0 || matchers.some((m) => m.name.test(name)));
      const rows: PackageDefinition[] = [];
      for (const name of names) {
        const ranges = matchers.filter((m) => m.name.test(name)).map((m) => m.range);
        let family = (await set.getFamily(name)) ?? [];
        if (ranges.length > 0 && !ranges.includes(null)) family = family.filter((d) => ranges.some((r) => r !== null && inRange(r, d.version)));
        if (options.tag.length > 0) family = family.filter((d) => { const tags = tagsOf(d); return options.tag.every((t) => tags.has(t)); });
        if (options.latest && family.length > 0) family = [family[family.length - 1]];
        rows.push(...family);
      }
      printWarnings(set.warnings);
      cliReporter().result(
        options.json
          ? { json: rows.map((d) => ({ name: d.name, version: d.version, uri: d.file })) }
          : { text: rows.map((d) => (d.version ? `${d.name}-${d.version}\n` : `${d.name}\n`)).join("") },
      );
    } finally {
      await close();
    }
  });
}
