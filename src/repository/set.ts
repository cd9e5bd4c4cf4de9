// Several repositories in priority order. An earlier repository hides a package of the same name AND version
// in a later one (Rez's iter_packages); other versions of the family still come from every repository.
import type { LoadWarning, PackageDefinition } from "../package/index.js";
import { versionIdentityKey } from "./names.js";
import type { HandledVariant, VariantHandle } from "./handle.js";
import { familyHeadOf, versionSortKey } from "./heads.js";
import type { FamilyHead } from "./heads.js";
import type { FamilyStamp } from "./stamp.js";
import type { PackageRepository } from "./types.js";

const FAMILIES_AT_ONCE = 8;

export type ScanProgress = (done: number, total: number, family: string) => void;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- room for options (filters) later
export interface RepositorySetOptions {}

export class RepositorySet {
  readonly repositories: readonly PackageRepository[];
  private readonly families = new Map<string, Promise<readonly PackageDefinition[] | undefined>>();
  /** The repository each definition handed out came from (for its handle). */
  private readonly origins = new WeakMap<PackageDefinition, PackageRepository>();

  constructor(repositories: readonly PackageRepository[], _options: RepositorySetOptions = {}) {
    this.repositories = repositories;
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

  /** Every repository's stamp of a loaded family, in order; undefined when one of them cannot tell. */
  familyStamp(name: string): FamilyStamp | undefined {
    const stamp: FamilyStamp[number][] = [];
    for (const repository of this.repositories) {
      const own = repository.familyStamp?.(name);
      if (own === undefined) return undefined;
      stamp.push(...own);
    }
    return stamp;
  }

  /** The handle of a variant of a package this set handed out; undefined for a definition from elsewhere. */
  variantHandle(definition: PackageDefinition, index: number | null): VariantHandle | undefined {
    return this.origins.get(definition)?.variantHandle(definition, index);
  }

  /** The variant a handle names, from the repository of its type and location; undefined when it is gone. */
  async variantFromHandle(handle: VariantHandle): Promise<HandledVariant | undefined> {
    const { repository_type: type, location, name, version, index } = handle.variables;
    const repository = this.repositories.find((r) => r.location === location && r.type === type);
    const definition = (await repository?.loadFamily(name))?.find((d) => d.version === (version ?? ""));
    if (definition === undefined) return undefined;
    this.origins.set(definition, repository!);
    return { definition, index: typeof index === "number" ? index : null };
  }

  private async mergeFamily(name: string): Promise<readonly PackageDefinition[] | undefined> {
    const merged = await this.visibleFamily(name);
    if (!merged) return undefined;
    const keyed = merged.map((definition) => ({ definition, key: versionSortKey(definition.version) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((k) => k.definition);
  }

  /** The family after shadowing, in repository order (unsorted). */
  private async visibleFamily(name: string): Promise<readonly PackageDefinition[] | undefined> {
    const seen = new Set<string>();
    let found = false;
    const merged: PackageDefinition[] = [];
    for (const repository of this.repositories) {
      const definitions = await repository.loadFamily(name);
      if (!definitions) continue;
      for (const definition of definitions) this.origins.set(definition, repository);
      // Nothing to shadow with one repository: skip the per-package identity keys.
      if (this.repositories.length === 1) return definitions;
      found = true;
      for (const definition of definitions) {
        const key = versionIdentityKey(definition.version);
        if (seen.has(key)) continue;
        seen.add(key);
        merged.push(definition);
      }
    }
    return found ? merged : undefined;
  }

  /**
   * Every family's head across the repositories: the newest version wins, an earlier repository on a tie
   * (it hides the later one's package of that version). Families without a loadable package have none.
   */
  async familyHeads(): Promise<Map<string, FamilyHead>> {
    const heads = new Map<string, FamilyHead>();
    for (const repository of this.repositories) {
      let own: ReadonlyMap<string, FamilyHead>;
      if (repository.familyHeads) own = await repository.familyHeads();
      else {
        const computed = new Map<string, FamilyHead>();
        for (const name of await repository.familyNames()) {
          const head = familyHeadOf((await repository.loadFamily(name)) ?? []);
          if (head) computed.set(name, head);
        }
        own = computed;
      }
      for (const [name, head] of own) {
        const have = heads.get(name);
        if (!have || versionSortKey(head.version) > versionSortKey(have.version)) heads.set(name, head);
      }
    }
    return heads;
  }

  /** Union of family names over every repository, sorted. */
  async familyNames(): Promise<string[]> {
    const names = new Set<string>();
    for (const repository of this.repositories) for (const name of await repository.familyNames()) names.add(name);
    return [...names].sort();
  }

  /**
   * Loads every family of every repository (filling the cache), in family name order but unsorted within a
   * family; `onProgress` is called after each family. A few families load at once so that files needing
   * Python keep the worker pool busy; everything else is synchronous and unaffected.
   */
  async allPackages(onProgress?: ScanProgress): Promise<PackageDefinition[]> {
    const names = await this.familyNames();
    const loaded = new Array<readonly PackageDefinition[] | undefined>(names.length);
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const index = next++;
        const name = names[index];
        loaded[index] = this.families.has(name) ? await this.getFamily(name) : await this.visibleFamily(name);
        onProgress?.(++done, names.length, name);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FAMILIES_AT_ONCE, names.length) }, worker));
    const all: PackageDefinition[] = [];
    for (const family of loaded) if (family) for (const definition of family) all.push(definition);
    return all;
  }

  /** Warnings of every repository, in repository order, then by file and line (loads finish in any order). */
  get warnings(): readonly LoadWarning[] {
    return this.repositories.flatMap((r) =>
      [...r.warnings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0))),
    );
  }
}
