// Resolve caching (Rez's `resolve_caching`, kept on disk, and in memcached when one is set): a solved resolve is
// stored with the stamp of every package family the solver looked at, and reused while every stamp is current.
//
// Rez validates a cached resolve by each resolved family's last release time (its folder's mtime) and each
// resolved variant's package file mtime. That misses a package edited in place that the solver looked at but
// did not pick, so pkg checks every family the resolve touched, in every repository: its folder (a new or
// removed version, an .ignore tag), every package file of it (broken ones too), every version folder without
// a package file, and the toolsets. The stamps are the state read *before* each family's files were
// evaluated, so an edit during the solve makes the entry stale instead of caching the old answer. Entries are
// sealed with a checksum (src/cache): a damaged one is ignored with a warning and rewritten.
import { createHash } from "node:crypto";
import { join, sep } from "node:path";
import { readSealedFile, writeSealedFile } from "../cache/index.js";
import { memcachedKey } from "../cache/index.js";
import { GraphFormatError, readCompacted, writeCompacted } from "../graph/index.js";
import type { MemcachedClient } from "../cache/index.js";
import type { LoadWarning, PackageDefinition } from "../package/index.js";
import { stampIsCurrent } from "../repository/index.js";
import type { FamilyStamp } from "../repository/index.js";
import { resolve, SOLVER_VERSION } from "../solver/index.js";
import type { PackageFamilySource, ResolveOptions, ResolveResult } from "../solver/index.js";
import { hasLateRequirements } from "./late.js";

const FORMAT = 2;

interface CacheEntry {
  readonly format: number;
  readonly keyText: string;
  readonly stamps: readonly FamilyStamp[];
  readonly result: ResolveResult;
  /** The resolve graph in Rez's compacted form (the result keeps it out of JSON), as Rez's cache keeps it. */
  readonly graph?: string | null;
}

/** A family source that can tell the state it read each family from, and what it warned about (RepositorySet). */
export interface StampedFamilySource extends PackageFamilySource {
  familyStamp?(name: string): FamilyStamp | undefined;
  readonly warnings?: readonly LoadWarning[];
}

export interface ResolveCacheOptions {
  /** pkg's cache folder; entries go to `<dir>/resolves/`. */
  readonly dir: string;
  /** Repository paths searched, in order. */
  readonly repositoryPaths: readonly string[];
  /** Changes when package files could evaluate differently (the definition loader's fingerprint). */
  readonly fingerprint: string;
  /** memcached shared by every machine: consulted after the local cache, validated by the same stamps. */
  readonly shared?: MemcachedClient;
  /** Bytes from which a resolve stored in memcached is compressed (memcached_resolve_min_compress_len). */
  readonly sharedMinCompress?: number;
}

export class ResolveCache {
  private readonly folder: string;
  /** Damaged entries met so far (each was ignored, and is rewritten by the resolve). */
  readonly warnings: LoadWarning[] = [];

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

  private lookup(keyText: string): ResolveResult | undefined {
    const file = this.file(keyText);
    const sealed = readSealedFile(file);
    if (sealed.status !== "ok") {
      if (sealed.status === "damaged") this.warnings.push({ file, message: "damaged resolve cache file (its checksum does not match); ignored and rewritten" });
      return undefined;
    }
    return this.validEntry(keyText, sealed.payload.toString("utf8"));
  }

  /** The result of a stored entry while it is for this key and every stamp is current. */
  private validEntry(keyText: string, text: string): ResolveResult | undefined {
    let entry: Partial<CacheEntry>;
    try {
      entry = JSON.parse(text) as Partial<CacheEntry>;
    } catch {
      return undefined;
    }
    if (entry.format !== FORMAT || entry.keyText !== keyText || !Array.isArray(entry.stamps) || typeof entry.result !== "object" || entry.result === null) return undefined;
    for (const stamp of entry.stamps) if (!stampIsCurrent(stamp)) return undefined;
    const compacted = typeof entry.graph === "string" ? entry.graph : null;
    let graph: ReturnType<typeof readCompacted> | null | undefined;
    const read = (): ReturnType<typeof readCompacted> | null => {
      try {
        return compacted === null ? null : readCompacted(compacted);
      } catch (error) {
        if (error instanceof GraphFormatError) return null;
        throw error;
      }
    };
    Object.defineProperty(entry.result, "graph", { get: () => (graph === undefined ? (graph = read()) : graph), enumerable: false, configurable: true });
    if (compacted !== null) Object.defineProperty(entry.result, "compactedGraph", { value: compacted, enumerable: false, configurable: true });
    return entry.result;
  }

  /** Keeps a solved resolve on disk; the entry's text, or undefined when it must not be kept. */
  private store(keyText: string, result: ResolveResult, source: StampedFamilySource, touched: ReadonlyMap<string, readonly PackageDefinition[] | undefined>): string | undefined {
    // A family with a file or folder that did not load is not kept: mending it (a chmod, say) need not change
    // its stamp, and its warning must be shown again on every run until then.
    const folders = [...touched.keys()].flatMap((name) => this.options.repositoryPaths.map((p) => join(p, name)));
    const warned = (source.warnings ?? []).map((w) => w.file);
    if (warned.some((file) => folders.some((folder) => file === folder || file.startsWith(folder + sep)))) return undefined;
    const stamps: FamilyStamp[] = [];
    for (const [name, definitions] of touched) {
      if (definitions?.some(hasLateRequirements)) return undefined; // late requirements depend on more than files
      const stamp = source.familyStamp?.(name);
      if (stamp === undefined) return undefined; // a source that cannot tell its state is never cached
      stamps.push(stamp);
    }
    const graph = result.graph ? writeCompacted(result.graph) : null;
    const text = JSON.stringify({ format: FORMAT, keyText, stamps, result, graph } satisfies CacheEntry);
    this.storeLocally(keyText, text);
    return text;
  }

  private storeLocally(keyText: string, text: string): void {
    try {
      writeSealedFile(this.file(keyText), text, { mkdir: true });
    } catch {
      // an unwritable cache only costs time
    }
  }

  private sharedKey(keyText: string): string {
    return memcachedKey("resolve", createHash("sha1").update(keyText).digest("hex"));
  }

  /** `resolve`, answered from the cache while every family the stored resolve touched is unchanged. */
  async resolve(request: readonly string[], options: ResolveOptions & { readonly source: StampedFamilySource }): Promise<ResolveResult> {
    const keyText = this.keyText(request, options);
    const cached = this.lookup(keyText);
    if (cached) return cached;
    const shared = this.options.shared;
    if (shared) {
      // Another machine's resolve counts only while every family it touched is unchanged here (Rez checks
      // only the resolved families, so a removed package could be resolved again: its #446).
      const text = await shared.get(this.sharedKey(keyText));
      const result = text === undefined ? undefined : this.validEntry(keyText, text);
      if (result) {
        this.storeLocally(keyText, text!);
        return result;
      }
    }
    const touched = new Map<string, readonly PackageDefinition[] | undefined>();
    const source = options.source;
    const recording: PackageFamilySource = {
      searchedPaths: source.searchedPaths,
      getFamily: async (name) => {
        const family = await source.getFamily(name);
        touched.set(name, family);
        return family;
      },
      ...(source.familyNames ? { familyNames: () => source.familyNames!() } : {}),
    };
    const result = await resolve(request, { ...options, source: recording });
    // Only solved resolves are kept, as in Rez: failures are cheap to repeat and their text may name live state.
    if (result.status === "solved") {
      const text = this.store(keyText, result, source, touched);
      if (text !== undefined && shared) await shared.set(this.sharedKey(keyText), text, this.options.sharedMinCompress ?? 1);
    }
    return result;
  }
}
