// A family's "head": what rez-depends and rez-plugins read of its newest package (Rez's max by version), kept
// small so that a repository can index every family's head in its cache and answer without loading them.
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { variantRequires } from "../package/index.js";
import { Version, parseRequirement } from "../version/index.js";

export interface FamilyHead {
  /** The newest package's version. */
  readonly version: string;
  /**
   * The families its `requires` and every variant's requirements name, in order, each once: conflicts
   * (`!foo`) and weak requests (`~foo`) left out, as rez-depends leaves them out.
   */
  readonly requires: readonly string[];
  /** The same of `build_requires` and `private_build_requires`. */
  readonly buildRequires: readonly string[];
  readonly privateBuildRequires: readonly string[];
  readonly pluginFor: readonly string[];
  readonly hasPlugins: boolean;
}

function strings(value: PackageValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The families named by requirement texts, each once; conflicts and texts that do not parse name none. */
function requiredNames(texts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    try {
      const requirement = parseRequirement(text);
      if (!requirement.conflict) names.add(requirement.name);
    } catch {
      // a requirement that does not parse names nothing (the package's load warned about it)
    }
  }
  return [...names];
}

/** Rez order key of a version string; unparsable strings sort after every version, by text. */
export function versionSortKey(version: string): string {
  try {
    return Version.parse(version).key;
  } catch {
    return `\uffff${version}`;
  }
}

/** The head of a family's packages (the newest by version; the first of equals); undefined for none. */
export function familyHeadOf(definitions: readonly PackageDefinition[]): FamilyHead | undefined {
  let newest: PackageDefinition | undefined;
  let newestKey = "";
  for (const definition of definitions) {
    const key = versionSortKey(definition.version);
    if (newest === undefined || key > newestKey) {
      newest = definition;
      newestKey = key;
    }
  }
  if (!newest) return undefined;
  const attributes = newest.attributes;
  const requires = strings(attributes.requires);
  const variants = attributes.variants;
  const count = Array.isArray(variants) ? variants.length : 0;
  for (let index = 0; index < count; index++) requires.push(...variantRequires(newest, index));
  return {
    version: newest.version,
    requires: requiredNames(requires),
    buildRequires: requiredNames(strings(attributes.build_requires)),
    privateBuildRequires: requiredNames(strings(attributes.private_build_requires)),
    pluginFor: strings(attributes.plugin_for),
    hasPlugins: attributes.has_plugins === true,
  };
}

/** A well-formed head read back from an index, or undefined. */
export function parseFamilyHead(raw: unknown): FamilyHead | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const h = raw as Record<string, unknown>;
  const list = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
  if (typeof h.version !== "string" || !list(h.requires) || !list(h.buildRequires) || !list(h.privateBuildRequires) || !list(h.pluginFor) || typeof h.hasPlugins !== "boolean") {
    return undefined;
  }
  return h as unknown as FamilyHead;
}
