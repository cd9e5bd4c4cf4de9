// The local payload cache (Rez's package_cache, rez-pkg-cache and cache_packages_path): copies of variant
// payloads on a local disk, and their use by resolved environments.
export { PayloadCache, notCachableReason, payloadSize } from "./cache.js";
export type { AddVariantOptions, PayloadCacheEntry, CacheVariant, CachedState, HandleLookup, PayloadCacheSettings } from "./cache.js";
export { COPYING_TIME_INC, COPYING_TIME_MAX, STATUS_DESCRIPTIONS, handleDict, handleHashDir, hashPath, hashableRepr, highestBase26, nextBase26, parseHandle, sameHandle } from "./layout.js";
export type { CacheStatus } from "./layout.js";
export { CacheLog, logTime } from "./log.js";
export type { CacheLogSink } from "./log.js";
export { cacheVariantOf, isCachable, openPayloadCache, payloadCacheSettings, startCacheDaemon, usePayloadCache } from "./use.js";
export type { PayloadCacheMode, UsePayloadCacheOptions } from "./use.js";
