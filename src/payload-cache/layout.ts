// Where the payload cache keeps a variant, as Rez's package_cache lays it out, so pkg and Rez share one cache:
// `<cache>/<name>/<version | _NO_VERSION>/<4 hex of sha1(handle)>/<a, b, …>` with `<inc>.json` beside each
// payload (the handle, to find the right one among hash collisions) and `.copying-<inc>` while it is copied.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { pythonStringLiteral } from "../package/index.js";
import type { VariantHandle } from "../repository/index.js";

/** Rez's PackageCache statuses (VARIANT_FOUND, VARIANT_COPYING, …) by the names pkg prints. */
export type CacheStatus = "not_found" | "found" | "created" | "copying" | "stalled" | "pending" | "removed" | "skipped";

/** Rez's STATUS_DESCRIPTIONS. */
export const STATUS_DESCRIPTIONS: { readonly [S in CacheStatus]: string } = {
  not_found: "was not found",
  found: "was found",
  created: "was created",
  copying: "payload is still being copied to this cache",
  stalled: "payload copy has stalled (pkg cache --clean removes it)",
  pending: "is pending caching",
  removed: "was deleted",
  skipped: "is not being cached due to cache size limit",
};

/** Seconds after which a `.copying-<inc>` marker nobody touches means the copy stalled (Rez's _COPYING_TIME_MAX). */
export const COPYING_TIME_MAX = 5;
/** Seconds between touches of the marker while copying (Rez's _COPYING_TIME_INC). */
export const COPYING_TIME_INC = 0.2;

/** Python's repr of a str, int, bool or None, as Rez's str() of a handle tuple prints them. */
export function pythonRepr(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  return pythonStringLiteral(value);
}

/** `str(handle._hashable_repr())`: `('key', (('index', 0), ('location', '/r'), …))`, variables sorted by name. */
export function hashableRepr(handle: VariantHandle): string {
  const entries = Object.entries(handle.variables)
    .filter((e): e is [string, string | number | null] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const items = entries.map(([k, v]) => `(${pythonRepr(k)}, ${pythonRepr(v)})`);
  const tuple = items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  return `(${pythonRepr(handle.key)}, ${tuple})`;
}

/** The first four hex digits of the sha1 of the handle's repr: the folder holding the variant's copies. */
export function handleHashDir(handle: VariantHandle): string {
  return createHash("sha1").update(hashableRepr(handle), "utf8").digest("hex").slice(0, 4);
}

/** `<cache>/<name>/<version or _NO_VERSION>/<hash>`. */
export function hashPath(cache: string, handle: VariantHandle): string {
  const { name, version } = handle.variables;
  return join(cache, name, version !== undefined && version !== "" ? version : "_NO_VERSION", handleHashDir(handle));
}

/** Rez's get_next_base26: a, b, …, z, aa, ab, … */
export function nextBase26(prev: string | null): string {
  if (prev === null || prev === "") return "a";
  if (!/^[a-z]+$/.test(prev)) throw new Error(`invalid base26 name: ${prev}`);
  if (!prev.endsWith("z")) return prev.slice(0, -1) + String.fromCharCode(prev.charCodeAt(prev.length - 1) + 1);
  return nextBase26(prev.slice(0, -1)) + "a";
}

/** The highest of some base26 names (longer is higher: Rez's plain max() would put `z` above `aa`). */
export function highestBase26(names: readonly string[]): string | null {
  let best: string | null = null;
  for (const n of names) if (best === null || n.length > best.length || (n.length === best.length && n > best)) best = n;
  return best;
}

/** The handle as Rez's handle.to_dict() writes it into `<inc>.json` and the pending files. */
export function handleDict(handle: VariantHandle): { key: string; variables: Record<string, string | number | null> } {
  const variables: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(handle.variables)) if (v !== undefined) variables[k] = v;
  return { key: handle.key, variables };
}

/** Whether a stored handle (parsed JSON) is the same variant as `handle` (Rez compares the dicts). */
export function sameHandle(stored: unknown, handle: VariantHandle): boolean {
  if (stored === null || typeof stored !== "object") return false;
  const s = stored as { key?: unknown; variables?: unknown };
  if (s.key !== handle.key || s.variables === null || typeof s.variables !== "object") return false;
  const mine = handleDict(handle).variables;
  const theirs = s.variables as Record<string, unknown>;
  const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  for (const k of keys) if ((mine[k] ?? null) !== (theirs[k] ?? null)) return false;
  return true;
}

/** Parses a stored handle back into a VariantHandle, or undefined when it is not one. */
export function parseHandle(stored: unknown): VariantHandle | undefined {
  if (stored === null || typeof stored !== "object") return undefined;
  const s = stored as { key?: unknown; variables?: unknown };
  if (typeof s.key !== "string" || s.variables === null || typeof s.variables !== "object") return undefined;
  const v = s.variables as Record<string, unknown>;
  const str = (x: unknown): x is string => typeof x === "string";
  if (!str(v.location) || !str(v.name) || !str(v.repository_type)) return undefined;
  const index = typeof v.index === "number" ? v.index : null;
  return {
    key: s.key,
    variables: {
      index,
      location: v.location,
      name: v.name,
      repository_type: v.repository_type,
      ...(str(v.version) ? { version: v.version } : {}),
      ...(str(v.ext) ? { ext: v.ext } : {}),
    },
  };
}
