// A Rez filesystem repository: `<root>/<family>/<version>/package.(py|yaml)` or `<root>/<family>/package.(py|yaml)`,
// plus pkg-rs toolsets in `<root>/.toolsets/*.toml`. Name and version identity come from the directories.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import type { Dirent, Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "../cache/index.js";
import { PkgError, fsErrorReason } from "../errors/index.js";
import { variantSubpath, writePackagePy } from "../package/index.js";
import type { LoadWarning, PackageDefinition, PackageFormat, PackageIdentity, PkgRsData } from "../package/index.js";
import type { VariantHandle } from "./handle.js";
import { DEFAULT_LOCK_TIMEOUT, packageLockFile, withFileLock } from "./lock.js";
import { mergeVariant } from "./merge.js";
import { swapInPayload } from "./payload.js";
import type { CacheEntry, CacheEntryToWrite, DefinitionCache, DirectoryListing, FamilyCacheData } from "./cache.js";
import { isValidPackageName, isValidVersionString, versionIdentityKey } from "./names.js";
import { familyHeadOf, parseFamilyHead, versionSortKey } from "./heads.js";
import type { FamilyHead } from "./heads.js";
import { stampIsCurrent, stampPath } from "./stamp.js";
import type { FamilyStamp, StampedPath } from "./stamp.js";
import type { DefinitionLoader, DefinitionLoadResult } from "./types.js";
import type { IgnoredVersion, TagChange, VariantInstall, VariantInstallResult, WritableRepository } from "./writable.js";

export interface FilesystemRepositoryOptions {
  readonly loader: DefinitionLoader;
  /** Omit to bypass the on-disk cache (`--no-cache`). */
  readonly cache?: DefinitionCache;
  /** Seconds an install waits for another one's lock (Rez's `file_lock_timeout`; 0: for ever). */
  readonly lockTimeout?: number;
}

/**
 * The handle of a variant of a filesystem repository at `location`. A definition outside the
 * `<family>/<version>/package.*` layout (a toolset file) is a "combined" one, as Rez calls a file of many packages.
 */
export function filesystemVariantHandle(location: string, definition: PackageDefinition, index: number | null): VariantHandle {
  const dir = dirname(definition.file);
  const versioned = definition.version !== "";
  const inLayout = versioned ? basename(dir) === definition.version && basename(dirname(dir)) === definition.name : basename(dir) === definition.name;
  return {
    key: inLayout ? "filesystem.variant" : "filesystem.variant.combined",
    variables: {
      index,
      location,
      name: definition.name,
      repository_type: "filesystem",
      ...(versioned ? { version: definition.version } : {}),
      ...(inLayout ? {} : { ext: definition.file.endsWith(".yaml") ? "yaml" : "py" }),
    },
  };
}

/** Where a filesystem error leaves the repository unwritable, in words (PKG0030). */
function notWritable(what: string, error: unknown): PkgError {
  return new PkgError("PKG0030", `cannot write ${what}: ${fsErrorReason(error, "write")}`, { hint: "check the repository's permissions, or install somewhere else (--prefix)", cause: error });
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

/** statSync that returns the error instead of throwing; undefined when nothing is there (ENOENT, ENOTDIR). */
function probe(path: string): Stats | NodeJS.ErrnoException | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

function statFile(path: string): Stats | NodeJS.ErrnoException | undefined {
  const stats = probe(path);
  return stats instanceof Error || stats?.isFile() ? stats : undefined;
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
 * A definition from the cache whose attributes are parsed on first access. `attributes` is an own, enumerable
 * accessor, so spreading and JSON.stringify still see the attributes; its one getter is shared by every
 * definition (a getter written in an object literal is a new function per object, and V8 keeps each such
 * object's properties in a dictionary: slower to read, and several times the memory for the collector).
 */
class CachedDefinition implements PackageDefinition {
  readonly name: string;
  readonly version: string;
  readonly format: PackageFormat;
  readonly file: string;
  declare readonly attributes: PackageDefinition["attributes"];
  declare readonly pkgrs?: PkgRsData;
  // Only the family's buffer and two offsets are kept alive, not the parsed cache header.
  readonly #buffer: Buffer;
  readonly #start: number;
  readonly #end: number;
  #parsed: PackageDefinition["attributes"] | undefined = undefined;

  static readonly #attributes: PropertyDescriptor = {
    enumerable: true,
    get(this: CachedDefinition): PackageDefinition["attributes"] {
      return (this.#parsed ??= (this.#start < this.#end ? JSON.parse(this.#buffer.toString("utf8", this.#start, this.#end)) : {}) as PackageDefinition["attributes"]);
    },
  };

  constructor(entry: CacheEntry, data: FamilyCacheData, identity: PackageIdentity, file: string) {
    this.name = entry.name ?? identity.name;
    this.version = entry.version ?? identity.version;
    this.format = entry.format ?? "rez";
    this.file = file;
    this.#buffer = data.buffer;
    this.#start = data.bodyOffset + (entry.start ?? 0);
    this.#end = data.bodyOffset + (entry.end ?? 0);
    Object.defineProperty(this, "attributes", CachedDefinition.#attributes);
    if (entry.pkgrs) Object.defineProperty(this, "pkgrs", { enumerable: true, value: entry.pkgrs });
  }
}

/** A change inside a family's folders shows in the family folder's mtime, which Rez's listing caches check. */
function touch(folder: string): void {
  try {
    const now = new Date();
    utimesSync(folder, now, now);
  } catch {
    // not ours to update (or gone): only a cache hint
  }
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

/** A family's stamp as kept: folders and other paths as tuples, its package files' mtime and size flat in `states`. */
interface RecordedStamp {
  readonly paths: StampedPath[];
  files: readonly string[];
  states: Float64Array;
}

export class FilesystemRepository implements WritableRepository {
  readonly type = "filesystem";
  readonly uid: string;
  readonly location: string;
  private readonly loader: DefinitionLoader;
  private readonly cache: DefinitionCache | undefined;
  private readonly lockTimeout: number;
  private readonly families = new Map<string, Promise<PackageDefinition[] | undefined>>();
  private directoryNames: string[] | undefined;
  private toolsets: Promise<Map<string, PackageDefinition[]>> | undefined;
  /** The toolsets folder and files as read (part of every family's stamp: a toolset can define any family). */
  private toolsetStamp: StampedPath[] = [];
  /** Per loaded family: the paths it was read from, and its package files' states kept flat (no tuple per file on the warm path). */
  private readonly stamps = new Map<string, RecordedStamp>();
  private readonly collected: LoadWarning[] = [];
  private heads: Promise<Map<string, FamilyHead>> | undefined;
  /** `file\0message` of the warnings about the folders themselves, so a path read twice is reported once. */
  private readonly reported = new Set<string>();
  /** Whether the repository folder can be read; an unreadable one is one warning, not one per path in it. */
  private readable: boolean | undefined;
  /** Files evaluated (cache misses) and reused (hits) so far. */
  readonly stats = { evaluated: 0, cached: 0 };

  constructor(location: string, options: FilesystemRepositoryOptions) {
    this.location = resolve(location);
    this.uid = `filesystem@${this.location}`;
    this.loader = options.loader;
    this.cache = options.cache;
    this.lockTimeout = options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT;
  }

  variantHandle(definition: PackageDefinition, index: number | null): VariantHandle {
    return filesystemVariantHandle(this.location, definition, index);
  }

  private packageBase(name: string, version: string): string {
    return version === "" ? join(this.location, name) : join(this.location, name, version);
  }

  variantRoot(name: string, version: string, subpath: string | null): string {
    const base = this.packageBase(name, version);
    return subpath ? join(base, subpath) : base;
  }

  /** Forgets what was read of a family (and the listing), after this process changed it. */
  private forget(name: string): void {
    this.families.delete(name);
    this.stamps.delete(name);
    this.directoryNames = undefined;
    this.heads = undefined;
  }

  /** Holds the package's lock; the repository folder is created first (as an install into a new place needs). */
  private locked<T>(name: string, version: string, work: () => Promise<T>): Promise<T> {
    try {
      mkdirSync(this.location, { recursive: true });
    } catch (error) {
      throw notWritable(`the repository folder ${this.location}`, error);
    }
    return withFileLock(packageLockFile(this.location, name, version), work, this.lockTimeout).catch((error: unknown) => {
      if (error instanceof PkgError) throw error;
      throw notWritable(`into ${this.location}`, error);
    });
  }

  /** The installed package as on disk now (not as cached: another process may have installed since). */
  private async readInstalled(name: string, version: string): Promise<PackageDefinition | undefined> {
    const base = this.packageBase(name, version);
    for (const filename of PACKAGE_FILES) {
      const file = join(base, filename);
      const stats = statFile(file);
      if (stats instanceof Error) throw notWritable(`over ${file}`, stats);
      if (!stats) continue;
      const result = await this.evaluate({ relative: "", file, identity: { name, version }, stats });
      if (!result.definition) {
        throw new PkgError("PKG0031", `cannot install into ${base}: its ${filename} cannot be read (${result.warnings[0]?.message ?? "no definition"})`, {
          hint: "fix or remove the installed package first",
        });
      }
      return result.definition;
    }
    return undefined;
  }

  async installVariant(install: VariantInstall): Promise<VariantInstallResult> {
    const { name, version } = install.definition;
    const base = this.packageBase(name, version);
    return this.locked(name, version, async () => {
      if (install.definition.format === "pkg-rs") return this.installAsIs(install, install.definition.file);
      const installed = await this.readInstalled(name, version);
      const merge = mergeVariant({
        name,
        version,
        installed: installed?.attributes,
        built: install.definition.attributes,
        index: install.index,
        overwrite: install.overwrite ?? false,
        now: Math.floor(Date.now() / 1000),
        ...(install.extraAttributes ? { extraAttributes: install.extraAttributes } : {}),
      });
      const definition: PackageDefinition = { name, version, format: "rez", file: join(base, "package.py"), attributes: merge.attributes };
      const subpath = install.index === null ? null : variantSubpath(install.definition, install.index);
      const root = this.variantRoot(name, version, subpath);
      if (merge.status === "existing") {
        if (install.payload) rmSync(install.payload, { recursive: true, force: true });
        return { status: "existing", definition: installed!, index: merge.index, root };
      }
      return this.writeVariant(install, definition, writePackagePy(definition), merge.status, merge.index);
    });
  }

  /** A package.py copied as it is (pkg-rs style) with the variant's payload; an installed one is replaced. */
  private installAsIs(install: VariantInstall, file: string): VariantInstallResult {
    const { name, version } = install.definition;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new PkgError("PKG0084", `cannot read ${file} to install it: ${fsErrorReason(error)}`);
    }
    const base = this.packageBase(name, version);
    const subpath = install.index === null ? null : variantSubpath(install.definition, install.index);
    const root = this.variantRoot(name, version, subpath);
    const there = existsSync(join(base, "package.py")) && existsSync(root);
    if (there && !install.overwrite) {
      if (install.payload) rmSync(install.payload, { recursive: true, force: true });
      return { status: "existing", definition: { ...install.definition, file: join(base, "package.py") }, index: install.index, root };
    }
    const definition: PackageDefinition = { ...install.definition, file: join(base, "package.py") };
    return this.writeVariant(install, definition, text, there ? "replaced" : "installed", install.index);
  }

  /** Moves the payload into the variant's root and writes package.py, under the lock the caller holds. */
  private writeVariant(install: VariantInstall, definition: PackageDefinition, text: string, status: "installed" | "replaced", index: number | null): VariantInstallResult {
    const { name, version } = install.definition;
    const base = this.packageBase(name, version);
    const family = join(this.location, name);
    const subpath = install.index === null ? null : variantSubpath(install.definition, install.index);
    const root = this.variantRoot(name, version, subpath);
    const tag = version !== "" ? join(family, `.building${version}`) : undefined;
    try {
      mkdirSync(family, { recursive: true });
      if (tag) writeFileSync(tag, "");
    } catch (error) {
      throw notWritable(`the family folder ${family}`, error);
    }
    let swap: ReturnType<typeof swapInPayload> | undefined;
    try {
      if (install.payload && subpath === null) {
        // The package is its one variant: its package.py goes in with the payload, in one rename.
        writeFileAtomic(join(install.payload, "package.py"), text, { mode: 0o444 });
        swap = swapInPayload(install.payload, root);
      } else {
        if (install.payload) swap = swapInPayload(install.payload, root);
        else mkdirSync(root, { recursive: true });
        writeFileAtomic(join(base, "package.py"), text, { mode: 0o444 });
      }
      if (existsSync(join(base, "package.yaml"))) unlinkSync(join(base, "package.yaml"));
    } catch (error) {
      swap?.rollback();
      if (tag) rmSync(tag, { force: true });
      throw error instanceof PkgError ? error : notWritable(`the package ${base}`, error);
    }
    swap?.commit();
    if (tag) rmSync(tag, { force: true });
    touch(family);
    this.forget(name);
    return { status, definition, index, root };
  }

  async removePackage(name: string, version: string): Promise<boolean> {
    if (version === "") return this.removeFamily(name, { force: true });
    return this.locked(name, version, async () => {
      const base = this.packageBase(name, version);
      if (!existsSync(base)) return false;
      const aside = join(this.location, name, `.removing${version}.${process.pid}`);
      try {
        renameSync(base, aside);
        rmSync(join(this.location, name, `.ignore${version}`), { force: true });
        rmSync(aside, { recursive: true, force: true });
      } catch (error) {
        throw notWritable(`over ${base}`, error);
      }
      touch(join(this.location, name));
      this.forget(name);
      return true;
    });
  }

  async removeFamily(name: string, options: { readonly force?: boolean } = {}): Promise<boolean> {
    const family = join(this.location, name);
    if (!existsSync(family)) return false;
    if (!options.force) {
      const versions = readdirSync(family).filter((entry) => !entry.startsWith("."));
      if (versions.length > 0) {
        throw new PkgError("PKG0032", `the family ${name} in ${this.location} still has ${versions.length} package${versions.length === 1 ? "" : "s"} (${versions.slice(0, 3).join(", ")}${versions.length > 3 ? ", …" : ""})`, {
          hint: "remove its packages first, or force the removal",
        });
      }
    }
    return this.locked(name, "", async () => {
      const aside = join(this.location, `.removing.${name}.${process.pid}`);
      try {
        renameSync(family, aside);
        rmSync(aside, { recursive: true, force: true });
      } catch (error) {
        throw notWritable(`over ${family}`, error);
      }
      this.forget(name);
      return true;
    });
  }

  async ignoreVersion(name: string, version: string, options: { readonly allowMissing?: boolean } = {}): Promise<TagChange> {
    return this.setIgnored(name, version, true, options.allowMissing ?? false);
  }

  async unignoreVersion(name: string, version: string): Promise<TagChange> {
    return this.setIgnored(name, version, false, false);
  }

  async ignoredVersions(): Promise<IgnoredVersion[]> {
    const found: IgnoredVersion[] = [];
    for (const name of this.familyDirectoryNames()) {
      const family = join(this.location, name);
      for (const entry of (this.listNames(family, "family folder") ?? []).sort()) {
        if (!entry.startsWith(".ignore") || entry.length === ".ignore".length) continue;
        const stats = probe(join(family, entry));
        if (stats && !(stats instanceof Error)) found.push({ name, version: entry.slice(".ignore".length), since: stats.ctimeMs });
      }
    }
    return found;
  }

  private async setIgnored(name: string, version: string, ignored: boolean, allowMissing: boolean): Promise<TagChange> {
    // Nothing to change: no lock, so a repository that does not exist is not created by asking.
    if (!allowMissing && !existsSync(join(this.location, name, `.ignore${version}`)) && !existsSync(join(this.location, name, version))) return "not-found";
    return this.locked(name, version, async () => {
      const family = join(this.location, name);
      const tag = join(family, `.ignore${version}`);
      const tagged = existsSync(tag);
      if (!tagged && !allowMissing && !existsSync(join(family, version))) return "not-found";
      if (tagged === ignored) return "unchanged";
      try {
        if (ignored) {
          // Rez tags a missing version in a missing family too (rez-mv hides the destination before copying).
          mkdirSync(family, { recursive: true });
          writeFileSync(tag, "");
        }
        else unlinkSync(tag);
      } catch (error) {
        throw notWritable(`the tag ${tag}`, error);
      }
      this.forget(name);
      return "changed";
    });
  }

  get warnings(): readonly LoadWarning[] {
    return this.collected;
  }

  /** Why the definition cache could not be written, if it could not (never fatal). */
  get cacheError(): Error | undefined {
    return this.cache?.lastError;
  }

  /** Family directories only (no toolsets), sorted; a missing repository has none, an unreadable one warns. */
  familyDirectoryNames(): string[] {
    if (!this.directoryNames) {
      const names: string[] = [];
      const entries = this.rootReadable() ? this.listFolder(this.location, "repository folder") : undefined;
      for (const entry of entries ?? []) {
        if (entry.name.startsWith(".") || !isValidPackageName(entry.name)) continue;
        if (entry.isDirectory() || (entry.isSymbolicLink() && this.isLinkedFolder(join(this.location, entry.name)))) names.push(entry.name);
      }
      this.directoryNames = names.sort();
    }
    return this.directoryNames;
  }

  /** A missing repository is silently empty; one that is a file or cannot be searched is reported once. */
  private rootReadable(): boolean {
    if (this.readable === undefined) {
      const stats = probe(this.location);
      let problem: string | undefined;
      if (stats instanceof Error) problem = fsErrorReason(stats);
      else if (stats && !stats.isDirectory()) problem = "not a folder";
      else if (stats) {
        try {
          accessSync(this.location, constants.R_OK | constants.X_OK);
        } catch (error) {
          problem = fsErrorReason(error);
        }
      }
      if (problem !== undefined) this.warn(this.location, `cannot read the repository folder: ${problem}; skipped`);
      this.readable = problem === undefined;
    }
    return this.readable;
  }

  /** One warning per path and message (a folder can be looked at by the listing and by a family load). */
  private warn(file: string, message: string): void {
    const key = `${file}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.collected.push({ file, message });
  }

  /** A folder's entries; undefined when it is missing (silently) or cannot be read (with a warning). */
  private listFolder(path: string, what: string): Dirent[] | undefined {
    return this.readFolder(path, what, () => readdirSync(path, { withFileTypes: true }));
  }

  /** The same with names only (no Dirent objects, for the family listings of a cold load). */
  private listNames(path: string, what: string): string[] | undefined {
    return this.readFolder(path, what, () => readdirSync(path));
  }

  private readFolder<T>(path: string, what: string, read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.warn(path, `cannot read the ${what}: ${fsErrorReason(error)}; skipped`);
      return undefined;
    }
  }

  /** A symbolic link to a folder; a dangling link is silently not one, a loop is reported. */
  private isLinkedFolder(path: string): boolean {
    const stats = probe(path);
    if (stats instanceof Error) {
      this.warn(path, `cannot read the family folder: ${fsErrorReason(stats)}; skipped`);
      return false;
    }
    return stats?.isDirectory() ?? false;
  }

  async familyNames(): Promise<string[]> {
    const names = new Set(this.familyDirectoryNames());
    for (const name of (await this.loadToolsets()).keys()) names.add(name);
    return [...names].sort();
  }

  familyStamp(name: string): FamilyStamp | undefined {
    const recorded = this.stamps.get(name);
    if (recorded === undefined) return undefined;
    const { paths, files, states } = recorded;
    return [...paths, ...files.map((file, i): StampedPath => [file, states[2 * i]!, states[2 * i + 1]!])];
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
    const directoryStats = isValidPackageName(name) && this.rootReadable() ? probe(directory) : undefined;
    const stamp: StampedPath[] = [...this.toolsetStamp];
    const recorded: RecordedStamp = { paths: stamp, files: [], states: new Float64Array(0) };
    this.stamps.set(name, recorded);
    stamp.push(
      directoryStats && !(directoryStats instanceof Error)
        ? [directory, directoryStats.mtimeMs, directoryStats.isDirectory() ? 0 : directoryStats.size]
        : stampPath(directory),
    );
    if (directoryStats instanceof Error) {
      // A name longer than a folder name can be is simply not a family here; anything else is worth a warning.
      if (directoryStats.code !== "ENAMETOOLONG") this.warn(directory, `cannot read the family folder: ${fsErrorReason(directoryStats)}; skipped`);
      return toolsets ? [...toolsets] : undefined;
    }
    if (!directoryStats?.isDirectory()) return toolsets ? [...toolsets] : undefined;
    const cached =
      this.cache?.read(this.location, name, (file) =>
        this.collected.push({ file, message: "damaged cache file (its checksum does not match); ignored and rebuilt" }),
      ) ?? (this.cache?.sharing ? await this.cache.readShared(this.location, name) : undefined);
    // Adding or removing a version (or an .ignore tag) changes the family directory's mtime, so an unchanged
    // mtime means the listing kept in the cache is still right (Rez's listdir cache works the same way).
    // The directory is stat'ed before it is listed, so a change in between makes the next run list it again.
    const listed = cached?.listing?.mtime === directoryStats.mtimeMs ? cached.listing.names : this.listNames(directory, "family folder");
    if (!listed) return toolsets ? [...toolsets] : undefined;
    const listing = { mtime: directoryStats.mtimeMs, names: listed };

    const candidates = this.findCandidates(name, directory, listed, stamp);
    const states = new Float64Array(2 * candidates.length);
    candidates.forEach((c, i) => {
      states[2 * i] = c.stats.mtimeMs;
      states[2 * i + 1] = c.stats.size;
    });
    recorded.files = candidates.map((c) => c.file);
    recorded.states = states;
    const definitions = await this.loadCandidates(name, candidates, cached, listing);
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
  private findCandidates(name: string, directory: string, entries: readonly string[], stamp: StampedPath[]): Candidate[] {
    for (const filename of PACKAGE_FILES) {
      if (!entries.includes(filename)) continue;
      const file = join(directory, filename);
      const stats = statFile(file);
      if (stats instanceof Error) this.warn(file, `cannot read the package file: ${fsErrorReason(stats)}; skipped`);
      else if (stats) return [{ relative: `${name}/${filename}`, file, identity: { name, version: "" }, stats }];
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
      let unreadable = false;
      for (const filename of PACKAGE_FILES) {
        // One stat per package file: a plain file named like a version fails it too (ENOTDIR), so no directory check is needed.
        const stats = probe(prefix + filename);
        if (stats instanceof Error) {
          unreadable = true;
          // No search permission stops at the folder; a loop or the like is the file's own.
          if (stats.code === "EACCES" || stats.code === "EPERM") {
            this.warn(join(directory, version), `cannot read the version folder: ${fsErrorReason(stats)}; skipped`);
            break;
          }
          this.warn(prefix + filename, `cannot read the package file: ${fsErrorReason(stats)}; skipped`);
          continue;
        }
        if (stats?.isFile()) {
          const file = prefix + filename;
          // A slice of the path (no copy): `<family>/<version>/<file>` relative to the repository.
          found = { relative: file.slice(this.location.length + 1), file, identity: { name, version }, stats };
          break;
        }
      }
      if (!found) {
        const versionDirectory = join(directory, version);
        const versionStats = unreadable ? undefined : probe(versionDirectory);
        // A package file added later changes this folder, not the family's.
        if (versionStats !== undefined && !(versionStats instanceof Error) && versionStats.isDirectory()) stamp.push([versionDirectory, versionStats.mtimeMs, 0]);
        if (!hidden.has(`.building${version}`) && !(versionStats instanceof Error) && versionStats?.isDirectory()) {
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
    const loaded: (PackageDefinition | undefined)[] = new Array<PackageDefinition | undefined>(candidates.length);
    // Failures that are not the file's own are left out of the cache, so the next run evaluates the file again.
    let uncached: Set<number> | undefined;
    let pending: Promise<void>[] | undefined;
    let changed = false;
    for (let index = 0; index < candidates.length; index++) {
      const candidate = candidates[index];
      const hit = cached?.lookup(candidate.relative, candidate.stats.mtimeMs, candidate.stats.size);
      if (cached && hit) {
        this.stats.cached++;
        entries[index] = hit;
        hits[index] = true;
        loaded[index] = hit.format ? new CachedDefinition(hit, cached, candidate.identity, candidate.file) : undefined;
        continue;
      }
      changed = true;
      this.stats.evaluated++;
      const result = this.evaluate(candidate);
      const take = (r: DefinitionLoadResult): void => {
        entries[index] = toCacheEntry(candidate.stats, r, candidate.identity);
        loaded[index] = r.definition;
        if (r.transient) (uncached ??= new Set()).add(index);
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
        if (uncached?.has(index)) return;
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
        // Not cached: a chmod keeps the mtime.
        return { warnings: [{ file, message: `cannot read the package file: ${fsErrorReason(error)}; skipped` }], transient: true };
      }
      try {
        const quick = this.loader.tryLoadDeclarative(file, text, identity);
        if (quick instanceof Promise) return quick.catch((error: unknown) => transientFailure(file, error));
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
    this.toolsetStamp = [stampPath(directory)];
    const files = ((this.rootReadable() ? this.listFolder(directory, "toolsets folder") : undefined) ?? [])
      .filter((e) => e.name.endsWith(".toml") && !e.name.startsWith(".") && !e.isDirectory())
      .map((e) => join(directory, e.name))
      .sort();
    for (const file of files) this.toolsetStamp.push(stampPath(file));
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

  /**
   * Every family's head (its newest package's requirements), from the index kept in the definition cache.
   * A family's entry holds while its folder, its newest package file and version folder, and any version
   * folder or package file that could hold something newer are as they were; any other family is loaded
   * and its entry rewritten, so an edit is seen by the next call (none is ever stale).
   */
  familyHeads(): Promise<Map<string, FamilyHead>> {
    return (this.heads ??= this.readHeads());
  }

  private async readHeads(): Promise<Map<string, FamilyHead>> {
    const names = await this.familyNames();
    const toolsets = await this.loadToolsets();
    const prefix = `${this.location}/`;
    const absolute = (entry: unknown): StampedPath | undefined =>
      Array.isArray(entry) && entry.length === 3 && typeof entry[0] === "string" ? [prefix + entry[0], entry[1] as number, entry[2] as number] : undefined;
    const raw = this.cache?.readIndex(this.location, HEADS_INDEX) as { format?: unknown; toolsets?: unknown; families?: unknown } | undefined;
    const sameToolsets = raw !== undefined && raw.format === HEADS_FORMAT && JSON.stringify(raw.toolsets) === JSON.stringify(this.toolsetStamp);
    const indexed = sameToolsets && typeof raw.families === "object" && raw.families !== null ? (raw.families as Record<string, unknown>) : {};
    const heads = new Map<string, FamilyHead>();
    const families: Record<string, { stamp: StampedPath[]; head: FamilyHead | null }> = {};
    let changed = !sameToolsets;
    for (const name of names) {
      const entry = Object.hasOwn(indexed, name) ? (indexed[name] as { stamp?: unknown; head?: unknown }) : undefined;
      if (!toolsets.has(name) && entry && Array.isArray(entry.stamp)) {
        const stamp = entry.stamp.map(absolute);
        const head = entry.head === null ? null : parseFamilyHead(entry.head);
        if (head !== undefined && stamp.every((p) => p !== undefined) && stampIsCurrent(stamp)) {
          if (head) heads.set(name, head);
          families[name] = entry as { stamp: StampedPath[]; head: FamilyHead | null };
          continue;
        }
      }
      const head = familyHeadOf((await this.loadFamily(name)) ?? []);
      if (head) heads.set(name, head);
      if (toolsets.has(name)) continue;
      changed = true;
      families[name] = { stamp: this.headStamp(name, head).map(([path, mtime, size]): StampedPath => [path.slice(prefix.length), mtime, size]), head: head ?? null };
    }
    if (this.cache && (changed || Object.keys(indexed).some((name) => !Object.hasOwn(families, name)))) {
      this.cache.writeIndex(this.location, HEADS_INDEX, { format: HEADS_FORMAT, toolsets: this.toolsetStamp, families });
    }
    return heads;
  }

  /** What a family's head depends on, from its load's stamp: folders, and the files not older than the head. */
  private headStamp(name: string, head: FamilyHead | undefined): StampedPath[] {
    const recorded = this.stamps.get(name);
    if (!recorded) return [stampPath(join(this.location, name))];
    const family = join(this.location, name);
    // the family folder and the version folders without a package file (the toolset files are kept once, above)
    const stamp: StampedPath[] = recorded.paths.filter(([path]) => path === family || path.startsWith(`${family}/`));
    const headKey = head ? versionSortKey(head.version) : "";
    recorded.files.forEach((file, i) => {
      const rest = file.slice(family.length + 1).split("/");
      const version = rest.length === 2 ? rest[0]! : "";
      if (head && versionSortKey(version) < headKey) return;
      stamp.push([file, recorded.states[2 * i]!, recorded.states[2 * i + 1]!]);
      // a package.py added beside the head's package.yaml (which it would win over) shows in its folder
      if (rest.length === 2 && rest[1] !== PACKAGE_FILES[0]) stamp.push(stampPath(join(family, version)));
    });
    return stamp;
  }
}

/** The name of the family-heads index in a repository's cache folder. */
const HEADS_INDEX = "heads";
/** Raised whenever what a head holds changes. */
const HEADS_FORMAT = 1;
