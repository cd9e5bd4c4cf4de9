// An in-memory repository for tests and generated packages: `{ name: { version: attributes } }`.
import type { LoadWarning, PackageDefinition, PackageValue } from "../package/index.js";
import type { PackageRepository } from "./types.js";

/** Rez's key for an unversioned package in a memory repository. */
export const NO_VERSION = "_NO_VERSION";

export type MemoryRepositoryData = {
  readonly [name: string]: { readonly [version: string]: { readonly [key: string]: PackageValue } };
};

export class MemoryRepository implements PackageRepository {
  readonly uid: string;
  readonly location: string;
  readonly warnings: readonly LoadWarning[] = [];
  private readonly data: MemoryRepositoryData;

  constructor(data: MemoryRepositoryData, label = "memory") {
    this.data = data;
    this.location = `memory@${label}`;
    this.uid = this.location;
  }

  async familyNames(): Promise<string[]> {
    return Object.keys(this.data).sort();
  }

  async loadFamily(name: string): Promise<PackageDefinition[] | undefined> {
    if (!Object.hasOwn(this.data, name)) return undefined;
    return Object.entries(this.data[name]).map(([key, attributes]) => {
      const version = key === NO_VERSION ? "" : key;
      return {
        name,
        version,
        format: "rez",
        file: `${this.location}/${name}${version ? `/${version}` : ""}`,
        attributes: { ...attributes, name, ...(version ? { version } : {}) },
      };
    });
  }
}
