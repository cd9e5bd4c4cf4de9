// Facts about packages and package sets, shared by solves through the store: families required (FamInfo),
// extractions, solver entries, slice facts, requirement summaries and the conflict verdicts built on them.
import type { Requirement, VersionRange } from "../version/index.js";
import { type BitSpan, sameBits, trimSpan } from "./bits.js";
import type { FamInfo, FamSet } from "./intern.js";
import { remember } from "./memo.js";
import type { Scope } from "./phase.js";
import type { FamilyStore, SolverPackage, SolverVariant } from "./store.js";

/** (non-conflict names, all names) of one variant's requirements; kept on the variant (cheaper than a WeakMap). */
export function variantFamInfo(v: SolverVariant, building: boolean): FamInfo {
  let info = building ? v.buildFamInfo : v.famInfo;
  if (info === undefined) {
    const shared = v.sharedList(building);
    info = shared.info;
    if (info === undefined) {
      const rl = shared.list;
      const interner = v.pkg.interner;
      const common = interner.famSet(rl.names);
      shared.info = info = { common, fams: rl.conflictNames.size ? interner.famSet([...rl.names, ...rl.conflictNames]) : common };
    }
    if (building) v.buildFamInfo = info;
    else v.famInfo = info;
  }
  return info;
}

/** Families common to all / mentioned by any of `variants`. */
export function computeFamInfo(variants: readonly SolverVariant[], building: boolean): FamInfo {
  let common: FamSet | null = null;
  let fams: FamSet | null = null;
  for (const v of variants) {
    const info = variantFamInfo(v, building);
    common = common === null ? info.common : common.meet(info.common);
    fams = fams === null ? info.fams : fams.join(info.fams);
  }
  return { common: common!, fams: fams! };
}

/** A package's FamInfo over all its variants (shared by every solve). */
export function packageFamInfo(pkg: SolverPackage, building: boolean): FamInfo {
  return pkg.famInfo(building) ?? pkg.keepFamInfo(building, computeFamInfo(pkg.variants, building));
}

/** What a slice holding exactly this package extracts, per family of its FamInfo.common (in that order). */
export function packageExtractions(pkg: SolverPackage, building: boolean, store: FamilyStore): Extracted {
  let result = pkg.extraction(building);
  if (result === undefined) {
    const names = packageFamInfo(pkg, building).common.names;
    const uniform = new Uint8Array(names.length);
    const reqs = names.map((fam, k) => {
      const ranges: VersionRange[] = [];
      for (const v of pkg.variants) {
        const r = v.requiresList(building).get(fam)!.range!;
        if (!ranges.includes(r)) ranges.push(r);
      }
      const fid = store.interner.id(fam);
      if (ranges.length === 1 || store.sameSelection(fid, fam, ranges)) uniform[k] = 1;
      return store.extractedRequirement(fid, fam, store.unionAll(ranges[0]!, ranges.slice(1)));
    });
    result = pkg.keepExtraction(building, extracted(reqs, uniform, packageFamInfo(pkg, building)));
  }
  return result;
}

/** What a slice holding only this variant extracts: its own requirements, each uniform. */
export function variantExtractions(v: SolverVariant, building: boolean, store: FamilyStore): Extracted {
  let result = building ? v.buildExtractions : v.extractions;
  if (result === undefined) {
    const info = variantFamInfo(v, building);
    const rl = v.requiresList(building);
    const names = info.common.names;
    const reqs = names.map((fam, k) => store.extractedRequirement(info.common.ids[k]!, fam, rl.get(fam)!.range!));
    result = extracted(reqs, new Uint8Array(names.length).fill(1), info);
    if (building) v.buildExtractions = result;
    else v.extractions = result;
  }
  return result;
}

/**
 * A slice's extractions, one per family of its commonFams (in that order), and per family whether every
 * variant requires the very same range (then the family's scope, narrowed into it, cannot reduce the slice).
 */
export interface Extracted {
  readonly reqs: readonly Requirement[];
  readonly uniform: Uint8Array;
  /** Families (id bitset) whose normal scope may reduce the slice: famRequires without the uniform ones. */
  readonly reducers: Uint32Array;
}

export function extracted(reqs: readonly Requirement[], uniform: Uint8Array, info: FamInfo): Extracted {
  const reducers = info.fams.bits.slice();
  const ids = info.common.ids;
  for (let k = 0; k < ids.length; k++) if (uniform[k] === 1) reducers[ids[k]! >>> 5]! &= ~(1 << (ids[k]! & 31));
  return { reqs, uniform, reducers };
}

export interface Entry {
  readonly pkg: SolverPackage;
  /** Shared with the family list on first expansion (Rez sorts it in place). */
  readonly variants: SolverVariant[];
  sorted: boolean;
  /** Families of these variants (filled on first use). */
  info: FamInfo | undefined;
  /** pkg.ordinal, kept here to spare a pointer hop in hot loops. */
  readonly ordinal: number;
  /** variants are all of the package's variants. */
  readonly full: boolean;
  /** Each variant's index, in the order of `variants` (see variantIndexes). */
  indexes: Int32Array | undefined;
}

export function makeEntry(pkg: SolverPackage, variants: SolverVariant[], sorted: boolean, full: boolean): Entry {
  return { pkg, variants, sorted, info: undefined, ordinal: pkg.ordinal, full, indexes: undefined };
}

/** The entry's variant indices in its order (kept once the order is final), so loops need not load variants. */
export function variantIndexes(entry: Entry): Int32Array {
  if (entry.indexes !== undefined) return entry.indexes;
  const indexes = new Int32Array(entry.variants.length);
  for (let i = 0; i < indexes.length; i++) indexes[i] = entry.variants[i]!.index ?? 0;
  if (entry.sorted) entry.indexes = indexes;
  return indexes;
}

/** Intersections by range key, and by range object (requirement ranges are shared objects: no key hashing). */
export interface SharedIntersections {
  readonly byKey: Map<string, Intersection | null>;
  readonly byObject: Map<VersionRange, Intersection | null>;
}

/** A package set that slices are made of again and again, holding their facts (see Slice.facts). */
export interface FactsHolder {
  /** Filled by the first slice that asks. */
  facts: SliceFacts | undefined;
}

/** The entries of a family within a range (whole packages, repository order), with their bitset. */
export interface Intersection extends BitSpan, FactsHolder {
  readonly entries: Entry[];
  /** Every entry is one shared by solves (see FamilyList.intersection). */
  readonly shared: boolean;
  /** Families required by the variants of its packages that have several (their order depends on them). */
  readonly variantFams: Uint32Array | null;
}

/**
 * Each variant's requirement on one family, by the variant's slot in its family (SolverPackage.firstSlot +
 * index): null when it has none, undefined (a hole) until asked. One flat table, not a row per package: a
 * fresh solve fills tens of thousands of them.
 */
export type DepTable = (Requirement | null | undefined)[];

export interface InfoSummary {
  readonly infos: readonly FamInfo[];
  readonly masks: readonly Uint32Array[];
}

/** What is known about a set of whole packages of one family (see Slice.facts). */
export interface SliceFacts {
  /** Unique among all package sets of the process. */
  readonly id: number;
  readonly mask: Uint32Array;
  info: FamInfo | undefined;
  /** The requirement extracted on each family of info.common, in that order. */
  extractions: Extracted | undefined;
  /** The package split() takes first in the default order (-1 until asked). */
  topOrdinal: number;
  /** Slices of these packages holding only some variants of some of them, met lately (see Slice.partialFacts). */
  partial: PartialFacts[] | undefined;
}

/** What slices holding the same variants share: one package set, and the same variants of its partial entries. */
export interface PartialFacts {
  /** Per partial entry, in entry order: its ordinal, its number of variants, their indexes. */
  readonly variants: Int32Array;
  info: FamInfo | undefined;
  extractions: Extracted | undefined;
}

/** The `variants` signature of PartialFacts for these partial entries. */
export function partialSignature(partial: readonly Entry[]): Int32Array {
  let n = 0;
  for (const e of partial) n += 2 + e.variants.length;
  const sig = new Int32Array(n);
  let k = 0;
  for (const e of partial) {
    const indexes = variantIndexes(e);
    sig[k++] = e.ordinal;
    sig[k++] = indexes.length;
    sig.set(indexes, k);
    k += indexes.length;
  }
  return sig;
}

/** SliceFacts by package bitset: a hash table with chaining on the bitset's words. */
export class SliceFactTable {
  private readonly byHash = new Map<number, SliceFacts[]>();
  private size = 0;
  static count = 0;

  get(mask: Uint32Array): SliceFacts {
    let h = 0x811c9dc5;
    for (let w = 0; w < mask.length; w++) h = Math.imul(h ^ mask[w]!, 0x01000193);
    // 30 bits: a small integer key (no boxed number per lookup)
    h &= 0x3fffffff;
    let chain = this.byHash.get(h);
    if (chain === undefined) this.byHash.set(h, (chain = []));
    for (const facts of chain) if (sameBits(facts.mask, mask)) return facts;
    // bound the memory of a long-lived store
    if (this.size >= 8192) {
      this.byHash.clear();
      this.size = 0;
      this.byHash.set(h, (chain = []));
    }
    const facts: SliceFacts = { id: SliceFactTable.count++, mask: mask.slice(), info: undefined, extractions: undefined, topOrdinal: -1, partial: undefined };
    chain.push(facts);
    this.size++;
    return facts;
  }
}

export interface DepSummary {
  readonly deps: readonly Requirement[];
  readonly masks: readonly Uint32Array[];
  /** Per package ordinal: index in deps of its one requirement (same in every variant), -1 none, -2 mixed. */
  readonly byOrdinal: Int32Array;
  /** For mixed packages (by ordinal): index in deps of each variant's requirement (by variant index), or -1. */
  readonly byVariant: readonly (Int32Array | undefined)[];
  /** Conflict verdicts per dep (0 unknown, 1 no, 2 yes) for the request object `verdictsFor`. */
  verdicts: Uint8Array;
  /** Generation of each verdict; only those of `generation` are valid. */
  stamps: Uint32Array;
  generation: number;
  verdictsFor: object | null;
  /** Per dep: its range as a bitset over the dependency family (filled on use). */
  readonly rangeMasks: (Uint32Array | undefined)[];
  /** Scratch marks for extraction (valid when equal to seenGeneration). */
  seen: Uint32Array;
  seenGeneration: number;
  /** Packages with some conflicting requirement, for verdicts of generation conflictStamp (see conflictMask). */
  readonly conflictBits: BitSpan;
  conflictStamp: number;
  /** conflictMask results by the id of the requesting slice's package set (SliceFacts.id). */
  readonly conflictsByMask: Map<number, BitSpan>;
  /** The last conflictsByMask hit. */
  lastMaskId: number;
  lastConflicts: BitSpan | null;
}

/**
 * A list of entries made from another by a reduction, an intersection or a split: with its package bitset,
 * and whether all its entries are whole.
 */
export interface Derived extends FactsHolder {
  readonly entries: Entry[];
  readonly mask: Uint32Array;
  readonly full: boolean;
}

/** See FamilyStore.entryFacts. */
export interface EntryFacts {
  /** Reductions by normal scopes, by reductionKey (UNCHANGED: nothing removed). */
  readonly reductions: Map<number, Derived>;
  /** Intersections with ranges that do not hold every package (entries empty: none is in range). */
  narrowed: Map<VersionRange, Derived> | undefined;
  /** Splits in the default order, by building (2) and whether the common families are extracted (1). */
  splits: (KnownSplit | undefined)[] | undefined;
  /** The PartialFacts of these entries, when not building and when building. */
  readonly partial: (PartialFacts | undefined)[];
}

/** A split's first half (its entries, and whether they are in version order), and where it ends. */
interface KnownSplit {
  readonly first: Derived;
  readonly sorted: boolean;
  readonly iEntry: number;
  readonly nVariants: number;
}

/**
 * The key of a reduction by a normal scope: its package set's facts, which are of one family and one
 * building flag (SliceFacts tables are per both), as a small integer (or -1: none).
 */
export function reductionKey(byFacts: SliceFacts): number {
  return byFacts.id < 0x3fffffff ? byFacts.id : -1;
}

/** The requirement of a variant on one family, kept in the family's table for that family (see DepTable). */
export function variantDep(table: DepTable, variant: SolverVariant, name: string, building: boolean): Requirement | undefined {
  const slot = variant.pkg.firstSlot + (variant.index ?? 0);
  const known = table[slot];
  if (known !== undefined) return known ?? undefined;
  const dep = variant.requiresList(building).get(name);
  table[slot] = dep ?? null;
  return dep;
}

/**
 * Packages (bitset) having a requirement that conflicts with scope `by`'s request in some variant: built
 * once per request (generation), as the scopes reduced by one family in a row all ask about the same request.
 */
export function conflictMask(
  sm: DepSummary,
  by: Scope,
  byMask: Uint32Array | null,
  byMaskId: number,
  request: Requirement | null,
  store: FamilyStore,
): BitSpan {
  // A normal scope's request depends only on its package set, met again and again across solves.
  if (byMaskId >= 0) {
    if (byMaskId === sm.lastMaskId) return sm.lastConflicts!;
    let bits = sm.conflictsByMask.get(byMaskId);
    if (bits === undefined) {
      bits = { bits: new Uint32Array(sm.conflictBits.bits.length), lo: 0, hi: 0 };
      fillConflictBits(bits, sm, by, byMask, request, store);
      remember(sm.conflictsByMask, byMaskId, bits);
    }
    sm.lastMaskId = byMaskId;
    sm.lastConflicts = bits;
    return bits;
  }
  if (sm.conflictStamp !== sm.generation) {
    sm.conflictStamp = sm.generation;
    fillConflictBits(sm.conflictBits, sm, by, byMask, request, store);
  }
  return sm.conflictBits;
}

function fillConflictBits(span: BitSpan, sm: DepSummary, by: Scope, byMask: Uint32Array | null, request: Requirement | null, store: FamilyStore): void {
  const bits = span.bits;
  bits.fill(0);
  let any = false;
  for (let k = 0; k < sm.deps.length; k++) {
    if (!summaryVerdict(sm, k, by, byMask, request, store)) continue;
    const m = sm.masks[k]!;
    for (let w = 0; w < bits.length; w++) bits[w]! |= m[w]!;
    any = true;
  }
  span.lo = 0;
  span.hi = any ? bits.length : 0;
  trimSpan(span);
}

/** Does the summary's k-th requirement conflict with scope `by`'s request? Memoised per request (generation). */
export function summaryVerdict(
  sm: DepSummary,
  k: number,
  by: Scope,
  byMask: Uint32Array | null,
  request: Requirement | null,
  store: FamilyStore,
): boolean {
  if (sm.stamps[k] !== sm.generation) {
    sm.stamps[k] = sm.generation;
    const dep = sm.deps[k]!;
    let result: boolean;
    if (byMask === null || dep.range === null) result = depConflicts(dep, by, byMask, request, store);
    else {
      const depMask = (sm.rangeMasks[k] ??= store.rangeMask(by.fid, by.name, dep.range));
      result = true;
      if (dep.conflict) {
        for (let w = 0; w < byMask.length; w++) if ((byMask[w]! & ~depMask[w]!) !== 0) { result = false; break; }
      } else {
        for (let w = 0; w < byMask.length; w++) if ((byMask[w]! & depMask[w]!) !== 0) { result = false; break; }
      }
    }
    sm.verdicts[k] = result ? 1 : 0;
  }
  return sm.verdicts[k] === 1;
}

/** Does requirement `dep` (on by's family) conflict with scope `by`'s request? (`byMask`: by's packages.) */
export function depConflicts(dep: Requirement, by: Scope, byMask: Uint32Array | null, request: Requirement | null, store: FamilyStore): boolean {
  if (byMask === null) return dep.conflictsWith(request!);
  if (dep.range === null) return false;
  const depMask = store.rangeMask(by.fid, by.name, dep.range);
  if (dep.conflict) {
    for (let w = 0; w < byMask.length; w++) if ((byMask[w]! & ~depMask[w]!) !== 0) return false;
  } else {
    for (let w = 0; w < byMask.length; w++) if ((byMask[w]! & depMask[w]!) !== 0) return false;
  }
  return true;
}
