import { Command, Option } from "@commander-js/extra-typings";
import { stringify as toYaml } from "yaml";
import type { PackageDefinition, PackageValue } from "../../package/index.js";
import { Version, VersionRange } from "../../version/index.js";
import { CliError } from "../errors.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import type { RepositorySet } from "../../repository/index.js";

// Rez's package_key_order: these first, then the rest in file order.
const KEY_ORDER = [
  "name", "version", "description", "authors", "tools", "has_plugins", "plugin_for", "requires", "build_requires",
  "private_build_requires", "variants", "commands", "pre_commands", "post_commands", "help", "config", "uuid",
  "timestamp", "release_message", "changelog", "vcs", "revision", "previous_version", "previous_revision",
];

function orderedAttributes(definition: PackageDefinition): [string, PackageValue][] {
  const attributes: Record<string, PackageValue> = { name: definition.name, ...(definition.version ? { version: definition.version } : {}), ...definition.attributes };
  if (definition.version) attributes.version = definition.version;
  attributes.name = definition.name;
  const keys = Object.keys(attributes);
  const known = KEY_ORDER.filter((k) => k in attributes);
  return [...known, ...keys.filter((k) => !KEY_ORDER.includes(k))].map((k) => [k, attributes[k]]);
}

function isSource(value: PackageValue): value is Extract<PackageValue, { kind: "source" }> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === "source" && typeof (value as { source?: unknown }).source === "string";
}

/** SourceCode becomes its text, for YAML and JSON-ish output. */
function plain(value: PackageValue): unknown {
  if (isSource(value)) return value.source;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v as PackageValue)]));
  return value;
}

function pyLiteral(value: PackageValue, indent = ""): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (isSource(value)) return JSON.stringify(value.source);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v: PackageValue) => pyLiteral(v, inner));
    return items.length === 1 && !items[0].includes("\n") ? `[${items[0]}]` : `[\n${items.map((i) => `${inner}${i}`).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, PackageValue>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyLiteral(v, inner)}`).join(",\n")}\n${indent}}`;
}

function asPython(definition: PackageDefinition): string {
  const blocks = orderedAttributes(definition).map(([key, value]) => (isSource(value) ? value.source.trimEnd() : `${key} = ${pyLiteral(value)}`));
  return `# -*- coding: utf-8 -*-\n\n${blocks.join("\n\n")}\n`;
}

function asYaml(definition: PackageDefinition): string {
  const data: Record<string, unknown> = Object.fromEntries(orderedAttributes(definition).map(([k, v]) => [k, plain(v)]));
  if (definition.pkgrs) {
    const { envs, apps, tags } = definition.pkgrs;
    if (envs.length > 0) data.envs = envs;
    if (apps.length > 0) data.apps = apps;
    if (tags.length > 0 && !("tags" in data)) data.tags = tags;
  }
  return toYaml(data, { lineWidth: 0 });
}

/** `name` (newest), `name-1.2` (exact, else newest in the range), `name==1.2`, `name-1+<2`, `name@1.2`. */
async function findPackage(set: RepositorySet, request: string): Promise<PackageDefinition> {
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
    throw new CliError(`package family '${name}' not found in ${set.searchedPaths.length > 0 ? set.searchedPaths.join(", ") : "(no package paths)"}`, 2, "check the name, or the paths with -r/--repo, --paths or PKG_PACKAGES_PATH");
  }
  if (family.length === 0) throw new CliError(`package family '${name}' has no packages`, 2);
  if (rangeText === undefined || rangeText === "") return family[family.length - 1];
  const byString = family.filter((d) => d.version === rangeText);
  if (byString.length > 0) return byString[0];
  let range: VersionRange;
  try {
    range = VersionRange.parse(rangeText);
  } catch (error) {
    throw new CliError(`'${request}': ${(error as Error).message}`, 2);
  }
  for (let i = family.length - 1; i >= 0; i--) {
    try {
      if (range.contains(Version.parse(family[i].version))) return family[i];
    } catch {
      // unparsable version strings cannot match a range
    }
  }
  throw new CliError(`no version of '${name}' matches '${rangeText}'`, 2, `available: ${family.map((d) => d.version).join(", ")}`);
}

export function infoCommand() {
  return withRepositoryOptions(
    new Command("info")
      .alias("view")
      .description("show a package's definition (newest version unless one is given): every attribute, where it was loaded from")
      .argument("<package>", "NAME, NAME-VERSION or NAME-RANGE (e.g. foo, foo-1.2, 'foo-1+<2')")
      .option("--json", "print the definition as JSON")
      .addOption(new Option("-f, --format <format>", "text format").choices(["yaml", "py"] as const).default("yaml" as const)),
  ).action(async (request, options, command) => {
    const { set, close } = openCliRepositories(repositoryOptionsOf(command));
    try {
      const definition = await findPackage(set, request);
      printWarnings(set.warnings);
      const repository = set.searchedPaths.find((p) => definition.file.startsWith(p)) ?? null;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...definition, uri: definition.file, repository }, null, 2)}\n`);
        return;
      }
      const header = `# ${definition.name}${definition.version ? `-${definition.version}` : ""} (${definition.format})\n# loaded from: ${definition.file}\n`;
      process.stdout.write(header + (options.format === "py" ? asPython(definition) : asYaml(definition)));
    } finally {
      await close();
    }
  });
}
