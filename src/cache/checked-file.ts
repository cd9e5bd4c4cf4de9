// Cache files that cannot lie: each ends with a checksum of its content, checked on every read, and every
// write goes to a temporary name that is renamed into place (or removed when the write fails).
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { crc32 } from "node:zlib";

// "\npkg-crc32 " + 8 hex digits + "\n": a text trailer, so sealed JSON stays readable.
const TRAILER_TAG = "\npkg-crc32 ";
const TRAILER_LENGTH = TRAILER_TAG.length + 9;
const TEMP_SUFFIX = /\.(\d+)\.\d+\.tmp$/;

/** The payload followed by its checksum trailer. */
export function seal(payload: string | Buffer): Buffer {
  const bytes = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const sum = crc32(bytes).toString(16).padStart(8, "0");
  return Buffer.concat([bytes, Buffer.from(`${TRAILER_TAG}${sum}\n`, "latin1")]);
}

/**
 * What a sealed file holds: `stale` when it has no trailer at all (written before checksums, or not by
 * pkg: rebuilt quietly), `damaged` when the checksum does not match (rebuilt with a warning).
 */
export type Unsealed = { readonly status: "ok"; readonly payload: Buffer } | { readonly status: "stale" | "damaged" };

/** The payload of sealed bytes (a view, no copy), or why there is none. */
export function unseal(data: Buffer): Unsealed {
  const at = data.length - TRAILER_LENGTH;
  if (at < 0 || data.toString("latin1", at, at + TRAILER_TAG.length) !== TRAILER_TAG || data[data.length - 1] !== 0x0a) {
    return { status: "stale" };
  }
  const digits = data.toString("latin1", at + TRAILER_TAG.length, data.length - 1);
  const payload = data.subarray(0, at);
  if (!/^[0-9a-f]{8}$/.test(digits) || Number.parseInt(digits, 16) !== crc32(payload)) return { status: "damaged" };
  return { status: "ok", payload };
}

export type CheckedRead = Unsealed | { readonly status: "missing" };

/** Reads and checks a sealed file; an unreadable one is `missing`. */
export function readSealedFile(file: string): CheckedRead {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return { status: "missing" };
  }
  return unseal(data);
}

let tempCounter = 0;
const sweptFolders = new Set<string>();

/** True when no process of this host has the pid (what temporaries, locks and staged folders name). */
export function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Removes temporary files that processes which no longer exist left in `folder` (killed mid-write). */
function sweepStaleTemps(folder: string): void {
  if (sweptFolders.has(folder)) return;
  sweptFolders.add(folder);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_SUFFIX.exec(name);
    if (!match || Number(match[1]) === process.pid || !processIsGone(Number(match[1]))) continue;
    try {
      unlinkSync(join(folder, name));
    } catch {
      // another process swept it first
    }
  }
}

/**
 * Writes `data` to `file` through a temporary name in the same folder and a rename, so readers see the old
 * file or the new one, never a torn one. The temporary file is removed when the write fails; the error is
 * thrown. Temporaries left by killed processes are swept on the first write to a folder, unless `sweep` is
 * false: a folder that is not pkg's own (where the user asked for a file) may hold files of that shape.
 */
export function writeFileAtomic(file: string, data: string | Buffer, options: { readonly mkdir?: boolean; readonly mode?: number; readonly sweep?: boolean } = {}): void {
  const folder = dirname(file);
  if (options.mkdir) mkdirSync(folder, { recursive: true });
  if (options.sweep !== false) sweepStaleTemps(folder);
  const temp = join(folder, `${basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  try {
    writeFileSync(temp, data, options.mode !== undefined ? { mode: options.mode } : undefined);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw error;
  }
}

/** {@link writeFileAtomic} of the sealed payload. */
export function writeSealedFile(file: string, payload: string | Buffer, options: { readonly mkdir?: boolean } = {}): void {
  writeFileAtomic(file, seal(payload), options);
}

/**
 * Removes all but the `keep` newest files (by modification time) of `dir` whose names start with `prefix`:
 * caches named after what they were made from (a program's size and date) would otherwise pile up, one per
 * upgrade. Nothing here fails: a file that cannot be removed stays.
 */
export function keepNewestFiles(dir: string, prefix: string, keep: number): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.startsWith(prefix));
  } catch {
    return;
  }
  if (names.length <= keep) return;
  const dated = names.map((name) => {
    try {
      return { name, mtime: statSync(join(dir, name)).mtimeMs };
    } catch {
      return { name, mtime: Number.POSITIVE_INFINITY };
    }
  });
  dated.sort((a, b) => b.mtime - a.mtime);
  for (const { name } of dated.slice(keep)) {
    try {
      unlinkSync(join(dir, name));
    } catch {
      // another process took it, or it cannot be removed: it only takes space
    }
  }
}
