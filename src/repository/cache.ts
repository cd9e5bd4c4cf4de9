// The on-disk cache of evaluated definitions: one small JSON file per repository and family, so that
// loading one family reads one cache file and a warm scan reads no package files at all.
// An entry is valid while the package file keeps its mtime and size and the loader keeps its fingerprint.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { LoadWarning, PackageDefinition } from "../package/index.js";

const FORMAT = 1;

/** One evaluated file: its definition, or only the warnings of a failed load (so broken files aren't re-evaluated). */
export interface CachedLoad {
  readonly mtime: number;
  readonly size: number;
  readonly definition?: PackageDefinition;
  readonly warnings?: readonly LoadWarning[];
}

/** Entries of one family, keyed by file path relative to the repository root. */
export type FamilyCacheEntries = { [relativePath: string]: CachedLoad };

interface FamilyCacheFile {
  readonly format: number;
  readonly fingerprint: string;
  readonly repository: string;
  readonly family: string;
  readonly entries: FamilyCacheEntries;
}

let tempCounter = 0;

export class DefinitionCache {
  private readonly createdDirs = new Set<string>();
  /** The last write error, if any (the cache never fails a command). */
  lastError: Error | undefined;

  constructor(
    /** Root of pkg's caches (`$PKG_CACHE_DIR`, `$XDG_CACHE_HOME/pkg` or `~/.cache/pkg`). */
    readonly dir: string,
    readonly fingerprint: string,
  ) {}

  repositoryDir(repository: string): string {
    const hash = createHash("sha1").update(repository).digest("hex").slice(0, 16);
    const label = basename(repository).replace(/[^A-Za-z0-9_.-]/g, "_") || "root";
    return join(this.dir, "definitions", `${label}-${hash}`);
  }

  familyFile(repository: string, family: string): string {
    return join(this.repositoryDir(repository), `${family}.json`);
  }

  /** The family's entries, or undefined when absent, corrupt, or written by another loader. */
  read(repository: string, family: string): FamilyCacheEntries | undefined {
    let text: string;
    try {
      text = readFileSync(this.familyFile(repository, family), "utf8");
    } catch {
      return undefined;
    }
    try {
      const data = JSON.parse(text) as Partial<FamilyCacheFile> | null;
      if (
        data === null ||
        typeof data !== "object" ||
        data.format !== FORMAT ||
        data.fingerprint !== this.fingerprint ||
        data.repository !== repository ||
        data.family !== family ||
        typeof data.entries !== "object" ||
        data.entries === null
      ) {
        return undefined;
      }
      return data.entries;
    } catch {
      return undefined;
    }
  }

  /** Atomic: written under a temporary name and renamed, so concurrent readers see an old or a new file, never a torn one. */
  write(repository: string, family: string, entries: FamilyCacheEntries): boolean {
    const file = this.familyFile(repository, family);
    const temp = `${file}.${process.pid}.${++tempCounter}.tmp`;
    const data: FamilyCacheFile = { format: FORMAT, fingerprint: this.fingerprint, repository, family, entries };
    try {
      const dir = this.repositoryDir(repository);
      if (!this.createdDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.createdDirs.add(dir);
      }
      writeFileSync(temp, JSON.stringify(data));
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
