// Builds a RepositorySet from a packages path (what the CLI and library callers use): each entry is
// `type@location` or a plain path, opened by the repository type registered under that name.
import { DefinitionCache } from "./cache.js";
import { FilesystemRepository } from "./filesystem.js";
import { MemoryRepository } from "./memory.js";
import { RepositoryRegistry } from "./registry.js";
import { RepositorySet } from "./set.js";
import type { RepositorySetOptions } from "./set.js";
import type { DefinitionLoader } from "./types.js";

/** filesystem (the default for a plain path) and memory (an empty repository per name, for tests and tools). */
export function defaultRepositoryRegistry(): RepositoryRegistry {
  const memories = new Map<string, MemoryRepository>();
  return new RepositoryRegistry()
    .register({
      name: "filesystem",
      open: (location, context) =>
        new FilesystemRepository(location, {
          loader: context.loader,
          ...(context.cache ? { cache: context.cache } : {}),
          ...(context.lockTimeout !== undefined ? { lockTimeout: context.lockTimeout } : {}),
        }),
    })
    .register({
      name: "memory",
      open: (location) => {
        let repository = memories.get(location);
        if (!repository) memories.set(location, (repository = new MemoryRepository({}, location)));
        return repository;
      },
    });
}

export interface OpenRepositoriesOptions extends RepositorySetOptions {
  /** Packages path entries in priority order: `type@location` or a path. */
  readonly paths: readonly string[];
  readonly loader: DefinitionLoader;
  /** pkg's cache folder; omit to bypass the definition cache. */
  readonly cacheDir?: string;
  /** The definition cache to use instead of a plain one in cacheDir (one that shares through memcached, say). */
  readonly definitionCache?: DefinitionCache;
  /** The repository types known; default: filesystem and memory. */
  readonly registry?: RepositoryRegistry;
  /** Seconds an install waits for another one's lock (Rez's `file_lock_timeout`). */
  readonly lockTimeout?: number;
}

export function openRepositories(options: OpenRepositoriesOptions): RepositorySet {
  const cache = options.definitionCache ?? (options.cacheDir ? new DefinitionCache(options.cacheDir, options.loader.fingerprint) : undefined);
  const registry = options.registry ?? defaultRepositoryRegistry();
  const context = {
    loader: options.loader,
    ...(cache ? { cache } : {}),
    ...(options.lockTimeout !== undefined ? { lockTimeout: options.lockTimeout } : {}),
  };
  return new RepositorySet(
    options.paths.map((entry) => registry.open(entry, context)),
    options,
  );
}
