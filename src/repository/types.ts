import type { LoadWarning, PackageDefinition } from "../package/index.js";

/** One package source (a filesystem path, or memory). Families load lazily, one at a time. */
export interface PackageRepository {
  /** `filesystem@/abs/path` style identity, or `memory@name`. */
  readonly uid: string;
  /** Absolute path for filesystem repositories; a label otherwise. */
  readonly location: string;
  /** Names of the families in this repository (directory listing only; loads no definitions). */
  familyNames(): Promise<string[]>;
  /** Every package of one family, or undefined when the repository has no such family. */
  loadFamily(name: string): Promise<PackageDefinition[] | undefined>;
  /** Warnings gathered so far (broken files, bad attributes). */
  readonly warnings: readonly LoadWarning[];
}
