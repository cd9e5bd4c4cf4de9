// Slices: a family's packages in this solve (FamilyList, its intersections with ranges) and the Slice, the
// package set of one scope with Rez's extraction / intersection / reduction / split on it.
import { type Requirement, VersionRange } from "../version/index.js";
import { type BitSpan, hasBit, orBits, sameInts, trimSpan } from "./bits.js";
import { conflictMask, depConflicts, type Derived, type Entry, type EntryFacts, type Extracted, extracted, type FactsHolder, type Intersection, makeEntry, packageExtractions, packageFamInfo, type PartialFacts, partialSignature, reductionKey, type SharedIntersections, type SliceFacts, summaryVerdict, variantDep, variantExtractions, variantFamInfo, variantIndexes } from "./facts.js";
import { Reduction } from "./failures.js";
import type { FamInfo, FamSet } from "./intern.js";
import { remember } from "./memo.js";
import { requirementIds } from "./order.js";
import { compareKeys, SortedOrder } from "./orderers.js";
import type { Scope } from "./phase.js";
import type { Solver } from "./solver.js";
import { ResolveError } from "./source.js";
import type { SolverPackage, SolverVariant } from "./store.js";

export class FamilyList {
  /** undefined = untouched, null = filtered out. */
  /** One entry per package, reused by every slice of this solve (its variants are sorted in place, as Rez). */
  private expanded: (Entry | null | undefined)[] | undefined;
  readonly fid: number;
  constructor(
    readonly name: string,
    readonly packages: readonly SolverPackage[],
    private readonly solver: Solver,
  ) {
    this.fid = solver.store.interner.id(name);
  }

  /** This solve's own results by range (the same family is often added with the same range in several phases). */
  private byRange: Map<string, Intersection | null> | undefined;
  private shared: SharedIntersections | null | undefined;

  intersection(range: VersionRange): Intersection | null {
    // Without a filter, a result made only of entries shared by every solve (one-variant packages, and
    // others ordered once, see sharesVariantOrder) is the same in every solve whose request mentions none
    // of the families those others' variants require.
    const solver = this.solver;
    if (this.shared === undefined) {
      this.shared = solver.settings.filter === null ? solver.store.sharedIntersections(this.fid, solver.sharedSlot) : null;
    }
    const shared = this.shared;
    if (shared !== null) {
      let found = shared.byObject.get(range);
      if (found === undefined) {
        found = shared.byKey.get(range.key);
        if (found !== undefined) {
          remember(shared.byObject, range, found, 4096);
        }
      }
      if (found === null) return null;
      if (found !== undefined && (found.variantFams === null || solver.sharesOrderOver(found.variantFams))) return found;
    }
    const key = range.key;
    const own = (this.byRange ??= new Map());
    let result = own.get(key);
    if (result === undefined) {
      result = this.compute(range);
      if (shared !== null && (result === null || result.shared)) {
        shared.byKey.set(key, result);
        remember(shared.byObject, range, result, 4096);
      }
      own.set(key, result);
    }
    return result;
  }

  /** Packages in `range`, in repository order (as Rez iterates them); interval searches over the sorted keys. */
  private compute(range: VersionRange): Intersection | null {
    const indices = this.solver.store.packagesInRange(this.fid, this.name, this.packages, range);
    if (indices.length === 0) return null;
    const building = this.solver.settings.building ? 1 : 0;
    // made on first use: solves that only meet shared intersections never need it
    const expanded = (this.expanded ??= new Array<Entry | null | undefined>(this.packages.length));
    const out: Entry[] = [];
    let shared = true;
    let variantFams: Uint32Array | null = null;
    for (const i of indices) {
      let value = expanded[i];
      if (value === null) continue;
      const pkg = this.packages[i]!;
      if (value === undefined) {
        const filter = this.solver.settings.filter;
        if (filter && filter.excludes(pkg)) {
          expanded[i] = null;
          continue;
        }
        // A one-variant entry never changes (nothing to sort), so every solve can share it.
        if (pkg.variants.length === 1) {
          value = pkg.sharedEntry(building) ?? pkg.keepSharedEntry(building, makeEntry(pkg, pkg.variants.slice(), true, true));
        } else if (this.solver.sharesVariantOrder(pkg)) {
          value = this.solver.sharedSortedEntry(pkg);
        } else if (this.solver.settings.orderers.isEmpty) {
          shared = false;
          value = this.solver.projectedSortedEntry(pkg);
        } else {
          shared = false;
          value = makeEntry(pkg, pkg.variants.slice(), false, true);
        }
        expanded[i] = value;
      } else if (value !== pkg.sharedEntry(building) && !pkg.sortedEntries.includes(value)) shared = false;
      if (shared && pkg.variants.length > 1) variantFams = orBits(variantFams, packageFamInfo(pkg, building === 1).fams.bits);
      out.push(value);
    }
    if (out.length === 0) return null;
    const bits = new Uint32Array((this.packages.length + 31) >>> 5);
    for (const e of out) bits[e.ordinal >>> 5]! |= 1 << (e.ordinal & 31);
    const found: Intersection = { entries: out, bits, lo: 0, hi: bits.length, facts: undefined, shared, variantFams };
    trimSpan(found);
    return found;
  }
}

const EMPTY_VARIANTS: SolverVariant[] = [];

/** What a reduction that removed nothing is recorded as. */
const UNCHANGED: Derived = { entries: [], mask: new Uint32Array(0), full: false, facts: undefined };

const EMPTY_REQUIREMENTS: readonly Requirement[] = [];

export class Slice {
  /**
   * Families already extracted: always the first `extractedCount` of commonFams.names, since extraction
   * takes the alphabetically first remaining common family and a fresh copy starts with none.
   */
  extractedCount = 0;

  /** Requests (conflict / ephemeral scopes) already known to remove nothing; a cache only, as in Rez. */
  beenReducedBy: Set<Requirement> | null;
  sorted = false;
  private maskCache: Uint32Array | undefined;
  private fullCache = false;
  private lenCache = -1;
  private rangeCache: VersionRange | undefined;
  private famRequiresCache: FamSet | undefined;
  private commonFamsCache: FamSet | undefined;

  constructor(
    readonly solver: Solver,
    readonly name: string,
    public entries: Entry[],
    beenReducedBy: Set<Requirement> | null,
    readonly fid: number,
    /** The family's packages (entries hold some of them). */
    readonly family: readonly SolverPackage[],
  ) {
    this.beenReducedBy = beenReducedBy;
  }

  /** Bitset of this slice's packages over its family (by ordinal). */
  get mask(): Uint32Array {
    if (this.maskCache === undefined) {
      const n = this.family.length;
      const mask = new Uint32Array((n + 31) >>> 5);
      let full = true;
      let lo = mask.length;
      let hi = 0;
      for (const e of this.entries) {
        const w = e.ordinal >>> 5;
        mask[w]! |= 1 << (e.ordinal & 31);
        if (w < lo) lo = w;
        if (w >= hi) hi = w + 1;
        if (!e.full) full = false;
      }
      this.setMask({ bits: mask, lo, hi }, full);
    }
    return this.maskCache!;
  }

  /** Takes this slice's package bitset (zero outside [lo, hi)), and whether all its entries are whole. */
  private setMask(span: Readonly<BitSpan>, full: boolean): void {
    this.maskCache = span.bits;
    this.maskLo = span.lo;
    this.maskHi = span.hi;
    this.fullCache = full;
  }

  /** The words of `mask` that may be non-zero: [maskLo, maskHi). */
  private maskLo = 0;
  private maskHi = 0;

  /** True if this slice's package bitset shares a package with `other` (a bitset over the same family). */
  overlapsMask(other: Uint32Array): boolean {
    const mine = this.mask;
    for (let w = this.maskLo; w < this.maskHi; w++) if ((mine[w]! & other[w]!) !== 0) return true;
    return false;
  }

  /** overlapsMask for a bitset known to be zero outside its span. */
  overlapsSpan(other: BitSpan): boolean {
    const mine = this.mask;
    const hi = this.maskHi < other.hi ? this.maskHi : other.hi;
    for (let w = this.maskLo > other.lo ? this.maskLo : other.lo; w < hi; w++) if ((mine[w]! & other.bits[w]!) !== 0) return true;
    return false;
  }

  /** Every entry holds all its package's variants (so per-package summaries describe the slice exactly). */
  get full(): boolean {
    if (this.maskCache === undefined) void this.mask;
    return this.fullCache;
  }

  /** length === 1, without counting. */
  get single(): boolean {
    return this.entries.length === 1 && this.entries[0]!.variants.length === 1;
  }

  get length(): number {
    if (this.lenCache < 0) {
      let n = 0;
      for (const e of this.entries) n += e.variants.length;
      this.lenCache = n;
    }
    return this.lenCache;
  }

  get range(): VersionRange {
    if (!this.rangeCache) this.rangeCache = VersionRange.fromVersions(this.entries.map((e) => e.pkg.version));
    return this.rangeCache;
  }

  get firstVariant(): SolverVariant {
    const e = this.entries[0]!;
    this.solver.sortEntry(e);
    return e.variants[0]!;
  }

  private factsCache: SliceFacts | undefined;
  /** The family intersection or the known result this slice is (its facts are kept there for the next slice of it). */
  private origin: FactsHolder | undefined;
  /** Shared facts about this package set (info and extractions only for slices holding whole packages). */
  get facts(): SliceFacts {
    if (this.factsCache === undefined) {
      const origin = this.origin;
      this.factsCache = origin?.facts ?? this.solver.store.sliceFacts(this.fid, this.solver.settings.building, this.mask);
      if (origin !== undefined) origin.facts = this.factsCache;
    }
    return this.factsCache;
  }

  private updateFamInfo(): void {
    if (this.commonFamsCache) return;
    if (this.entries.length === 1) {
      this.computeFamInfo();
      return;
    }
    // shared by slices of the same package set or (some entries holding only some variants) the same variants
    const shared = this.full ? this.facts : this.partialFacts;
    if (shared.info === undefined) {
      this.computeFamInfo();
      shared.info = { common: this.commonFamsCache!, fams: this.famRequiresCache! };
    } else {
      this.commonFamsCache = shared.info.common;
      this.famRequiresCache = shared.info.fams;
    }
  }

  private partialCache: PartialFacts | undefined;
  /** Shared facts about the variants of a slice of several packages, not all whole. */
  private get partialFacts(): PartialFacts {
    if (this.partialCache === undefined) {
      // the same list of entries holds the same variants
      const known = this.entryFacts;
      const slot = this.solver.settings.building ? 1 : 0;
      this.partialCache = known.partial[slot] ??= this.findPartialFacts();
    }
    return this.partialCache;
  }

  /** The PartialFacts of this slice's variants, among those of its package set (by signature). */
  private findPartialFacts(): PartialFacts {
    const variants = partialSignature(this.parts.partial);
    const known = (this.facts.partial ??= []);
    for (const p of known) if (sameInts(p.variants, variants)) return p;
    // (a few: the same package set rarely loses different variants)
    if (known.length >= 16) known.shift();
    const p: PartialFacts = { variants, info: undefined, extractions: undefined };
    known.push(p);
    return p;
  }

  private computeFamInfo(): void {
    let common: FamSet | null = null;
    let fams: FamSet | null = null;
    let last: FamInfo | null = null;
    const summary = this.entries.length > 4 && this.full ? this.solver.store.infoSummary(this.fid, this.name, this.solver.settings.building, this.entries.length) : null;
    // worth it only when the family has fewer distinct infos than this slice has packages
    if (summary !== null && summary.infos.length * (this.mask.length + 1) < this.entries.length) {
      for (let k = 0; k < summary.infos.length; k++) {
        if (!this.overlapsMask(summary.masks[k]!)) continue;
        const info = summary.infos[k]!;
        common = common === null ? info.common : common.meet(info.common);
        fams = fams === null ? info.fams : fams.join(info.fams);
      }
      this.commonFamsCache = common ?? this.solver.store.interner.empty;
      this.famRequiresCache = fams ?? this.solver.store.interner.empty;
      return;
    }
    for (const e of this.entries) {
      const building = this.solver.settings.building;
      const info =
        e.info ??
        (e.info = e.full
          ? packageFamInfo(e.pkg, building)
          : e.variants.length === 1
            ? variantFamInfo(e.variants[0]!, building)
            : this.solver.entryFamInfo(e.variants));
      if (info === last) continue;
      last = info;
      common = common === null ? info.common : common.meet(info.common);
      fams = fams === null ? info.fams : fams.join(info.fams);
    }
    this.commonFamsCache = common ?? this.solver.store.interner.empty;
    this.famRequiresCache = fams ?? this.solver.store.interner.empty;
  }

  get commonFams(): FamSet {
    this.updateFamInfo();
    return this.commonFamsCache!;
  }

  get famRequires(): FamSet {
    this.updateFamInfo();
    return this.famRequiresCache!;
  }

  /**
   * False when reducing by the scope of family `fid` cannot remove anything: variants that all require the
   * same range of that family, once extracted, have had the family's scope narrowed into that range, and
   * scopes only narrow (for a normal scope; conflict and ephemeral scopes go through reduceBy, which keeps
   * its cache).
   */
  mayBeReducedBy(fid: number, normalScope: boolean): boolean {
    return hasBit(normalScope && this.reducers !== undefined ? this.reducers : (this.famRequiresCache ?? this.famRequires).bits, fid);
  }

  /** Set once extracted (see Extracted.reducers). */
  private reducers: Uint32Array | undefined;

  get extractable(): boolean {
    return this.extractedCount < (this.commonFamsCache ?? this.commonFams).names.length;
  }

  private copyWith(entries: Entry[]): Slice {
    const s = new Slice(this.solver, this.name, entries, null, this.fid, this.family);
    s.sorted = this.sorted;
    // a subset is within them too
    s.within = this.within;
    s.withinToo = this.withinToo;
    // Rez's _copy starts with no extracted families
    return s;
  }

  /** A slice of whole packages (entries are shared: slices never change them). */
  static ofIntersection(solver: Solver, name: string, found: Intersection, fid: number, family: readonly SolverPackage[]): Slice {
    const s = new Slice(solver, name, found.entries, null, fid, family);
    s.setMask(found, true);
    s.origin = found;
    return s;
  }

  /** copyWith for a subset whose package bitset is known (so it is not rebuilt from the entries). */
  private copyWithMask(entries: Entry[], mask: Uint32Array, full: boolean): Slice {
    const s = this.copyWith(entries);
    const span = { bits: mask, lo: this.maskLo, hi: this.maskHi };
    trimSpan(span);
    s.setMask(span, full);
    return s;
  }

  private entryFactsCache: EntryFacts | undefined;
  /** What the store knows of slices of this very list of entries. */
  private get entryFacts(): EntryFacts {
    return (this.entryFactsCache ??= this.solver.store.entryFacts(this.entries));
  }

  /** A copy holding the entries of a known result (whose facts it shares). */
  private copyOf(known: Derived): Slice {
    const s = this.copyWithMask(known.entries, known.mask, known.full);
    s.origin = known;
    return s;
  }

  /** Ranges known to hold every package of this slice (extractions repeat the same requirement objects). */
  private within: VersionRange | undefined;
  private withinToo: VersionRange | undefined;

  intersect(range: VersionRange): Slice | null {
    if (range === this.within || range === this.withinToo || range.isAny()) return this;
    // bitset tests against the family's packages in range (shared by every solve)
    const inRange = this.solver.store.rangeBits(this.fid, this.name, this.family, range);
    const mine = this.mask;
    let inside = true;
    for (let w = this.maskLo; w < this.maskHi; w++) {
      if ((mine[w]! & ~inRange[w]!) !== 0) {
        inside = false;
        break;
      }
    }
    if (inside) {
      this.withinToo = this.within;
      this.within = range;
      return this;
    }
    const known = (this.entryFacts.narrowed ??= new Map());
    let narrowed = known.get(range);
    if (narrowed === undefined) {
      const entries: Entry[] = [];
      for (const e of this.entries) if ((inRange[e.ordinal >>> 5]! & (1 << (e.ordinal & 31))) !== 0) entries.push(e);
      const mask = new Uint32Array(mine.length);
      for (let w = this.maskLo; w < this.maskHi; w++) mask[w] = mine[w]! & inRange[w]!;
      narrowed = { entries, mask, full: this.fullCache, facts: undefined };
      remember(known, range, narrowed, 64);
    }
    if (narrowed.entries.length === 0) return null;
    const copy = this.copyOf(narrowed);
    copy.within = range;
    return copy;
  }

  /**
   * Rez `_reduce_by` with the request of scope `by`: the reduced copy, this slice when nothing is removed,
   * or null when everything is (then `solver.reductions` lists why; otherwise reductions are not recorded).
   */
  reduceBy(by: Scope): Slice | null {
    const bySlice = by.slice;
    const name = by.name;
    let request: Requirement | null = null;
    if (bySlice === null) {
      request = by.request;
      if (this.solver.settings.optimised && this.beenReducedBy !== null && this.beenReducedBy.has(request)) return this;
      if (request.range === null) return this;
    }
    if (!this.famRequires.hasId(by.fid)) return this;
    const solver = this.solver;
    const building = solver.settings.building;
    const store = solver.store;
    // verdicts are per request: for a normal scope, per package set (its interned facts)
    const byFacts = bySlice === null ? null : bySlice.facts;
    // a normal scope's reduction of these entries is known from an earlier slice of them (in any solve)
    const key = byFacts === null ? -1 : reductionKey(byFacts);
    const known = key < 0 ? null : this.entryFacts.reductions;
    if (known !== null) {
      const reduced = known.get(key);
      if (reduced === UNCHANGED) return this;
      if (reduced !== undefined) return this.copyOf(reduced);
    }
    // A normal scope's request is `name==v1|==v2|...` over its packages, so a dependency conflicts with it
    // iff it contains none of them (or, for a conflict dependency, all of them): bitset tests.
    const byMask = bySlice === null ? null : bySlice.mask;
    const summary = store.depSummary(this.fid, this.name, by.fid, name, building, this.entries.length);
    if (summary !== null && summary.verdictsFor !== (byFacts ?? request)) {
      summary.verdictsFor = byFacts ?? request;
      summary.generation++;
    }
    // Usually nothing conflicts: check the few distinct requirements before walking the packages.
    const conflicting = summary === null ? null : conflictMask(summary, by, byMask, byFacts === null ? -1 : byFacts.id, request, store);
    if (conflicting === null || this.overlapsSpan(conflicting)) {
      const table = store.depTable(this.fid, by.fid, building);
      let lastDep: Requirement | undefined;
      let lastResult = false;
      let entries: Entry[] | null = null;
      let mask: Uint32Array | null = null;
      let full = this.full;
      for (let k = 0; k < this.entries.length; k++) {
        const entry = this.entries[k]!;
        let kept: SolverVariant[] | null = null;
        const ordinal = entry.ordinal;
        // packages none of whose variants conflict are not in the conflict bitset
        const maybe = conflicting === null || (conflicting.bits[ordinal >>> 5]! & (1 << (ordinal & 31))) !== 0;
        // a package whose variants all share one requirement shares it in any subset of them too
        const d = !maybe ? -1 : summary !== null ? summary.byOrdinal[ordinal]! : -2;
        if (d >= 0) {
          if (summaryVerdict(summary!, d, by, byMask, request, store)) kept = EMPTY_VARIANTS;
        } else if (d === -2 && summary !== null) {
          // a package whose variants differ: each variant's requirement, verdicts memoised per requirement
          const row = summary.byVariant[ordinal]!;
          const indexes = variantIndexes(entry);
          for (let i = 0; i < indexes.length; i++) {
            const k = row[indexes[i]!]!;
            if (k >= 0 && summaryVerdict(summary, k, by, byMask, request, store)) {
              if (kept === null) kept = entry.variants.slice(0, i);
            } else if (kept !== null) kept.push(entry.variants[i]!);
          }
        } else if (d === -2) {
          for (let i = 0; i < entry.variants.length; i++) {
            const variant = entry.variants[i]!;
            const dep = variantDep(table, variant, name, building);
            let conflicting = false;
            if (dep !== undefined) {
              if (dep !== lastDep) {
                lastDep = dep;
                lastResult = depConflicts(dep, by, byMask, request, store);
              }
              conflicting = lastResult;
            }
            if (conflicting) {
              if (kept === null) kept = entry.variants.slice(0, i);
            } else if (kept !== null) kept.push(variant);
          }
        }
        if (kept !== null && entries === null) {
          entries = this.entries.slice(0, k);
          mask = this.mask.slice();
        }
        if (entries !== null) {
          if (kept === null) entries.push(entry);
          else if (kept.length > 0) {
            // (a subset of sorted variants is sorted)
            entries.push(makeEntry(entry.pkg, kept, entry.sorted, false));
            full = false;
          } else mask![entry.ordinal >>> 5]! &= ~(1 << (entry.ordinal & 31));
        }
      }
      if (entries !== null && entries.length === 0) {
        // every variant conflicts: record why, in order
        const reductions: Reduction[] = [];
        for (const entry of this.entries) {
          for (const v of entry.variants) {
            reductions.push(new Reduction(v.name, v.version, v.index, variantDep(table, v, name, building)!, by.request));
          }
        }
        solver.reductions = reductions;
        return null;
      }
      if (entries !== null) {
        const reduced: Derived = { entries, mask: mask!, full, facts: undefined };
        if (known !== null) remember(known, key, reduced);
        const copy = this.copyOf(reduced);
        if (request !== null) (copy.beenReducedBy = new Set()).add(request);
        return copy;
      }
    }
    if (known !== null) remember(known, key, UNCHANGED);
    if (request !== null) (this.beenReducedBy ??= new Set()).add(request);
    return this;
  }

  /** Rez's repeated `extract()`: one requirement per remaining common family, in order; the last copy. */
  extractAll(): Slice {
    const names = this.commonFams.names;
    const building = this.solver.settings.building;
    // One whole package (the usual result of a split): its extractions are computed once per package;
    // other whole-package slices once per package set (solves of similar requests meet the same sets).
    const only = this.entries.length === 1 ? this.entries[0]! : null;
    let shared: Extracted | null = null;
    if (only !== null) {
      if (only.full) shared = packageExtractions(only.pkg, building, this.solver.store);
      else if (only.variants.length === 1) shared = variantExtractions(only.variants[0]!, building, this.solver.store);
    } else if (this.full) {
      const facts = this.facts;
      shared = facts.extractions ??= this.extractEvery();
    } else if (this.extractedCount === 0) {
      // several packages, some with only some of their variants: once per such set of variants
      const partial = this.partialFacts;
      shared = partial.extractions ??= this.extractEvery();
    }
    if (shared !== null) return this.extractedCopy(names.length, shared.reducers, shared.reqs);
    // (families extracted before stay marked non-uniform: a safe answer)
    const uniform = new Uint8Array(names.length);
    const reqs = new Array<Requirement>(names.length);
    for (let k = this.extractedCount; k < names.length; k++) reqs[k] = this.extractFamily(k, uniform);
    const reducers = extracted(EMPTY_REQUIREMENTS, uniform, { common: this.commonFams, fams: this.famRequires }).reducers;
    return this.extractedCopy(names.length, reducers, reqs);
  }

  /** The extractions of every common family (for sharing among slices of the same variants). */
  private extractEvery(): Extracted {
    const names = this.commonFams.names;
    const uniform = new Uint8Array(names.length);
    const reqs: Requirement[] = [];
    for (let k = 0; k < names.length; k++) reqs.push(this.extractFamily(k, uniform));
    return extracted(reqs, uniform, { common: this.commonFams, fams: this.famRequires });
  }

  /**
   * On a slice made by extractAll: the requirement extracted on each common family, by position in
   * commonFams (those before the parent's extractedCount were extracted earlier and may be absent).
   */
  extractedReqs: readonly Requirement[] | undefined;

  /** The requirement this slice extracts on its k-th common family: the union of its variants' ranges. */
  private extractFamily(k: number, uniform: Uint8Array): Requirement {
    const building = this.solver.settings.building;
    const fam = this.commonFams.names[k]!;
    const famId = this.commonFams.ids[k]!;
    const summary = this.entries.length > 4 ? this.solver.store.depSummary(this.fid, this.name, famId, fam, building, this.entries.length) : null;
    if (summary !== null && summary.deps.length * (this.mask.length + 1) < this.entries.length) {
      // the distinct requirements of the whole packages (by bitset), then the variants of the others
      const { wholeMask, partial } = this.parts;
      let range: VersionRange | null = null;
      let more: VersionRange[] | null = null;
      const add = (r: VersionRange): void => {
        if (range === null) range = r;
        else if (r !== range) (more ??= []).push(r);
      };
      for (let d = 0; d < summary.deps.length; d++) {
        const m = summary.masks[d]!;
        for (let w = this.maskLo; w < this.maskHi; w++) {
          if ((wholeMask[w]! & m[w]!) !== 0) {
            add(summary.deps[d]!.range!);
            break;
          }
        }
      }
      for (const e of partial) {
        const d = summary.byOrdinal[e.ordinal]!;
        if (d >= 0) add(summary.deps[d]!.range!);
        else {
          const row = summary.byVariant[e.ordinal]!;
          const indexes = variantIndexes(e);
          for (let i = 0; i < indexes.length; i++) add(summary.deps[row[indexes[i]!]!]!.range!);
        }
      }
      if (more === null || this.solver.store.sameSelection(famId, fam, [range!, ...more])) uniform[k] = 1;
      return this.solver.store.extractedRequirement(famId, fam, this.solver.store.unionAll(range!, more));
    }
    const table = this.solver.store.depTable(this.fid, famId, building);
    let first: VersionRange | null = null;
    let ranges: VersionRange[] | null = null;
    let seen: Set<VersionRange> | null = null;
    const byOrdinal = this.entries.length > 1 ? this.solver.store.depSummary(this.fid, this.name, famId, fam, building, this.entries.length) : null;
    if (byOrdinal !== null) byOrdinal.seenGeneration++;
    for (const e of this.entries) {
      const d = byOrdinal !== null ? byOrdinal.byOrdinal[e.ordinal]! : -2;
      if (d >= 0) {
        // the package's one requirement on fam: look at each distinct one once
        if (byOrdinal!.seen[d] === byOrdinal!.seenGeneration) continue;
        byOrdinal!.seen[d] = byOrdinal!.seenGeneration;
        const r = byOrdinal!.deps[d]!.range!;
        if (first === null) first = r;
        else if (r !== first) (ranges ??= []).push(r);
        continue;
      }
      if (byOrdinal !== null) {
        // variants whose requirements differ: each distinct one once, by index in the summary
        const row = byOrdinal.byVariant[e.ordinal]!;
        const indexes = variantIndexes(e);
        for (let i = 0; i < indexes.length; i++) {
          const dep = row[indexes[i]!]!;
          if (byOrdinal.seen[dep] === byOrdinal.seenGeneration) continue;
          byOrdinal.seen[dep] = byOrdinal.seenGeneration;
          const r = byOrdinal.deps[dep]!.range!;
          if (first === null) first = r;
          else if (r !== first) (ranges ??= []).push(r);
        }
        continue;
      }
      for (const v of e.variants) {
        const r = variantDep(table, v, fam, building)!.range!;
        if (r === first) continue;
        if (first === null) {
          first = r;
          continue;
        }
        if (seen === null) seen = new Set([first]);
        if (seen.has(r)) continue;
        seen.add(r);
        (ranges ??= []).push(r);
      }
    }
    // union is order-independent and idempotent, so duplicates by value need no special care
    if (ranges === null || this.solver.store.sameSelection(famId, fam, [first!, ...ranges])) uniform[k] = 1;
    return this.solver.store.extractedRequirement(famId, fam, this.solver.store.unionAll(first!, ranges));
  }

  private partsCache: { readonly wholeMask: Uint32Array; readonly partial: readonly Entry[] } | undefined;
  /** The bitset of this slice's whole packages, and its entries holding only some of their package's variants. */
  private get parts(): { readonly wholeMask: Uint32Array; readonly partial: readonly Entry[] } {
    if (this.partsCache === undefined) {
      if (this.full) this.partsCache = { wholeMask: this.mask, partial: [] };
      else {
        const wholeMask = this.mask.slice();
        const partial: Entry[] = [];
        for (const e of this.entries) {
          if (e.full) continue;
          partial.push(e);
          wholeMask[e.ordinal >>> 5]! &= ~(1 << (e.ordinal & 31));
        }
        this.partsCache = { wholeMask, partial };
      }
    }
    return this.partsCache;
  }

  /** Rez's copy.copy after extraction (caches shared), with `extracted` families extracted. */
  private extractedCopy(extracted: number, reducers: Uint32Array, reqs: readonly Requirement[]): Slice {
    const s = new Slice(this.solver, this.name, this.entries, this.beenReducedBy, this.fid, this.family);
    s.extractedReqs = reqs;
    s.sorted = this.sorted;
    s.maskCache = this.maskCache;
    s.maskLo = this.maskLo;
    s.maskHi = this.maskHi;
    s.fullCache = this.fullCache;
    s.lenCache = this.lenCache;
    s.rangeCache = this.rangeCache;
    s.commonFamsCache = this.commonFamsCache;
    s.famRequiresCache = this.famRequiresCache;
    s.factsCache = this.factsCache;
    s.origin = this.origin;
    s.partsCache = this.partsCache;
    s.partialCache = this.partialCache;
    s.entryFactsCache = this.entryFactsCache;
    s.within = this.within;
    s.withinToo = this.withinToo;
    s.extractedCount = extracted;
    s.reducers = reducers;
    return s;
  }

  private sortVersions(): void {
    if (this.sorted) return;
    const orderer = this.solver.settings.orderers.get(this.name);
    if (orderer instanceof SortedOrder && orderer.descending) {
      // the default: descending versions (stable, as Python's sort with reverse=True)
      const rank = this.solver.store.versionRanks(this.name, this.family);
      this.entries = this.entries.slice().sort((a, b) => rank[b.ordinal]! - rank[a.ordinal]!);
      this.entryFactsCache = undefined;
      this.sorted = true;
      return;
    }
    const store = this.solver.store;
    const keyed = this.entries.map((e) => ({ e, k: orderer.keyFor(this.name, e.pkg.version, store) }));
    keyed.sort((a, b) => compareKeys(b.k, a.k));
    this.entries = keyed.map((x) => x.e);
    this.entryFactsCache = undefined;
    this.sorted = true;
  }

  /**
   * The second half of split(): the variants after the first `nVariants` of entry `iEntry`. Made only when a
   * phase needs it (after the first half failed), from this slice, whose order split() has fixed.
   */
  splitRest(iEntry: number, nVariants: number): Slice {
    this.sortVersions();
    const entry = this.entries[iEntry]!;
    if (nVariants < entry.variants.length) {
      const b: Entry = makeEntry(entry.pkg, entry.variants.slice(nVariants), true, false);
      return this.copyWith([b, ...this.entries.slice(iEntry + 1)]);
    }
    return this.copyWith(this.entries.slice(iEntry + 1));
  }

  /** Rez's split: the first half, ending after the first `nVariants` variants of entry `iEntry`. */
  split(): { first: Slice; iEntry: number; nVariants: number } {
    const orderer = this.solver.settings.orderers.get(this.name);
    const byVersion = orderer instanceof SortedOrder && orderer.descending;
    if (!byVersion) return this.splitNow(false);
    // in the default order, a split depends only on the entries (and whether their common families are
    // extracted): known from an earlier slice of them
    const known = (this.entryFacts.splits ??= []);
    const slot = (this.solver.settings.building ? 2 : 0) + (this.extractedCount > 0 ? 1 : 0);
    let split = known[slot];
    if (split === undefined) {
      const { first, iEntry, nVariants } = this.splitNow(true);
      split = known[slot] = { first: { entries: first.entries, mask: first.mask, full: first.full, facts: undefined }, sorted: first.sorted, iEntry, nVariants };
      first.origin = split.first;
      return { first, iEntry, nVariants };
    }
    const first = this.copyOf(split.first);
    first.sorted = split.sorted;
    return { first, iEntry: split.iEntry, nVariants: split.nVariants };
  }

  private splitNow(byVersion: boolean): { first: Slice; iEntry: number; nVariants: number } {
    // With the default order the first entry is the highest version: found without sorting, as most splits
    // take just that entry (the rest is sorted if the second half is ever made, see splitRest).
    let top = 0;
    if (!this.sorted && byVersion) {
      // over the bitset (ascending ordinals, the order of an unsorted slice's entries): no entry is loaded
      // (a function of the package set: kept on its facts when this slice has them already)
      const facts = this.factsCache;
      let bestOrdinal = facts === undefined ? -1 : facts.topOrdinal;
      if (bestOrdinal < 0) bestOrdinal = this.topOrdinal();
      if (facts !== undefined) facts.topOrdinal = bestOrdinal;
      // entries ascend by ordinal: binary search
      let lo = 0;
      let hi = this.entries.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.entries[mid]!.ordinal < bestOrdinal) lo = mid + 1;
        else hi = mid;
      }
      top = lo;
      if (this.entries[top]!.ordinal !== bestOrdinal) throw new ResolveError(`Unexpected solver error: slice ${this.name} out of order`);
    } else this.sortVersions();
    const building = this.solver.settings.building;
    const topEntry = this.entries[top]!;
    this.solver.sortEntry(topEntry);
    // the first variant's families not extracted yet (as ids, in its requirement order)
    let fams: number[] | null = null;
    // (common families are in every variant: when the first variant has no others, and they are extracted,
    // none is left; family sets are interned, so that is one comparison)
    const first = topEntry.variants[0]!;
    const allExtracted = this.extractedCount > 0 && variantFamInfo(first, building).common === this.commonFams;
    if (!allExtracted && (this.entries.length > 2 || this.length > 2)) {
      // extraction takes all common families at once: a slice has extracted none or all of them
      const extracted = this.extractedCount > 0 ? this.commonFams : null;
      for (const id of requirementIds(first, building)) {
        if (extracted === null || !extracted.hasId(id)) (fams ??= []).push(id);
      }
    }
    if (fams === null) return this.firstHalf([], topEntry, 0, 1);
    this.sortVersions();
    let prevEntry = -1;
    let prevVariants = 0;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      this.solver.sortEntry(entry);
      for (let j = 0; j < entry.variants.length; j++) {
        const names = variantFamInfo(entry.variants[j]!, building).common;
        let kept = 0;
        for (const id of fams) if (names.hasId(id)) fams[kept++] = id;
        if (kept !== fams.length) fams.length = kept;
        if (kept === 0) return this.firstHalf(this.entries.slice(0, prevEntry), this.entries[prevEntry]!, prevEntry, prevVariants);
        prevEntry = i;
        prevVariants = j + 1;
      }
    }
    throw new ResolveError(
      `Unexpected solver error: common family(s) still in slice being split: slice: ${this.name}, family(s): ${fams.map((fid) => this.solver.store.interner.name(fid)).join(", ")}`,
    );
  }

  /** The package of the highest version (the first of equal ones by ordinal), over the bitset. */
  private topOrdinal(): number {
    const rank = this.solver.store.versionRanks(this.name, this.family);
    const mask = this.mask;
    let best = -1;
    let bestOrdinal = -1;
    for (let w = this.maskLo; w < this.maskHi; w++) {
      let bits = mask[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const ordinal = (w << 5) + 31 - Math.clz32(low);
        // the first of equal ranks, as the stable sort would put it
        if (rank[ordinal]! > best) {
          best = rank[ordinal]!;
          bestOrdinal = ordinal;
        }
      }
    }
    return bestOrdinal;
  }

  /**
   * The first half of a split: the entries `before`, then the first `nVariants` variants of `entry`, which is
   * entry `iEntry` in sorted order (for splitRest).
   */
  private firstHalf(before: Entry[], entry: Entry, iEntry: number, nVariants: number): { first: Slice; iEntry: number; nVariants: number } {
    let last = entry;
    if (nVariants < entry.variants.length) {
      this.solver.sortEntry(entry);
      last = makeEntry(entry.pkg, entry.variants.slice(0, nVariants), true, false);
    }
    before.push(last);
    return { first: this.copyWith(before), iEntry, nVariants };
  }

  toString(): string {
    const n = this.length;
    const nv = this.entries.length;
    let s: string;
    if (n === 1) {
      const v = this.firstVariant;
      s = `[${this.name}==${v.version.toString()}${v.index === null ? "" : `[${v.index}]`}]`;
    } else if (nv === 1) {
      const e = this.entries[0]!;
      const idx = e.variants.map((v) => v.index ?? -1).sort((a, b) => a - b);
      s = `[${this.name}==${e.pkg.version.toString()}[${idx.join(",")}]]`;
    } else {
      const vs = nv === n ? `${n}` : `${nv}:${n}`;
      s = `${this.name}[${this.range.span().toString()}(${vs})]`;
    }
    return s + (this.extractable ? "*" : "");
  }
}
