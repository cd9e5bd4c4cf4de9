// Resolve caching (Rez's `resolve_caching`, kept on disk instead of memcached): a solved resolve is stored with
// the state of every package family the solver looked at, and reused while that state is unchanged.
//
// Rez validates a cached resolve by each resolved family's last release time (its folder's mtime) and each
// resolved variant's package file mtime. That misses a package edited in place that the solver looked at but
// did not pick, so pkg checks every family the resolve touched: the family folder in every repository (a new
// or removed version, an .ignore tag) and every package file of it (mtime and size), as the definition cache does.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PackageDefinition } from "../package/index.js";
import { resolve, SOLVER_VERSION } from "../solver/index.js";
import type { PackageFamilySource, ResolveOptions, ResolveResult } from "../solver/index.js";
import { hasLateRequirements } from "./late.js";

/** mtime and size of a file or folder; null when it does not exist. */
type FileState = readonly [mtimeMs: number, size: number] | null;

interface FamilyState {
  readonly name: string;
  /** The family folder in each repository, in repository order. */
  readonly folders: readonly FileState[];
  readonly files: readonly (readonly [path: string, state: FileState])[];
}

interface CacheEntry {
  readonly keyText: string;
  /** pkg-rs toolset folders (`<repo>/.toolsets`), in repository order. */
  readonly toolsets: readonly FileState[];
  readonly families: readonly FamilyState[];
  readonly result: ResolveResult;
}

function fileState(path: string): FileState {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? [stats.mtimeMs, stats.isDirectory() ? 0 : stats.size] : null;
}

function sameState(a: FileState, b: FileState): boolean {
  return a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1];
}

export interface ResolveCacheOptions {
  /** pkg's cache folder; entries go to `<dir>/resolves/`. */
  readonly dir: string;
  /** Repository paths searched, in order. */
  readonly repositoryPaths: readonly string[];
  /** Changes when package files could evaluate differently (the definition loader's fingerprint). */
  readonly fingerprint: string;
  /** Whether a family had a load failure that is not cached (a time limit, a dead worker): a resolve that saw it is not kept. */
  readonly hasTransientFailures?: (family: string) => boolean;
}

export class ResolveCache {
  private readonly folder: string;

  constructor(private readonly options: ResolveCacheOptions) {
    this.folder = join(options.dir, "resolves");
  }

  /** Everything that can change a resolve's result besides the repositories' contents. */
  private keyText(request: readonly string[], options: ResolveOptions): string {
    return JSON.stringify({
      solver: SOLVER_VERSION,
      fingerprint: this.options.fingerprint,
      paths: this.options.repositoryPaths,
      request,
      implicits: options.addImplicitPackages === false ? [] : (options.implicitPackages ?? []),
      building: options.building ?? false,
      timestamp: options.timestamp ?? null,
      filter: Array.isArray(options.filter) ? options.filter : null,
      orderers: Array.isArray(options.orderers) ? options.orderers : null,
      variantSelectMode: options.variantSelectMode ?? "version_priority",
      errorOnMissingVariantRequires: options.errorOnMissingVariantRequires ?? true,
    });
  }

  private file(keyText: string): string {
    return join(this.folder, `${createHash("sha1").update(keyText).digest("hex")}.json`);
  }

  private toolsetStates(): FileState[] {
    return this.options.repositoryPaths.map((p) => fileState(join(p, ".toolsets")));
  }

  private lookup(keyText: string): ResolveResult | undefined {
    let entry: CacheEntry;
    try {
      entry = JSON.parse(readFileSync(this.file(keyText), "utf8")) as CacheEntry;
    } catch {
      return undefined; // none yet, or damaged: resolve again and rewrite it
    }
    if (entry.keyText !== keyText || !Array.isArray(entry.families) || !Array.isArray(entry.toolsets)) return undefined;
    const toolsets = this.toolsetStates();
    if (toolsets.length !== entry.toolsets.length || toolsets.some((s, i) => !sameState(s, entry.toolsets[i]!))) return undefined;
    for (const family of entry.families) {
      const paths = this.options.repositoryPaths;
      if (family.folders.length !== paths.length) return undefined;
      for (let i = 0; i < paths.length; i++) if (!sameState(fileState(join(paths[i]!, family.name)), family.folders[i]!)) return undefined;
      for (const [path, state] of family.files) if (!sameState(fileState(path), state)) return undefined;
    }
    return entry.result;
  }

  private store(keyText: string, result: ResolveResult, touched: ReadonlyMap<string, readonly PackageDefinition[] | undefined>): void {
    const families: FamilyState[] = [];
    for (const [name, definitions] of touched) {
      if (definitions?.some(hasLateRequirements)) return; // late requirements depend on more than files
      if (this.options.hasTransientFailures?.(name)) return; // the next run may load more of the family
      families.push({
        name,
        folders: this.options.repositoryPaths.map((p) => fileState(join(p, name))),
        files: (definitions ?? []).map((d) => [d.file, fileState(d.file)] as const),
      });
    }
    const entry: CacheEntry = { keyText, toolsets: this.toolsetStates(), families, result };
    const file = this.file(keyText);
    try {
      mkdirSync(this.folder, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(entry));
      renameSync(temp, file);
    } catch {
      // an unwritable cache only costs time
    }
  }

  /** `resolve`, answered from the cache while every family the stored resolve touched is unchanged. */
  async resolve(request: readonly string[], options: ResolveOptions & { readonly source: PackageFamilySource }): Promise<ResolveResult> {
    const keyText = this.keyText(request, options);
    const cached = this.lookup(keyText);
    if (cached) return cached;
    const touched = new Map<string, readonly PackageDefinition[] | undefined>();
    const source = options.source;
    const recording: PackageFamilySource = {
      searchedPaths: source.searchedPaths,
      getFamily: async (name) => {
        const family = await source.getFamily(name);
        touched.set(name, family);
        return family;
      },
    };
    const result = await resolve(request, { ...options, source: recording });
    // Only solved resolves are kept, as in Rez: failures are cheap to repeat and their text may name live state.
    if (result.status === "solved") this.store(keyText, result, touched);
    return result;
  }
}
