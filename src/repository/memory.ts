// An in-memory repository for tests and generated packages: `{ name: { version: attributes } }`. It can be
// written like a filesystem repository (installs merge variants the same way), without payload files.
import { rmSync } from "node:fs";
import { variantSubpath } from "../package/index.js";
import type { LoadWarning, PackageDefinition, PackageValue } from "../package/index.js";
import type { VariantHandle } from "./handle.js";
import { mergeVariant } from "./merge.js";
import type { IgnoredVersion, TagChange, VariantInstall, VariantInstallResult, WritableRepository } from "./writable.js";
import { PkgError } from "../errors/index.js";

/** Rez's key for an unversioned package in a memory repository. */
export const NO_VERSION = "_NO_VERSION";

type Attributes = { readonly [key: string]: PackageValue };

export type MemoryRepositoryData = {
  readonly [name: string]: { readonly [version: string]: Attributes };
};

export class MemoryRepository implements WritableRepository {
  readonly type = "memory";
  readonly uid: string;
  readonly location: string;
  readonly warnings: readonly LoadWarning[] = [];
  private readonly data: { [name: string]: { [version: string]: Attributes } };
  /** `name\0version` of each ignored version, and when it was ignored (ms). */
  private readonly ignored = new Map<string, number>();

  constructor(data: MemoryRepositoryData = {}, label = "memory") {
    this.data = Object.fromEntries(Object.entries(data).map(([name, versions]) => [name, { ...versions }]));
    this.location = `memory@${label}`;
    this.uid = this.location;
  }

  async familyNames(): Promise<string[]> {
    return Object.keys(this.data).sort();
  }

  private definitionOf(name: string, key: string, attributes: Attributes): PackageDefinition {
    const version = key === NO_VERSION ? "" : key;
    return {
      name,
      version,
      format: "rez",
      file: `${this.location}/${name}${version ? `/${version}` : ""}`,
      attributes: { ...attributes, name, ...(version ? { version } : {}) },
    };
  }

  async loadFamily(name: string): Promise<PackageDefinition[] | undefined> {
    if (!Object.hasOwn(this.data, name)) return undefined;
    return Object.entries(this.data[name]!)
      .filter(([key]) => !this.ignored.has(`${name}\0${key}`))
      .map(([key, attributes]) => this.definitionOf(name, key, attributes));
  }

  variantHandle(definition: PackageDefinition, index: number | null): VariantHandle {
    return {
      key: "memory.variant",
      variables: { index, location: this.location, name: definition.name, repository_type: "memory", ...(definition.version !== "" ? { version: definition.version } : {}) },
    };
  }

  variantRoot(name: string, version: string, subpath: string | null): string {
    const base = `${this.location}/${name}${version ? `/${version}` : ""}`;
    return subpath ? `${base}/${subpath}` : base;
  }

  async installVariant(install: VariantInstall): Promise<VariantInstallResult> {
    const { name, version } = install.definition;
    const key = version === "" ? NO_VERSION : version;
    const installed = this.data[name]?.[key];
    const merge = mergeVariant({
      name,
      version,
      installed,
      built: install.definition.attributes,
      index: install.index,
      overwrite: install.overwrite ?? false,
      now: Math.floor(Date.now() / 1000),
      ...(install.extraAttributes ? { extraAttributes: install.extraAttributes } : {}),
    });
    // A memory repository holds no files: a staged payload has nowhere to go.
    if (install.payload) rmSync(install.payload, { recursive: true, force: true });
    if (merge.status !== "existing") (this.data[name] ??= {})[key] = merge.attributes;
    const subpath = install.index === null ? null : variantSubpath(install.definition, install.index);
    return { status: merge.status, definition: this.definitionOf(name, key, merge.attributes), index: merge.index, root: this.variantRoot(name, version, subpath) };
  }

  async removePackage(name: string, version: string): Promise<boolean> {
    const key = version === "" ? NO_VERSION : version;
    const family = this.data[name];
    if (!family || !Object.hasOwn(family, key)) return false;
    delete family[key];
    this.ignored.delete(`${name}\0${key}`);
    return true;
  }

  async removeFamily(name: string, options: { readonly force?: boolean } = {}): Promise<boolean> {
    const family = this.data[name];
    if (!family) return false;
    const count = Object.keys(family).length;
    if (count > 0 && !options.force) {
      throw new PkgError("PKG0032", `the family ${name} in ${this.location} still has ${count} package${count === 1 ? "" : "s"}`, { hint: "remove its packages first, or force the removal" });
    }
    delete this.data[name];
    return true;
  }

  async ignoreVersion(name: string, version: string, options: { readonly allowMissing?: boolean } = {}): Promise<TagChange> {
    return this.setIgnored(name, version, true, options.allowMissing ?? false);
  }

  async unignoreVersion(name: string, version: string): Promise<TagChange> {
    return this.setIgnored(name, version, false, false);
  }

  async ignoredVersions(): Promise<IgnoredVersion[]> {
    return [...this.ignored.entries()]
      .map(([key, since]) => {
        const [name, version] = key.split("\0") as [string, string];
        return { name, version: version === NO_VERSION ? "" : version, since };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  }

  private setIgnored(name: string, version: string, ignored: boolean, allowMissing: boolean): TagChange {
    const key = `${name}\0${version === "" ? NO_VERSION : version}`;
    const present = this.data[name] !== undefined && Object.hasOwn(this.data[name], version === "" ? NO_VERSION : version);
    if (!present && !this.ignored.has(key) && !(ignored && allowMissing)) return "not-found";
    if (this.ignored.has(key) === ignored) return "unchanged";
    if (ignored) this.ignored.set(key, Date.now());
    else this.ignored.delete(key);
    return "changed";
  }
}
