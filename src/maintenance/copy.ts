// Copying a package's variants into another repository, as Rez's copy_package does: each variant's payload
// is staged in a hidden folder of the destination repository, then installed by the repository's own
// locked, all-or-nothing installVariant. A failed copy leaves the destination as it was.
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, utimesSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { createVariantShortlink, selectVariants } from "../build/index.js";
import { processIsGone } from "../cache/index.js";
import { PkgError } from "../errors/index.js";
import { variantSubpath } from "../package/index.js";
import type { PackageDefinition } from "../package/index.js";
import type { Reporter } from "../report/index.js";
import { mergeVariant } from "../repository/index.js";
import type { WritableRepository } from "../repository/index.js";

export interface CopyPackageInput {
  readonly source: PackageDefinition;
  /** The location of the repository `source` comes from. */
  readonly sourceLocation: string;
  readonly destination: WritableRepository;
  /** Variant indices (negative ones count from the end); every variant when omitted. */
  readonly variants?: readonly number[];
  readonly name?: string;
  readonly version?: string;
  readonly overwrite?: boolean;
  /** Symlinks to the source's top-level entries instead of copies. */
  readonly shallow?: boolean;
  readonly followSymlinks?: boolean;
  readonly keepTimestamp?: boolean;
  /** Copy a package marked `relocatable = False`. */
  readonly force?: boolean;
  readonly dryRun?: boolean;
  /** Rez's `variant_shortlinks_dirname`, for hashed variants; none made when omitted. */
  readonly shortlinksDirname?: string;
  readonly reporter?: Reporter;
  readonly verbose?: boolean;
}

export interface CopiedVariant {
  /** Rez's variant uri: `<package file>[<index>]`, or the package file for a package without variants. */
  readonly source: string;
  /** The variant at the destination; null in a dry run. */
  readonly destination: string | null;
}

export interface CopyPackageResult {
  readonly copied: CopiedVariant[];
  /** Variants the destination has already (without `overwrite`): the source and the existing one. */
  readonly skipped: CopiedVariant[];
}

function uriOf(file: string, index: number | null): string {
  return index === null ? file : `${file}[${index}]`;
}

function variantCount(definition: PackageDefinition): number {
  const variants = definition.attributes.variants;
  return Array.isArray(variants) ? variants.length : 0;
}

/** The top-level folders of the other variants nested in this one's root (Rez skips them: they are theirs). */
export function overlappedEntries(definition: PackageDefinition, index: number): Set<string> {
  const own = variantSubpath(definition, index) ?? "";
  const skip = new Set<string>();
  for (let other = 0; other < variantCount(definition); other++) {
    if (other === index) continue;
    const subpath = variantSubpath(definition, other) ?? "";
    if (own !== "" && subpath.startsWith(own + "/")) skip.add(subpath.slice(own.length + 1).split("/")[0]!);
  }
  return skip;
}

let stagingCounter = 0;
const STAGING = /^\.pkg-copy\.(\d+)\.\d+$/;
const swept = new Set<string>();

/** Staging folders of copies killed half-way (their process is gone) are removed once per repository. */
function sweepStaleStaging(location: string): void {
  if (swept.has(location)) return;
  swept.add(location);
  let names: string[];
  try {
    names = readdirSync(location);
  } catch {
    return;
  }
  for (const name of names) {
    const match = STAGING.exec(name);
    if (match && Number(match[1]) !== process.pid && processIsGone(Number(match[1]))) rmSync(join(location, name), { recursive: true, force: true });
  }
}

/**
 * Copies a variant's files from `root` into a new hidden folder of the destination repository and returns
 * it. Entries named in `skip` are left out; symbolic links stay links unless `followSymlinks`.
 */
export function stageVariantPayload(root: string, destinationLocation: string, skip: ReadonlySet<string>, options: { readonly shallow?: boolean; readonly followSymlinks?: boolean }): string {
  // A leading dot: the repository's listing skips it, so it is never read as a family.
  sweepStaleStaging(destinationLocation);
  const staging = join(destinationLocation, `.pkg-copy.${process.pid}.${++stagingCounter}`);
  mkdirSync(staging, { recursive: true });
  try {
    for (const entry of readdirSync(root)) {
      if (skip.has(entry)) continue;
      const from = join(root, entry);
      const to = join(staging, entry);
      const link = lstatSync(from).isSymbolicLink();
      if (link && !options.followSymlinks) symlinkSync(readlinkSync(from), to);
      else if (options.shallow && !link) symlinkSync(from, to);
      else cpSync(from, to, { recursive: true, preserveTimestamps: true, dereference: options.followSymlinks === true, verbatimSymlinks: options.followSymlinks !== true });
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return staging;
}

/** The destination folders get the source's times, as Rez's copystat does (package folder and each subpath level). */
function copyFolderTimes(sourceBase: string, destinationBase: string, subpath: string | null): void {
  const levels = [""];
  if (subpath) {
    const parts = subpath.split("/");
    for (let i = 1; i <= parts.length; i++) levels.push(parts.slice(0, i).join(sep));
  }
  for (const level of levels) {
    try {
      const stats = statSync(join(sourceBase, level));
      utimesSync(join(destinationBase, level), stats.atime, stats.mtime);
    } catch {
      // times are a courtesy; the copy is complete without them
    }
  }
}

/**
 * A package with variants keeps its `@include` modules in `<package>/.rez/include`, outside every variant's
 * root: copied once, after the first variant is in (a failed copy then leaves nothing behind), renamed into
 * place whole. A package without variants carries them in its payload.
 */
function copyIncludeModules(sourceBase: string, destinationBase: string): void {
  const from = join(sourceBase, ".rez", "include");
  const to = join(destinationBase, ".rez", "include");
  if (!existsSync(from) || existsSync(to)) return;
  const near = `${to}.${process.pid}.incoming`;
  mkdirSync(dirname(to), { recursive: true });
  try {
    cpSync(from, near, { recursive: true, preserveTimestamps: true });
    renameSync(near, to);
  } catch (error) {
    rmSync(near, { recursive: true, force: true });
    throw error;
  }
}

export async function copyPackage(input: CopyPackageInput): Promise<CopyPackageResult> {
  const { source, destination, reporter } = input;
  const info = (text: string): void => {
    if (input.verbose) reporter?.info(text);
  };
  const name = input.name ?? source.name;
  const version = input.version ?? source.version;
  if (!input.force && source.attributes.relocatable === false) {
    throw new PkgError("PKG0044", `Cannot copy non-relocatable package: ${source.file}`, { hint: "give --force to copy it anyway (it may not work where it lands)" });
  }
  if (destination.location === input.sourceLocation && name === source.name && version === source.version) {
    throw new PkgError("PKG0044", `Cannot copy package over itself: ${source.file}`, { hint: "give another --dest-path, or --rename / --reversion" });
  }
  const label = source.version === "" ? source.name : `${source.name}-${source.version}`;
  // A pkg-rs style package is copied as its package.py: its name and version are in its get_package().
  if (source.format === "pkg-rs" && (name !== source.name || version !== source.version)) {
    throw new PkgError("PKG0044", `Cannot copy ${label} under another name or version: it is a pkg-rs style package, whose name and version are set in its get_package()`, {
      hint: "copy it as it is, or change its package.py",
    });
  }
  const indices = selectVariants(variantCount(source), input.variants, label);
  const definition: PackageDefinition = { ...source, name, version, attributes: { ...source.attributes, name, ...(version !== "" ? { version } : {}) } };
  const destinationBase = destination.variantRoot(name, version, null);
  const destinationFile = join(destinationBase, "package.py");
  const installed = (await destination.loadFamily(name))?.find((d) => d.version === version);

  const copied: CopiedVariant[] = [];
  const skipped: CopiedVariant[] = [];
  const toCopy: (number | null)[] = [];
  for (const index of indices) {
    const sourceUri = uriOf(source.file, index);
    if (installed) {
      const probe = mergeVariant({ name, version, installed: installed.attributes, built: definition.attributes, index, overwrite: false, now: 0 });
      if (probe.status === "existing") {
        const existing = uriOf(installed.file, probe.index);
        if (!input.overwrite) {
          info(`Skipping source variant ${sourceUri} - already exists in destination package at ${existing}`);
          skipped.push({ source: sourceUri, destination: existing });
          continue;
        }
        info(`Source variant ${sourceUri} will overwrite ${existing}`);
      }
    }
    toCopy.push(index);
  }

  const sourceBase = dirname(source.file);
  const hashed = source.attributes.hashed_variants === true;
  const now = Math.floor(Date.now() / 1000);
  for (const index of toCopy) {
    const sourceUri = uriOf(source.file, index);
    info(`Copying source variant ${sourceUri} into repository ${destination.location}...`);
    if (input.dryRun) {
      copied.push({ source: sourceUri, destination: null });
      continue;
    }
    const subpath = index === null ? null : variantSubpath(source, index);
    const root = subpath === null ? sourceBase : join(sourceBase, subpath);
    let isFolder = false;
    try {
      isFolder = statSync(root).isDirectory();
    } catch {
      // reported below
    }
    if (!isFolder) throw new PkgError("PKG0044", `Cannot copy source variant ${sourceUri} - its root does not appear to be present on disk (${root})`);
    const skip = index === null || hashed ? new Set(["package.py", "package.yaml"]) : overlappedEntries(source, index);
    const payload = stageVariantPayload(root, destination.location, skip, input);
    try {
      const result = await destination.installVariant({
        definition,
        index,
        payload,
        overwrite: input.overwrite === true,
        ...(input.keepTimestamp ? {} : { extraAttributes: { timestamp: now } }),
      });
      if (subpath !== null) copyIncludeModules(sourceBase, destinationBase);
      copyFolderTimes(sourceBase, destinationBase, subpath);
      if (hashed && subpath !== null && input.shortlinksDirname) {
        try {
          createVariantShortlink(destinationBase, input.shortlinksDirname, subpath);
        } catch (error) {
          reporter?.warn(`Error creating variant shortlink for ${result.root}: ${(error as Error).message}`);
        }
      }
      const destinationUri = uriOf(destinationFile, result.index);
      info(`Copied source variant ${sourceUri} to target variant ${destinationUri}`);
      copied.push({ source: sourceUri, destination: destinationUri });
    } finally {
      // gone when installed; left by a failed install
      rmSync(payload, { recursive: true, force: true });
    }
  }
  return { copied, skipped };
}
