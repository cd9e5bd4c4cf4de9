// In-memory repositories for solver tests: family -> version -> requires / variants.
import type { PackageDefinition } from "../package/index.js";
import type { PackageFamilySource } from "./source.js";

export type Spec = { requires?: string[]; variants?: string[][] };
export type RepoData = Record<string, Record<string, Spec>>;

function def(name: string, version: string, spec: Spec): PackageDefinition {
  const attributes: Record<string, string[] | string[][]> = {};
  if (spec.requires) attributes["requires"] = spec.requires;
  if (spec.variants) attributes["variants"] = spec.variants;
  const file = version ? `/repo/${name}/${version}/package.py` : `/repo/${name}/package.py`;
  return { name, version, format: "rez", file, attributes };
}

export function memorySource(data: RepoData): PackageFamilySource {
  return {
    searchedPaths: ["/repo"],
    getFamily(name) {
      const fam = data[name];
      if (!fam) return undefined;
      return Object.entries(fam).map(([v, s]) => def(name, v, s));
    },
  };
}
