// A Rez filesystem repository: `<root>/<family>/<version>/package.(py|yaml)` or `<root>/<family>/package.(py|yaml)`,
// plus pkg-rs toolsets in `<root>/.toolsets/*.toml`. Name and version identity come from the directories.
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { Dirent, Stats } from "node:fs";
import { join, resolve } from "node:path";
import type { LoadWarning, PackageDefinition, PackageIdentity } from "../package/index.js";
import type { CacheEntry, CacheEntryToWrite, DefinitionCache, DirectoryListing, FamilyCacheData } from "./cache.js";
import { isValidPackageName, isValidVersionString, versionIdentityKey } from "./names.js";
import type { DefinitionLoader, DefinitionLoadResult, PackageRepository } from "./types.js";

export interface FilesystemRepositoryOptions {
  readonly loader: DefinitionLoader;
  /** Omit to bypass the on-disk cache (`--no-cache`). */
  readonly cache?: DefinitionCache;
}

/** A package file found in a family directory. */
interface Candidate {
  /** Relative to the repository root: `<family>/<version>/package.py`. */
  readonly relative: string;
  readonly file: string;
  readonly identity: PackageIdentity;
  readonly stats: Stats;
}

const PACKAGE_FILES = ["package.py", "package.yaml"] as const;

function readDirectory(path: string): Dirent[] | undefined {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

function readNames(path: string): string[] | undefined {
  try {
    return readdirSync(path);
  } catch {
    return undefined;
  }
}

function isDirectory(parent: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return statSync(join(parent, entry.name), { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function statFile(path: string): Stats | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats : undefined;
}

function toCacheEntry(stats: Stats, result: DefinitionLoadResult, identity: PackageIdentity): CacheEntryToWrite {
  const { definition, warnings } = result;
  const entry: { -readonly [K in keyof CacheEntryToWrite]: CacheEntryToWrite[K] } = { mtime: stats.mtimeMs, size: stats.size };
  if (warnings.length > 0) entry.warnings = warnings;
  if (definition) {
    entry.format = definition.format;
    if (definition.name !== identity.name) entry.name = definition.name;
    if (definition.version !== identity.version) entry.version = definition.version;
    if (definition.pkgrs) entry.pkgrs = definition.pkgrs;
    entry.attributes = () => JSON.stringify(definition.attributes);
  }
  return entry;
}

/**
 * A definition from the cache whose attributes are parsed on first access. The getter is an own, enumerable
 * property, so spreading and JSON.stringify still see the attributes.
 */
function fromCache(entry: CacheEntry, data: FamilyCacheData, identity: PackageIdentity, file: string): PackageDefinition {
  // The getter keeps only the family's buffer and two offsets alive, not the parsed cache header.
  const buffer = data.buffer;
  const start = data.bodyOffset + (entry.start ?? 0);
  const end = data.bodyOffset + (entry.end ?? 0);
  let attributes: PackageDefinition["attributes"] | undefined;
  const definition = {
    name: entry.name ?? identity.name,
    version: entry.version ?? identity.version,
    format: entry.format ?? "rez",
    file,
    get attributes(): PackageDefinition["attributes"] {
      return (attributes ??= (start < end ? JSON.parse(buffer.toString("utf8", start, end)) : {}) as PackageDefinition["attributes"]);
    },
  };
  if (entry.pkgrs) Object.defineProperty(definition, "pkgrs", { enumerable: true, value: entry.pkgrs });
  return definition;
}

function failure(file: string, error: unknown): DefinitionLoadResult {
  return { warnings: [{ file, message: error instanceof Error ? error.message : String(error) }] };
}

/**
 * Not the file's fault, so not cached: a file that cannot be read now may be readable later with the same mtime
 * (a chmod, a mount), and a loader that throws failed on its own account.
 */
function transientFailure(file: string, error: unknown): DefinitionLoadResult {
  return { ...failure(file, error), transient: true };
}

export class FilesystemRepository implements PackageRepository {
  readonly uid: string;
  readonly location: string;
  private readonly loader: DefinitionLoader;
  private readonly cache: DefinitionCache | undefined;
  private readonly families = new Map<string, Promise<PackageDefinition[] | undefined>>();
  private directoryNames: string[] | undefined;
  private toolsets: Promise<Map<string, PackageDefinition[]>> | undefined;
  private readonly collected: LoadWarning[] = [];
  private readonly unsettled = new Set<string>();
  /** Files evaluated (cache misses) and reused (hits) so far. */
  readonly stats = { evaluated: 0, cached: 0 };

  constructor(location: string, options: FilesystemRepositoryOptions) {
    this.location = resolve(location);
    this.uid = `filesystem@${this.location}`;
    this.loader = options.loader;
    this.cache = options.cache;
  }

  get warnings(): readonly LoadWarning[] {
    return this.collected;
  }

  hasTransientFailures(name: string): boolean {
    return this.unsettled.has(name);
  }

  /** Why the definition cache could not be written, if it could not (never fatal). */
  get cacheError(): Error | undefined {
    return this.cache?.lastError;
  }

  /** Family directories only (no toolsets), sorted; a missing repository has none. */
  familyDirectoryNames(): string[] {
    if (!this.directoryNames) {
      const entries = readDirectory(this.location) ?? [];
      this.directoryNames = entries
        .filter((e) => !e.name.startsWith(".") && isValidPackageName(e.name) && isDirectory(this.location, e))
        .map((e) => e.name)
        .sort();
    }
    return this.directoryNames;
  }

  async familyNames(): Promise<string[]> {
    const names = new Set(this.familyDirectoryNames());
    for (const name of (await this.loadToolsets()).keys()) names.add(name);
    return [...names].sort();
  }

  loadFamily(name: string): Promise<PackageDefinition[] | undefined> {
    let family = this.families.get(name);
    if (!family) {
      family = this.readFamily(name);
      this.families.set(name, family);
    }
    return family;
  }

  private async readFamily(name: string): Promise<PackageDefinition[] | undefined> {
    const toolsets = (await this.loadToolsets()).get(name);
    // Toolset names are free-form (pkg-rs allows `maya-anim`); directories must be valid Rez names.
    const directory = `${this.location}/${name}`;
    const directoryStats = isValidPackageName(name) ? statSync(directory, { throwIfNoEntry: false }) : undefined;
    if (!directoryStats?.isDirectory()) return toolsets ? [...toolsets] : undefined;
    const cached = this.cache?.read(this.location, name);
    // Adding or removing a version (or an .ignore tag) changes the family directory's mtime, so an unchanged
    // mtime means the listing kept in the cache is still right (Rez's listdir cache works the same way).
    // The directory is stat'ed before it is listed, so a change in between makes the next run list it again.
    const listed = cached?.listing?.mtime === directoryStats.mtimeMs ? cached.listing.names : readNames(directory);
    if (!listed) return toolsets ? [...toolsets] : undefined;
    const listing = { mtime: directoryStats.mtimeMs, names: listed };

    const definitions = await this.loadCandidates(name, this.findCandidates(name, directory, listed), cached, listing);
    if (toolsets) {
      const versions = new Set(definitions.map((d) => versionIdentityKey(d.version)));
      for (const toolset of toolsets) {
        if (versions.has(versionIdentityKey(toolset.version))) {
          this.collected.push({ file: toolset.file, message: `toolset ${name}-${toolset.version} is hidden by a package of the same name and version` });
        } else {
          definitions.push(toolset);
        }
      }
    }
    return definitions;
  }

  /** Rez's rules: unversioned package file wins; hidden, `.ignore<v>` and unfinished `.building<v>` versions are skipped. */
  private findCandidates(name: string, directory: string, entries: readonly string[]): Candidate[] {
    for (const filename of PACKAGE_FILES) {
      if (!entries.includes(filename)) continue;
      const file = join(directory, filename);
      const stats = statFile(file);
      if (stats) return [{ relative: `${name}/${filename}`, file, identity: { name, version: "" }, stats }];
    }
    const hidden = new Set<string>();
    const versions: string[] = [];
    for (const entry of entries) {
      if (entry.charCodeAt(0) === 0x2e) hidden.add(entry);
      else versions.push(entry);
    }
    versions.sort();
    const candidates: Candidate[] = [];
    for (const version of versions) {
      if (hidden.size > 0 && hidden.has(`.ignore${version}`)) continue;
      const prefix = `${directory}/${version}/`;
      let found: Candidate | undefined;
      for (const filename of PACKAGE_FILES) {
        // One stat per package file: a plain file named like a version fails it too (ENOTDIR), so no directory check is needed.
        const stats = statSync(prefix + filename, { throwIfNoEntry: false });
        if (stats?.isFile()) {
          const file = prefix + filename;
          // A slice of the path (no copy): `<family>/<version>/<file>` relative to the repository.
          found = { relative: file.slice(this.location.length + 1), file, identity: { name, version }, stats };
          break;
        }
      }
      if (!found) {
        const versionDirectory = join(directory, version);
        if (!hidden.has(`.building${version}`) && statSync(versionDirectory, { throwIfNoEntry: false })?.isDirectory()) {
          this.collected.push({ file: versionDirectory, message: "version directory has no package.py or package.yaml; skipped" });
        }
        continue;
      }
      if (!isValidVersionString(version)) {
        this.collected.push({ file: found.file, message: `'${version}' is not a valid version; package skipped` });
        continue;
      }
      candidates.push(found);
    }
    return candidates;
  }

  private async loadCandidates(
    family: string,
    candidates: Candidate[],
    cached: FamilyCacheData | undefined,
    listing: DirectoryListing,
  ): Promise<PackageDefinition[]> {
    // Hits keep the entry as read (no copy on the warm path); only a rewrite turns them into entries to write.
    const entries: (CacheEntry | CacheEntryToWrite)[] = new Array<CacheEntry | CacheEntryToWrite>(candidates.length);
    const hits: boolean[] = new Array<boolean>(candidates.length);
    // Failures that are not the file's own are left out of the cache, so the next run evaluates the file again.
    const uncached: boolean[] = new Array<boolean>(candidates.length);
    const loaded: (PackageDefinition | undefined)[] = new Array<PackageDefinition | undefined>(candidates.length);
    let pending: Promise<void>[] | undefined;
    let changed = false;
    for (let index = 0; index < candidates.length; index++) {
      const candidate = candidates[index];
      const hit = cached?.lookup(candidate.relative, candidate.stats.mtimeMs, candidate.stats.size);
      if (cached && hit) {
        this.stats.cached++;
        entries[index] = hit;
        hits[index] = true;
        loaded[index] = hit.format ? fromCache(hit, cached, candidate.identity, candidate.file) : undefined;
        continue;
      }
      changed = true;
      this.stats.evaluated++;
      const result = this.evaluate(candidate);
      const take = (r: DefinitionLoadResult): void => {
        entries[index] = toCacheEntry(candidate.stats, r, candidate.identity);
        loaded[index] = r.definition;
        if (r.transient) {
          uncached[index] = true;
          this.unsettled.add(family);
        }
      };
      if (result instanceof Promise) (pending ??= []).push(result.then(take));
      else take(result);
    }
    if (pending) await Promise.all(pending);
    const definitions: PackageDefinition[] = [];
    for (let index = 0; index < candidates.length; index++) {
      const warnings = entries[index].warnings;
      if (warnings) this.collected.push(...warnings);
      const definition = loaded[index];
      if (definition) definitions.push(definition);
    }
    if (this.cache && (changed || !cached || cached.size !== candidates.length || cached.listing?.mtime !== listing.mtime)) {
      const next: { [relativePath: string]: CacheEntryToWrite } = {};
      candidates.forEach((candidate, index) => {
        if (uncached[index]) return;
        const entry = entries[index];
        next[candidate.relative] = hits[index] && cached && entry.format ? { ...entry, attributes: () => cached.attributesOf(entry) } : entry;
      });
      this.cache.write(this.location, family, next, listing);
    }
    return definitions;
  }

  private evaluate(candidate: Candidate): DefinitionLoadResult | Promise<DefinitionLoadResult> {
    const { file, identity } = candidate;
    if (this.loader.tryLoadDeclarative) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        return transientFailure(file, error);
      }
      try {
        const quick = this.loader.tryLoadDeclarative(file, text, identity);
        if (quick) return quick;
      } catch (error) {
        return failure(file, error);
      }
    }
    return this.loader.load(file, identity).catch((error: unknown) => transientFailure(file, error));
  }

  private loadToolsets(): Promise<Map<string, PackageDefinition[]>> {
    if (!this.toolsets) this.toolsets = this.readToolsets();
    return this.toolsets;
  }

  private async readToolsets(): Promise<Map<string, PackageDefinition[]>> {
    const byName = new Map<string, PackageDefinition[]>();
    const directory = join(this.location, ".toolsets");
    const files = (readDirectory(directory) ?? [])
      .filter((e) => e.name.endsWith(".toml") && !e.name.startsWith(".") && !e.isDirectory())
      .map((e) => join(directory, e.name))
      .sort();
    for (const file of files) {
      let loaded: Awaited<ReturnType<DefinitionLoader["loadToolsets"]>>;
      try {
        loaded = await this.loader.loadToolsets(file);
      } catch (error) {
        this.collected.push(...failure(file, error).warnings);
        continue;
      }
      this.collected.push(...loaded.warnings);
      for (const definition of loaded.definitions) {
        const list = byName.get(definition.name) ?? [];
        if (list.some((d) => versionIdentityKey(d.version) === versionIdentityKey(definition.version))) {
          this.collected.push({ file, message: `toolset ${definition.name}-${definition.version} is defined twice; the first wins` });
          continue;
        }
        list.push(definition);
        byName.set(definition.name, list);
      }
    }
    return byName;
  }
}
