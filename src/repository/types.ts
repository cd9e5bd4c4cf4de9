import type { LoadWarning, PackageDefinition, PackageIdentity } from "../package/index.js";
import type { VariantHandle } from "./handle.js";
import type { FamilyHead } from "./heads.js";
import type { FamilyStamp } from "./stamp.js";

/** One package source (a filesystem path, or memory). Families load lazily, one at a time. */
export interface PackageRepository {
  /** The repository type (`filesystem`, `memory`): the part before `@` in a packages path entry. */
  readonly type: string;
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
  /**
   * The state this repository read the family from (after `loadFamily`), to check later that nothing
   * changed; undefined when the repository cannot tell (it is then never cached by state).
   */
  familyStamp?(name: string): FamilyStamp | undefined;
  /** Every family's head (see heads.ts), where the repository can answer faster than by loading each family. */
  familyHeads?(): Promise<ReadonlyMap<string, FamilyHead>>;
  /** The handle an `.rxt` file stores for a variant of one of this repository's packages. */
  variantHandle(definition: PackageDefinition, index: number | null): VariantHandle;
}

export interface DefinitionLoadResult {
  readonly definition?: PackageDefinition;
  readonly warnings: readonly LoadWarning[];
  /** A failure that is not the file's own (unreadable now, a time limit, a dead python worker): never cached. */
  readonly transient?: boolean;
}

/**
 * What a filesystem repository needs from the package loader (src/package's PackageLoader fits it).
 * `fingerprint` changes whenever the same file could evaluate differently; it keys the on-disk cache.
 */
export interface DefinitionLoader {
  readonly fingerprint: string;
  load(file: string, identity?: PackageIdentity): Promise<DefinitionLoadResult>;
  loadToolsets(file: string): Promise<{ readonly definitions: readonly PackageDefinition[]; readonly warnings: readonly LoadWarning[] }>;
  /**
   * Path for pure-data files: synchronous, or a promise while the functions it keeps as source are checked;
   * undefined when the file needs Python.
   */
  tryLoadDeclarative?(file: string, text: string, identity?: PackageIdentity): DefinitionLoadResult | Promise<DefinitionLoadResult> | undefined;
  close(): Promise<void>;
}
