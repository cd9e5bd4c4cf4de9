// The local payload cache (Rez's PackageCache): copies of variant payloads on a local disk, used instead of
// the originals on a slow share. A copy is made under the cache's lock by one process at a time; it goes to a
// hidden temporary name, is renamed into place, and only then loses its `.copying-<inc>` marker, so a copy
// that fails (a full disk) or is killed never looks complete. A marker whose copier has died is taken over.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, statfsSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import { hostname } from "node:os";
import { join, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { processIsGone, writeFileAtomic } from "../cache/index.js";
import { PkgError } from "../errors/index.js";
import { withFileLock } from "../repository/index.js";
import type { VariantHandle } from "../repository/index.js";
import { COPYING_TIME_INC, COPYING_TIME_MAX, STATUS_DESCRIPTIONS, handleDict, hashPath, highestBase26, nextBase26, parseHandle, sameHandle } from "./layout.js";
import type { CacheStatus } from "./layout.js";
import { CacheLog } from "./log.js";
import type { CacheLogSink } from "./log.js";

/** A variant as the payload cache needs it: what identifies it, where its payload is, whether it may be cached. */
export interface CacheVariant {
  readonly handle: VariantHandle;
  readonly name: string;
  readonly version: string;
  readonly index: number | null;
  /** Rez's variant uri (`<repo>/<name>/<version>/package.py[<index>]`). */
  readonly uri: string;
  /** The payload folder; null for a variant without one. */
  readonly root: string | null;
  /** The package's `cachable`, else `default_cachable` (Rez's is_cachable). */
  readonly cachable: boolean;
  /** It comes from local_packages_path. */
  readonly local: boolean;
  /** The repository it comes from. */
  readonly location: string;
  /** The variant's requirements, written into `<inc>.json` for people (Rez's "data"). */
  readonly data?: readonly string[];
}

export interface PayloadCacheSettings {
  /** package_cache_local */
  readonly local: boolean;
  /** package_cache_same_device */
  readonly sameDevice: boolean;
  /** package_cache_space_buffer, bytes */
  readonly spaceBuffer: number;
  /** package_cache_used_threshold, percent */
  readonly usedThreshold: number;
  /** package_cache_max_variant_days (0: no age limit) */
  readonly maxVariantDays: number;
  /** package_cache_clean_limit, seconds (negative: no cleaning after an update) */
  readonly cleanLimit: number;
  /** package_cache_log_days */
  readonly logDays: number;
  /** Seconds to wait for the cache's lock (file_lock_timeout). */
  readonly lockTimeout?: number;
  /** Rez's config.tmpdir: packages of repositories under it (a release's test installs) are not cached. */
  readonly tmpdir?: string;
}

export interface CachedState {
  readonly status: CacheStatus;
  /** The cached payload folder (also while copying or stalled); "" when not found. */
  readonly root: string;
}

export interface PayloadCacheEntry extends CachedState {
  readonly handle: VariantHandle;
  /** The variant the handle names now; undefined when its repository no longer has it. */
  readonly variant?: CacheVariant;
}

export interface AddVariantOptions {
  /** Cache even a variant that is not cachable, local or on the same device. */
  readonly force?: boolean;
  /** Wait for another process's copy to finish instead of returning "copying". */
  readonly waitForCopying?: boolean;
}

/** Finds the variant a stored handle names (through the repositories), or undefined. */
export type HandleLookup = (handle: VariantHandle) => Promise<CacheVariant | undefined>;

const MARKER = ".copying-";
const INCOMING = /^\.incoming-([a-z]+)\.(.+)\.(\d+)$/;

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8")) as unknown;
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * What a `.copying-<inc>` marker says: "dead" when its copier (`host pid`) is a process of this host that no
 * longer runs (killed: the copy may be made again), "failed" when its copy failed (stalled until a clean),
 * "live" otherwise (Rez's markers are empty: only their age tells).
 */
function markerState(marker: string): "live" | "dead" | "failed" {
  let text: string;
  try {
    text = readFileSync(marker, "utf8");
  } catch {
    return "live";
  }
  if (text.startsWith("failed:")) return "failed";
  const match = /^(\S+) (\d+)\n?$/.exec(text);
  return match !== null && match[1] === hostname() && processIsGone(Number(match[2])) ? "dead" : "live";
}

/** The reason a variant may not be cached, or undefined when it may (Rez's checks in add_variant). */
export function notCachableReason(variant: CacheVariant, cachePath: string, settings: PayloadCacheSettings): string | undefined {
  if (!variant.cachable) return `Not cached - package is not cachable: ${variant.uri}`;
  if (!settings.local && variant.local) return `Not cached - package is local: ${variant.uri}`;
  if (!settings.sameDevice && variant.root !== null) {
    try {
      if (statSync(cachePath).dev === statSync(variant.root).dev) return `Not cached - variant ${variant.uri} is on same device as cache: ${variant.root}`;
    } catch {
      // a missing root is reported by addVariant
    }
  }
  if (settings.tmpdir !== undefined && variant.location.startsWith(settings.tmpdir + sep)) {
    return `Not cached - package is in temp repository ${variant.location}`;
  }
  return undefined;
}

export class PayloadCache {
  readonly path: string;
  readonly log: CacheLog;

  constructor(
    path: string,
    readonly settings: PayloadCacheSettings,
    sink?: CacheLogSink,
  ) {
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      // reported below
    }
    if (!isFolder) throw new PkgError("PKG0080", `Not a directory: ${path}`, { hint: "create the payload cache folder, or set cache_packages_path to one" });
    this.path = path;
    for (const dir of [this.logDir, this.pendingDir, this.removeDir]) mkdirSync(dir, { recursive: true });
    this.log = new CacheLog(this.logDir, settings.logDays, sink);
  }

  get sysDir(): string {
    return join(this.path, ".sys");
  }
  get logDir(): string {
    return join(this.sysDir, "log");
  }
  get pendingDir(): string {
    return join(this.sysDir, "pending");
  }
  get removeDir(): string {
    return join(this.sysDir, "to_delete");
  }

  /** Rez's lock file (`.sys/.lock`, taken as its link lock does: `.sys/.lock.lock`). */
  private locked<T>(work: () => Promise<T>): Promise<T> {
    return withFileLock(join(this.sysDir, ".lock.lock"), work, this.settings.lockTimeout ?? 10);
  }

  /** Where the variant is in the cache and in what state (Rez's _get_cached_root). */
  state(handle: VariantHandle): CachedState {
    const path = hashPath(this.path, handle);
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return { status: "not_found", root: "" };
    }
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      const inc = name.slice(0, -5);
      let data: unknown;
      try {
        data = readJson(join(path, name));
      } catch {
        continue; // removed by another process just now, or being written
      }
      if (!sameHandle((data as { handle?: unknown } | null)?.handle, handle)) continue;
      const root = join(path, inc);
      const marker = join(path, MARKER + inc);
      let markerTime: number | undefined;
      try {
        markerTime = statSync(marker).mtimeMs;
      } catch {
        markerTime = undefined;
      }
      if (markerTime !== undefined) {
        if (Date.now() - markerTime > COPYING_TIME_MAX * 1000 || markerState(marker) !== "live") return { status: "stalled", root };
        return { status: "copying", root };
      }
      // a payload without its folder was damaged from outside: never offered as complete
      return { status: existsSync(root) ? "found" : "stalled", root };
    }
    return { status: "not_found", root: "" };
  }

  /** The cached payload of a variant when it is complete (its `<inc>.json` is touched: "last used"), else undefined. */
  cachedRoot(handle: VariantHandle): string | undefined {
    const { status, root } = this.state(handle);
    return status === "found" && this.touch(root) ? root : undefined;
  }

  /** Marks a cached payload as used now (its `<inc>.json` mtime); false when it was cleaned up just now. */
  touch(root: string): boolean {
    try {
      const now = new Date();
      utimesSync(root + ".json", now, now);
      return true;
    } catch {
      return false;
    }
  }

  /** Disk use of the cache's file system, as Python's shutil.disk_usage gives it. */
  private diskUsage(): { total: number; used: number; free: number } {
    const s = statfsSync(this.path);
    return { total: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize, free: s.bavail * s.bsize };
  }

  /** Less than package_cache_space_buffer is free. */
  nearFull(): boolean {
    return this.diskUsage().free < this.settings.spaceBuffer;
  }

  /** Above package_cache_used_threshold, the variant must fit and leave the buffer free. */
  meetsSpaceRequirements(root: string): boolean {
    const { total, used, free } = this.diskUsage();
    const percent = total > 0 ? (used / total) * 100 : 0;
    if (percent <= this.settings.usedThreshold) return true;
    return free - payloadSize(root, free - this.settings.spaceBuffer) > this.settings.spaceBuffer;
  }

  /**
   * Copies a variant's payload into the cache (Rez's add_variant). Returns the cached root and "found",
   * "created", "copying", "stalled" or "skipped" (space limits). A variant that may not be cached is a
   * PKG0081 error (unless `force`); a copy that fails is PKG0083, and leaves a stalled entry (no payload)
   * that `clean` removes.
   */
  async addVariant(variant: CacheVariant, options: AddVariantOptions = {}): Promise<CachedState> {
    const root = variant.root;
    if (root === null) throw new PkgError("PKG0081", `Not cached - variant is a type that does not have a root: ${variant.uri}`);
    let isFolder = false;
    try {
      isFolder = statSync(root).isDirectory();
    } catch {
      // reported below
    }
    if (!isFolder) throw new PkgError("PKG0081", `Not cached - variant ${variant.uri} root does not appear on disk: ${root}`);
    if (!options.force) {
      const reason = notCachableReason(variant, this.path, this.settings);
      if (reason !== undefined) throw new PkgError("PKG0081", reason, { hint: "give --force to cache it anyway (it may not work from the cache)" });
    }
    const wait = options.waitForCopying === true;
    const noOp = (s: CacheStatus): boolean => s === "found" || (s === "copying" && !wait);
    let state = this.state(variant.handle);
    if (noOp(state.status)) return state;
    if (state.status === "stalled" && !this.canTakeOver(state.root)) return state;
    if (state.status === "copying") {
      while (state.status === "copying") {
        await sleep(COPYING_TIME_INC * 1000);
        state = this.state(variant.handle);
      }
      if (state.status !== "stalled" || !this.canTakeOver(state.root)) return state;
    }
    if (this.nearFull() || !this.meetsSpaceRequirements(root)) return { status: "skipped", root: state.root };

    const path = hashPath(this.path, variant.handle);
    mkdirSync(path, { recursive: true });
    const claimed = await this.locked(async (): Promise<{ readonly done: CachedState } | { readonly inc: string; readonly marker: string }> => {
      // another process may have made it just before the lock was ours
      const now = this.state(variant.handle);
      if (noOp(now.status) || now.status === "copying") return { done: now };
      if (now.status === "stalled") {
        if (!this.canTakeOver(now.root)) return { done: now };
        this.dropEntry(now.root);
      }
      const incs = readdirSync(path).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5));
      const inc = nextBase26(highestBase26(incs));
      const marker = join(path, MARKER + inc);
      writeFileSync(marker, `${hostname()} ${process.pid}\n`);
      const data = { handle: handleDict(variant.handle), ...(variant.data !== undefined ? { data: variant.data } : {}) };
      writeFileAtomic(join(path, `${inc}.json`), JSON.stringify(data));
      return { inc, marker };
    });
    if ("done" in claimed) return claimed.done;

    const { inc, marker } = claimed;
    const target = join(path, inc);
    const incoming = join(path, `.incoming-${inc}.${hostname()}.${process.pid}`);
    const beat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(marker, now, now);
      } catch {
        // removed by a clean: the copy's result is then dropped below
      }
    }, COPYING_TIME_INC * 1000);
    try {
      // left by an earlier process of the same pid (pids are reused), never by a live copier
      rmSync(incoming, { recursive: true, force: true });
      await cp(root, incoming, { recursive: true, preserveTimestamps: true, dereference: true, errorOnExist: true, force: false });
      renameSync(incoming, target);
    } catch (error) {
      clearInterval(beat);
      rmSync(incoming, { recursive: true, force: true });
      // no longer this process's: a stalled entry until `pkg cache --clean` (not copied again and again)
      try {
        writeFileSync(marker, `failed: ${(error as Error).message}\n`);
      } catch {
        // the disk is full: the marker keeps its copier, who is gone once this process ends
      }
      throw new PkgError("PKG0083", `Could not copy ${variant.uri} into the payload cache ${this.path}: ${(error as Error).message}`, {
        cause: error,
        hint: "the original payload is used; `pkg cache --clean` removes the stalled entry",
      });
    }
    clearInterval(beat);
    unlinkSync(marker);
    return { status: "created", root: target };
  }

  /** A stalled entry whose copier died (killed, not failed) is copied again; other stalled ones wait for a clean. */
  private canTakeOver(root: string): boolean {
    const path = join(root, "..");
    const inc = root.slice(path.length + 1);
    return markerState(join(path, MARKER + inc)) === "dead";
  }

  /** Removes an entry's files (under the lock): payload, temporaries, json, marker, then empty folders. */
  private dropEntry(root: string): void {
    const path = join(root, "..");
    const inc = root.slice(path.length + 1);
    if (existsSync(root)) {
      const aside = join(this.removeDir, `${inc}-${randomUUID().replace(/-/g, "")}`);
      try {
        renameSync(root, aside);
      } catch (error) {
        if (errnoOf(error) !== "ENOENT") throw error;
      }
    }
    for (const name of readdirSync(path)) {
      const m = INCOMING.exec(name);
      if (m && m[1] === inc) rmSync(join(path, name), { recursive: true, force: true });
    }
    rmSync(root + ".json", { force: true });
    rmSync(join(path, MARKER + inc), { force: true });
  }

  /**
   * Removes a variant from the cache (Rez's remove_variant): its payload goes to `.sys/to_delete`, deleted
   * by `clean`. Returns "removed", "not_found" or "copying" (another process is copying it).
   */
  async removeVariant(handle: VariantHandle, label: string): Promise<CacheStatus> {
    const state = this.state(handle);
    if (state.status === "not_found" || state.status === "copying") return state.status;
    return this.locked(async () => {
      const now = this.state(handle);
      if (now.status === "not_found" || now.status === "copying") return now.status;
      const aside = join(this.removeDir, `${label}-${randomUUID().replace(/-/g, "")}`);
      try {
        renameSync(now.root, aside);
      } catch (error) {
        if (errnoOf(error) !== "ENOENT") throw error;
      }
      this.dropEntry(now.root);
      let dir = join(now.root, "..");
      for (let i = 0; i < 3; i++) {
        try {
          rmdirSync(dir);
        } catch {
          break; // not empty
        }
        dir = join(dir, "..");
      }
      return "removed" as const;
    });
  }

  /** The pending variants' handles (`.sys/pending/*.json`), by file name. */
  private pending(): Map<string, VariantHandle> {
    const out = new Map<string, VariantHandle>();
    let names: string[];
    try {
      names = readdirSync(this.pendingDir);
    } catch {
      return out;
    }
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      try {
        const handle = parseHandle(readJson(join(this.pendingDir, name)));
        if (handle) out.set(name, handle);
      } catch {
        // removed just now, or being written
      }
    }
    return out;
  }

  /** Queues variants for a later copy (Rez's pending files, `<package>-<uuid>.json`); ones already pending are not queued twice. */
  queue(variants: readonly CacheVariant[]): number {
    const pending = [...this.pending().values()];
    let queued = 0;
    for (const variant of variants) {
      if (pending.some((h) => sameHandle(handleDict(h), variant.handle))) continue;
      const label = variant.version === "" ? variant.name : `${variant.name}-${variant.version}`;
      writeFileAtomic(join(this.pendingDir, `${label}-${randomUUID().replace(/-/g, "")}.json`), JSON.stringify(handleDict(variant.handle)));
      pending.push(variant.handle);
      queued++;
    }
    return queued;
  }

  /**
   * Copies every pending variant (Rez's _run_caching_operation, what `pkg cache --daemon` runs), then cleans
   * for at most package_cache_clean_limit seconds. Stops early when the disk is near full.
   */
  async runPending(lookup: HandleLookup, options: { readonly waitForCopying?: boolean } = {}): Promise<void> {
    const skip = new Set<string>();
    for (;;) {
      if (this.nearFull()) {
        this.log.info(`Cache storage has reached the configured threshold of ${(this.settings.spaceBuffer / 1024 ** 2).toFixed(2)}MB, caching will now stop.`);
        break;
      }
      const pending = [...this.pending()].filter(([name]) => options.waitForCopying || !skip.has(name));
      if (pending.length === 0) break;
      const [name, handle] = pending[Math.floor(Math.random() * pending.length)]!;
      const file = join(this.pendingDir, name);
      const variant = await lookup(handle);
      if (variant === undefined || variant.root === null) {
        this.log.warn(`Not cached - no such variant: ${handle.variables.location}/${handle.variables.name}/${handle.variables.version ?? ""}[${handle.variables.index ?? ""}]`);
        rmSync(file, { force: true });
        continue;
      }
      this.log.info(`Started caching of variant ${variant.uri}...`);
      const started = Date.now();
      let result: CachedState;
      try {
        result = await this.addVariant(variant, options);
      } catch (error) {
        this.log.warn(error instanceof Error ? error.message : String(error));
        rmSync(file, { force: true });
        continue;
      }
      const secs = (Date.now() - started) / 1000;
      if (result.status === "found") this.log.info(`Variant was already cached at ${result.root}`);
      else if (result.status === "copying") this.log.info(`Variant is already being copied to ${result.root}`);
      else if (result.status === "stalled") this.log.info(`Variant is stalled copying to ${result.root}`);
      else if (result.status === "skipped") this.log.info(`Variant ${variant.root} is too big to be cached due to remaining cache space.`);
      else this.log.info(`Cached variant to ${result.root} in ${secs} seconds`);
      if (result.status === "copying") skip.add(name);
      else rmSync(file, { force: true });
    }
    if (this.settings.cleanLimit > 0) {
      try {
        await this.clean(lookup, { timeLimit: this.settings.cleanLimit });
      } catch (error) {
        this.log.warn(`An error occurred while cleaning the cache: ${(error as Error).message}`);
      }
    }
  }

  /** Every variant in the cache (cached, copying, stalled) and every pending one (Rez's get_variants). */
  async entries(lookup: HandleLookup): Promise<PayloadCacheEntry[]> {
    const out: PayloadCacheEntry[] = [];
    const seen: VariantHandle[] = [];
    for (const [dir, file] of this.variantFiles()) {
      if (!file.endsWith(".json")) continue;
      let handle: VariantHandle | undefined;
      try {
        handle = parseHandle((readJson(join(dir, file)) as { handle?: unknown } | null)?.handle);
      } catch {
        handle = undefined;
      }
      if (handle === undefined) continue;
      const state = this.state(handle);
      if (state.status === "not_found") continue;
      const variant = await lookup(handle);
      out.push({ handle, ...state, ...(variant ? { variant } : {}) });
      seen.push(handle);
    }
    for (const handle of this.pending().values()) {
      if (seen.some((h) => sameHandle(handleDict(h), handle))) continue;
      const variant = await lookup(handle);
      out.push({ handle, status: "pending", root: "", ...(variant ? { variant } : {}) });
      seen.push(handle);
    }
    return out;
  }

  /**
   * Rez's clean: removes variants unused for package_cache_max_variant_days, stalled ones (not within a time
   * limit: a variant that keeps failing would be copied over and over), and everything in `.sys/to_delete`;
   * also temporaries of copies whose process is gone. Returns what was removed.
   */
  async clean(lookup: HandleLookup, options: { readonly timeLimit?: number } = {}): Promise<{ removed: string[]; deleted: string[] }> {
    const started = Date.now();
    const out = { removed: [] as string[], deleted: [] as string[] };
    const expired = (): boolean => options.timeLimit !== undefined && (Date.now() - started) / 1000 > options.timeLimit;
    const maxSecs = this.settings.maxVariantDays * 24 * 3600;
    const unused: PayloadCacheEntry[] = [];
    const stalled: PayloadCacheEntry[] = [];
    for (const entry of await this.entries(lookup)) {
      if (entry.status === "found" && maxSecs > 0) {
        try {
          if ((Date.now() - statSync(entry.root + ".json").mtimeMs) / 1000 > maxSecs) unused.push(entry);
        } catch {
          // removed just now
        }
      } else if (entry.status === "stalled") stalled.push(entry);
    }
    const uriOf = (e: PayloadCacheEntry): string => e.variant?.uri ?? `${e.handle.variables.name}-${e.handle.variables.version ?? ""}[${e.handle.variables.index ?? ""}]`;
    const labelOf = (e: PayloadCacheEntry): string => (e.handle.variables.version ? `${e.handle.variables.name}-${e.handle.variables.version}` : e.handle.variables.name);
    for (const entry of unused) {
      if ((await this.removeVariant(entry.handle, labelOf(entry))) === "removed") {
        this.log.info(`Removed unused variant ${uriOf(entry)} from cache`);
        out.removed.push(uriOf(entry));
      }
      if (expired()) return out;
    }
    if (options.timeLimit === undefined) {
      for (const entry of stalled) {
        if ((await this.removeVariant(entry.handle, labelOf(entry))) === "removed") {
          this.log.info(`Removed stalled variant ${uriOf(entry)} from cache`);
          out.removed.push(uriOf(entry));
        }
      }
      this.sweepIncoming();
    }
    for (const name of readdirSync(this.removeDir)) {
      const path = join(this.removeDir, name);
      try {
        rmSync(path, { recursive: true, force: true });
      } catch (error) {
        this.log.warn(`Could not delete ${path}: ${(error as Error).message}`);
        continue;
      }
      this.log.info(`Deleted ${path}`);
      out.deleted.push(path);
      if (expired()) return out;
    }
    return out;
  }

  /** Temporaries of copies killed on this host (`.incoming-<inc>.<host>.<pid>`), wherever they are. */
  private sweepIncoming(): void {
    for (const [dir, file] of this.variantFiles()) {
      const m = INCOMING.exec(file);
      if (m && m[2] === hostname() && processIsGone(Number(m[3]))) rmSync(join(dir, file), { recursive: true, force: true });
    }
  }

  /** Every file of every `<name>/<version>/<hash>` folder of the cache, with its folder. */
  private *variantFiles(): Generator<[string, string]> {
    for (const name of list(this.path)) {
      if (name.startsWith(".")) continue;
      for (const version of list(join(this.path, name))) {
        for (const hash of list(join(this.path, name, version))) {
          const dir = join(this.path, name, version, hash);
          for (const file of list(dir)) yield [dir, file];
        }
      }
    }
  }

  /** The log files, oldest first. */
  logFiles(): string[] {
    try {
      return readdirSync(this.logDir)
        .filter((n) => n.endsWith(".log"))
        .sort()
        .map((n) => join(this.logDir, n));
    } catch {
      return [];
    }
  }
}

/** A folder's entries; none when it cannot be read. */
function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Bytes of the regular files under `root` (links followed, each file once); stops counting past `limit`. */
export function payloadSize(root: string, limit = Infinity): number {
  let size = 0;
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        const s = statSync(join(dir, name));
        const key = `${s.dev}:${s.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (s.isFile()) {
          size += s.size;
          if (size > limit) return size;
        } else if (s.isDirectory()) stack.push(join(dir, name));
      } catch {
        // vanished or unreadable: not counted
      }
    }
  }
  return size;
}

export { STATUS_DESCRIPTIONS };
