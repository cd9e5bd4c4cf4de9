// A family's stamp: the paths its load read (folders and package files, broken ones and empty version
// folders included) with their state as stat'ed *before* the files were evaluated. Comparing a stamp
// with the disk tells whether anything that could change the family has changed since.
import { statSync } from "node:fs";

/** `[path, mtimeMs, size]`; a folder's size is 0, a missing path's mtime and size are -1. */
export type StampedPath = readonly [path: string, mtimeMs: number, size: number];
export type FamilyStamp = readonly StampedPath[];

/** The state of one path now; a path that cannot be stat'ed (a loop, no permission) has mtime and size -2. */
export function stampPath(path: string): StampedPath {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats ? [path, stats.mtimeMs, stats.isDirectory() ? 0 : stats.size] : [path, -1, -1];
  } catch {
    return [path, -2, -2];
  }
}

const NO_THROW = { throwIfNoEntry: false } as const;

/** True while every path of the stamp is as it was (a well-formed stamp only). Allocates nothing per path. */
export function stampIsCurrent(stamp: unknown): boolean {
  if (!Array.isArray(stamp)) return false;
  for (const entry of stamp as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[0] !== "string") return false;
    let mtime = -1;
    let size = -1;
    try {
      const stats = statSync(entry[0], NO_THROW);
      if (stats) {
        mtime = stats.mtimeMs;
        size = stats.isDirectory() ? 0 : stats.size;
      }
    } catch {
      mtime = size = -2;
    }
    if (mtime !== entry[1] || size !== entry[2]) return false;
  }
  return true;
}
