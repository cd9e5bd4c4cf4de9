// rez-depends: which families depend on a family, depth by depth, from each family's newest package.
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { variantRequires } from "../package/index.js";
import type { RepositorySet } from "../repository/index.js";
import { parseRequirement } from "../version/index.js";
import { numVariants } from "./search.js";

export interface DependsOptions {
  /** Levels to follow; undefined: all. */
  readonly depth?: number;
  /** Count build_requires too. */
  readonly buildRequires?: boolean;
  /** Count the private_build_requires of the family asked about (Rez's -p reads only those). */
  readonly privateBuildRequires?: boolean;
}

export interface DependsOutcome {
  /** Depth 0 is the family itself; each next list the families depending on the one before, sorted. */
  readonly levels: readonly (readonly string[])[];
  /** `[dependent, dependency]` pairs, in the order found. */
  readonly edges: readonly (readonly [string, string])[];
}

function strings(value: PackageValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Names required by any variant of the package (conflicts and weak requests left out, as Rez does). */
function requiredNames(definition: PackageDefinition, target: string, options: DependsOptions): Set<string> {
  const texts = [...strings(definition.attributes.requires)];
  if (options.buildRequires) texts.push(...strings(definition.attributes.build_requires));
  if (options.privateBuildRequires && definition.name === target) texts.push(...strings(definition.attributes.private_build_requires));
  const count = numVariants(definition);
  for (let index = 0; index < count; index++) texts.push(...variantRequires(definition, index));
  const names = new Set<string>();
  for (const text of texts) {
    try {
      const requirement = parseRequirement(text);
      if (!requirement.conflict) names.add(requirement.name);
    } catch {
      // a requirement that does not parse names nothing (the package's load warned about it)
    }
  }
  return names;
}

/** The reverse-dependency tree of `name`; undefined when there is no such family. */
export async function reverseDependencies(set: RepositorySet, name: string, options: DependsOptions = {}): Promise<DependsOutcome | undefined> {
  const names = await set.familyNames();
  if (!names.includes(name)) return undefined;
  const levels: string[][] = [[name]];
  const edges: [string, string][] = [];
  if (options.depth === 0) return { levels, edges };
  const dependents = new Map<string, Set<string>>();
  for (const family of names) {
    const packages = await set.getFamily(family);
    const latest = packages?.[packages.length - 1];
    if (!latest) continue;
    for (const required of requiredNames(latest, name, options)) {
      let set_ = dependents.get(required);
      if (!set_) dependents.set(required, (set_ = new Set()));
      set_.add(family);
    }
  }
  const consumed = new Set([name]);
  let working = [name];
  for (let depth = 0; working.length > 0 && (options.depth === undefined || depth < options.depth); depth++) {
    const next: string[] = [];
    for (const child of working) {
      for (const parent of dependents.get(child) ?? []) {
        if (consumed.has(parent)) continue;
        consumed.add(parent);
        next.push(parent);
        edges.push([parent, child]);
      }
    }
    if (next.length > 0) levels.push(next.sort());
    working = next;
  }
  return { levels, edges };
}
