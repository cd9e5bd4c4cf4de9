// Interning for one family store: integer ids and name ranks for family names, and interned family-name
// sets (FamSet). Each FamilyStore owns one interner, so what a long-running process interned for a store
// it has dropped (a repository that changed, a GUI's old session) goes with it.
import { hasBit } from "./bits.js";

export class FamilyInterner {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly sets = new Map<string, FamSet>();
  private setCount = 0;
  /**
   * Each family id's position among all family names in code-unit order (Python's str order). Ranks shift as
   * families are added, so a table is taken whole (ranks()) and only compared within itself.
   */
  private rankTable = new Int32Array(0);
  readonly empty: FamSet;

  constructor() {
    this.empty = this.famSet([]);
  }

  /** How many family names have ids (ids are 0 .. size - 1). */
  get size(): number {
    return this.names.length;
  }

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The id of a name seen before, without giving it one. */
  knownId(name: string): number | undefined {
    return this.ids.get(name);
  }

  name(id: number): string {
    return this.names[id]!;
  }

  ranks(): Int32Array {
    const names = this.names;
    if (this.rankTable.length < names.length) {
      const ids = Array.from(names.keys()).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
      this.rankTable = new Int32Array(names.length);
      for (let r = 0; r < ids.length; r++) this.rankTable[ids[r]!] = r;
    }
    return this.rankTable;
  }

  /** The one FamSet of these names (in any order, repeats ignored). */
  famSet(names: Iterable<string>): FamSet {
    // (a Set has no repeats to drop)
    return this.sortedFamSet((names instanceof Set ? [...(names as Set<string>)] : [...new Set(names)]).sort());
  }

  /** famSet of names already sorted by code unit, without repeats (the caller's array is kept). */
  sortedFamSet(sorted: readonly string[]): FamSet {
    const key = sorted.join("\u0000");
    let f = this.sets.get(key);
    if (f === undefined) {
      f = new FamSet(this, this.setCount++, sorted);
      this.sets.set(key, f);
    }
    return f;
  }
}

/** The sorted names of two sorted lists without repeats, without repeats. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/**
 * An interned, immutable set of family names (sorted). Slices combine the sets of their packages; most
 * packages of a family share the same sets, so intersections and unions are memoised per pair.
 */
export class FamSet {
  // (made on first use: most sets are never met or joined, and a fresh solve makes thousands)
  private nameSet: ReadonlySet<string> | undefined = undefined;
  /** Memoised meets / joins with sets of higher id (small-integer keys). */
  private meets: Map<number, FamSet> | undefined = undefined;
  private joins: Map<number, FamSet> | undefined = undefined;
  /** Made only by FamilyInterner.famSet, so that equal sets are one object. */
  constructor(
    private readonly interner: FamilyInterner,
    readonly id: number,
    /** Sorted by code unit (Python's str order for these names). */
    readonly names: readonly string[],
  ) {
    const ids = new Array<number>(names.length);
    let top = 0;
    for (let i = 0; i < names.length; i++) {
      const id = interner.id(names[i]!);
      ids[i] = id;
      if (id > top) top = id;
    }
    this.ids = ids;
    const bits = new Uint32Array(names.length === 0 ? 0 : (top >>> 5) + 1);
    for (let i = 0; i < ids.length; i++) bits[ids[i]! >>> 5]! |= 1 << (ids[i]! & 31);
    this.bits = bits;
  }
  /** familyId of each name. */
  readonly ids: readonly number[];
  /** The ids as a bitset: membership tests in the hot loops without hashing strings. */
  readonly bits: Uint32Array;
  hasId(fid: number): boolean {
    return hasBit(this.bits, fid);
  }
  get set(): ReadonlySet<string> {
    return (this.nameSet ??= new Set(this.names));
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
    const meets = (low.meets ??= new Map());
    let r = meets.get(high.id);
    if (r === undefined) {
      // (a subsequence of sorted names is sorted; ids tested against the other's bits, no name hashed)
      const names = this.names;
      const ids = this.ids;
      const picked: string[] = [];
      for (let i = 0; i < names.length; i++) if (other.hasId(ids[i]!)) picked.push(names[i]!);
      r = this.interner.sortedFamSet(picked);
      meets.set(high.id, r);
    }
    return r;
  }
  join(other: FamSet): FamSet {
    if (other === this) return this;
    const low = this.id < other.id ? this : other;
    const high = low === this ? other : this;
    const joins = (low.joins ??= new Map());
    let r = joins.get(high.id);
    if (r === undefined) {
      r = this.interner.sortedFamSet(mergeSorted(this.names, other.names));
      joins.set(high.id, r);
    }
    return r;
  }
}

/** Families common to all / mentioned by any of a list of variants. */
export interface FamInfo {
  readonly common: FamSet;
  readonly fams: FamSet;
}
