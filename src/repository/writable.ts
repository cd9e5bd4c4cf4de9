// What build, pip import, cp/mv/rm and ignore need from a repository: locked, all-or-nothing writes.
import type { PackageDefinition } from "../package/index.js";
import type { PackageRepository } from "./types.js";

export interface VariantInstall {
  /**
   * The package as built (attributes of the whole package, build-only keys already dropped). Its `variants`
   * list is the source's; `index` says which one of them is installed. A pkg-rs style package (format
   * "pkg-rs") is installed as its own file, `definition.file`: its `get_package()` has no serialised form, so
   * nothing is merged into an installed one (it is replaced) and `extraAttributes` are not written.
   */
  readonly definition: PackageDefinition;
  /** The variant's index in `definition.attributes.variants`; null for a package without variants. */
  readonly index: number | null;
  /**
   * A folder holding the variant's files, staged beside the repository; it is moved into the variant's root
   * under the package lock. Omitted when the files are already in place (or there are none).
   */
  readonly payload?: string;
  /** Replace the variant's files and the package's attributes when the variant is installed already. */
  readonly overwrite?: boolean;
  /** Attributes added to the written package (release data: timestamp, revision, changelog, …). */
  readonly extraAttributes?: PackageDefinition["attributes"];
}

export type VariantInstallStatus =
  /** A new variant (or a new package). */
  | "installed"
  /** The variant was there and was replaced (`overwrite`). */
  | "replaced"
  /** The variant was there already and nothing was written. */
  | "existing";

export interface VariantInstallResult {
  readonly status: VariantInstallStatus;
  /** The package as now installed (every installed variant). */
  readonly definition: PackageDefinition;
  /** The variant's index in the installed package (variants keep the source's order, whatever the install order). */
  readonly index: number | null;
  /** `<repo>/<name>/<version>` (+ `/<subpath>`). */
  readonly root: string;
}

export type TagChange = "changed" | "unchanged" | "not-found";

/** A version hidden by an ignore tag, and since when (the tag's change time, as Rez's `rez-rm --ignored-since` reads it). */
export interface IgnoredVersion {
  readonly name: string;
  readonly version: string;
  /** Milliseconds since the epoch. */
  readonly since: number;
}

/** A repository pkg can write to. Every change holds the package's lock and is renamed into place. */
export interface WritableRepository extends PackageRepository {
  /** Where a variant of a package would be installed (no disk access). */
  variantRoot(name: string, version: string, subpath: string | null): string;
  installVariant(install: VariantInstall): Promise<VariantInstallResult>;
  /** Removes one package version; false when it was not there. */
  removePackage(name: string, version: string): Promise<boolean>;
  /** Removes a family; one that still has versions needs `force`. False when it was not there. */
  removeFamily(name: string, options?: { readonly force?: boolean }): Promise<boolean>;
  /** Hides a version from resolves (Rez's `.ignore<version>` tag); `allowMissing` tags a version that is not there (yet). */
  ignoreVersion(name: string, version: string, options?: { readonly allowMissing?: boolean }): Promise<TagChange>;
  unignoreVersion(name: string, version: string): Promise<TagChange>;
  /** Every ignored version of every family, by family then version. */
  ignoredVersions(): Promise<IgnoredVersion[]>;
}

export function isWritableRepository(repository: PackageRepository): repository is WritableRepository {
  return typeof (repository as Partial<WritableRepository>).installVariant === "function";
}
