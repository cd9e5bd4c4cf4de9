// Process-wide interning: integer ids and name ranks for family names, and interned family-name sets (FamSet).
// These stay process-wide (not in a FamilyStore): a FamSet holds its names' ids as a bitset, and FamSets are
// interned once for the process, so every store's per-family tables index by the same ids.
import { hasBit } from "./bits.js";

/** Process-wide integer ids for family names (index tables are keyed by them). */
export const familyIds = new Map<string, number>();

const familyNames: string[] = [];

export function familyId(name: string): number {
  let id = familyIds.get(name);
  if (id === undefined) {
    id = familyIds.size;
    familyIds.set(name, id);
    familyNames.push(name);
  }
  return id;
}

export function familyName(id: number): string {
  return familyNames[id]!;
}

/**
 * Each family id's position among all family names in code-unit order (Python's str order). Ranks shift as
 * families are added, so a table is taken whole (nameRanks()) and only compared within itself.
 */
let rankTable = new Int32Array(0);

export function nameRanks(): Int32Array {
  if (rankTable.length < familyNames.length) {
    const ids = Array.from(familyNames.keys()).sort((a, b) => (familyNames[a]! < familyNames[b]! ? -1 : familyNames[a]! > familyNames[b]! ? 1 : 0));
    rankTable = new Int32Array(familyNames.length);
    for (let r = 0; r < ids.length; r++) rankTable[ids[r]!] = r;
  }
  return rankTable;
}

/**
 * An interned, immutable set of family names (sorted). Slices combine the sets of their packages; most
 * packages of a family share the same sets, so intersections and unions are memoised per pair.
 */
export class FamSet {
  readonly set: ReadonlySet<string>;
  private static readonly byKey = new Map<string, FamSet>();
  /** Memoised meets / joins with sets of higher id (small-integer keys). */
  private readonly meets = new Map<number, FamSet>();
  private readonly joins = new Map<number, FamSet>();
  private static count = 0;
  static readonly EMPTY: FamSet = FamSet.of([]);
  private constructor(
    readonly id: number,
    /** Sorted by code unit (Python's str order for these names). */
    readonly names: readonly string[],
  ) {
    this.set = new Set(names);
    this.ids = names.map(familyId);
    let top = 0;
    for (const id of this.ids) if (id > top) top = id;
    this.bits = new Uint32Array(names.length === 0 ? 0 : (top >>> 5) + 1);
    for (const id of this.ids) this.bits[id >>> 5]! |= 1 << (id & 31);
  }
  /** familyId of each name. */
  readonly ids: readonly number[];
  /** The ids as a bitset: membership tests in the hot loops without hashing strings. */
  readonly bits: Uint32Array;
  hasId(fid: number): boolean {
    return hasBit(this.bits, fid);
  }
  static of(names: Iterable<string>): FamSet {
    const sorted = [...new Set(names)].sort();
    const key = sorted.join("\u0000");
    let f = FamSet.byKey.get(key);
    if (f === undefined) {
      f = new FamSet(FamSet.count++, sorted);
      FamSet.byKey.set(key, f);
    }
    return f;
  }
  has(name: string): boolean {
    return this.set.has(name);
  }
  get size(): number {
    return this.names.length;
  }
  meet(other: FamSet): FamSet {
    if (other === this) return this;
    const low = this.id < other.id ? this : other;
    const high = low === this ? other : this;
    let r = low.meets.get(high.id);
    if (r === undefined) {
      r = FamSet.of(this.names.filter((n) => other.set.has(n)));
      low.meets.set(high.id, r);
    }
    return r;
  }
  join(other: FamSet): FamSet {
    if (other === this) return this;
    const low = this.id < other.id ? this : other;
    const high = low === this ? other : this;
    let r = low.joins.get(high.id);
    if (r === undefined) {
      r = FamSet.of([...this.names, ...other.names]);
      low.joins.set(high.id, r);
    }
    return r;
  }
}

/** Families common to all / mentioned by any of a list of variants. */
export interface FamInfo {
  readonly common: FamSet;
  readonly fams: FamSet;
}
