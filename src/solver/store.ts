// The family store: loaded families as solver packages and variants, shared between resolves against the
// same source, with the per-family tables (requirements, ranges, facts) every solve reuses.
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { Requirement, type RequirementList, type Version, type VersionRange } from "../version/index.js";
import { sameBits } from "./bits.js";
import { type DepSummary, type DepTable, type Entry, type EntryFacts, type Extracted, type InfoSummary, packageFamInfo, type SharedIntersections, type SliceFacts, SliceFactTable } from "./facts.js";
import { FamilyInterner, type FamInfo } from "./intern.js";
import { remember } from "./memo.js";
import { type FamilyRecord, familyRecord, isLate, makePackageRecord, type PackageRecord, sharedPackageRecord, stringList, type VersionOrder } from "./record.js";
import type { OrdererFamilyInfo, OrderKey } from "./orderers.js";
import { type LateAttributeEvaluator, type PackageFamilySource, ResolveError } from "./source.js";

/** A requirement list of a family's variants, parsed once per store, with the facts that depend only on it. */
export interface ListFacts {
  readonly list: RequirementList;
  /** variantFamInfo's, for every variant with this list. */
  info: FamInfo | undefined;
  /** requirementIds', likewise. */
  ids: readonly number[] | undefined;
}

export class SolverVariant {
  // one field per mode (not a pair array): one pointer hop less in hot loops
  private reqs: RequirementList | undefined = undefined;
  private buildReqs: RequirementList | undefined = undefined;
  /** variantFamInfo's cache, per mode. */
  famInfo: FamInfo | undefined = undefined;
  buildFamInfo: FamInfo | undefined = undefined;
  /** requirementIds' cache, per mode. */
  requirementIds: readonly number[] | undefined = undefined;
  buildRequirementIds: readonly number[] | undefined = undefined;
  /** variantExtractions' cache, per mode. */
  extractions: Extracted | undefined = undefined;
  buildExtractions: Extracted | undefined = undefined;
  constructor(
    readonly pkg: SolverPackage,
    readonly index: number | null,
  ) {}
  get name(): string {
    return this.pkg.name;
  }
  get version(): Version {
    return this.pkg.version;
  }
  private uriText: string | undefined;
  get uri(): string {
    return (this.uriText ??= `${this.pkg.definition.file}[${this.index === null ? "" : this.index}]`);
  }
  requiresList(building: boolean): RequirementList {
    let list = building ? this.buildReqs : this.reqs;
    if (list === undefined) {
      list = this.pkg.record.list(this.index ?? 0, building);
      if (list.conflict) {
        throw new ResolveError(
          `The package ${this.toString()} has an internal requirements conflict: ${list.toString()}`,
        );
      }
      if (building) this.buildReqs = list;
      else this.reqs = list;
    }
    return list;
  }

  /** What is known of this variant's requirement list in this store, shared with the family's variants having the same. */
  sharedList(building: boolean): ListFacts {
    let facts = building ? this.buildListFacts : this.listFacts;
    if (facts === undefined) {
      const list = this.requiresList(building);
      const lists = this.pkg.lists;
      facts = lists.get(list);
      if (facts === undefined) lists.set(list, (facts = { list, info: undefined, ids: undefined }));
      if (building) this.buildListFacts = facts;
      else this.listFacts = facts;
    }
    return facts;
  }
  private listFacts: ListFacts | undefined = undefined;
  private buildListFacts: ListFacts | undefined = undefined;
  toString(): string {
    const vs = this.version.isEmpty ? this.name : `${this.name}-${this.version.toString()}`;
    return `${vs}[${this.index === null ? "" : this.index}]`;
  }
}

export class SolverPackage {
  readonly version: Version;
  readonly timestamp: number;
  readonly variants: readonly SolverVariant[];
  /** Position in its family's package list (FamilyStore), for per-family tables and bitsets. */
  ordinal = 0;
  /** Its first variant's position among all its family's variants (in package order), for per-variant tables. */
  firstSlot = 0;
  // One field per building flag, not a pair array: a fresh solve makes tens of thousands of packages.
  private plainEntry: Entry | undefined = undefined;
  private buildingEntry: Entry | undefined = undefined;
  private plainFamInfo: FamInfo | undefined = undefined;
  private buildingFamInfo: FamInfo | undefined = undefined;
  private plainExtraction: Extracted | undefined = undefined;
  private buildingExtraction: Extracted | undefined = undefined;
  // Made on first use: most packages a store loads are never looked at this closely.
  private sortedEntryTable: (Entry | undefined)[] | undefined = undefined;
  /** The solver entry for a one-variant package, shared by every solve (per building flag: it caches families). */
  sharedEntry(building: number): Entry | undefined {
    return building ? this.buildingEntry : this.plainEntry;
  }
  keepSharedEntry(building: number, entry: Entry): Entry {
    if (building) this.buildingEntry = entry;
    else this.plainEntry = entry;
    return entry;
  }
  /** Families common to / mentioned by all variants (filled by the solver). */
  famInfo(building: boolean): FamInfo | undefined {
    return building ? this.buildingFamInfo : this.plainFamInfo;
  }
  keepFamInfo(building: boolean, info: FamInfo): FamInfo {
    if (building) this.buildingFamInfo = info;
    else this.plainFamInfo = info;
    return info;
  }
  /** What a slice of just this package extracts (filled by the solver). */
  extraction(building: boolean): Extracted | undefined {
    return building ? this.buildingExtraction : this.plainExtraction;
  }
  keepExtraction(building: boolean, extraction: Extracted): Extracted {
    if (building) this.buildingExtraction = extraction;
    else this.plainExtraction = extraction;
    return extraction;
  }
  /** Entries of all variants in the order of solves whose requests do not mention them, by building + 2 * mode. */
  get sortedEntries(): (Entry | undefined)[] {
    return (this.sortedEntryTable ??= [undefined, undefined, undefined, undefined]);
  }
  /** Entries of all variants sorted for solves whose requests mention some of the families they require, by request projection. */
  projectedEntries: Map<string, Entry> | undefined = undefined;
  constructor(
    /** The store's interner: the ids and family sets of this package's facts are its. */
    readonly interner: FamilyInterner,
    readonly name: string,
    /** What the solver reads of the definition (shared by stores over the same loaded family). */
    readonly record: PackageRecord,
    /** The family's requirement lists in this store, with their facts (see SolverVariant.sharedList). */
    readonly lists: Map<RequirementList, ListFacts>,
  ) {
    this.definition = record.definition;
    this.version = record.version;
    this.timestamp = record.timestamp;
    const variants = record.variants;
    this.variants = variants === null ? [new SolverVariant(this, null)] : variants.map((_, i) => new SolverVariant(this, i));
  }
  readonly definition: PackageDefinition;
  get requires(): readonly string[] {
    return this.record.requires;
  }
  get buildRequires(): readonly string[] {
    return this.record.buildRequires;
  }
}

/**
 * The length of a per-family table by family id that must hold `id`: doubled as it grows (a family meets a
 * few dependency families, and a table sized for every family the store knows would be mostly empty).
 */
/**
 * What making a summary costs beyond its pass over the packages, in packages walked: it holds a dozen small
 * arrays, so a family of a few packages gets one only once it has been walked a few dozen times.
 */
const SUMMARY_OVERHEAD = 32;

function grownSize(table: { readonly length: number } | undefined, id: number): number {
  return Math.max(id + 1, table === undefined ? 16 : table.length * 2);
}

/**
 * Loaded families, shared between resolves against the same source (so warm resolves load nothing).
 * Families are loaded only when a resolve touches them.
 */
export class FamilyStore implements OrdererFamilyInfo {
  private readonly families = new Map<string, readonly SolverPackage[] | null>();
  /** Family ids and family sets of this store's facts and tables. */
  readonly interner = new FamilyInterner();
  private readonly pending = new Map<string, Promise<void>>();
  constructor(
    readonly source: PackageFamilySource,
    private readonly evaluateLate?: LateAttributeEvaluator,
  ) {}

  has(name: string): boolean {
    return this.families.has(name);
  }

  /** Loaded packages of a family; null when the family does not exist. */
  get(name: string): readonly SolverPackage[] | null {
    const f = this.families.get(name);
    if (f === undefined) throw new Error(`internal: family '${name}' used before it was loaded`);
    return f;
  }

  packages(name: string): readonly { readonly version: Version; readonly timestamp: number }[] {
    return this.families.get(name) ?? [];
  }

  private readonly depTables: ((DepTable | undefined)[] | undefined)[][] = [[], []];
  private readonly depSummaries: ((DepSummary | null | undefined)[] | undefined)[][] = [[], []];

  /**
   * Per package of family `fid` (by ordinal), per variant (by index): its requirement on `dep` (or undefined),
   * filled lazily so only packages a solve touches have their requirements parsed.
   */
  depTable(fid: number, depFid: number, building: boolean): DepTable {
    const byFamily = this.depTables[building ? 1 : 0]!;
    let tables = byFamily[fid];
    if (tables === undefined || depFid >= tables.length) {
      const bigger = new Array<DepTable | undefined>(grownSize(tables, depFid)).fill(undefined);
      if (tables !== undefined) for (let i = 0; i < tables.length; i++) bigger[i] = tables[i];
      byFamily[fid] = tables = bigger;
    }
    let table = tables[depFid];
    if (table === undefined) {
      const pkgs = this.families.get(this.interner.name(fid));
      const last = pkgs ? pkgs[pkgs.length - 1] : undefined;
      // (sized once: holes are "not asked yet", and a table grown by far writes would turn into a dictionary)
      tables[depFid] = table = new Array<Requirement | null | undefined>(last ? last.firstSlot + last.variants.length : 0);
    }
    return table;
  }

  private readonly depSummaryWork: (Int32Array | undefined)[][] = [[], []];
  private readonly infoSummaryWork: (Int32Array | undefined)[][] = [[], []];

  /**
   * Whether to build a whole-family summary now. A summary costs a pass over all `size` packages of the
   * family (parsing every requirement list), and spares each later slice a walk over its own `entries`:
   * so it is built once the slices asking for it (this one included) have held more than `size` packages
   * (plus SUMMARY_OVERHEAD) in all. A solve that looks at a few packages of a big family never pays for the
   * rest; a fresh store pays at most about twice what it would with summaries made in advance; a warm one
   * finds them made.
   */
  private worthBuilding(work: (Int32Array | undefined)[][], building: boolean, fid: number, key: number, entries: number, size: number): boolean {
    const byFamily = work[building ? 1 : 0]!;
    let counts = byFamily[fid];
    if (counts === undefined || key >= counts.length) {
      const bigger = new Int32Array(grownSize(counts, key));
      if (counts !== undefined) bigger.set(counts);
      byFamily[fid] = counts = bigger;
    }
    const done = counts[key]! + entries;
    counts[key] = done;
    return done > size + SUMMARY_OVERHEAD;
  }

  /**
   * The distinct requirements on family `depName` among all packages of family `name`, each with the bitset
   * of packages (ordinals) having it in some variant; null when some package's requirements cannot be read
   * (then callers look at the variants themselves, so errors surface only where Rez would raise them).
   */
  depSummary(fid: number, name: string, depFid: number, depName: string, building: boolean, entries: number): DepSummary | null {
    const byFamily = this.depSummaries[building ? 1 : 0]!;
    let summaries = byFamily[fid];
    if (summaries === undefined || depFid >= summaries.length) {
      const bigger = new Array<DepSummary | null | undefined>(grownSize(summaries, depFid)).fill(undefined);
      if (summaries !== undefined) for (let i = 0; i < summaries.length; i++) bigger[i] = summaries[i];
      byFamily[fid] = summaries = bigger;
    }
    let summary = summaries[depFid];
    if (summary === undefined) {
      const pkgs = this.families.get(name);
      // Built once the slices asking have held as many packages as the family has (see worthBuilding).
      if (pkgs && !this.worthBuilding(this.depSummaryWork, building, fid, depFid, entries, pkgs.length)) return null;
      summary = null;
      if (pkgs) {
        const byDep = new Map<Requirement, Uint32Array>();
        const words = (pkgs.length + 31) >>> 5;
        const pkgDep: (Requirement | null | undefined)[] = [];
        try {
          for (const pkg of pkgs) {
            let one: Requirement | null | undefined;
            for (let i = 0; i < pkg.variants.length; i++) {
              const v = pkg.variants[i]!;
              // (not through the dependency table: its rows are for walks without a summary)
              const dep = v.requiresList(building).get(depName);
              if (i === 0) one = dep;
              else if (one !== dep) one = null;
              if (dep === undefined) continue;
              let mask = byDep.get(dep);
              if (mask === undefined) byDep.set(dep, (mask = new Uint32Array(words)));
              mask[pkg.ordinal >>> 5]! |= 1 << (pkg.ordinal & 31);
            }
            pkgDep.push(one);
          }
          const deps = [...byDep.keys()];
          const position = new Map(deps.map((d, i) => [d, i]));
          const byOrdinal = new Int32Array(pkgs.length);
          const byVariant: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(pkgs.length).fill(undefined);
          for (let i = 0; i < pkgs.length; i++) {
            const one = pkgDep[i];
            byOrdinal[i] = one === undefined ? -1 : one === null ? -2 : position.get(one)!;
            if (one === null) {
              const variants = pkgs[i]!.variants;
              const row = new Int32Array(variants.length);
              for (let k = 0; k < variants.length; k++) {
                const dep = variants[k]!.requiresList(building).get(depName);
                row[variants[k]!.index ?? 0] = dep === undefined ? -1 : position.get(dep)!;
              }
              byVariant[i] = row;
            }
          }
          summary = { deps, masks: [...byDep.values()], byOrdinal, byVariant, verdicts: new Uint8Array(deps.length), stamps: new Uint32Array(deps.length), generation: 1, verdictsFor: null, seen: new Uint32Array(deps.length), seenGeneration: 0, rangeMasks: new Array<Uint32Array | undefined>(deps.length).fill(undefined), conflictBits: { bits: new Uint32Array(words), lo: 0, hi: 0 }, conflictStamp: 0, conflictsByMask: new Map(), lastMaskId: -1, lastConflicts: null };
        } catch {
          summary = null;
        }
      }
      summaries[depFid] = summary;
    }
    return summary;
  }

  /** Bitset over family `fid`'s packages (by ordinal): those whose version is in `range` (the family is loaded). */
  rangeMask(fid: number, name: string, range: VersionRange): Uint32Array {
    return this.rangeBits(fid, name, this.families.get(name)!, range);
  }

  /**
   * True when the ranges select the same packages of family `name`, which must be loaded (else false). Then
   * requirements with these ranges act alike in reductions (which compare package sets), as one range would.
   */
  sameSelection(fid: number, name: string, ranges: readonly VersionRange[]): boolean {
    if (!this.families.get(name)) return false;
    const first = this.rangeMask(fid, name, ranges[0]!);
    for (let i = 1; i < ranges.length; i++) if (!sameBits(first, this.rangeMask(fid, name, ranges[i]!))) return false;
    return true;
  }

  private readonly sliceFactTables: (SliceFactTable | undefined)[][] = [[], []];

  /** Facts about a set of whole packages of family `fid` (bitset `mask`), shared by every solve. */
  sliceFacts(fid: number, building: boolean, mask: Uint32Array): SliceFacts {
    const tables = this.sliceFactTables[building ? 1 : 0]!;
    let table = tables[fid];
    if (table === undefined) tables[fid] = table = new SliceFactTable();
    return table.get(mask);
  }

  private readonly infoSummaries: (InfoSummary | null | undefined)[][] = [[], []];

  /** The distinct FamInfos of a family's packages (all variants), each with its packages' bitset; null as depSummary. */
  infoSummary(fid: number, name: string, building: boolean, entries: number): InfoSummary | null {
    const byFamily = this.infoSummaries[building ? 1 : 0]!;
    let summary = byFamily[fid];
    if (summary === undefined) {
      const pkgs = this.families.get(name);
      if (pkgs && !this.worthBuilding(this.infoSummaryWork, building, 0, fid, entries, pkgs.length)) return null;
      summary = null;
      if (pkgs) {
        const words = (pkgs.length + 31) >>> 5;
        const byInfo = new Map<FamInfo, Uint32Array>();
        try {
          for (const pkg of pkgs) {
            const info = packageFamInfo(pkg, building);
            let mask = byInfo.get(info);
            if (mask === undefined) byInfo.set(info, (mask = new Uint32Array(words)));
            mask[pkg.ordinal >>> 5]! |= 1 << (pkg.ordinal & 31);
          }
          summary = { infos: [...byInfo.keys()], masks: [...byInfo.values()] };
        } catch {
          summary = null;
        }
      }
      byFamily[fid] = summary;
    }
    return summary;
  }

  private readonly intersectionTables: SharedIntersections[][] = [[], [], [], []];

  /** Family intersections shared by solves (see FamilyList.intersection); slot: see Solver.sharedSlot. */
  sharedIntersections(fid: number, slot: number): SharedIntersections {
    const tables = this.intersectionTables[slot]!;
    return (tables[fid] ??= { byKey: new Map(), byObject: new Map() });
  }

  private readonly entryTable = new Map<readonly Entry[], EntryFacts>();

  /**
   * What is known of slices with these very entries, from earlier slices of them in any solve. Entry lists
   * are never changed once made, and the entries of lists that solves share are sorted (never changed
   * either), so a result holds for any slice of the list; and results reuse lists, so one shared list leads
   * to others.
   */
  entryFacts(entries: readonly Entry[]): EntryFacts {
    let facts = this.entryTable.get(entries);
    if (facts === undefined) {
      const fresh: EntryFacts = { reductions: new Map(), narrowed: undefined, splits: undefined, partial: [undefined, undefined] };
      facts = remember(this.entryTable, entries, fresh, 16384);
    }
    return facts;
  }

  private readonly variantKeyTables = new Map<string, Map<SolverVariant, OrderKey>>();

  /** Variant preference keys shared by solves with the same request shape (see Solver.variantKeys). */
  variantKeys(signature: string): Map<SolverVariant, OrderKey> {
    let table = this.variantKeyTables.get(signature);
    if (table === undefined) {
      // (one table per request shape)
      table = remember(this.variantKeyTables, signature, new Map(), 1024);
    }
    return table;
  }

  /** Each loaded family's record (see record.ts). */
  private readonly records = new Map<string, FamilyRecord>();

  /** A family's package indices ordered by version (ties in list order), with their version keys. */
  versionOrder(name: string, packages: readonly SolverPackage[]): VersionOrder {
    return this.records.get(name)!.versionOrder(packages);
  }

  /** Per package ordinal: its version's rank in the family (equal versions share a rank), for fast sorts. */
  versionRanks(name: string, packages: readonly SolverPackage[]): Int32Array {
    return this.records.get(name)!.versionRanks(packages);
  }

  private readonly rangeIndexTables: (Map<string, Int32Array> | undefined)[] = [];

  /**
   * Indices (ascending: repository order) of a family's packages whose version is in `range`, shared by
   * every solve; interval searches over the version-sorted keys.
   */
  packagesInRange(fid: number, name: string, packages: readonly SolverPackage[], range: VersionRange): Int32Array {
    let table = this.rangeIndexTables[fid];
    if (table === undefined) this.rangeIndexTables[fid] = table = new Map();
    let indices = table.get(range.key);
    if (indices === undefined) {
      const picked: number[] = [];
      this.forEachInRange(name, packages, range, (i) => picked.push(i));
      indices = Int32Array.from(picked).sort();
      remember(table, range.key, indices, 4096);
    }
    return indices;
  }

  /** Calls `visit` with the index of each of a family's packages whose version is in `range` (in version order). */
  private forEachInRange(name: string, packages: readonly SolverPackage[], range: VersionRange, visit: (index: number) => void): void {
    const { order, keys } = this.versionOrder(name, packages);
    // first position whose key is above `key` (or at it, when `atKey`)
    const search = (key: string, atKey: boolean): number => {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const k = keys[mid]!;
        if (k < key || (k === key && !atKey)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    for (const b of range.bounds) {
      const from = search(b.lower.version.key, b.lower.inclusive);
      const to = search(b.upper.version.key, !b.upper.inclusive);
      for (let p = from; p < to; p++) visit(order[p]!);
    }
  }

  private readonly rangeBitTables: (Map<string, Uint32Array> | undefined)[] = [];
  /** rangeBits by range object: requirement ranges are shared objects, found without hashing their keys. */
  private readonly rangeBitsByObject: (Map<VersionRange, Uint32Array> | undefined)[] = [];

  /** packagesInRange as a bitset over the family's packages (by ordinal). */
  rangeBits(fid: number, name: string, packages: readonly SolverPackage[], range: VersionRange): Uint32Array {
    let byObject = this.rangeBitsByObject[fid];
    if (byObject === undefined) this.rangeBitsByObject[fid] = byObject = new Map();
    let bits = byObject.get(range);
    if (bits !== undefined) return bits;
    let table = this.rangeBitTables[fid];
    if (table === undefined) this.rangeBitTables[fid] = table = new Map();
    bits = table.get(range.key);
    if (bits === undefined) {
      bits = new Uint32Array((packages.length + 31) >>> 5);
      const b = bits;
      // (straight from the version search: no index list to sort and keep)
      this.forEachInRange(name, packages, range, (i) => (b[i >>> 5]! |= 1 << (i & 31)));
      remember(table, range.key, bits, 4096);
    }
    remember(byObject, range, bits, 4096);
    return bits;
  }

  /**
   * Extraction unions the same few ranges over and over: pairwise unions are memoised, and the requirement on
   * a family with a given range is one shared object, so merges and scope intersections can test identity.
   * (Folding pairwise gives the same normalised range as one n-way union.)
   */
  // (a Map, bounded, rather than a WeakMap: V8's weak tables are much slower to look up)
  private readonly unionMemo = new Map<VersionRange, Map<VersionRange, VersionRange>>();

  private unionOf(a: VersionRange, b: VersionRange): VersionRange {
    if (a === b) return a;
    const byOther = this.unionMemo.get(a) ?? remember(this.unionMemo, a, new Map<VersionRange, VersionRange>(), 16384);
    let u = byOther.get(b);
    if (u === undefined) byOther.set(b, (u = a.union(b)));
    return u;
  }

  unionAll(first: VersionRange, rest: readonly VersionRange[] | null): VersionRange {
    let u = first;
    if (rest !== null) for (let i = 0; i < rest.length; i++) u = this.unionOf(u, rest[i]!);
    return u;
  }

  private readonly extractedRequirements: (Map<VersionRange, Requirement> | undefined)[] = [];

  /** The (shared) requirement `fam-range` of an extraction; `fid` is fam's id in this store's interner. */
  extractedRequirement(fid: number, fam: string, range: VersionRange): Requirement {
    let byRange = this.extractedRequirements[fid];
    if (byRange === undefined) this.extractedRequirements[fid] = byRange = new Map();
    let req = byRange.get(range);
    if (req === undefined) byRange.set(range, (req = Requirement.construct(fam, range)));
    return req;
  }

  /** Loads the families not loaded yet; `signal` gives up the late evaluations of the loads it starts. */
  async ensure(names: Iterable<string>, signal?: AbortSignal): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const name of names) {
      if (this.families.has(name)) continue;
      let p = this.pending.get(name);
      if (!p) {
        const started = (p = this.load(name, signal));
        this.pending.set(name, started);
        // a load given up is forgotten (a later resolve loads the family again); its failure is nobody's
        if (signal) started.catch(() => signal.aborted && this.pending.get(name) === started && this.pending.delete(name));
      }
      waits.push(p);
    }
    if (waits.length) await Promise.all(waits);
  }

  private async load(name: string, signal: AbortSignal | undefined): Promise<void> {
    if (name.startsWith(".")) {
      this.families.set(name, null);
      return;
    }
    const defs = await this.source.getFamily(name);
    if (!defs || defs.length === 0) {
      this.families.set(name, null);
      return;
    }
    const pkgs: SolverPackage[] = [];
    const family = familyRecord(defs);
    this.records.set(name, family);
    const lists = new Map<RequirementList, ListFacts>();
    for (const def of defs) {
      const record = sharedPackageRecord(family, def) ?? (await this.lateRecord(family, def, signal));
      const pkg = new SolverPackage(this.interner, name, record, lists);
      pkg.ordinal = pkgs.length;
      const previous = pkgs[pkgs.length - 1];
      if (previous !== undefined) pkg.firstSlot = previous.firstSlot + previous.variants.length;
      pkgs.push(pkg);
    }
    this.families.set(name, pkgs);
  }

  private async attr(def: PackageDefinition, key: string, signal: AbortSignal | undefined): Promise<PackageValue | undefined> {
    const value = def.attributes[key];
    if (isLate(value)) {
      if (!this.evaluateLate) {
        throw new ResolveError(`${def.file}: late-bound '${key}' needs a Python evaluator`);
      }
      return this.evaluateLate(def, key, signal);
    }
    return value;
  }

  /** The record of a definition with late-bound requirements, evaluated for this store. */
  private async lateRecord(family: FamilyRecord, def: PackageDefinition, signal: AbortSignal | undefined): Promise<PackageRecord> {
    // (shapes checked as each value comes, so a bad one fails before the next is evaluated)
    const requires = stringList(await this.attr(def, "requires", signal), "requires", def);
    const buildRequires = stringList(await this.attr(def, "build_requires", signal), "build_requires", def);
    const variants = await this.attr(def, "variants", signal);
    return makePackageRecord(family, def, requires, buildRequires, variants);
  }
}
