// The on-disk cache of evaluated definitions: one small file per repository and family, so that loading one
// family reads one cache file and a warm scan reads no package files at all. An entry is valid while the
// package file keeps its mtime and size and the loader keeps its fingerprint.
//
// File layout: one line of JSON (format, fingerprint, repository, family, and per file: mtime, size, format,
// warnings and where its attributes are), then the attributes of every definition as raw JSON, back to back.
// A warm load parses only the first line; attributes are decoded and parsed when someone reads them.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { LoadWarning, PackageFormat, PkgRsData } from "../package/index.js";

const FORMAT = 4;

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
  readonly at?: readonly [number, number];
}

/** What is written: an entry whose definition's attributes are given as JSON text. */
export interface CacheEntryToWrite extends Omit<CacheEntry, "at"> {
  readonly attributes?: () => string;
}

/** One family's cache file as read: entries keyed by path relative to the repository root, and the attributes text. */
export interface FamilyCacheData {
  readonly entries: { readonly [relativePath: string]: CacheEntry };
  /** The attributes JSON of an entry with a definition. */
  attributesOf(entry: CacheEntry): string;
}

/** The common case stored compactly: a Rez definition with the directory identity and no warnings: [mtime, size, start, end]. */
type CompactEntry = readonly [number, number, number, number];

interface Header {
  readonly format: number;
  readonly fingerprint: string;
  readonly repository: string;
  readonly family: string;
  readonly entries: { readonly [relativePath: string]: CacheEntry | CompactEntry };
}

function expand(raw: CacheEntry | CompactEntry): CacheEntry | undefined {
  if (Array.isArray(raw)) {
    const [mtime, size, start, end] = raw as CompactEntry;
    return { mtime, size, format: "rez", at: [start, end] };
  }
  return typeof raw === "object" && raw !== null ? (raw as CacheEntry) : undefined;
}

let tempCounter = 0;
const NEWLINE = 0x0a;

export class DefinitionCache {
  private readonly createdDirs = new Set<string>();
  private readonly repositoryDirs = new Map<string, string>();
  /** The last write error, if any (the cache never fails a command). */
  lastError: Error | undefined;

  constructor(
    /** Root of pkg's caches (`$PKG_CACHE_DIR`, `$XDG_CACHE_HOME/pkg` or `~/.cache/pkg`). */
    readonly dir: string,
    readonly fingerprint: string,
  ) {}

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

  /** The family's cache data, or undefined when absent, corrupt, or written by another loader. */
  read(repository: string, family: string): FamilyCacheData | undefined {
    let data: Buffer;
    try {
      data = readFileSync(this.familyFile(repository, family));
    } catch {
      return undefined;
    }
    const headerEnd = data.indexOf(NEWLINE);
    if (headerEnd < 0) return undefined;
    let header: Partial<Header> | null;
    try {
      header = JSON.parse(data.toString("utf8", 0, headerEnd)) as Partial<Header> | null;
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
    const bodyStart = headerEnd + 1;
    const bodyLength = data.length - bodyStart;
    const entries: { [relativePath: string]: CacheEntry } = {};
    for (const [path, raw] of Object.entries(header.entries)) {
      const entry = expand(raw);
      if (!entry || typeof entry.mtime !== "number" || typeof entry.size !== "number") return undefined;
      if (entry.at && !(Array.isArray(entry.at) && entry.at[0] <= entry.at[1] && entry.at[1] <= bodyLength && typeof entry.format === "string")) return undefined;
      entries[path] = entry;
    }
    return {
      entries,
      attributesOf: (entry) => (entry.at ? data.toString("utf8", bodyStart + entry.at[0], bodyStart + entry.at[1]) : "{}"),
    };
  }

  /** Atomic: written under a temporary name and renamed, so concurrent readers see an old or a new file, never a torn one. */
  write(repository: string, family: string, entries: { readonly [relativePath: string]: CacheEntryToWrite }): boolean {
    const file = this.familyFile(repository, family);
    const temp = `${file}.${process.pid}.${++tempCounter}.tmp`;
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
          : { ...rest, at: [offset, offset + body.length] };
        offset += body.length;
        bodies.push(body);
      } else {
        headerEntries[path] = rest;
      }
    }
    const header: Header = { format: FORMAT, fingerprint: this.fingerprint, repository, family, entries: headerEntries };
    try {
      const dir = this.repositoryDir(repository);
      if (!this.createdDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.createdDirs.add(dir);
      }
      writeFileSync(temp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, "utf8"), ...bodies]));
      renameSync(temp, file);
      return true;
    } catch (error) {
      this.lastError = error as Error;
      try {
        unlinkSync(temp);
      } catch {
        // nothing was written
      }
      return false;
    }
  }
}
