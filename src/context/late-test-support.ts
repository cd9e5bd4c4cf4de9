// Shared by the late-binding tests: package definitions and a family source held in memory.
import type { PackageDefinition, PackageValue } from "../package/index.js";
import type { PackageFamilySource } from "../solver/index.js";

export function def(name: string, version: string, attributes: Record<string, PackageValue> = {}): PackageDefinition {
  return { name, version, format: "rez", file: `/repo/${name}/${version}/package.py`, attributes };
}

export function source(defs: readonly PackageDefinition[]): PackageFamilySource {
  return {
    searchedPaths: ["/repo"],
    getFamily: (name) => {
      const family = defs.filter((d) => d.name === name);
      return family.length ? family : undefined;
    },
  };
}
