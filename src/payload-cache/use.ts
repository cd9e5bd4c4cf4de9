// How a resolved environment uses the payload cache (Rez's ResolvedContext._update_package_cache and
// get_cached_root): its variants are copied (waited for, or in a detached `pkg cache --daemon`), and the
// ones cached already are used from the cache. Nothing here ever fails an environment: a cache that
// cannot be written (a full disk, Rez's #2014) costs only the speed-up, with a warning.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve as resolvePath } from "node:path";
import type { PkgConfig } from "../config/index.js";
import type { ContextVariant } from "../context/index.js";
import { PkgError } from "../errors/index.js";
import { filesystemVariantHandle } from "../repository/index.js";
import type { Reporter } from "../report/index.js";
import { PayloadCache, notCachableReason } from "./cache.js";
import type { CacheVariant, PayloadCacheSettings } from "./cache.js";
import type { CacheLogSink } from "./log.js";

export type PayloadCacheMode = "sync" | "async";

/** The package_cache_* settings of a configuration. */
export function payloadCacheSettings(config: PkgConfig): PayloadCacheSettings {
  return {
    local: config.package_cache_local,
    sameDevice: config.package_cache_same_device,
    spaceBuffer: config.package_cache_space_buffer,
    usedThreshold: config.package_cache_used_threshold,
    maxVariantDays: config.package_cache_max_variant_days,
    cleanLimit: config.package_cache_clean_limit,
    logDays: config.package_cache_log_days,
    lockTimeout: config.file_lock_timeout,
    tmpdir: resolvePath(tmpdir()),
  };
}

/** The package's `cachable`, else `default_cachable` (Rez's Package.is_cachable). */
export function isCachable(attributes: ContextVariant["definition"]["attributes"], config: PkgConfig): boolean {
  return typeof attributes.cachable === "boolean" ? attributes.cachable : config.default_cachable;
}

/** A context's variant as the payload cache sees it. */
export function cacheVariantOf(v: ContextVariant, config: PkgConfig): CacheVariant {
  const handle = v.handle ?? filesystemVariantHandle(v.location, v.definition, v.index);
  return {
    handle,
    name: v.name,
    version: v.version,
    index: v.index,
    uri: v.uri,
    root: v.root,
    cachable: isCachable(v.definition.attributes, config),
    local: resolvePath(v.location) === resolvePath(config.local_packages_path),
    location: v.location,
    ...(v.variantRequires.length > 0 ? { data: v.variantRequires } : {}),
  };
}

/** The cache at `path`, or undefined (with a warning: Rez's "Package caching disabled") when it is no folder. */
export function openPayloadCache(path: string, config: PkgConfig, options: { readonly reporter?: Pick<Reporter, "warn">; readonly sink?: CacheLogSink } = {}): PayloadCache | undefined {
  try {
    return new PayloadCache(path, payloadCacheSettings(config), options.sink);
  } catch (error) {
    const missing = error instanceof PkgError && error.code === "PKG0080";
    options.reporter?.warn(missing ? `Package caching disabled (dir ${path} does not exist)` : `Package caching disabled (dir ${path}): ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * Starts `pkg cache --daemon CACHE` detached from this process (its own session), its output appended to
 * the cache's log; `command` is how to run pkg (node and script). Returns false when it could not start.
 */
export function startCacheDaemon(command: readonly string[], cache: PayloadCache): boolean {
  const [program, ...args] = command;
  if (program === undefined) return false;
  let fd: number | undefined;
  try {
    fd = openSync(cache.log.file, "a");
    const child = spawn(program, [...args, "cache", "--daemon", cache.path], { detached: true, stdio: ["ignore", fd, fd], env: process.env });
    child.on("error", () => undefined);
    child.unref();
    return child.pid !== undefined;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface UsePayloadCacheOptions {
  readonly config: PkgConfig;
  /** `--pkg-cache-mode`; default: async unless package_cache_async is false. */
  readonly mode?: PayloadCacheMode;
  /** A build or test environment: cached only with package_cache_during_build. */
  readonly building?: boolean;
  /** How to run pkg for the detached copier (node and script). */
  readonly daemonCommand?: readonly string[];
  readonly reporter?: Pick<Reporter, "warn">;
}

/**
 * Updates the payload cache with a context's variants and returns the cached roots to use, by package
 * name. Empty when cache_packages_path is unset (or the context is a build's, without
 * package_cache_during_build).
 */
export async function usePayloadCache(variants: readonly ContextVariant[], options: UsePayloadCacheOptions): Promise<Map<string, string>> {
  const { config, reporter } = options;
  const roots = new Map<string, string>();
  if (config.cache_packages_path === "") return roots;
  if (options.building && !config.package_cache_during_build) return roots;
  const cache = openPayloadCache(config.cache_packages_path, config, reporter ? { reporter } : {});
  if (cache === undefined) return roots;
  const all = variants.map((v) => cacheVariantOf(v, config));
  // one look at each variant's entry: most environments find every variant cached already
  const found = new Map<string, string>();
  const missing: CacheVariant[] = [];
  for (const v of all) {
    const state = cache.state(v.handle);
    if (state.status === "found") found.set(v.name, state.root);
    else if (v.root !== null) missing.push(v);
  }
  if (config.write_package_cache && missing.length > 0) {
    const sync = options.mode === "sync" || (options.mode === undefined && !config.package_cache_async);
    try {
      // only what may be cached: the copier is not started for nothing
      const wanted = missing.filter((v) => notCachableReason(v, cache.path, cache.settings) === undefined);
      if (sync) {
        let created = false;
        for (const v of wanted) {
          try {
            const result = await cache.addVariant(v, { waitForCopying: true });
            if (result.status === "created") {
              cache.log.info(`Cached variant to ${result.root}`);
              created = true;
            }
            if (result.status === "created" || result.status === "found") found.set(v.name, result.root);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            cache.log.warn(message);
            reporter?.warn(message);
          }
        }
        // as after Rez's caching step: a little cleaning keeps the cache's size in check
        if (created && cache.settings.cleanLimit > 0) await cache.clean(async () => undefined, { timeLimit: cache.settings.cleanLimit });
      } else if (wanted.length > 0) {
        cache.queue(wanted.filter((v) => cache.state(v.handle).status === "not_found"));
        if (!options.daemonCommand || !startCacheDaemon(options.daemonCommand, cache)) {
          reporter?.warn(`Failed to start the package caching daemon for ${cache.path}: the payloads are not cached`);
        }
      }
    } catch (error) {
      reporter?.warn(`Package caching failed (${cache.path}): ${error instanceof Error ? error.message : String(error)}; the original payloads are used`);
    }
  }
  if (config.read_package_cache) {
    for (const [name, root] of found) {
      // touched: its last use, for `pkg cache --clean`; gone if a clean removed it just now
      if (cache.touch(root)) roots.set(name, root);
    }
  }
  return roots;
}
