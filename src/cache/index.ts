export { keepNewestFiles, processIsGone, seal, unseal, readSealedFile, writeFileAtomic, writeSealedFile } from "./checked-file.js";
export type { Unsealed, CheckedRead } from "./checked-file.js";
export { MEMCACHED_ITEM_LIMIT, MemcachedClient, frameValue, memcachedKey, parseGetReply, parseServer, serverIndex, unframeValue } from "./memcached.js";
export type { GetReply, MemcachedOptions, MemcachedServer } from "./memcached.js";
