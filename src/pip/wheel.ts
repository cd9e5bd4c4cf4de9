// A wheel unpacked straight into a Rez package's layout: streamed entry by entry, every file's hash and
// size checked against RECORD, hostile names refused (`..`, absolute paths, symlinks, names escaping the
// package). Files map as rez-pip maps them (python/, bin/), and what rez-pip aborts on gets a place of
// its own: headers under include/<name>/, .data/data under the package root (share/, etc/, ...).
// Console scripts become small launchers that find `python3` on PATH, pip's __pycache__ is never
// written, and RECORD is rewritten to the installed layout.
import { createHash } from "node:crypto";
import { chmodSync, createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Transform } from "node:stream";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Entry, ZipFile } from "yauzl";
import { PkgError } from "../errors/index.js";
import { formatRecord, header, parseHeaders, parseMetadata, parseRecord, parseScripts, parseWheelName, wheelTagsFit } from "./metadata.js";
import type { DistributionMetadata, EntryPoint, RecordRow, TagTarget, WheelName } from "./metadata.js";

export interface WheelFile {
  readonly path: string;
  readonly name: WheelName;
  readonly metadata: DistributionMetadata;
  /** WHEEL's Root-Is-Purelib. */
  readonly isPurePython: boolean;
  /** console_scripts and gui_scripts. */
  readonly scripts: readonly EntryPoint[];
  /** `<name>-<version>.dist-info` as in the wheel. */
  readonly distInfo: string;
  /** Unpacks into `dest` (the variant's root, staged); returns the files written, relative to it. */
  extract(dest: string, remaps?: readonly InstallRemap[]): Promise<ExtractResult>;
  close(): void;
}

/**
 * A `pip_install_remaps` entry, tokens expanded: a file pip would record as `../../<path>` (outside
 * site-packages) whose record path matches goes to `recordPath.replace(rezInstall)` under the package.
 */
export interface InstallRemap {
  readonly recordPath: RegExp;
  /** With `$1`-style groups. */
  readonly rezInstall: string;
}

/** Rez's PipInstallRemaps tokens ({p}/{pardir}, {s}/{sep}) expanded, Python's `\1` groups as `$1`. */
export function installRemap(table: { readonly [key: string]: unknown }, where: string): InstallRemap {
  const recordPath = table.record_path;
  const rezInstall = table.rez_install;
  if (typeof recordPath !== "string" || typeof rezInstall !== "string") {
    throw new PkgError("PKG0003", `${where}: a pip_install_remaps entry needs record_path and rez_install strings`);
  }
  const tokens = (text: string, pardir: string, sep: string) => text.replace(/\{(p|pardir)\}/g, pardir).replace(/\{(s|sep)\}/g, sep);
  let pattern: RegExp;
  try {
    pattern = new RegExp(tokens(recordPath, "\\.\\.", "/"));
  } catch (error) {
    throw new PkgError("PKG0003", `${where}: the pip_install_remaps record_path '${recordPath}' is not a regular expression (${(error as Error).message})`);
  }
  return { recordPath: pattern, rezInstall: tokens(rezInstall, "..", "/").replace(/\\(\d)/g, "$$$1") };
}

export interface ExtractResult {
  /** Relative paths (posix) of every file written. */
  readonly files: readonly string[];
  /** File names under bin/. */
  readonly tools: readonly string[];
}

function hostile(wheel: string, message: string, hint?: string): PkgError {
  return new PkgError("PKG0047", `${basename(wheel)}: ${message}`, { hint: hint ?? "nothing of the import was written; get the wheel again from a source you trust" });
}

/** Why a name in a wheel (or its RECORD) is refused, or undefined. */
export function unsafeName(name: string): string | undefined {
  if (name === "") return "an empty name";
  if (name.includes("\\")) return "a backslash in the name";
  if (name.includes("\0")) return "a NUL in the name";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "an absolute path";
  const parts = name.replace(/\/$/, "").split("/");
  if (parts.some((p) => p === "..")) return "a '..' component";
  if (parts.some((p) => p === "" || p === ".")) return "an empty or '.' component";
  return undefined;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("end", () => resolvePromise(Buffer.concat(chunks)));
  });
}

function recordHash(algorithm: string, bytes: Buffer): string {
  return `${algorithm}=${createHash(algorithm).update(bytes).digest("base64url")}`;
}

const HASHES = new Set(["sha256", "sha384", "sha512"]);

/** pip's console-script launcher, with a shebang that finds the python of the environment it runs in. */
export function launcherText(entry: EntryPoint, pythonMajor: string): string {
  const attr = entry.attr;
  const importLine = attr ? `from ${entry.module} import ${attr.split(".")[0]}` : `import runpy`;
  const call = attr ? `sys.exit(${attr}())` : `sys.exit(runpy.run_module(${JSON.stringify(entry.module)}, run_name="__main__"))`;
  return [
    `#!/usr/bin/env python${pythonMajor}`,
    "# -*- coding: utf-8 -*-",
    "import re",
    "import sys",
    importLine,
    "if __name__ == '__main__':",
    "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])",
    `    ${call}`,
    "",
  ].join("\n");
}

async function openZip(path: string): Promise<ZipFile> {
  try {
    // loaded on first use: the zip reader pulls in node's zlib and streams, which other commands need not pay for
    const { default: yauzl } = await import("yauzl");
    return await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    throw hostile(path, `not a readable zip file (${(error as Error).message})`);
  }
}

async function listEntries(path: string, zip: ZipFile): Promise<Entry[]> {
  const entries: Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (error) {
    zip.close();
    const message = (error as Error).message;
    const m = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec(message);
    if (m) throw hostile(path, `the entry '${m[2]}' has ${m[1] === "absolute path" ? "an absolute path" : m[1] === "invalid relative path" ? "a '..' component" : "invalid characters"}`);
    throw hostile(path, `a corrupt zip (${message})`);
  }
  return entries;
}

async function readEntry(path: string, zip: ZipFile, entry: Entry): Promise<Buffer> {
  try {
    return await readAll(await zip.openReadStreamPromise(entry));
  } catch (error) {
    throw hostile(path, `the entry '${entry.fileName}' cannot be read: a corrupt zip (${(error as Error).message})`);
  }
}

/** Opens a wheel and reads its .dist-info; refuses a wheel whose tags do not fit `target`. */
export async function openWheel(path: string, target: TagTarget): Promise<WheelFile> {
  const name = parseWheelName(basename(path));
  if (!name) throw hostile(path, "not a wheel file name ({name}-{version}-{python}-{abi}-{platform}.whl)");
  if (!wheelTagsFit(name, target)) {
    throw hostile(path, `its tags (${name.pythonTags.join(".")}-${name.abiTags.join(".")}-${name.platformTags.join(".")}) do not fit Python ${target.pythonVersion} on ${target.platform} ${target.machine}`, "use a wheel built for this platform and Python, or the sdist");
  }
  const zip = await openZip(path);
  const entries = await listEntries(path, zip);
  try {
    for (const entry of entries) {
      const why = unsafeName(entry.fileName);
      if (why) throw hostile(path, `the entry '${entry.fileName}' has ${why}`);
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw hostile(path, `the entry '${entry.fileName}' is a symbolic link`);
    }
    const distInfos = [...new Set(entries.map((e) => e.fileName.split("/")[0]!).filter((top) => top.endsWith(".dist-info")))];
    if (distInfos.length !== 1) throw hostile(path, distInfos.length === 0 ? "no .dist-info folder" : `several .dist-info folders (${distInfos.join(", ")})`);
    const distInfo = distInfos[0]!;
    const find = (file: string) => entries.find((e) => e.fileName === `${distInfo}/${file}`);
    const text = async (file: string): Promise<string | undefined> => {
      const entry = find(file);
      return entry ? (await readEntry(path, zip, entry)).toString("utf8") : undefined;
    };
    const metadataText = await text("METADATA");
    const metadata = metadataText === undefined ? undefined : parseMetadata(metadataText);
    if (!metadata) throw hostile(path, `${distInfo}/METADATA is missing or has no Name and Version`);
    const wheelText = await text("WHEEL");
    if (wheelText === undefined) throw hostile(path, `${distInfo}/WHEEL is missing`);
    const wheelHeaders = parseHeaders(wheelText);
    const wheelVersion = header(wheelHeaders, "wheel-version") ?? "1.0";
    if (Number(wheelVersion.split(".")[0]) !== 1) throw hostile(path, `Wheel-Version ${wheelVersion} is not supported (only 1.x)`, "use pip to install it");
    const recordText = await text("RECORD");
    if (recordText === undefined) throw hostile(path, `${distInfo}/RECORD is missing`);
    const record = parseRecord(recordText);
    for (const row of record) {
      const why = unsafeName(row.path);
      if (why) throw hostile(path, `the ${distInfo}/RECORD row '${row.path}' has ${why}`);
    }
    const scripts = parseScripts((await text("entry_points.txt")) ?? "");
    for (const s of scripts) {
      if (unsafeName(s.name) || s.name.includes("/")) throw hostile(path, `the console script name '${s.name}' in ${distInfo}/entry_points.txt is not a plain file name`);
    }
    const isPurePython = (header(wheelHeaders, "root-is-purelib") ?? "").toLowerCase() === "true";
    return {
      path,
      name,
      metadata,
      isPurePython,
      scripts,
      distInfo,
      extract: (dest, remaps = []) =>
        extract({ path, zip, entries, record, distInfo, scripts, pythonMajor: target.pythonVersion.split(".")[0]!, pythonMinor: target.pythonVersion.split(".").slice(0, 2).join("."), dest, distribution: metadata.name, remaps }),
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

interface ExtractInput {
  readonly path: string;
  readonly zip: ZipFile;
  readonly entries: readonly Entry[];
  readonly record: readonly RecordRow[];
  readonly distInfo: string;
  readonly scripts: readonly EntryPoint[];
  readonly pythonMajor: string;
  readonly dest: string;
  readonly distribution: string;
  readonly pythonMinor: string;
  readonly remaps: readonly InstallRemap[];
}

/** Where an entry goes in the package, relative to the variant root; undefined to leave it out. */
function destinationOf(input: ExtractInput, name: string): { to: string; script: boolean } | undefined {
  const parts = name.split("/");
  if (parts.includes("__pycache__") || name.endsWith(".pyc")) return undefined;
  const dataDir = input.distInfo.replace(/\.dist-info$/, ".data");
  if (parts[0] === dataDir) {
    const rest = parts.slice(2).join("/");
    if (rest === "") return undefined;
    // what pip --target records for it, for the configured remaps
    const recorded =
      parts[1] === "scripts" ? `../../bin/${rest}` : parts[1] === "headers" ? `../../include/site/python${input.pythonMinor}/${input.distribution}/${rest}` : parts[1] === "data" ? `../../${rest}` : undefined;
    const remap = recorded === undefined ? undefined : input.remaps.find((r) => r.recordPath.test(recorded));
    if (remap && recorded !== undefined) {
      const to = recorded.replace(remap.recordPath, remap.rezInstall).replace(/^\/+/, "");
      const why = unsafeName(to);
      if (why) throw hostile(input.path, `pip_install_remaps puts '${name}' at '${to}', which has ${why}`, "fix the pip_install_remaps setting");
      return { to, script: parts[1] === "scripts" };
    }
    switch (parts[1]) {
      case "scripts":
        return { to: `bin/${rest}`, script: true };
      case "purelib":
      case "platlib":
        return { to: `python/${rest}`, script: false };
      case "headers":
        return { to: `include/${input.distribution}/${rest}`, script: false };
      case "data":
        return { to: rest, script: false };
      default:
        throw hostile(input.path, `the entry '${name}' is in an unknown .data folder '${parts[1]}'`);
    }
  }
  return { to: `python/${name}`, script: false };
}

/** `#!python` (and `#!pythonw`) of a wheel's scripts → the environment's python3. */
function rewriteShebang(bytes: Buffer, pythonMajor: string): Buffer {
  const m = /^#!python[w]?[^\S\r\n]*(\r?\n)/.exec(bytes.subarray(0, 64).toString("latin1"));
  if (!m) return bytes;
  return Buffer.concat([Buffer.from(`#!/usr/bin/env python${pythonMajor}${m[1]}`), bytes.subarray(m[0].length)]);
}

async function extract(input: ExtractInput): Promise<ExtractResult> {
  const { path, zip, entries, record, distInfo } = input;
  const rows = new Map(record.map((r) => [r.path, r]));
  const recordName = `${distInfo}/RECORD`;
  const unsigned = new Set([recordName, `${distInfo}/RECORD.jws`, `${distInfo}/RECORD.p7s`]);
  const written: { to: string; hash: string; size: number }[] = [];
  const seen = new Set<string>();
  const made = new Set<string>();
  const write = (to: string, bytes: Buffer, mode: number | undefined): void => {
    if (seen.has(to)) throw hostile(path, `two entries install to '${to}'`);
    seen.add(to);
    const file = join(input.dest, to);
    const dir = dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(file, bytes);
    if (mode !== undefined) chmodSync(file, mode);
    written.push({ to, hash: recordHash("sha256", bytes), size: bytes.length });
  };
  for (const entry of entries) {
    const name = entry.fileName;
    if (name.endsWith("/")) continue;
    if (unsigned.has(name)) continue;
    const row = rows.get(name);
    if (!row || row.hash === "") throw hostile(path, `the entry '${name}' is not listed with a hash in ${recordName}`);
    const [algorithm] = row.hash.split("=", 1);
    if (!HASHES.has(algorithm!)) throw hostile(path, `the ${recordName} row for '${name}' uses the hash '${algorithm}' (sha256, sha384 or sha512 expected)`);
    const mismatch = () => hostile(path, `the entry '${name}' does not match its hash or size in ${recordName}`);
    const target = destinationOf(input, name);
    if (!target || target.script) {
      const bytes = await readEntry(path, zip, entry);
      if (recordHash(algorithm!, bytes) !== row.hash || (row.size !== "" && Number(row.size) !== bytes.length)) throw mismatch();
      if (target) write(target.to, rewriteShebang(bytes, input.pythonMajor), 0o755);
      continue;
    }
    // streamed to its place, hashed on the way (a mismatch fails the import, and the staged files go)
    if (seen.has(target.to)) throw hostile(path, `two entries install to '${target.to}'`);
    seen.add(target.to);
    const file = join(input.dest, target.to);
    if (!made.has(dirname(file))) {
      mkdirSync(dirname(file), { recursive: true });
      made.add(dirname(file));
    }
    const checked = createHash(algorithm!);
    const installed = createHash("sha256");
    let size = 0;
    try {
      const source = await zip.openReadStreamPromise(entry);
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            checked.update(chunk);
            installed.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(file),
      );
    } catch (error) {
      throw hostile(path, `the entry '${name}' cannot be read: a corrupt zip (${(error as Error).message})`);
    }
    if (`${algorithm}=${checked.digest("base64url")}` !== row.hash || (row.size !== "" && Number(row.size) !== size)) throw mismatch();
    if (((entry.externalFileAttributes >>> 16) & 0o111) !== 0) chmodSync(file, 0o755);
    written.push({ to: target.to, hash: `sha256=${installed.digest("base64url")}`, size });
  }
  for (const script of input.scripts) {
    const to = `bin/${script.name}`;
    if (seen.has(to)) continue;
    write(to, Buffer.from(launcherText(script, input.pythonMajor)), 0o755);
  }
  const installer = `python/${distInfo}/INSTALLER`;
  if (!seen.has(installer)) write(installer, Buffer.from("pkg\n"), undefined);
  // RECORD, as pip writes it: paths relative to the site-packages folder (python/)
  const relativeToPython = (to: string): string => (to.startsWith("python/") ? to.slice("python/".length) : `../${to}`);
  const rowsOut: RecordRow[] = written.map((w) => ({ path: relativeToPython(w.to), hash: w.hash, size: String(w.size) }));
  rowsOut.push({ path: recordName, hash: "", size: "" });
  const recordTo = `python/${recordName}`;
  const recordBytes = Buffer.from(formatRecord(rowsOut));
  mkdirSync(dirname(join(input.dest, recordTo)), { recursive: true });
  writeFileSync(join(input.dest, recordTo), recordBytes);
  const files = [...written.map((w) => w.to), recordTo].sort();
  const tools = files.filter((f) => dirname(f) === "bin").map((f) => basename(f));
  return { files, tools };
}
