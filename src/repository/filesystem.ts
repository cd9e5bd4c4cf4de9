// A Rez filesystem repository: `<root>/<family>/<version>/package.(py|yaml)` or `<root>/<family>/package.(py|yaml)`,
// plus pkg-rs toolsets in `<root>/.toolsets/*.toml`. Name and version identity come from the directories.
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { Dirent, Stats } from "node:fs";
import { join, resolve } from "node:path";
import type { LoadWarning, PackageDefinition } from "../package/index.js";
import type { CachedLoad, DefinitionCache, FamilyCacheEntries } from "./cache.js";
import { isValidPackageName, isValidVersionString, versionIdentityKey } from "./names.js";
import type { PackageIdentity } from "../package/index.js";
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

function isDirectory(parent: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return statSync(join(parent, entry.name), { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function statFile(path: string): Stats | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats : undefined;
}

function failure(file: string, error: unknown): DefinitionLoadResult {
  return { warnings: [{ file, message: error instanceof Error ? error.message : String(error) }] };
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
    const directory = join(this.location, name);
    const entries = isValidPackageName(name) ? readDirectory(directory) : undefined;
    if (!entries) return toolsets ? [...toolsets] : undefined;

    const definitions = await this.loadCandidates(name, this.findCandidates(name, directory, entries));
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
  private findCandidates(name: string, directory: string, entries: Dirent[]): Candidate[] {
    for (const filename of PACKAGE_FILES) {
      const entry = entries.find((e) => e.name === filename);
      if (!entry) continue;
      const file = join(directory, filename);
      const stats = statFile(file);
      if (stats) return [{ relative: `${name}/${filename}`, file, identity: { name, version: "" }, stats }];
    }
    const hidden = new Set(entries.filter((e) => e.name.startsWith(".")).map((e) => e.name));
    const candidates: Candidate[] = [];
    const versions = entries.filter((e) => !e.name.startsWith(".") && isDirectory(directory, e)).map((e) => e.name).sort();
    for (const version of versions) {
      if (hidden.has(`.ignore${version}`)) continue;
      const versionDirectory = join(directory, version);
      let found: Candidate | undefined;
      for (const filename of PACKAGE_FILES) {
        const file = join(versionDirectory, filename);
        const stats = statFile(file);
        if (stats) {
          found = { relative: `${name}/${version}/${filename}`, file, identity: { name, version }, stats };
          break;
        }
      }
      if (!found) {
        if (!hidden.has(`.building${version}`)) {
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

  private async loadCandidates(family: string, candidates: Candidate[]): Promise<PackageDefinition[]> {
    const previous = this.cache?.read(this.location, family);
    const next: FamilyCacheEntries = {};
    const results: (CachedLoad | Promise<CachedLoad>)[] = [];
    let changed = false;
    for (const candidate of candidates) {
      const { mtimeMs: mtime, size } = candidate.stats;
      const hit = previous?.[candidate.relative];
      if (hit && hit.mtime === mtime && hit.size === size) {
        this.stats.cached++;
        results.push(hit);
        continue;
      }
      changed = true;
      this.stats.evaluated++;
      results.push(this.evaluate(candidate));
    }
    const settled = changed ? await Promise.all(results) : (results as CachedLoad[]);
    const definitions: PackageDefinition[] = [];
    candidates.forEach((candidate, index) => {
      const load = settled[index];
      next[candidate.relative] = load;
      if (load.warnings) this.collected.push(...load.warnings);
      if (load.definition) definitions.push(load.definition);
    });
    if (this.cache && (changed || (previous && Object.keys(previous).length !== candidates.length))) {
      this.cache.write(this.location, family, next);
    }
    return definitions;
  }

  private evaluate(candidate: Candidate): CachedLoad | Promise<CachedLoad> {
    const { file, identity, stats } = candidate;
    const entry = (result: DefinitionLoadResult): CachedLoad => ({
      mtime: stats.mtimeMs,
      size: stats.size,
      ...(result.definition ? { definition: result.definition } : {}),
      ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
    });
    if (this.loader.tryLoadDeclarative) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        return entry(failure(file, error));
      }
      try {
        const quick = this.loader.tryLoadDeclarative(file, text, identity);
        if (quick) return entry(quick);
      } catch (error) {
        return entry(failure(file, error));
      }
    }
    return this.loader.load(file, identity).then(entry, (error: unknown) => entry(failure(file, error)));
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
