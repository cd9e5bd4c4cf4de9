// The on-disk cache of evaluated definitions: one small file per repository and family, so that loading one
// family reads one cache file and a warm scan reads no package files at all. An entry is valid while the
// package file keeps its mtime and size and the loader keeps its fingerprint.
//
// File layout: one line of JSON (format, fingerprint, repository, family, and per file: mtime, size, format,
// warnings and where its attributes are), then the attributes of every definition as raw JSON, back to back.
// A warm load parses only the first line; attributes are decoded and parsed when someone reads them. The file
// ends with a checksum of all of it (src/cache), so a damaged file is never read as a different answer.
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { memcachedKey, readSealedFile, writeSealedFile } from "../cache/index.js";
import { basename, join } from "node:path";
import type { LoadWarning, PackageFormat, PkgRsData } from "../package/index.js";

const FORMAT = 6;
/** Every file starts with the header's byte length: 8 hex digits and a newline. */
const PREFIX_LENGTH = 9;

/** One evaluated file as stored: mtime and size (the validity key), the definition's fields, or only the warnings of a failed load. */
export interface CacheEntry {
  readonly mtime: number;
  readonly size: number;
  readonly warnings?: readonly LoadWarning[];
  /** Present when the load produced a definition. */
  readonly format?: PackageFormat;
  /** Only when different from the directory identity. */
  readonly name?: string;
  readonly version?: string;
  readonly pkgrs?: PkgRsData;
  /** Byte range of the attributes JSON in the file's body. */
  readonly start?: number;
  readonly end?: number;
}

/** What is written: an entry whose definition's attributes are given as JSON text. */
export interface CacheEntryToWrite extends Omit<CacheEntry, "start" | "end"> {
  readonly attributes?: () => string;
}

/** A family directory's entries as listed when its mtime was `mtime`. */
export interface DirectoryListing {
  readonly mtime: number;
  readonly names: readonly string[];
}

/** One family's cache file as read: entries keyed by path relative to the repository root, and the attributes text. */
export interface FamilyCacheData {
  /** How many files the cache file describes. */
  readonly size: number;
  /** The family directory's listing when the file was written. */
  readonly listing?: DirectoryListing;
  /** The entry for a file, only if it was cached with this mtime and size (and is well-formed). */
  lookup(relativePath: string, mtime: number, size: number): CacheEntry | undefined;
  /** The attributes JSON of an entry with a definition. */
  attributesOf(entry: CacheEntry): string;
  /** The file's bytes and where the attributes body starts, so lazy readers keep only the buffer alive. */
  readonly buffer: Buffer;
  readonly bodyOffset: number;
}

/** The common case stored compactly: a Rez definition with the directory identity and no warnings: [mtime, size, start, end]. */
type CompactEntry = readonly [number, number, number, number];

interface Header {
  readonly format: number;
  readonly fingerprint: string;
  readonly repository: string;
  readonly family: string;
  readonly listing?: DirectoryListing;
  readonly entries: { readonly [relativePath: string]: CacheEntry | CompactEntry };
}

function expand(raw: CacheEntry | CompactEntry | undefined, bodyLength: number): CacheEntry | undefined {
  let entry: CacheEntry;
  if (Array.isArray(raw)) {
    const [mtime, size, start, end] = raw as CompactEntry;
    entry = { mtime, size, format: "rez", start, end };
  } else if (typeof raw === "object" && raw !== null) {
    entry = raw as CacheEntry;
  } else {
    return undefined;
  }
  if (entry.format !== undefined) {
    const { start, end } = entry;
    if (typeof entry.format !== "string" || typeof start !== "number" || typeof end !== "number" || start > end || end > bodyLength) return undefined;
  }
  return entry;
}

/**
 * A cache every machine shares (memcached): a family's cache file under a key naming the loader, repository
 * and family. What it holds is only a candidate: each entry still counts only while its file keeps the mtime
 * and size it was read with (as Rez keys definitions by path and mtime), and the listing while the family
 * folder keeps its mtime.
 */
export interface SharedFamilyStore {
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, data: Buffer): Promise<boolean>;
}

export interface SharedFamilyOptions {
  readonly store: SharedFamilyStore;
  /** Also offer every family read from the local cache (`pkg memcache --warm`), not only new ones. */
  readonly publishReads?: boolean;
}

export class DefinitionCache {
  private readonly createdDirs = new Set<string>();
  private readonly repositoryDirs = new Map<string, string>();
  /** Families to offer to the shared cache, sent at flushShared (not while a solve keeps the event loop busy). */
  private readonly toShare = new Map<string, Buffer>();
  /** The last write error, if any (the cache never fails a command). */
  lastError: Error | undefined;
  /** Families taken from the shared cache, and offered to it. */
  readonly sharedStats = { hits: 0, offered: 0 };

  constructor(
    /** Root of pkg's caches (`$PKG_CACHE_DIR`, `$XDG_CACHE_HOME/pkg` or `~/.cache/pkg`). */
    readonly dir: string,
    readonly fingerprint: string,
    private readonly shared?: SharedFamilyOptions,
  ) {}

  private sharedKey(repository: string, family: string): string {
    return memcachedKey("family", createHash("sha1").update(`${FORMAT}\0${this.fingerprint}\0${repository}\0${family}`).digest("hex"));
  }

  private offer(repository: string, family: string, data: Buffer): void {
    if (!this.shared) return;
    const key = this.sharedKey(repository, family);
    if (!this.toShare.has(key)) this.sharedStats.offered++;
    this.toShare.set(key, data);
  }

  /** Whether a shared cache is there to ask (so that a local miss costs no await without one). */
  get sharing(): boolean {
    return this.shared !== undefined;
  }

  /** A family's cache data from the shared cache (kept locally too), or undefined. */
  async readShared(repository: string, family: string): Promise<FamilyCacheData | undefined> {
    if (!this.shared) return undefined;
    const data = await this.shared.store.get(this.sharedKey(repository, family));
    const parsed = data === undefined ? undefined : this.parse(data, repository, family);
    if (!parsed) return undefined;
    this.sharedStats.hits++;
    try {
      this.ensureDir(this.repositoryDir(repository));
      writeSealedFile(this.familyFile(repository, family), data!);
    } catch (error) {
      this.lastError = error as Error;
    }
    return parsed;
  }

  /** Sends what was offered to the shared cache; an offer that fails is only a miss for the next machine. */
  async flushShared(): Promise<void> {
    if (!this.shared) return;
    const offers = [...this.toShare];
    this.toShare.clear();
    await Promise.all(offers.map(([key, data]) => this.shared!.store.set(key, data)));
  }

  private ensureDir(dir: string): void {
    if (!this.createdDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.createdDirs.add(dir);
    }
  }

  repositoryDir(repository: string): string {
    let dir = this.repositoryDirs.get(repository);
    if (!dir) {
      const hash = createHash("sha1").update(repository).digest("hex").slice(0, 16);
      const label = basename(repository).replace(/[^A-Za-z0-9_.-]/g, "_") || "root";
      dir = join(this.dir, "definitions", `${label}-${hash}`);
      this.repositoryDirs.set(repository, dir);
    }
    return dir;
  }

  familyFile(repository: string, family: string): string {
    return `${this.repositoryDir(repository)}/${family}.cache`;
  }

  /**
   * The family's cache data, or undefined when absent, damaged, or written by another loader. `onDamaged`
   * hears of a file whose checksum does not match (it is ignored, and rebuilt by the next write).
   */
  read(repository: string, family: string, onDamaged?: (file: string) => void): FamilyCacheData | undefined {
    const file = this.familyFile(repository, family);
    const sealed = readSealedFile(file);
    if (sealed.status !== "ok") {
      if (sealed.status === "damaged") onDamaged?.(file);
      return undefined;
    }
    const parsed = this.parse(sealed.payload, repository, family);
    if (parsed && this.shared?.publishReads) this.offer(repository, family, sealed.payload);
    return parsed;
  }

  /** A cache file's payload as data, or undefined when it is not this loader's file for this family. */
  private parse(data: Buffer, repository: string, family: string): FamilyCacheData | undefined {
    const headerLength = data.length > PREFIX_LENGTH ? Number.parseInt(data.toString("latin1", 0, PREFIX_LENGTH - 1), 16) : Number.NaN;
    const headerEnd = PREFIX_LENGTH + headerLength;
    if (!(headerLength > 0 && headerEnd <= data.length)) return undefined;
    let header: Partial<Header> | null;
    try {
      header = JSON.parse(data.toString("utf8", PREFIX_LENGTH, headerEnd)) as Partial<Header> | null;
    } catch {
      return undefined;
    }
    if (
      header === null ||
      typeof header !== "object" ||
      header.format !== FORMAT ||
      header.fingerprint !== this.fingerprint ||
      header.repository !== repository ||
      header.family !== family ||
      typeof header.entries !== "object" ||
      header.entries === null
    ) {
      return undefined;
    }
    const entries = header.entries;
    const bodyLength = data.length - headerEnd;
    const listing = header.listing;
    const validListing =
      typeof listing === "object" && listing !== null && typeof listing.mtime === "number" && Array.isArray(listing.names) && listing.names.every((n) => typeof n === "string");
    return {
      size: Object.keys(entries).length,
      ...(validListing ? { listing } : {}),
      lookup(relativePath, mtime, size) {
        const raw = Object.hasOwn(entries, relativePath) ? entries[relativePath] : undefined;
        // Compact entries are checked before anything is allocated (the warm-scan hot path).
        if (Array.isArray(raw)) {
          const compact = raw as CompactEntry;
          if (compact[0] !== mtime || compact[1] !== size) return undefined;
        } else if ((raw as CacheEntry | undefined)?.mtime !== mtime || (raw as CacheEntry | undefined)?.size !== size) {
          return undefined;
        }
        const entry = expand(raw, bodyLength);
        return entry && typeof entry.mtime === "number" ? entry : undefined;
      },
      buffer: data,
      bodyOffset: headerEnd,
      attributesOf: (entry) =>
        entry.start !== undefined && entry.end !== undefined ? data.toString("utf8", headerEnd + entry.start, headerEnd + entry.end) : "{}",
    };
  }

  /** Atomic: written under a temporary name and renamed, so concurrent readers see an old or a new file, never a torn one. */
  write(repository: string, family: string, entries: { readonly [relativePath: string]: CacheEntryToWrite }, listing?: DirectoryListing): boolean {
    const file = this.familyFile(repository, family);
    const bodies: Buffer[] = [];
    let offset = 0;
    const headerEntries: Record<string, CacheEntry | CompactEntry> = {};
    for (const [path, entry] of Object.entries(entries)) {
      const { attributes, ...rest } = entry;
      if (attributes && rest.format) {
        const body = Buffer.from(attributes(), "utf8");
        const compact = rest.format === "rez" && !rest.warnings?.length && rest.name === undefined && rest.version === undefined && !rest.pkgrs;
        headerEntries[path] = compact
          ? [rest.mtime, rest.size, offset, offset + body.length]
          : { ...rest, start: offset, end: offset + body.length };
        offset += body.length;
        bodies.push(body);
      } else {
        headerEntries[path] = rest;
      }
    }
    const header: Header = { format: FORMAT, fingerprint: this.fingerprint, repository, family, ...(listing ? { listing } : {}), entries: headerEntries };
    try {
      this.ensureDir(this.repositoryDir(repository));
      const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
      const prefix = Buffer.from(`${headerBytes.length.toString(16).padStart(PREFIX_LENGTH - 1, "0")}\n`, "latin1");
      const data = Buffer.concat([prefix, headerBytes, ...bodies]);
      writeSealedFile(file, data);
      this.offer(repository, family, data);
      return true;
    } catch (error) {
      this.lastError = error as Error;
      return false;
    }
  }

  /** A repository-wide index file (`<name>.index`, beside the family files, whose names end `.cache`). */
  indexFile(repository: string, name: string): string {
    return `${this.repositoryDir(repository)}/${name}.index`;
  }

  /** An index's JSON as written by this loader, or undefined when absent, damaged or written by another. */
  readIndex(repository: string, name: string): unknown {
    const sealed = readSealedFile(this.indexFile(repository, name));
    if (sealed.status !== "ok") return undefined;
    try {
      const doc = JSON.parse(sealed.payload.toString("utf8")) as { format?: unknown; fingerprint?: unknown; repository?: unknown; data?: unknown } | null;
      if (doc === null || typeof doc !== "object" || doc.format !== FORMAT || doc.fingerprint !== this.fingerprint || doc.repository !== repository) return undefined;
      return doc.data;
    } catch {
      return undefined;
    }
  }

  /** Writes an index atomically; false (and lastError) when it cannot be written. */
  writeIndex(repository: string, name: string, data: unknown): boolean {
    try {
      const dir = this.repositoryDir(repository);
      if (!this.createdDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.createdDirs.add(dir);
      }
      writeSealedFile(this.indexFile(repository, name), Buffer.from(JSON.stringify({ format: FORMAT, fingerprint: this.fingerprint, repository, data }), "utf8"));
      return true;
    } catch (error) {
      this.lastError = error as Error;
      return false;
    }
  }
}
