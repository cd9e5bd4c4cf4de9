import { Command } from "@commander-js/extra-typings";
import type { PackageDefinition } from "../../package/index.js";
import { fnmatchToRegExp } from "../../glob/index.js";
import { cliReporter } from "../output.js";
import { collect, openCliRepositories, printWarnings, repositoryOptionsOf, requireExistingRepositories, withRepositoryOptions } from "../repositories.js";

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
      .argument("[patterns...]", "glob patterns matched against family names (*, ?, [seq]), case-insensitive")
      .option("-L, --latest", "only the newest version of each family")
      .option("-t, --tag <tag>", "only packages having this tag (repeatable; all must match)", collect, [] as string[])
      .option("--json", 'print a JSON array of {"name", "version", "uri"} (docs/json.md)'),
  ).action(async (patterns, options, command) => {
    const repos = openCliRepositories(repositoryOptionsOf(command));
    const { set, close } = repos;
    try {
      requireExistingRepositories(repos);
      const matchers = patterns.map((p) => fnmatchToRegExp(p, { ignoreCase: true }));
      const names = (await set.familyNames()).filter((name) => matchers.length === 0 || matchers.some((m) => m.test(name)));
      const rows: PackageDefinition[] = [];
      for (const name of names) {
        let family = (await set.getFamily(name)) ?? [];
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
