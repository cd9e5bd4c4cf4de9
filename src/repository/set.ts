// Several repositories in priority order. An earlier repository hides a package of the same name AND version
// in a later one (Rez's iter_packages); other versions of the family still come from every repository.
import type { LoadWarning, PackageDefinition } from "../package/index.js";
import { versionIdentityKey } from "./names.js";
import type { PackageRepository } from "./types.js";

export type ScanProgress = (done: number, total: number, family: string) => void;

export interface RepositorySetOptions {
  /** Orders each family's definitions (ascending); defaults to repository order. */
  readonly compareVersions?: (a: string, b: string) => number;
}

export class RepositorySet {
  readonly repositories: readonly PackageRepository[];
  private readonly families = new Map<string, Promise<readonly PackageDefinition[] | undefined>>();
  private readonly compareVersions: ((a: string, b: string) => number) | undefined;

  constructor(repositories: readonly PackageRepository[], options: RepositorySetOptions = {}) {
    this.repositories = repositories;
    this.compareVersions = options.compareVersions;
  }

  /** Repository locations in search order (for "not found" messages). */
  get searchedPaths(): readonly string[] {
    return this.repositories.map((r) => r.location);
  }

  /** Every visible package of a family, ascending by version; undefined when no repository has the family. */
  getFamily(name: string): Promise<readonly PackageDefinition[] | undefined> {
    let family = this.families.get(name);
    if (!family) {
      family = this.mergeFamily(name);
      this.families.set(name, family);
    }
    return family;
  }

  family(name: string): Promise<readonly PackageDefinition[] | undefined> {
    return this.getFamily(name);
  }

  private async mergeFamily(name: string): Promise<readonly PackageDefinition[] | undefined> {
    const seen = new Set<string>();
    let found = false;
    const merged: PackageDefinition[] = [];
    for (const repository of this.repositories) {
      const definitions = await repository.loadFamily(name);
      if (!definitions) continue;
      found = true;
      for (const definition of definitions) {
        const key = versionIdentityKey(definition.version);
        if (seen.has(key)) continue;
        seen.add(key);
        merged.push(definition);
      }
    }
    if (!found) return undefined;
    const compare = this.compareVersions;
    if (compare) merged.sort((a, b) => compare(a.version, b.version));
    return merged;
  }

  /** Union of family names over every repository, sorted. */
  async familyNames(): Promise<string[]> {
    const names = new Set<string>();
    for (const repository of this.repositories) for (const name of await repository.familyNames()) names.add(name);
    return [...names].sort();
  }

  /** Loads every family of every repository (filling the cache); `onProgress` is called after each family. */
  async allPackages(onProgress?: ScanProgress): Promise<PackageDefinition[]> {
    const names = await this.familyNames();
    const all: PackageDefinition[] = [];
    let done = 0;
    for (const name of names) {
      const family = await this.getFamily(name);
      if (family) all.push(...family);
      onProgress?.(++done, names.length, name);
    }
    return all;
  }

  /** Warnings of every repository, in repository order. */
  get warnings(): readonly LoadWarning[] {
    return this.repositories.flatMap((r) => r.warnings);
  }
}
