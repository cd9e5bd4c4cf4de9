// Process-wide interning: integer ids and name ranks for family names, interned family-name sets (FamSet),
// memoised range unions and the shared requirement objects extractions produce.
import { Requirement, type VersionRange } from "../version/index.js";
import { hasBit } from "./bits.js";
import { remember } from "./memo.js";

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

/**
 * Extraction unions the same few ranges over and over: pairwise unions are memoised, and the requirement on
 * a family with a given range is one shared object, so merges and scope intersections can test identity.
 * (Folding pairwise gives the same normalised range as one n-way union.)
 */
// (a Map, bounded, rather than a WeakMap: V8's weak tables are much slower to look up)
const unionMemo = new Map<VersionRange, Map<VersionRange, VersionRange>>();

function unionOf(a: VersionRange, b: VersionRange): VersionRange {
  if (a === b) return a;
  const byOther = unionMemo.get(a) ?? remember(unionMemo, a, new Map<VersionRange, VersionRange>(), 16384);
  let u = byOther.get(b);
  if (u === undefined) byOther.set(b, (u = a.union(b)));
  return u;
}

export function unionAll(first: VersionRange, rest: readonly VersionRange[] | null): VersionRange {
  let u = first;
  if (rest !== null) for (let i = 0; i < rest.length; i++) u = unionOf(u, rest[i]!);
  return u;
}

const extractedRequirements: (Map<VersionRange, Requirement> | undefined)[] = [];

/** The (shared) requirement `fam-range` of an extraction; `fid` is fam's familyId. */
export function extractedRequirement(fid: number, fam: string, range: VersionRange): Requirement {
  let byRange = extractedRequirements[fid];
  if (byRange === undefined) extractedRequirements[fid] = byRange = new Map();
  let req = byRange.get(range);
  if (req === undefined) byRange.set(range, (req = Requirement.construct(fam, range)));
  return req;
}
