// In-memory repositories for solver tests: family -> version -> requires / variants.
import type { PackageDefinition } from "../package/index.js";
import { PackageOrderList } from "./orderers.js";
import type { SolverSettings } from "./source.js";
import type { PackageFamilySource } from "./source.js";

/** The settings a plain `resolve` gives the solver (no time limit, every failure kept), with overrides. */
export function testSolverSettings(overrides: Partial<SolverSettings> = {}): SolverSettings {
  return {
    building: false,
    variantSelectMode: "version_priority",
    orderers: new PackageOrderList(),
    filter: null,
    errorOnMissingVariantRequires: true,
    optimised: true,
    maxFails: -1,
    timeLimit: -1,
    warn: () => {},
    ...overrides,
  };
}

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
