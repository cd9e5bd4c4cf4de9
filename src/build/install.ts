// Installing a built variant without ever losing the one installed before (Rez §8: a failed reinstall
// deletes it). Build commands see Rez's install path (REZ_BUILD_INSTALL_PATH, CMAKE_INSTALL_PREFIX), so
// whatever they write into files is the final path; but only commands that install run with that folder
// in place, under a lock per variant, with the installed folder renamed aside meanwhile. Afterwards the
// new files go to a staging folder beside the package (a hidden name, never read as a version) and the
// installed folder comes back, untouched. The repository then swaps the staged payload in, under the
// package lock, with package.py (src/repository installVariant).
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { processIsGone } from "../cache/index.js";
import { PkgError } from "../errors/index.js";
import { withFileLock } from "../repository/index.js";

let counter = 0;

const ASIDE = /^\.(.+)\.(\d+)\.(\d+)\.aside$/;

/**
 * A previous pkg that died while a variant's install commands ran left the installed folder aside:
 * put it back (the half-written folder in its place is dropped).
 */
export function recoverInterruptedInstall(finalPath: string): boolean {
  const dir = dirname(finalPath);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return false;
  }
  let recovered = false;
  for (const entry of entries) {
    const m = ASIDE.exec(entry);
    if (!m || m[1] !== basename(finalPath) || !processIsGone(Number(m[2]))) continue;
    rmSync(finalPath, { recursive: true, force: true });
    renameSync(join(dir, entry), finalPath);
    recovered = true;
  }
  return recovered;
}

export interface StagedVariant {
  /** `<repo>/<name>/.<version>.<pid>.<n>.staging`: removed by `discard`. */
  readonly stagingRoot: string;
  /** The new files of the variant, once an install command ran (what installVariant moves into place). */
  readonly payload: string;
  /** Rez's variant install path. */
  readonly finalPath: string;
  /** Runs `work` with the final path holding the new files (and the installed ones aside); see the module comment. */
  installing<T>(work: () => Promise<T>): Promise<T>;
  /** The payload folder, created when no install command ran (a build that installs nothing). */
  ensurePayload(): string;
  discard(): void;
}

export interface StageOptions {
  readonly installRoot: string;
  readonly name: string;
  readonly version: string;
  readonly finalPath: string;
  /** Package without variants: the final path is the package folder, hidden from resolves meanwhile. */
  readonly unvarianted: boolean;
  readonly lockTimeout: number;
}

export function stageVariant(options: StageOptions): StagedVariant {
  const family = join(options.installRoot, options.name);
  const stagingRoot = join(family, `.${options.version || "unversioned"}.${process.pid}.${++counter}.staging`);
  const payload = join(stagingRoot, "payload");
  const key = createHash("sha1").update(relative(options.installRoot, options.finalPath)).digest("hex").slice(0, 12);
  const lockFile = join(options.installRoot, `.lock.build.${options.name}${options.version ? `-${options.version}` : ""}.${key}.lock`);
  const tag = options.unvarianted && options.version !== "" ? join(family, `.building${options.version}`) : undefined;
  const finalPath = options.finalPath;

  // folders this install made, removed again when they are left empty (no empty version folder after a failure)
  const created: string[] = [];
  const makeDir = (dir: string): void => {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
    mkdirSync(dir, { recursive: true });
    for (const d of missing) if (!created.includes(d)) created.push(d);
  };

  const installing = async <T>(work: () => Promise<T>): Promise<T> => {
    makeDir(options.installRoot);
    return withFileLock(
      lockFile,
      async () => {
        recoverInterruptedInstall(finalPath);
        makeDir(dirname(finalPath));
        let aside: string | undefined;
        if (existsSync(finalPath) || isLink(finalPath)) {
          aside = join(dirname(finalPath), `.${basename(finalPath)}.${process.pid}.${++counter}.aside`);
          renameSync(finalPath, aside);
        }
        let ownTag = false;
        try {
          if (tag && !existsSync(tag)) {
            writeFileSync(tag, "");
            ownTag = true;
          }
          if (existsSync(payload)) renameSync(payload, finalPath);
          else mkdirSync(finalPath, { recursive: true });
          return await work();
        } finally {
          // the new files to the staging folder, whatever the commands did; the installed folder back
          makeDir(stagingRoot);
          rmSync(payload, { recursive: true, force: true });
          if (existsSync(finalPath) || isLink(finalPath)) renameSync(finalPath, payload);
          if (aside) renameSync(aside, finalPath);
          if (ownTag && tag) rmSync(tag, { force: true });
        }
      },
      options.lockTimeout,
    );
  };

  return {
    stagingRoot,
    payload,
    finalPath,
    installing,
    ensurePayload: () => {
      makeDir(payload);
      return payload;
    },
    discard: () => {
      rmSync(stagingRoot, { recursive: true, force: true });
      for (const dir of [...created].reverse()) {
        if (dir === options.installRoot) continue;
        try {
          rmdirSync(dir);
        } catch {
          // not empty (installed into), or gone: kept
        }
      }
    },
  };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Copies build.rxt, variant.json and the build system's extra files into the staged payload. */
export function copyExtraFiles(files: readonly string[], payload: string): void {
  mkdirSync(payload, { recursive: true });
  for (const file of files) copyFileSync(file, join(payload, basename(file)));
}

/** The modules `@include('name')` decorators of the package's functions need. */
export function includedModules(sources: readonly string[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(/^\s*@include\s*\(([^)]*)\)/gm)) {
      for (const q of m[1]!.matchAll(/["']([^"']+)["']/g)) names.add(q[1]!);
    }
  }
  return [...names];
}

/**
 * `@include` modules into `<package>/.rez/include/<name>.py`, each with `<name>.sha1` (of its stripped
 * bytes, as Rez writes it). `searchPath`: Rez's package_definition_python_path folders.
 */
export function installIncludeModules(names: readonly string[], searchPath: readonly string[], packageBase: string): void {
  if (names.length === 0) return;
  const dir = join(packageBase, ".rez", "include");
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const source = searchPath.map((p) => join(p, `${name}.py`)).find((f) => existsSync(f));
    if (source === undefined) {
      throw new PkgError("PKG0034", `the package's @include('${name}') needs ${name}.py, which is not in package_definition_python_path (${searchPath.join(", ") || "not set"})`, {
        hint: "set PKG_PACKAGE_DEFINITION_PYTHON_PATH (or REZ_PACKAGE_DEFINITION_PYTHON_PATH) to the folder holding it",
      });
    }
    const bytes = readFileSync(source);
    copyFileSync(source, join(dir, `${name}.py`));
    writeFileSync(join(dir, `${name}.sha1`), createHash("sha1").update(stripBytes(bytes)).digest("hex"));
  }
}

/** Python's bytes.strip(): ASCII white space off both ends. */
function stripBytes(bytes: Buffer): Buffer {
  const space = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);
  let start = 0;
  let end = bytes.length;
  while (start < end && space(bytes[start]!)) start++;
  while (end > start && space(bytes[end - 1]!)) end--;
  return bytes.subarray(start, end);
}

/** Rez's base-26 link names: a..z, aa..az, ba.., ... */
export function base26Name(n: number): string {
  let name = "";
  let i = n;
  do {
    name = String.fromCharCode(97 + (i % 26)) + name;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return name;
}

function base26Index(name: string): number {
  let n = 0;
  for (const c of name) n = n * 26 + (c.charCodeAt(0) - 96);
  return n - 1;
}

/**
 * The `_v/<name>` link of a hashed variant: the existing one pointing at it, else the next name after the
 * highest there (by length, then letters: Rez compares as strings and so stops after 27 links).
 */
export function createVariantShortlink(packageBase: string, dirname_: string, subpath: string): string {
  const dir = join(packageBase, dirname_);
  mkdirSync(dir, { recursive: true });
  const target = relative(dir, join(packageBase, subpath));
  for (let attempt = 0; attempt < 20; attempt++) {
    const names = readdirSync(dir).filter((n) => /^[a-z]+$/.test(n));
    for (const name of names) {
      try {
        if (readlinkSync(join(dir, name)) === target) return join(dir, name);
      } catch {
        // not a link
      }
    }
    const next = base26Name(names.length === 0 ? 0 : Math.max(...names.map(base26Index)) + 1);
    try {
      symlinkSync(target, join(dir, next), "dir");
      return join(dir, next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw new PkgError("PKG0030", `cannot create a variant shortlink in ${dir}: too much contention`);
}
