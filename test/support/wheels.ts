// Wheels written inside the tests: a tiny zip writer (stored or deflated entries, Unix modes, symlinks)
// and a wheel builder with METADATA, WHEEL, entry points, .data files and a RECORD that matches (or not).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";

export interface ZipEntry {
  readonly name: string;
  readonly data: string | Buffer;
  /** Unix mode bits (0o644 by default); a symlink when `symlink`. */
  readonly mode?: number;
  readonly symlink?: boolean;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function zipBytes(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const deflated = deflateRawSync(data);
    const name = Buffer.from(e.name);
    const crc = crc32(data);
    const mode = (e.symlink ? 0o120000 : e.name.endsWith("/") ? 0o040000 : 0o100000) | (e.mode ?? (e.name.endsWith("/") ? 0o755 : 0o644));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, deflated);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export interface WheelSpec {
  /** As in METADATA (`My-Pkg`, `zope.interface`). */
  readonly name: string;
  readonly version: string;
  /** `py3-none-any` by default. */
  readonly tag?: string;
  /** Root-Is-Purelib (true unless a platform tag is given). */
  readonly pure?: boolean;
  /** Files under the package root (site-packages), e.g. `{"mypkg/__init__.py": "..."}`. */
  readonly files?: { readonly [path: string]: string };
  readonly requires?: readonly string[];
  readonly extras?: readonly string[];
  /** console_scripts: name → `module:func`. */
  readonly scripts?: { readonly [name: string]: string };
  /** Files under `<name>-<version>.data/`, e.g. `{"headers/x.h": "...", "data/share/x/y.txt": "...", "scripts/run": "#!python\n..."}`. */
  readonly data?: { readonly [path: string]: string };
  readonly summary?: string;
  readonly homePage?: string;
  readonly author?: string;
  readonly authorEmail?: string;
  /** Changes before the zip is written: extra raw entries, rows to corrupt. */
  readonly extraEntries?: readonly ZipEntry[];
  readonly extraRecordRows?: readonly string[];
  /** A file whose RECORD hash is wrong. */
  readonly badHashFor?: string;
}

function hashOf(data: string | Buffer): string {
  return "sha256=" + createHash("sha256").update(data).digest("base64url");
}

/** The wheel file name of a spec (`my_pkg-1.0-py3-none-any.whl`). */
export function wheelFileName(spec: WheelSpec): string {
  return `${spec.name.replace(/[-_.]+/g, "_")}-${spec.version}-${spec.tag ?? "py3-none-any"}.whl`;
}

export function wheelBytes(spec: WheelSpec): Buffer {
  const distName = spec.name.replace(/[-_.]+/g, "_");
  const distInfo = `${distName}-${spec.version}.dist-info`;
  const dataDir = `${distName}-${spec.version}.data`;
  const pure = spec.pure ?? (spec.tag === undefined || spec.tag.endsWith("-any"));
  const metadata = [
    "Metadata-Version: 2.1",
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    ...(spec.summary ? [`Summary: ${spec.summary}`] : []),
    ...(spec.homePage ? [`Home-page: ${spec.homePage}`] : []),
    ...(spec.author ? [`Author: ${spec.author}`] : []),
    ...(spec.authorEmail ? [`Author-email: ${spec.authorEmail}`] : []),
    ...(spec.extras ?? []).map((e) => `Provides-Extra: ${e}`),
    ...(spec.requires ?? []).map((r) => `Requires-Dist: ${r}`),
    "",
    "",
  ].join("\n");
  const files: ZipEntry[] = [
    ...Object.entries(spec.files ?? {}).map(([name, data]) => ({ name, data })),
    ...Object.entries(spec.data ?? {}).map(([name, data]) => ({ name: `${dataDir}/${name}`, data, ...(name.startsWith("scripts/") ? { mode: 0o755 } : {}) })),
    { name: `${distInfo}/METADATA`, data: metadata },
    { name: `${distInfo}/WHEEL`, data: `Wheel-Version: 1.0\nGenerator: pkg-tests\nRoot-Is-Purelib: ${pure ? "true" : "false"}\nTag: ${spec.tag ?? "py3-none-any"}\n\n` },
  ];
  if (spec.scripts && Object.keys(spec.scripts).length > 0) {
    files.push({ name: `${distInfo}/entry_points.txt`, data: `[console_scripts]\n${Object.entries(spec.scripts).map(([n, t]) => `${n} = ${t}`).join("\n")}\n` });
  }
  const rows = files.map((f) => `${f.name},${f.name === spec.badHashFor ? hashOf("something else") : hashOf(f.data)},${Buffer.byteLength(f.data)}`);
  rows.push(...(spec.extraRecordRows ?? []), `${distInfo}/RECORD,,`);
  files.push({ name: `${distInfo}/RECORD`, data: rows.join("\n") + "\n" });
  return zipBytes([...files, ...(spec.extraEntries ?? [])]);
}

/** Writes the wheel into `dir`; returns its path. */
export function writeWheel(dir: string, spec: WheelSpec): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, wheelFileName(spec));
  writeFileSync(file, wheelBytes(spec));
  return file;
}
