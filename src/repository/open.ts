// Builds a RepositorySet from a list of paths (what the CLI and library callers use).
import { DefinitionCache } from "./cache.js";
import { FilesystemRepository } from "./filesystem.js";
import { RepositorySet } from "./set.js";
import type { RepositorySetOptions } from "./set.js";
import type { DefinitionLoader } from "./types.js";

export interface OpenRepositoriesOptions extends RepositorySetOptions {
  /** Repository paths in priority order. */
  readonly paths: readonly string[];
  readonly loader: DefinitionLoader;
  /** pkg's cache folder; omit to bypass the definition cache. */
  readonly cacheDir?: string;
}

export function openRepositories(options: OpenRepositoriesOptions): RepositorySet {
  const cache = options.cacheDir ? new DefinitionCache(options.cacheDir, options.loader.fingerprint) : undefined;
  const repositories = options.paths.map((path) => new FilesystemRepository(path, { loader: options.loader, ...(cache ? { cache } : {}) }));
  return new RepositorySet(repositories, options);
}
