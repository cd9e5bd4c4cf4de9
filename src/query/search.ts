// rez-search over a repository set: families, packages or variants matching a pattern, in Rez's order.
import { isAbsolute, relative, sep } from "node:path";
import { fnmatchToRegExp } from "../glob/index.js";
import { isSourceCode, variantRequires, variantSubpath } from "../package/index.js";
import type { LoadWarning, PackageDefinition, PackageValue } from "../package/index.js";
import type { RepositorySet } from "../repository/index.js";
import { Requirement, Version } from "../version/index.js";
import { FormatObject } from "./format.js";
import type { FieldLookup, FormatValue } from "./format.js";
import { parseSearchRequest } from "./request.js";

export type SearchType = "family" | "package" | "variant";

export interface SearchOptions {
  /** undefined: Rez's auto (packages when a range is given or one family matches, else families). */
  readonly type?: SearchType;
  readonly latest?: boolean;
  /** Epoch seconds; 0 or undefined: no bound. */
  readonly after?: number;
  readonly before?: number;
  /** Report packages that failed to load or validate (instead of only warning about them). */
  readonly validate?: boolean;
  /** Only the packages that failed (rez-search --errors): the others are not results. */
  readonly errorsOnly?: boolean;
}

export type SearchResult =
  | { readonly type: "family"; readonly name: string }
  | { readonly type: "package"; readonly name: string; readonly version: string; readonly definition?: PackageDefinition; readonly file: string; readonly error?: string }
  | { readonly type: "variant"; readonly definition: PackageDefinition; readonly index: number | null };

export interface SearchOutcome {
  readonly type: SearchType;
  readonly results: readonly SearchResult[];
}

function versionOf(text: string): Version | undefined {
  try {
    return Version.parse(text);
  } catch {
    return undefined;
  }
}

/** Where a broken definition sits: `<repository>/<family>/<version>/file`, or `<family>/file` unversioned. */
function brokenPackageOf(warning: LoadWarning, locations: readonly string[]): { name: string; version: string } | undefined {
  for (const location of locations) {
    const rel = relative(location, warning.file);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) continue;
    const parts = rel.split(sep);
    if (parts.length === 2) return { name: parts[0]!, version: "" };
    if (parts.length === 3) return { name: parts[0]!, version: parts[1]! };
  }
  return undefined;
}

interface Candidate {
  readonly version: string;
  readonly definition?: PackageDefinition;
  readonly warning?: LoadWarning;
}

function compareVersions(a: string, b: string): number {
  const va = versionOf(a);
  const vb = versionOf(b);
  if (va && vb) return va.compare(vb);
  return a < b ? -1 : a > b ? 1 : 0;
}

function timestampOf(definition: PackageDefinition): number | undefined {
  const t = definition.attributes.timestamp;
  return typeof t === "number" && t !== 0 ? t : undefined;
}

export function numVariants(definition: PackageDefinition): number {
  const variants = definition.attributes.variants;
  return Array.isArray(variants) ? variants.length : 0;
}

/** Runs a search; `request` is rez-search's PKG argument (a glob, or a request naming versions). */
export async function searchPackages(set: RepositorySet, request: string | undefined, options: SearchOptions = {}): Promise<SearchOutcome> {
  const { namePattern, range } = parseSearchRequest(request);
  const matcher = fnmatchToRegExp(namePattern);
  const names = (await set.familyNames()).filter((name) => matcher.test(name));
  const type: SearchType = options.type ?? (range !== null || names.length === 1 ? "package" : "family");
  if (type === "family") return { type, results: names.map((name) => ({ type: "family", name })) };

  const results: SearchResult[] = [];
  const inRange = (version: string): boolean => {
    if (range === null) return true;
    const v = versionOf(version);
    return v !== undefined && range.contains(v);
  };
  for (const name of names) {
    const candidates: Candidate[] = ((await set.getFamily(name)) ?? []).filter((d) => inRange(d.version)).map((definition) => ({ version: definition.version, definition }));
    if (options.validate) {
      const have = new Set(candidates.map((c) => c.version));
      for (const warning of set.warnings) {
        const broken = brokenPackageOf(warning, set.searchedPaths);
        if (!broken || broken.name !== name || have.has(broken.version) || !inRange(broken.version)) continue;
        have.add(broken.version);
        candidates.push({ version: broken.version, warning });
      }
      candidates.sort((a, b) => compareVersions(a.version, b.version));
    }
    const chosen = options.latest && candidates.length > 0 ? [candidates[candidates.length - 1]!] : candidates;
    for (const candidate of chosen) {
      const { definition, warning } = candidate;
      if (!definition) {
        // a broken package is a result only when packages are searched, as in Rez
        if (type === "package" && warning) results.push({ type, name, version: candidate.version, file: warning.file, error: warning.message });
        continue;
      }
      if (options.errorsOnly) continue;
      // the attributes are parsed from the cache when first read: only for a time bound
      const timestamp = options.after || options.before ? timestampOf(definition) : undefined;
      if (timestamp !== undefined) {
        if (options.after && timestamp < options.after) continue;
        if (options.before && timestamp >= options.before) continue;
      }
      if (type === "package") {
        results.push({ type, name, version: definition.version, definition, file: definition.file });
        continue;
      }
      const count = numVariants(definition);
      if (count === 0) results.push({ type, definition, index: null });
      for (let index = 0; index < count; index++) results.push({ type, definition, index });
    }
  }
  return { type, results };
}

/** `foo-1.2`, `foo` unversioned; a variant adds `[index]` (`[]` for a package without variants). */
export function qualifiedName(result: SearchResult): string {
  if (result.type === "family") return result.name;
  const name = result.type === "package" ? result.name : result.definition.name;
  const version = result.type === "package" ? result.version : result.definition.version;
  const base = version ? `${name}-${version}` : name;
  return result.type === "variant" ? `${base}[${result.index ?? ""}]` : base;
}

function requirementObject(text: string): FormatObject {
  try {
    const r = Requirement.parse(text);
    return new FormatObject(r.toString(), { name: r.name, conflict: r.conflict, weak: r.weak, range: r.range ? r.range.toString() : "" });
  } catch {
    return new FormatObject(text);
  }
}

function versionObject(text: string): FormatObject {
  const version = versionOf(text);
  const attributes: Record<string, FormatValue> = {};
  if (version) {
    const [major, minor, patch] = version.tokens;
    if (major !== undefined) attributes.major = major;
    if (minor !== undefined) attributes.minor = minor;
    if (patch !== undefined) attributes.patch = patch;
  }
  return new FormatObject(text, attributes);
}

function plainValue(value: PackageValue): FormatValue {
  if (isSourceCode(value)) return value.source;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, PackageValue>).map(([k, v]) => [k, plainValue(v)]));
  return value as FormatValue;
}

function stringList(value: PackageValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

const REQUIREMENT_KEYS = new Set(["requires", "build_requires", "private_build_requires"]);
// Rez's package schema keys: one the package does not set formats as empty (None), any other as written.
const SCHEMA_KEYS = new Set([
  "name", "version", "description", "authors", "requires", "build_requires", "private_build_requires", "variants",
  "relocatable", "cachable", "hashed_variants", "tools", "has_plugins", "plugin_for", "uuid", "config", "commands",
  "pre_commands", "post_commands", "pre_build_commands", "pre_test_commands", "help", "tests", "timestamp",
  "revision", "changelog", "release_message", "previous_version", "previous_revision", "vcs", "base", "format_version",
]);

/** The fields --format reads for a package or variant result (a family has none: Rez prints its name). */
export function resultFields(result: SearchResult): FieldLookup {
  if (result.type === "family") return (name) => (name === "name" ? result.name : undefined);
  const definition = result.type === "package" ? result.definition : result.definition;
  const file = result.type === "package" ? result.file : result.definition.file;
  const base = file.slice(0, Math.max(file.lastIndexOf(sep), 0));
  const variant = result.type === "variant";
  const index = variant ? result.index : null;
  return (name) => {
    switch (name) {
      case "qualified_name":
        return qualifiedName(result);
      case "name":
        return definition?.name ?? (result.type === "package" ? result.name : undefined);
      case "version":
        return versionObject(definition?.version ?? (result.type === "package" ? result.version : ""));
      case "uri":
        return variant ? `${file}[${index ?? ""}]` : file;
      case "base":
        return base;
      case "index":
        return variant ? index : undefined;
      case "root": {
        if (!variant || !definition) return undefined;
        const subpath = variantSubpath(definition, index);
        return subpath === null ? base : `${base}${sep}${subpath}`;
      }
      case "num_variants":
        return variant || !definition ? undefined : numVariants(definition);
      case "requires":
        if (!definition) return undefined;
        return [...stringList(definition.attributes.requires), ...variantRequires(definition, index)].map(requirementObject);
    }
    if (!definition) return undefined;
    const value = definition.attributes[name];
    if (value === undefined) return SCHEMA_KEYS.has(name) ? null : undefined;
    if (REQUIREMENT_KEYS.has(name)) return stringList(value).map(requirementObject);
    return plainValue(value);
  };
}
