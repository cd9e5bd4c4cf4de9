import type { LoadWarning, PackageDefinition, PackageIdentity } from "../package/index.js";

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
  /** Whether a file of the family failed to load for a reason that may go away (see DefinitionLoadResult.transient). */
  hasTransientFailures?(name: string): boolean;
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
  /** Synchronous path for pure-data files; undefined when the file needs Python. */
  tryLoadDeclarative?(file: string, text: string, identity?: PackageIdentity): DefinitionLoadResult | undefined;
  close(): Promise<void>;
}
