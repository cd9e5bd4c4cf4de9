// The Rez resolve algorithm (solver.py, SOLVER_VERSION 2, optimised mode), reproduced step for step:
// phases on a stack, scopes per family, extraction / intersection / reduction, splitting, finalise.
import { PkgError, type ErrorCode, type PkgErrorOptions } from "../errors/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { DependencyConflict, Reduction, type FailureReason } from "./failures.js";
import { remember } from "./memo.js";
import type { PackageFilterList } from "./filters.js";
import { compareKeys, PackageOrderList, rangeSortKey, SortedOrder, type OrderKey, type OrdererFamilyInfo } from "./orderers.js";
import {
  parsePkgRsRequirement,
  parseRequirement,
  Requirement,
  RequirementList,
  Version,
  VersionRange,
} from "../version/index.js";

// ------------------------------------------------------------------------------------------------
// Errors that end a resolve with status "error" (Rez raises these out of the solve).

export class ResolveError extends PkgError {
  override name = "ResolveError";
  constructor(message: string, options?: PkgErrorOptions, code: ErrorCode = "PKG0009") {
    super(code, message, options);
  }
}
export class PackageFamilyNotFoundError extends ResolveError {
  override name = "PackageFamilyNotFoundError";
  constructor(message: string, options?: PkgErrorOptions) {
    super(message, options, "PKG0006");
  }
}
export class PackageNotFoundError extends ResolveError {
  override name = "PackageNotFoundError";
  constructor(message: string, options?: PkgErrorOptions) {
    super(message, options, "PKG0010");
  }
}

// ------------------------------------------------------------------------------------------------
// Package source

/** What the solver needs from a repository: the packages of one family, loaded on first use. */
export interface PackageFamilySource {
  getFamily(
    name: string,
  ): Promise<readonly PackageDefinition[] | undefined> | readonly PackageDefinition[] | undefined;
  /** Shown in "package family not found" messages. */
  readonly searchedPaths: readonly string[];
}

/**
 * Evaluates a late-bound attribute (`@late` requires / variants / build_requires) of a package. `signal`
 * aborts when the resolve gives up waiting (its time limit): the evaluation should stop and reject.
 */
export type LateAttributeEvaluator = (definition: PackageDefinition, attribute: string, signal?: AbortSignal) => Promise<PackageValue>;

function stringList(value: PackageValue | undefined, what: string, def: PackageDefinition): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ResolveError(`${def.file}: '${what}' must be a list of strings`);
  return value.map((v) => {
    if (typeof v !== "string") throw new ResolveError(`${def.file}: '${what}' must be a list of strings`);
    return v;
  });
}

function isLate(value: PackageValue | undefined): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === "source";
}

/** Bit `i` of a bitset (false beyond its end). */
function hasBit(bits: Uint32Array, i: number): boolean {
  const w = i >>> 5;
  return w < bits.length && (bits[w]! & (1 << (i & 31))) !== 0;
}

/** Grows an integer table to at least `n` entries (keeping them), at least doubling it. */
function ensureLength(table: Int32Array, n: number): Int32Array {
  if (n <= table.length) return table;
  const bigger = new Int32Array(Math.max(n, table.length * 2));
  bigger.set(table);
  return bigger;
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
    private readonly variantRequires: readonly string[],
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
      const strs = [...this.pkg.requires, ...this.variantRequires, ...(building ? this.pkg.buildRequires : [])];
      const parse = this.pkg.definition.format === "pkg-rs" || this.pkg.definition.format === "toolset" ? parsePkgRsRequirement : parseRequirement;
      list = new RequirementList(strs.map((s) => parse(s)));
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
  /** The solver entry for a one-variant package, shared by every solve (per building flag: it caches families). */
  readonly sharedEntries: [Entry | undefined, Entry | undefined] = [undefined, undefined];
  /** Families common to / mentioned by all variants, per building flag (filled by the solver). */
  readonly famInfo: [FamInfo | undefined, FamInfo | undefined] = [undefined, undefined];
  /** Entries of all variants in the order of solves whose requests do not mention them, by building + 2 * mode. */
  readonly sortedEntries: (Entry | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Entries of all variants sorted for solves whose requests mention some of the families they require, by request projection. */
  projectedEntries: Map<string, Entry> | undefined = undefined;
  /** What a slice of just this package extracts, per building flag (filled by the solver). */
  readonly extractions: [Extracted | undefined, Extracted | undefined] = [undefined, undefined];
  constructor(
    readonly name: string,
    readonly definition: PackageDefinition,
    readonly requires: readonly string[],
    readonly buildRequires: readonly string[],
    variants: readonly (readonly string[])[] | null,
  ) {
    this.version = Version.parse(definition.version);
    const ts = definition.attributes["timestamp"];
    this.timestamp = typeof ts === "number" ? ts : 0;
    this.variants = variants === null ? [new SolverVariant(this, null, [])] : variants.map((v, i) => new SolverVariant(this, i, v));
  }
}

/**
 * Loaded families, shared between resolves against the same source (so warm resolves load nothing).
 * Families are loaded only when a resolve touches them.
 */
export class FamilyStore implements OrdererFamilyInfo {
  private readonly families = new Map<string, readonly SolverPackage[] | null>();
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
      const bigger = new Array<DepTable | undefined>(Math.max(familyIds.size, depFid + 1) + 256).fill(undefined);
      if (tables !== undefined) for (let i = 0; i < tables.length; i++) bigger[i] = tables[i];
      byFamily[fid] = tables = bigger;
    }
    let table = tables[depFid];
    if (table === undefined) tables[depFid] = table = [];
    return table;
  }

  /**
   * The distinct requirements on family `depName` among all packages of family `name`, each with the bitset
   * of packages (ordinals) having it in some variant; null when some package's requirements cannot be read
   * (then callers look at the variants themselves, so errors surface only where Rez would raise them).
   */
  depSummary(fid: number, name: string, depFid: number, depName: string, building: boolean): DepSummary | null {
    const byFamily = this.depSummaries[building ? 1 : 0]!;
    let summaries = byFamily[fid];
    if (summaries === undefined || depFid >= summaries.length) {
      const bigger = new Array<DepSummary | null | undefined>(Math.max(familyIds.size, depFid + 1) + 256).fill(undefined);
      if (summaries !== undefined) for (let i = 0; i < summaries.length; i++) bigger[i] = summaries[i];
      byFamily[fid] = summaries = bigger;
    }
    let summary = summaries[depFid];
    if (summary === undefined) {
      summary = null;
      const pkgs = this.families.get(name);
      if (pkgs) {
        const table = this.depTable(fid, depFid, building);
        const byDep = new Map<Requirement, Uint32Array>();
        const words = (pkgs.length + 31) >>> 5;
        const pkgDep: (Requirement | null | undefined)[] = [];
        try {
          for (const pkg of pkgs) {
            let one: Requirement | null | undefined;
            for (let i = 0; i < pkg.variants.length; i++) {
              const v = pkg.variants[i]!;
              const dep = variantDep(table, v, depName, building);
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
                const dep = variantDep(table, variants[k]!, depName, building);
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
  infoSummary(fid: number, name: string, building: boolean): InfoSummary | null {
    const byFamily = this.infoSummaries[building ? 1 : 0]!;
    let summary = byFamily[fid];
    if (summary === undefined) {
      summary = null;
      const pkgs = this.families.get(name);
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

  private readonly versionOrders = new Map<string, { readonly order: Int32Array; readonly keys: readonly string[] }>();

  /** A family's package indices ordered by version (ties in list order), with their version keys. */
  versionOrder(name: string, packages: readonly SolverPackage[]): { readonly order: Int32Array; readonly keys: readonly string[] } {
    let result = this.versionOrders.get(name);
    if (result === undefined) {
      const order = Int32Array.from(packages.keys());
      const keys = packages.map((p) => p.version.key);
      order.sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : x - y));
      result = { order, keys: Array.from(order, (i) => keys[i]!) };
      this.versionOrders.set(name, result);
    }
    return result;
  }

  private readonly versionRankTables = new Map<string, Int32Array>();

  /** Per package ordinal: its version's rank in the family (equal versions share a rank), for fast sorts. */
  versionRanks(name: string, packages: readonly SolverPackage[]): Int32Array {
    let ranks = this.versionRankTables.get(name);
    if (ranks === undefined) {
      const { order, keys } = this.versionOrder(name, packages);
      ranks = new Int32Array(packages.length);
      let rank = 0;
      for (let p = 0; p < order.length; p++) {
        if (p > 0 && keys[p] !== keys[p - 1]) rank = p;
        ranks[order[p]!] = rank;
      }
      this.versionRankTables.set(name, ranks);
    }
    return ranks;
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
      const picked: number[] = [];
      for (const b of range.bounds) {
        const from = search(b.lower.version.key, b.lower.inclusive);
        const to = search(b.upper.version.key, !b.upper.inclusive);
        for (let p = from; p < to; p++) picked.push(order[p]!);
      }
      indices = Int32Array.from(picked).sort();
      remember(table, range.key, indices, 4096);
    }
    return indices;
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
      for (const i of this.packagesInRange(fid, name, packages, range)) bits[i >>> 5]! |= 1 << (i & 31);
      remember(table, range.key, bits, 4096);
    }
    remember(byObject, range, bits, 4096);
    return bits;
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
    for (const def of defs) {
      const pkg = await this.toPackage(name, def, signal);
      pkg.ordinal = pkgs.length;
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

  private async toPackage(name: string, def: PackageDefinition, signal: AbortSignal | undefined): Promise<SolverPackage> {
    const requires = stringList(await this.attr(def, "requires", signal), "requires", def);
    const buildRequires = stringList(await this.attr(def, "build_requires", signal), "build_requires", def);
    const rawVariants = await this.attr(def, "variants", signal);
    let variants: string[][] | null = null;
    if (Array.isArray(rawVariants) && rawVariants.length > 0) {
      variants = rawVariants.map((v) => stringList(v, "variants", def));
    }
    return new SolverPackage(name, def, requires, buildRequires, variants);
  }
}

/** Process-wide integer ids for family names (index tables are keyed by them). */
const familyIds = new Map<string, number>();
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
function familyName(id: number): string {
  return familyNames[id]!;
}

/**
 * Each family id's position among all family names in code-unit order (Python's str order). Ranks shift as
 * families are added, so a table is taken whole (nameRanks()) and only compared within itself.
 */
let rankTable = new Int32Array(0);
function nameRanks(): Int32Array {
  if (rankTable.length < familyNames.length) {
    const ids = Array.from(familyNames.keys()).sort((a, b) => (familyNames[a]! < familyNames[b]! ? -1 : familyNames[a]! > familyNames[b]! ? 1 : 0));
    rankTable = new Int32Array(familyNames.length);
    for (let r = 0; r < ids.length; r++) rankTable[ids[r]!] = r;
  }
  return rankTable;
}

/** (non-conflict names, all names) of one variant's requirements; kept on the variant (cheaper than a WeakMap). */
function variantFamInfo(v: SolverVariant, building: boolean): FamInfo {
  let info = building ? v.buildFamInfo : v.famInfo;
  if (info === undefined) {
    const rl = v.requiresList(building);
    const common = FamSet.of(rl.names);
    info = { common, fams: rl.conflictNames.size ? FamSet.of([...rl.names, ...rl.conflictNames]) : common };
    if (building) v.buildFamInfo = info;
    else v.famInfo = info;
  }
  return info;
}

/** Families common to all / mentioned by any of `variants`. */
function computeFamInfo(variants: readonly SolverVariant[], building: boolean): FamInfo {
  let common: FamSet | null = null;
  let fams: FamSet | null = null;
  for (const v of variants) {
    const info = variantFamInfo(v, building);
    common = common === null ? info.common : common.meet(info.common);
    fams = fams === null ? info.fams : fams.join(info.fams);
  }
  return { common: common!, fams: fams! };
}

/** What a slice holding exactly this package extracts, per family of its FamInfo.common (in that order). */
function packageExtractions(pkg: SolverPackage, building: boolean, store: FamilyStore): Extracted {
  const slot = building ? 1 : 0;
  let result = pkg.extractions[slot];
  if (result === undefined) {
    const names = packageFamInfo(pkg, building).common.names;
    const uniform = new Uint8Array(names.length);
    const reqs = names.map((fam, k) => {
      const ranges: VersionRange[] = [];
      for (const v of pkg.variants) {
        const r = v.requiresList(building).get(fam)!.range!;
        if (!ranges.includes(r)) ranges.push(r);
      }
      const fid = familyId(fam);
      if (ranges.length === 1 || store.sameSelection(fid, fam, ranges)) uniform[k] = 1;
      return extractedRequirement(fid, fam, unionAll(ranges[0]!, ranges.slice(1)));
    });
    pkg.extractions[slot] = result = extracted(reqs, uniform, packageFamInfo(pkg, building));
  }
  return result;
}

/** What a slice holding only this variant extracts: its own requirements, each uniform. */
function variantExtractions(v: SolverVariant, building: boolean): Extracted {
  let result = building ? v.buildExtractions : v.extractions;
  if (result === undefined) {
    const info = variantFamInfo(v, building);
    const rl = v.requiresList(building);
    const names = info.common.names;
    const reqs = names.map((fam, k) => extractedRequirement(info.common.ids[k]!, fam, rl.get(fam)!.range!));
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
interface Extracted {
  readonly reqs: readonly Requirement[];
  readonly uniform: Uint8Array;
  /** Families (id bitset) whose normal scope may reduce the slice: famRequires without the uniform ones. */
  readonly reducers: Uint32Array;
}

function extracted(reqs: readonly Requirement[], uniform: Uint8Array, info: FamInfo): Extracted {
  const reducers = info.fams.bits.slice();
  const ids = info.common.ids;
  for (let k = 0; k < ids.length; k++) if (uniform[k] === 1) reducers[ids[k]! >>> 5]! &= ~(1 << (ids[k]! & 31));
  return { reqs, uniform, reducers };
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
function unionAll(first: VersionRange, rest: readonly VersionRange[] | null): VersionRange {
  let u = first;
  if (rest !== null) for (let i = 0; i < rest.length; i++) u = unionOf(u, rest[i]!);
  return u;
}
const extractedRequirements: (Map<VersionRange, Requirement> | undefined)[] = [];
/** The (shared) requirement `fam-range` of an extraction; `fid` is fam's familyId. */
function extractedRequirement(fid: number, fam: string, range: VersionRange): Requirement {
  let byRange = extractedRequirements[fid];
  if (byRange === undefined) extractedRequirements[fid] = byRange = new Map();
  let req = byRange.get(range);
  if (req === undefined) byRange.set(range, (req = Requirement.construct(fam, range)));
  return req;
}

/** A package's FamInfo over all its variants (shared by every solve). */
function packageFamInfo(pkg: SolverPackage, building: boolean): FamInfo {
  const slot = building ? 1 : 0;
  return pkg.famInfo[slot] ?? (pkg.famInfo[slot] = computeFamInfo(pkg.variants, building));
}

// ------------------------------------------------------------------------------------------------
// Options

import type { VariantSelectMode } from "../config/index.js";
export type { VariantSelectMode };

export interface SolverSettings {
  building: boolean;
  variantSelectMode: VariantSelectMode;
  orderers: PackageOrderList;
  filter: PackageFilterList | null;
  errorOnMissingVariantRequires: boolean;
  optimised: boolean;
  /** -1 = no limit. */
  maxFails: number;
  /** Seconds; -1 = no limit. */
  timeLimit: number;
  /** Reports "package family not found" messages that do not stop the solve. */
  warn: (message: string) => void;
  /** Debugging: one line per solve step. */
  trace?: (line: string) => void;
}

// ------------------------------------------------------------------------------------------------
// Per-solve data

interface Entry {
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

function makeEntry(pkg: SolverPackage, variants: SolverVariant[], sorted: boolean, full: boolean): Entry {
  return { pkg, variants, sorted, info: undefined, ordinal: pkg.ordinal, full, indexes: undefined };
}

/** The entry's variant indices in its order (kept once the order is final), so loops need not load variants. */
function variantIndexes(entry: Entry): Int32Array {
  if (entry.indexes !== undefined) return entry.indexes;
  const indexes = new Int32Array(entry.variants.length);
  for (let i = 0; i < indexes.length; i++) indexes[i] = entry.variants[i]!.index ?? 0;
  if (entry.sorted) entry.indexes = indexes;
  return indexes;
}

class FamilyList {
  /** undefined = untouched, null = filtered out. */
  /** One entry per package, reused by every slice of this solve (its variants are sorted in place, as Rez). */
  private expanded: (Entry | null | undefined)[] | undefined;
  readonly fid: number;
  constructor(
    readonly name: string,
    readonly packages: readonly SolverPackage[],
    private readonly solver: Solver,
  ) {
    this.fid = familyId(name);
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
          value = pkg.sharedEntries[building] ??= makeEntry(pkg, pkg.variants.slice(), true, true);
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
      } else if (value !== pkg.sharedEntries[building] && !pkg.sortedEntries.includes(value)) shared = false;
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

/** a | b: into `a` when it is long enough, else into a new bitset (a may be null). */
function orBits(a: Uint32Array | null, b: Uint32Array): Uint32Array {
  let out = a;
  if (out === null || out.length < b.length) {
    out = new Uint32Array(b.length);
    if (a !== null) out.set(a);
  }
  for (let w = 0; w < b.length; w++) out[w]! |= b[w]!;
  return out;
}

/** Intersections by range key, and by range object (requirement ranges are shared objects: no key hashing). */
interface SharedIntersections {
  readonly byKey: Map<string, Intersection | null>;
  readonly byObject: Map<VersionRange, Intersection | null>;
}

/** A package set that slices are made of again and again, holding their facts (see Slice.facts). */
interface FactsHolder {
  /** Filled by the first slice that asks. */
  facts: SliceFacts | undefined;
}

/** The entries of a family within a range (whole packages, repository order), with their bitset. */
interface Intersection extends BitSpan, FactsHolder {
  readonly entries: Entry[];
  /** Every entry is one shared by solves (see FamilyList.intersection). */
  readonly shared: boolean;
  /** Families required by the variants of its packages that have several (their order depends on them). */
  readonly variantFams: Uint32Array | null;
}

const EMPTY_CHANGED: readonly number[] = [];

type DepTable = (readonly (Requirement | undefined)[] | undefined)[];

interface InfoSummary {
  readonly infos: readonly FamInfo[];
  readonly masks: readonly Uint32Array[];
}

/** What is known about a set of whole packages of one family (see Slice.facts). */
interface SliceFacts {
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
interface PartialFacts {
  /** Per partial entry, in entry order: its ordinal, its number of variants, their indexes. */
  readonly variants: Int32Array;
  info: FamInfo | undefined;
  extractions: Extracted | undefined;
}

/** The `variants` signature of PartialFacts for these partial entries. */
function partialSignature(partial: readonly Entry[]): Int32Array {
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

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** SliceFacts by package bitset: a hash table with chaining on the bitset's words. */
class SliceFactTable {
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

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false;
  return true;
}

interface DepSummary {
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

/** A bitset with the range of words [lo, hi) outside which it is zero (empty when lo >= hi). */
interface BitSpan {
  readonly bits: Uint32Array;
  lo: number;
  hi: number;
}

/** Narrows a span's [lo, hi) to its first and last non-zero words. */
function trimSpan(span: BitSpan): void {
  const bits = span.bits;
  let lo = span.lo;
  let hi = span.hi;
  while (lo < hi && bits[lo] === 0) lo++;
  while (hi > lo && bits[hi - 1] === 0) hi--;
  span.lo = lo;
  span.hi = hi;
}

/**
 * Packages (bitset) having a requirement that conflicts with scope `by`'s request in some variant: built
 * once per request (generation), as the scopes reduced by one family in a row all ask about the same request.
 */
function conflictMask(
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

const EMPTY_VARIANTS: SolverVariant[] = [];

/**
 * A list of entries made from another by a reduction, an intersection or a split: with its package bitset,
 * and whether all its entries are whole.
 */
interface Derived extends FactsHolder {
  readonly entries: Entry[];
  readonly mask: Uint32Array;
  readonly full: boolean;
}
/** See FamilyStore.entryFacts. */
interface EntryFacts {
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

/** What a reduction that removed nothing is recorded as. */
const UNCHANGED: Derived = { entries: [], mask: new Uint32Array(0), full: false, facts: undefined };

/**
 * The key of a reduction by a normal scope: its package set's facts, which are of one family and one
 * building flag (SliceFacts tables are per both), as a small integer (or -1: none).
 */
function reductionKey(byFacts: SliceFacts): number {
  return byFacts.id < 0x3fffffff ? byFacts.id : -1;
}
const EMPTY_REQUIREMENTS: readonly Requirement[] = [];

/** Does the summary's k-th requirement conflict with scope `by`'s request? Memoised per request (generation). */
function summaryVerdict(
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
function depConflicts(dep: Requirement, by: Scope, byMask: Uint32Array | null, request: Requirement | null, store: FamilyStore): boolean {
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

/** The requirement of each variant on one family: `row[variant.index ?? 0]`, rows by package ordinal. */
function variantDep(
  table: (readonly (Requirement | undefined)[] | undefined)[],
  variant: SolverVariant,
  name: string,
  building: boolean,
): Requirement | undefined {
  const pkg = variant.pkg;
  let row = table[pkg.ordinal];
  if (row === undefined) row = table[pkg.ordinal] = pkg.variants.map((v) => v.requiresList(building).get(name));
  return row[variant.index ?? 0];
}

class Slice {
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
    const summary = this.entries.length > 4 && this.full ? this.solver.store.infoSummary(this.fid, this.name, this.solver.settings.building) : null;
    // worth it only when the family has fewer distinct infos than this slice has packages
    if (summary !== null && summary.infos.length * (this.mask.length + 1) < this.entries.length) {
      for (let k = 0; k < summary.infos.length; k++) {
        if (!this.overlapsMask(summary.masks[k]!)) continue;
        const info = summary.infos[k]!;
        common = common === null ? info.common : common.meet(info.common);
        fams = fams === null ? info.fams : fams.join(info.fams);
      }
      this.commonFamsCache = common ?? FamSet.EMPTY;
      this.famRequiresCache = fams ?? FamSet.EMPTY;
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
    this.commonFamsCache = common ?? FamSet.EMPTY;
    this.famRequiresCache = fams ?? FamSet.EMPTY;
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
    const summary = store.depSummary(this.fid, this.name, by.fid, name, building);
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
      else if (only.variants.length === 1) shared = variantExtractions(only.variants[0]!, building);
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
    const summary = this.entries.length > 4 ? this.solver.store.depSummary(this.fid, this.name, famId, fam, building) : null;
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
      return extractedRequirement(famId, fam, unionAll(range!, more));
    }
    const table = this.solver.store.depTable(this.fid, famId, building);
    let first: VersionRange | null = null;
    let ranges: VersionRange[] | null = null;
    let seen: Set<VersionRange> | null = null;
    const byOrdinal = this.entries.length > 1 ? this.solver.store.depSummary(this.fid, this.name, famId, fam, building) : null;
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
    return extractedRequirement(famId, fam, unionAll(first!, ranges));
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
      `Unexpected solver error: common family(s) still in slice being split: slice: ${this.name}, family(s): ${fams.map(familyName).join(", ")}`,
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

class Scope {
  readonly fid: number;
  readonly isEphemeral: boolean;
  readonly isConflict: boolean;
  private req: Requirement | undefined;
  /** `request` undefined: a normal scope, whose request `name==v1|==v2|...` is built when first asked for. */
  constructor(
    readonly name: string,
    request: Requirement | undefined,
    readonly slice: Slice | null,
    fid?: number,
  ) {
    this.req = request;
    this.fid = fid ?? familyId(name);
    // ephemeral scopes never hold a slice
    this.isEphemeral = slice === null && name.startsWith(".");
    this.isConflict = request !== undefined && request.conflict;
  }

  get request(): Requirement {
    return (this.req ??= Requirement.construct(this.name, this.slice!.range));
  }

  static create(request: Requirement, solver: Solver, fid: number = familyId(request.name)): Scope {
    if (request.conflict || request.name.startsWith(".")) return new Scope(request.name, request, null, fid);
    const slice = solver.variantSlice(request.name, request.range!, fid);
    if (slice === null) {
      throw new PackageNotFoundError(
        `Package could not be found: ${Requirement.construct(request.name, request.range!).toString()}`,
      );
    }
    return Scope.withSlice(request.name, slice, fid);
  }

  static withSlice(name: string, slice: Slice, fid?: number): Scope {
    return new Scope(name, undefined, slice, fid);
  }

  intersect(range: VersionRange, solver: Solver): Scope | null {
    if (this.isEphemeral) {
      const r = this.isConflict ? range.subtract(this.request.range!) : range.intersection(this.request.range!);
      if (r === null) return null;
      if (r.equals(this.request.range!)) return this;
      return new Scope(this.name, Requirement.construct(this.name, r), null, this.fid);
    }
    let slice: Slice | null = null;
    if (this.isConflict) {
      if (this.request.range === null) slice = solver.variantSlice(this.name, range, this.fid);
      else {
        const r = range.subtract(this.request.range);
        if (r !== null) slice = solver.variantSlice(this.name, r, this.fid);
      }
    } else {
      slice = this.slice!.intersect(range);
    }
    if (slice === null) return null;
    if (slice !== this.slice) return Scope.withSlice(this.name, slice, this.fid);
    return this;
  }

  /** See Slice.reduceBy. */
  reduceBy(by: Scope): Scope | null {
    if (this.isConflict || this.isEphemeral) return this;
    const slice = this.slice!.reduceBy(by);
    if (slice === null) return null;
    if (slice !== this.slice) return Scope.withSlice(this.name, slice, this.fid);
    return this;
  }

  /** The scope after extraction (its slice's extractedReqs are what it extracted). */
  extractAll(): Scope {
    // the package request is unchanged by extraction
    return new Scope(this.name, this.req, this.slice!.extractAll(), this.fid);
  }

  /** The first half of Rez's split, and the second half to make if it is ever needed. */
  split(): [Scope, SplitRest] | null {
    if (this.isConflict || this.isEphemeral || this.slice!.single) return null;
    const { first, iEntry, nVariants } = this.slice!.split();
    return [Scope.withSlice(this.name, first, this.fid), new SplitRest(this, iEntry, nVariants)];
  }

  isSolved(): boolean {
    return this.isConflict || this.isEphemeral || (this.slice!.single && !this.slice!.extractable);
  }

  solvedVariant(): SolverVariant | null {
    if (this.slice !== null && this.slice.single && !this.slice.extractable) return this.slice.firstVariant;
    return null;
  }

  toString(): string {
    return this.slice === null ? this.request.toString() : this.slice.toString();
  }
}

/** The second half of a split scope, made on demand (most first halves succeed, leaving it unused). */
class SplitRest {
  constructor(
    private readonly whole: Scope,
    private readonly iEntry: number,
    private readonly nVariants: number,
  ) {}

  make(): Scope {
    return Scope.withSlice(this.whole.name, this.whole.slice!.splitRest(this.iEntry, this.nVariants), this.whole.fid);
  }
}

export type PhaseStatus = "pending" | "solved" | "exhausted" | "failed" | "cyclic";

/** An extraction: `source` scope's variants all require `request`. */
export interface Extraction {
  readonly source: string;
  readonly request: Requirement;
}

/**
 * Every extraction of one solve, in order, appended cheaply in the hot loop (one segment per extracting
 * scope: the slice extractAll made, and from which of its common families on it extracted); phases keep
 * spans of segments.
 */
export class ExtractionRecord {
  private readonly slices: Slice[] = [];
  private readonly froms: number[] = [];

  /** Segments so far. */
  get length(): number {
    return this.slices.length;
  }

  /** Slice `extracted` (made by extractAll) extracted its common families from the `from`-th on. */
  add(extracted: Slice, from: number): void {
    this.slices.push(extracted);
    this.froms.push(from);
  }

  /** Segment i's slice: its extractedReqs, on the families of its commonFams, from from(i) on. */
  slice(i: number): Slice {
    return this.slices[i]!;
  }

  from(i: number): number {
    return this.froms[i]!;
  }

  /** Rez's dict of the segments [start, end): by (source, requested family), first-insertion order, last value. */
  map(start: number, end: number): Map<number | string, Extraction> {
    const m = new Map<number | string, Extraction>();
    for (let i = start; i < end; i++) {
      const slice = this.slices[i]!;
      const reqs = slice.extractedReqs!;
      const ids = slice.commonFams.ids;
      for (let k = this.froms[i]!; k < ids.length; k++) {
        m.set(extractionKey(slice.fid, ids[k]!), { source: slice.name, request: reqs[k]! });
      }
    }
    return m;
  }
}

/** The extractions of one phase solve: a span of its solve's record; the map is only built for reports. */
export class ExtractionLog {
  private built: Map<number | string, Extraction> | null = null;

  constructor(
    private readonly record: ExtractionRecord | null,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get map(): ReadonlyMap<number | string, Extraction> {
    return (this.built ??= this.record === null ? new Map() : this.record.map(this.start, this.end));
  }
}

const NO_EXTRACTIONS = new ExtractionLog(null, 0, 0);

/**
 * A split half not solved yet: the scopes are `base` (the list shared by the phases of one line of descent)
 * as it was when the trail had `mark` entries, with scope i replaced.
 */
interface PhasePatch {
  readonly base: Scope[];
  readonly mark: number;
  readonly i: number;
  readonly scope: Scope | SplitRest;
}

export class Phase {
  private patch: PhasePatch | null = null;
  private scopeList: readonly Scope[];

  constructor(
    scopes: readonly Scope[],
    readonly status: PhaseStatus,
    readonly failureReason: FailureReason | null,
    /** By (source family id, requested family id), in first-extraction order. */
    readonly extractionLog: ExtractionLog,
    /** Scope indices changed since the last solve (may repeat). */
    readonly changed: readonly number[],
    /**
     * Every scope before this index is solved. Solved scopes stay solved in descendant phases (scopes only
     * narrow, new ones are appended) except conflict scopes turned normal, so phases scan from here.
     */
    readonly solvedPrefix = 0,
  ) {
    this.scopeList = scopes;
  }

  get extractions(): ReadonlyMap<number | string, Extraction> {
    return this.extractionLog.map;
  }

  /** A split half: `base` (at trail length `mark`) with scope i replaced; see Solver.takeScopes. */
  static patched(base: Scope[], mark: number, i: number, scope: Scope | SplitRest, from: Phase, changed: readonly number[]): Phase {
    // the split scope is the first unsolved one of `from`
    const p = new Phase(base, "pending", from.failureReason, from.extractionLog, changed, i);
    p.patch = { base, mark, i, scope };
    return p;
  }

  /** The patch of a split half, once (the solver then owns the list). */
  takePatch(): PhasePatch | null {
    const patch = this.patch;
    this.patch = null;
    return patch;
  }

  /** The list of an unsplit pending phase, which the solver then owns and modifies. */
  ownScopes(): Scope[] {
    return this.scopeList as Scope[];
  }

  /** Only meaningful for phases the solver has finished with (or not started); see Solver.takeScopes. */
  get scopes(): readonly Scope[] {
    return this.scopeList;
  }

  isSolved(): boolean {
    for (const s of this.scopes) if (!s.isSolved()) return false;
    return true;
  }

  toString(): string {
    return this.scopes.map((s) => s.toString()).join(" ");
  }
}

/** Empties a list (setting length is a runtime call: short lists are popped instead). */
function clear(list: unknown[]): void {
  if (list.length > 32) list.length = 0;
  else while (list.length !== 0) list.pop();
}

/** Sorts integer lists in place, ascending (or descending); short ones by insertion (no comparator calls). */
function sortInts(list: number[], descending = false): void {
  if (list.length > 64) {
    // a typed array sorts numbers natively (no comparator calls); the values are scope indices
    const sorted = Int32Array.from(list).sort();
    const n = sorted.length;
    for (let i = 0; i < n; i++) list[i] = sorted[descending ? n - 1 - i : i]!;
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const v = list[i]!;
    let j = i - 1;
    while (j >= 0 && (descending ? list[j]! < v : list[j]! > v)) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
}

/** Key of an extraction (source family, requested family): a small integer while ids allow. */
function extractionKey(source: number, dest: number): number | string {
  return source < 0x8000 && dest < 0x8000 ? source * 0x8000 + dest : `${source}:${dest}`;
}

/** The index of the scope of family `fid` in `scopes`, or -1 (see Solver.solvePhase on the index table). */
function scopeIndex(index: Int32Array, scopes: readonly Scope[], fid: number): number {
  const i = fid < index.length ? index[fid]! - 1 : -1;
  return i >= 0 && i < scopes.length && scopes[i]!.fid === fid ? i : -1;
}

/**
 * A solve's working tables (most by family id), lent from a pool for the length of a solve: making (and
 * zero-filling) them for every solve cost as much as a small solve's own work, and a JS array first written
 * at a high index is kept as a hash table. Entries a solve sets are listed in `touched` and cleared when it
 * gives them back.
 */
class SolveTables {
  /** Family id -> scope index + 1 (see Solver.solvePhase). */
  index: Int32Array = new Int32Array(0);
  /** Merging a round's extractions: position by family id, valid where the stamp is mergeGeneration. */
  mergeStamp: Int32Array = new Int32Array(0);
  mergePos: Int32Array = new Int32Array(0);
  mergeGeneration = 0;
  readonly familyLists: (FamilyList | undefined)[] = [];
  /**
   * Per family id: the scopes (pairs of index and family id) whose slices required it when they were
   * registered. Slices only narrow, so this stays a superset; entries of scopes undone since are dropped when
   * met (another family at that index, or the index gone).
   */
  readonly scopeDependents: number[][] = [];
  /** The length of each scopeDependents list (the lists keep their room between solves). */
  dependentCount: Int32Array = new Int32Array(0);
  private readonly touched: number[] = [];

  /** The trail (see Solver.setScope): the scope index changed, and the scope it held (null: appended). */
  trailIndex: Int32Array = new Int32Array(256);
  readonly trailScope: (Scope | null)[] = [];
  trailLength = 0;
  private trailHigh = 0;

  logTrail(i: number, old: Scope | null): void {
    const n = this.trailLength;
    if (n === this.trailIndex.length) this.trailIndex = ensureLength(this.trailIndex, n + 1);
    this.trailIndex[n] = i;
    this.trailScope[n] = old;
    this.trailLength = n + 1;
    if (n >= this.trailHigh) this.trailHigh = n + 1;
  }

  private static readonly pool: SolveTables[] = [];

  static take(): SolveTables {
    const tables = SolveTables.pool.pop() ?? new SolveTables();
    tables.fit();
    return tables;
  }

  /** Clears what the solve set and puts the tables back in the pool. */
  giveBack(): void {
    for (const fid of this.touched) {
      this.index[fid] = 0;
      this.familyLists[fid] = undefined;
      this.dependentCount[fid] = 0;
    }
    this.touched.length = 0;
    this.trailScope.fill(null, 0, this.trailHigh);
    this.trailLength = 0;
    this.trailHigh = 0;
    if (SolveTables.pool.length < 4) SolveTables.pool.push(this);
  }

  /** Grows the tables to every family id known so far. */
  fit(): void {
    const n = familyIds.size + 64;
    if (this.index.length >= n) return;
    this.index = ensureLength(this.index, n);
    this.mergeStamp = ensureLength(this.mergeStamp, n);
    this.mergePos = ensureLength(this.mergePos, n);
    this.dependentCount = ensureLength(this.dependentCount, n);
    // (filled in order, so that they stay plain arrays)
    for (let fid = this.familyLists.length; fid < this.index.length; fid++) {
      this.familyLists.push(undefined);
      this.scopeDependents.push([]);
    }
  }

  setIndex(fid: number, i: number): void {
    if (fid >= this.index.length) this.fit();
    this.index[fid] = i + 1;
    this.touched.push(fid);
  }

  familyList(fid: number): FamilyList | undefined {
    return this.familyLists[fid];
  }

  setFamilyList(fid: number, list: FamilyList): void {
    if (fid >= this.index.length) this.fit();
    this.familyLists[fid] = list;
    this.touched.push(fid);
  }

  /** Scope x of family id f, that requires family `fid`, is registered as the pair (x, f). */
  addDependent(fid: number, x: number, f: number): void {
    if (fid >= this.index.length) this.fit();
    const list = this.scopeDependents[fid]!;
    const n = this.dependentCount[fid]!;
    if (n === 0) this.touched.push(fid);
    list[n] = x;
    list[n + 1] = f;
    this.dependentCount[fid] = n + 2;
  }
}

/** A phase solve stopped before a round's intersections, to load families (see Solver.solvePhase). */
interface PausedSolve {
  readonly extractionStart: number;
  readonly prevNumScopes: number;
  readonly solvedPrefix: number;
  readonly dirty: number[];
  readonly spare: number[];
}


// ------------------------------------------------------------------------------------------------

export type SolverStatus = "solved" | "failed" | "unsolved";

export class Solver {
  readonly requestList: RequirementList;
  readonly phaseStack: Phase[] = [];
  readonly failedPhases: Phase[] = [];
  solveCount = 0;
  /** Taken for a solve (or for variantSlice before one), given back when the solve ends. */
  private tablesTaken: SolveTables | null = null;
  private get tables(): SolveTables {
    return (this.tablesTaken ??= SolveTables.take());
  }
  /** Why the last total reduction happened (set by Slice.reduceBy). */
  reductions: Reduction[] = [];
  abortReason: string | null = null;
  private callbackFailed = false;
  private readonly requestOrder: { index: number; name: string }[];
  private readonly requestFids: readonly number[];

  constructor(
    requests: readonly Requirement[],
    readonly store: FamilyStore,
    readonly settings: SolverSettings,
  ) {
    this.requestList = new RequirementList(requests);
    this.requestOrder = this.requestList.requirements
      .map((r, index) => ({ index, name: r.name, conflict: r.conflict }))
      .filter((r) => !r.conflict);
    this.requestFids = this.requestOrder.map((r) => familyId(r.name));
  }

  // --- families and variant preference

  /** The family's packages in `range` as a slice, or null; `fid` is familyId(name). */
  variantSlice(name: string, range: VersionRange, fid: number = familyId(name)): Slice | null {
    const tables = this.tables;
    let fl = tables.familyList(fid);
    if (fl === undefined) {
      const pkgs = this.store.get(name);
      if (pkgs === null) {
        throw new PackageFamilyNotFoundError(
          `package family not found: ${name} (searched: ${this.store.source.searchedPaths.join("; ")})`,
        );
      }
      fl = new FamilyList(name, pkgs, this);
      tables.setFamilyList(fid, fl);
    }
    const found = fl.intersection(range);
    return found === null ? null : Slice.ofIntersection(this, name, found, fid, fl.packages);
  }

  private readonly famInfo = new Map<readonly SolverVariant[], FamInfo>();

  /** Families common to / mentioned by a list of variants (cached per list; lists are never mutated but sorted). */
  entryFamInfo(variants: readonly SolverVariant[]): FamInfo {
    let info = this.famInfo.get(variants);
    if (!info && variants.length === variants[0]!.pkg.variants.length) {
      // the package's full variant set: shared by every solve
      const pkg = variants[0]!.pkg;
      const slot = this.settings.building ? 1 : 0;
      info = pkg.famInfo[slot];
      if (!info) {
        info = this.computeFamInfo(variants);
        pkg.famInfo[slot] = info;
      }
      this.famInfo.set(variants, info);
    }
    if (!info) {
      info = this.computeFamInfo(variants);
      this.famInfo.set(variants, info);
    }
    return info;
  }

  private computeFamInfo(variants: readonly SolverVariant[]): FamInfo {
    return computeFamInfo(variants, this.settings.building);
  }

  private variantKeysCache: Map<SolverVariant, OrderKey> | undefined;

  /**
   * Variant sort keys depend on the request's non-conflict names and positions, the mode and the orderers:
   * with default orderers they are shared by every solve of the same request shape (kept in the store).
   */
  private get variantKeys(): Map<SolverVariant, OrderKey> {
    if (this.variantKeysCache === undefined) {
      if (this.settings.orderers.isEmpty) {
        const signature = `${this.settings.variantSelectMode}|${this.settings.building ? 1 : 0}|${this.requestOrder.map((r) => `${r.index}:${r.name}`).join(",")}`;
        this.variantKeysCache = this.store.variantKeys(signature);
      } else this.variantKeysCache = new Map();
    }
    return this.variantKeysCache;
  }

  private variantKey(v: SolverVariant): OrderKey {
    let key = this.variantKeys.get(v);
    if (key === undefined) {
      key = variantOrderKey(v, this.requestOrder, this.settings, this.store);
      this.variantKeys.set(v, key);
    }
    return key;
  }

  /**
   * Can `pkg`'s variants be ordered once for every solve? With the default orderers their order depends on
   * the request only through requested families its variants mention.
   */
  sharesVariantOrder(pkg: SolverPackage): boolean {
    return this.sharesOrderOver(packageFamInfo(pkg, this.settings.building).fams.bits);
  }

  /** True when variants requiring only families in `bits` are ordered as in a solve of an empty request. */
  sharesOrderOver(bits: Uint32Array): boolean {
    if (!this.settings.orderers.isEmpty) return false;
    for (const fid of this.requestFids) if (hasBit(bits, fid)) return false;
    return true;
  }

  /** Settings that make shared entries differ: building, and the variant select mode. */
  get sharedSlot(): number {
    return (this.settings.building ? 1 : 0) + (this.settings.variantSelectMode === "version_priority" ? 0 : 2);
  }

  /** The entry of all of `pkg`'s variants in the order of a solve whose request mentions none of them. */
  sharedSortedEntry(pkg: SolverPackage): Entry {
    const slot = this.sharedSlot;
    return (pkg.sortedEntries[slot] ??= this.sortedEntry(pkg, NO_REQUESTS));
  }

  /**
   * The entry of all of `pkg`'s variants in this solve's order, with the default orderers: the order depends
   * only on where the request puts the families its variants mention, so solves that agree on those share it.
   */
  projectedSortedEntry(pkg: SolverPackage): Entry {
    const fams = packageFamInfo(pkg, this.settings.building).fams.bits;
    const projected: { index: number; name: string }[] = [];
    let key = `${this.sharedSlot}`;
    for (let r = 0; r < this.requestOrder.length; r++) {
      if (hasBit(fams, this.requestFids[r]!)) {
        const req = this.requestOrder[r]!;
        projected.push(req);
        key += `|${req.index}:${req.name}`;
      }
    }
    const byKey = (pkg.projectedEntries ??= new Map());
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = this.sortedEntry(pkg, projected);
      remember(byKey, key, entry, 64);
    }
    return entry;
  }

  private sortedEntry(pkg: SolverPackage, requestOrder: readonly { readonly index: number; readonly name: string }[]): Entry {
    const keyed = pkg.variants.map((v) => ({ v, k: variantOrderKey(v, requestOrder, this.settings, this.store) }));
    keyed.sort((a, b) => compareKeys(b.k, a.k));
    return makeEntry(pkg, keyed.map((x) => x.v), true, true);
  }

  sortEntry(entry: Entry): void {
    if (entry.sorted) return;
    if (entry.variants.length > 1) {
      const keyed = entry.variants.map((v) => ({ v, k: this.variantKey(v) }));
      keyed.sort((a, b) => compareKeys(b.k, a.k));
      for (let i = 0; i < keyed.length; i++) entry.variants[i] = keyed[i]!.v;
    }
    entry.sorted = true;
  }

  // --- status

  get status(): SolverStatus {
    if (this.requestList.conflict) return "failed";
    if (this.callbackFailed) return "failed";
    const top = this.phaseStack[this.phaseStack.length - 1];
    // (given up while loading the request's families)
    if (top === undefined) return "unsolved";
    if (top.status === "cyclic") return "failed";
    if (this.phaseStack.length > 1) return top.status === "solved" ? "solved" : "unsolved";
    if (top.status === "pending" || top.status === "exhausted") return "unsolved";
    return top.status === "solved" ? "solved" : "failed";
  }

  get numFails(): number {
    let n = this.failedPhases.length;
    const top = this.phaseStack[this.phaseStack.length - 1];
    if (top && (top.status === "failed" || top.status === "cyclic")) n++;
    return n;
  }

  // --- the solve

  /** Date.now() past which the resolve gives up (the time limit from the start of solve()); Infinity without one. */
  deadline = Infinity;

  async solve(): Promise<void> {
    const { timeLimit } = this.settings;
    if (timeLimit !== -1) this.deadline = Date.now() + timeLimit * 1000;
    if (this.requestList.conflict) {
      const [a, b] = this.requestList.conflict;
      this.phaseStack.push(
        new Phase([], "failed", { kind: "dependency_conflicts", conflicts: [new DependencyConflict(a, b)] }, NO_EXTRACTIONS, EMPTY_CHANGED),
      );
      return;
    }
    try {
      await this.solveAll();
    } finally {
      this.tablesTaken?.giveBack();
      this.tablesTaken = null;
    }
  }

  private async solveAll(): Promise<void> {
    if (!(await this.load(this.requestList.requirements.filter((r) => !r.conflict).map((r) => r.name)))) return;
    const scopes = this.requestList.requirements.map((r) => Scope.create(r, this));
    for (let i = 0; i < scopes.length; i++) this.tables.setIndex(scopes[i]!.fid, i);
    this.phaseStack.push(new Phase(scopes, "pending", null, NO_EXTRACTIONS, Array.from(scopes.keys())));

    while (this.status === "unsolved") {
      // Steps are synchronous; one that meets families not loaded yet stops, and is taken again once they are.
      let load = this.solveStep();
      while (load !== null) {
        if (!(await this.load(load))) {
          // the step is given up half-way: its phase goes back so the solve reads as unsolved (aborted)
          this.phaseStack.push(this.resumed!.phase);
          this.resumed = null;
          this.paused = null;
          return;
        }
        load = this.solveStep();
      }
      if (this.status === "unsolved" && !this.callback()) break;
    }
  }

  /**
   * Loads families; false when the time limit passed first (Rez's "time limit exceeded" abort). The loads
   * are then given up: their late evaluations are aborted (a stuck Python worker is killed).
   */
  private async load(names: readonly string[]): Promise<boolean> {
    // (setTimeout takes at most 2^31 - 1 ms: a longer limit cannot pass during one load)
    if (this.deadline - Date.now() > 0x7fffffff) {
      await this.store.ensure(names);
      return true;
    }
    const controller = new AbortController();
    const loaded = this.store.ensure(names, controller.signal).then(() => true);
    // (once given up, a failure of the loads is nobody's)
    loaded.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, this.deadline - Date.now()))));
    try {
      if (await Promise.race([loaded, timedOut])) return true;
    } finally {
      clearTimeout(timer);
    }
    this.abortReason = "time limit exceeded";
    controller.abort(new ResolveError("time limit exceeded"));
    return false;
  }

  private callback(): boolean {
    const { maxFails } = this.settings;
    const fails = this.numFails;
    if (maxFails !== -1 && fails >= maxFails) {
      if (fails) {
        this.abortReason = `fail limit reached: aborted after ${fails} failures`;
        this.callbackFailed = true;
        return false;
      }
      return true;
    }
    if (this.deadline !== Infinity && Date.now() > this.deadline) {
      this.abortReason = "time limit exceeded";
      return false;
    }
    return true;
  }

  /** A phase whose solve stopped to load families: its scope list, and the trail length when it started. */
  private resumed: { readonly phase: Phase; readonly scopes: Scope[]; readonly mark: number } | null = null;
  /** Where that solve stopped (it goes on from there: restarting it redid every round, quadratic in a chain). */
  private paused: PausedSolve | null = null;

  /** One solve step; or, when the phase needs families not loaded yet, their names (the step goes on once they are). */
  private solveStep(): string[] | null {
    let phase: Phase;
    let scopes: Scope[] | null = null;
    let mark = 0;
    if (this.resumed !== null) {
      ({ phase, scopes, mark } = this.resumed);
      this.resumed = null;
    } else {
      phase = this.phaseStack.pop()!;
      if (phase.status === "failed") {
        this.failedPhases.push(phase);
        phase = this.phaseStack.pop()!;
      }
      if (phase.status === "exhausted") {
        const [a, b] = this.splitPhase(phase);
        this.phaseStack.push(b);
        phase = a;
      }
      if (phase.status === "pending") {
        scopes = this.takeScopes(phase);
        mark = this.tables.trailLength;
      }
    }
    let next = phase;
    if (scopes !== null) {
      const solved = this.solvePhase(phase, scopes);
      if (Array.isArray(solved)) {
        this.resumed = { phase, scopes, mark };
        return solved;
      }
      next = solved;
    }
    this.solveCount++;
    if (next.status === "solved") this.phaseStack.push(this.finalise(next));
    else this.phaseStack.push(next);
    this.settings.trace?.(`${this.solveCount} ${next.status} ${this.phaseStack[this.phaseStack.length - 1]!.toString()}`);
    return null;
  }

  private splitPhase(phase: Phase): [Phase, Phase] {
    let splitI = -1;
    let parts: [Scope, SplitRest] | null = null;
    for (let i = phase.solvedPrefix; i < phase.scopes.length; i++) {
      parts = phase.scopes[i]!.split();
      if (parts !== null) {
        splitI = i;
        break;
      }
    }
    if (parts === null) throw new ResolveError("Unexpected solver error: exhausted phase could not be split");
    const base = phase.ownScopes();
    const changed = [splitI];
    const mark = this.tables.trailLength;
    return [Phase.patched(base, mark, splitI, parts[0], phase, changed), Phase.patched(base, mark, splitI, parts[1], phase, changed)];
  }

  // --- one scope list per line of descent
  //
  // A phase's solve changes its scope list in place, logging each change on a trail. The second half of a
  // split is solved only after the first half's whole subtree, so the trail is undone back to the split
  // first (no per-phase copy). Phases that leave the descent (failed ones) keep a copy.

  private setScope(scopes: Scope[], i: number, scope: Scope): void {
    this.tables.logTrail(i, scopes[i]!);
    scopes[i] = scope;
  }

  private pushScope(scopes: Scope[], scope: Scope): void {
    this.tables.logTrail(scopes.length, null);
    scopes.push(scope);
  }

  /** Undoes the changes to `scopes` logged on the trail after its first `mark` entries. */
  private undoTo(mark: number, scopes: Scope[]): void {
    const tables = this.tables;
    while (tables.trailLength > mark) {
      const k = --tables.trailLength;
      const i = tables.trailIndex[k]!;
      const old = tables.trailScope[k]!;
      tables.trailScope[k] = null;
      if (old === null) scopes.length = i;
      else scopes[i] = old;
    }
    if (this.registeredScopes > scopes.length) this.registeredScopes = scopes.length;
  }

  /** The scope list of a pending phase, for its solve to modify. */
  private takeScopes(phase: Phase): Scope[] {
    const patch = phase.takePatch();
    if (patch === null) return phase.ownScopes();
    const scopes = patch.base;
    this.undoTo(patch.mark, scopes);
    this.setScope(scopes, patch.i, patch.scope instanceof SplitRest ? patch.scope.make() : patch.scope);
    return scopes;
  }

  // --- scratch lists of solvePhase, reused: a phase solve allocates little beyond the scopes it makes

  private readonly extractionRecord = new ExtractionRecord();
  private dirtyList: number[] = [];
  private visitList: number[] = [];
  private readonly changedList: number[] = [];
  private readonly widenedList: number[] = [];
  private readonly mergedReqs: Requirement[] = [];
  private readonly mergedFids: number[] = [];
  private readonly hitList: number[] = [];
  private readonly addedReqs: Requirement[] = [];
  private readonly addedFids: number[] = [];
  private readonly pairList: number[] = [];
  private pairBuffer: Int32Array = new Int32Array(256);
  /** Pending (j, x) pairs: a stack of (x, its dependents, position). */
  private readonly markerX: number[] = [];
  private readonly markerList: number[][] = [];
  private readonly markerPos: number[] = [];
  /** Scope x's dependents (see reducersOf), valid in the round whose generation is dependentStamp[x]. */
  private readonly dependentLists: number[][] = [];
  private dependentStamp: Int32Array = new Int32Array(0);
  private dependentGeneration = 0;

  /** The phase after a solve ended with `status` (null: solved or exhausted, whichever it is). */
  private endPhase(
    scopes: Scope[],
    status: PhaseStatus | null,
    reason: FailureReason | null,
    extractionStart: number,
    solvedPrefix: number,
  ): Phase {
    const extractions = new ExtractionLog(this.extractionRecord, extractionStart, this.extractionRecord.length);
    let st: PhaseStatus | null = status;
    if (st === null) {
      st = "solved";
      while (solvedPrefix < scopes.length) {
        if (!scopes[solvedPrefix]!.isSolved()) {
          st = "exhausted";
          break;
        }
        solvedPrefix++;
      }
    }
    // a failed phase leaves the line of descent: it keeps its own copy
    return new Phase(st === "failed" ? scopes.slice() : scopes, st, reason, extractions, EMPTY_CHANGED, solvedPrefix);
  }

  /** Scopes [0, registeredScopes) of the current list are registered in tables.scopeDependents. */
  private registeredScopes = 0;
  private seenStamp: Int32Array = new Int32Array(0);
  private seenGeneration = 0;

  private registerScope(scopes: readonly Scope[], x: number): void {
    const scope = scopes[x]!;
    if (scope.slice === null) return;
    // every scope met here has been visited for extraction, which computed its families
    for (const fid of scope.slice.famRequires.ids) this.tables.addDependent(fid, x, scope.fid);
  }

  /**
   * Scopes x < limit (x != y) that scope y may reduce, appended to `out` as x (n = 0) or as the pair x*n+y:
   * those whose variants mention y's family (see scopeDependents) and pass mayBeReducedBy.
   */
  private reducibleBy(scopes: readonly Scope[], y: number, limit: number, out: number[], n: number): void {
    while (this.registeredScopes < scopes.length) this.registerScope(scopes, this.registeredScopes++);
    const sy = scopes[y]!;
    const yFid = sy.fid;
    const tables = this.tables;
    const list = tables.scopeDependents[yFid];
    if (list === undefined) return;
    const count = tables.dependentCount[yFid]!;
    const normal = !sy.isConflict && !sy.isEphemeral;
    const seen = (this.seenStamp = ensureLength(this.seenStamp, scopes.length));
    const generation = ++this.seenGeneration;
    let kept = 0;
    for (let k = 0; k < count; k += 2) {
      const x = list[k]!;
      const xFid = list[k + 1]!;
      if (x >= scopes.length || scopes[x]!.fid !== xFid || seen[x] === generation) continue;
      seen[x] = generation;
      list[kept++] = x;
      list[kept++] = xFid;
      if (x >= limit || x === y) continue;
      const sl = scopes[x]!.slice;
      if (sl !== null && sl.mayBeReducedBy(yFid, normal)) out.push(n === 0 ? x : x * n + y);
    }
    tables.dependentCount[yFid] = kept;
  }

  /** Pairs (x, y) for every y scope x's variants mention (a new or widened scope x). */
  private reducersOf(scopes: readonly Scope[], x: number, n: number, out: number[]): void {
    const sl = scopes[x]!.slice;
    if (sl === null) return;
    const index = this.tables.index;
    for (const fid of sl.famRequires.ids) {
      const y = scopeIndex(index, scopes, fid);
      if (y < 0 || y === x) continue;
      // (what cannot reduce x now cannot reduce the parts of x it may become either)
      const sy = scopes[y]!;
      if (sl.mayBeReducedBy(fid, !sy.isConflict && !sy.isEphemeral)) out.push(x * n + y);
    }
  }

  /** The scopes x scope y may reduce, descending, computed once per round. */
  private dependentsIn(scopes: readonly Scope[], y: number): number[] {
    if (this.dependentStamp[y] === this.dependentGeneration) return this.dependentLists[y]!;
    this.dependentStamp[y] = this.dependentGeneration;
    let list = this.dependentLists[y];
    if (list === undefined) list = this.dependentLists[y] = [];
    else clear(list);
    this.reducibleBy(scopes, y, scopes.length, list, 0);
    sortInts(list, true);
    return list;
  }

  /**
   * Solves a pending phase on its scope list (see takeScopes). Returns the names of families it needs that
   * are not loaded yet when it meets some: it stops before the round that needs them changes anything
   * (keeping its state in `paused`), and the caller loads them and calls again to go on from there.
   */
  private solvePhase(phase: Phase, scopes: Scope[]): Phase | string[] {
    const record = this.extractionRecord;
    const paused = this.paused;
    this.paused = null;
    const extractionStart = paused === null ? record.length : paused.extractionStart;
    const tables = this.tables;
    const store = this.store;
    let dirty = paused === null ? this.dirtyList : paused.dirty;
    let spare = paused === null ? this.visitList : paused.spare;
    // may repeat an index: reduction pairs are deduplicated after sorting
    const changed = this.changedList;
    if (paused === null) {
      clear(dirty);
      for (const i of phase.changed) dirty.push(i);
      clear(changed);
      for (const i of phase.changed) changed.push(i);
    }
    const widened = this.widenedList;
    const mergedReqs = this.mergedReqs;
    const mergedFids = this.mergedFids;
    const hits = this.hitList;
    const added = this.addedReqs;
    const addedFids = this.addedFids;
    const pairs = this.pairList;
    const markerX = this.markerX;
    const markerList = this.markerList;
    const markerPos = this.markerPos;
    let solvedPrefix = paused === null ? phase.solvedPrefix : paused.solvedPrefix;
    // going on from a pause: the paused round's merged requirements are still in mergedReqs / mergedFids
    let resuming = paused !== null;
    // tables.index is one table for the whole solve: it is only written when a phase adds a family, and every
    // phase solved until that phase's subtree is done descends from it, so an entry that points at a scope
    // of the same family in this phase is right, and any other entry means the family is absent here.

    for (;;) {
      let prevNumScopes = paused !== null && resuming ? paused.prevNumScopes : scopes.length;
      if (!resuming) clear(widened);

      for (;;) {
        if (resuming) resuming = false;
        else {
          // this round's extractions: the record's segments from here on
          const roundStart = record.length;
          // Only scopes replaced since the last pass can extract (a pass leaves every scope fully extracted),
          // so visiting those in index order is Rez's full pass.
          const visit = dirty;
          dirty = spare;
          spare = visit;
          clear(dirty);
          sortInts(visit);
          for (let v = 0; v < visit.length; v++) {
            const i = visit[v]!;
            if (v > 0 && visit[v - 1] === i) continue;
            const scope = scopes[i]!;
            const sl = scope.slice;
            if (sl === null || scope.isConflict || !sl.extractable) continue;
            const first = sl.extractedCount;
            const next = scope.extractAll();
            this.setScope(scopes, i, next);
            // (a slice made by extractAll has extracted all its common families)
            if (next.slice!.extractedCount > first) record.add(next.slice!, first);
          }
          if (record.length === roundStart) break;

          // Rez's RequirementList(extracted): same-family requirements merged in order, the first failure kept
          clear(mergedReqs);
          clear(mergedFids);
          tables.fit();
          if (++tables.mergeGeneration === 0x7fffffff) {
            tables.mergeGeneration = 1;
            tables.mergeStamp.fill(0);
          }
          const stamp = tables.mergeGeneration;
          const mergeStamp = tables.mergeStamp;
          const mergePos = tables.mergePos;
          for (let g = roundStart; g < record.length; g++) {
            const extracted = record.slice(g);
            const reqs = extracted.extractedReqs!;
            const ids = extracted.commonFams.ids;
            for (let k = record.from(g); k < ids.length; k++) {
              const fid = ids[k]!;
              const req = reqs[k]!;
              if (mergeStamp[fid] === stamp) {
                const existing = mergedReqs[mergePos[fid]!]!;
                // extractions share requirement objects; a requirement merged with itself is itself
                const m = existing === req ? existing : existing.mergedMemo(req);
                if (m === null) {
                  const reason: FailureReason = { kind: "dependency_conflicts", conflicts: [new DependencyConflict(existing, req)] };
                  return this.endPhase(scopes, "failed", reason, extractionStart, solvedPrefix);
                }
                mergedReqs[mergePos[fid]!] = m;
              } else {
                mergeStamp[fid] = stamp;
                mergePos[fid] = mergedReqs.length;
                mergedReqs.push(req);
                mergedFids.push(fid);
              }
            }
          }
        }

        clear(hits);
        clear(added);
        clear(addedFids);
        // families this round may touch (new scopes, conflict scopes turning normal) must be loaded before it
        // changes anything; a scope with a slice has its family loaded
        let toLoad: string[] | null = null;
        for (let j = 0; j < mergedReqs.length; j++) {
          const i = scopeIndex(tables.index, scopes, mergedFids[j]!);
          if (i >= 0) hits.push(i);
          else {
            added.push(mergedReqs[j]!);
            addedFids.push(mergedFids[j]!);
          }
          if (i >= 0 && scopes[i]!.slice !== null) continue;
          const name = mergedReqs[j]!.name;
          if (!name.startsWith(".") && !store.has(name)) (toLoad ??= []).push(name);
        }
        if (toLoad) {
          this.paused = { extractionStart, prevNumScopes, solvedPrefix, dirty, spare };
          return toLoad;
        }

        // intersect existing scopes, in scope order (the first failure in that order is reported)
        sortInts(hits);
        for (let h = 0; h < hits.length; h++) {
          const i = hits[h]!;
          const scope = scopes[i]!;
          const req = mergedReqs[tables.mergePos[scope.fid]!]!;
          const next = scope.intersect(req.range!, this);
          if (next === null) {
            const reason: FailureReason = { kind: "dependency_conflicts", conflicts: [new DependencyConflict(req, scope.request)] };
            return this.endPhase(scopes, "failed", reason, extractionStart, solvedPrefix);
          }
          if (next !== scope) {
            this.setScope(scopes, i, next);
            changed.push(i);
            dirty.push(i);
            if (scope.isConflict && !next.isConflict) {
              widened.push(i);
              if (i < solvedPrefix) solvedPrefix = i;
            }
          }
        }

        for (let a = 0; a < added.length; a++) {
          const req = added[a]!;
          let scope: Scope;
          try {
            scope = Scope.create(req, this, addedFids[a]!);
          } catch (e) {
            if (!(e instanceof PackageFamilyNotFoundError)) throw e;
            const requesters: string[] = [];
            for (const ex of record.map(extractionStart, record.length).values()) if (ex.request.name === req.name) requesters.push(ex.source);
            if (requesters.length === 0) throw e;
            const message = `package family not found: ${req.name}, was required by: ${requesters.join(", ")} (searched: ${store.source.searchedPaths.join("; ")})`;
            if (!this.settings.errorOnMissingVariantRequires) {
              this.settings.warn(message);
              return this.endPhase(scopes, "failed", null, extractionStart, solvedPrefix);
            }
            throw new PackageFamilyNotFoundError(message);
          }
          tables.setIndex(scope.fid, scopes.length);
          dirty.push(scopes.length);
          this.pushScope(scopes, scope);
        }
      }

      const numScopes = scopes.length;
      if (numScopes === prevNumScopes && changed.length === 0 && widened.length === 0) break;

      if (!this.settings.optimised) {
        clear(changed);
        for (let i = 0; i < numScopes; i++) changed.push(i);
        prevNumScopes = numScopes;
      }

      // Pending reductions (x reduced by y), as Rez: the set prev×changed ∪ prev×added ∪ added×all ∪
      // widened×all, sorted and popped from the end, with (j, x) for every j pushed on top whenever x
      // changes. Only pairs where x's variants mention y's family can reduce anything, and a slice's
      // families only shrink meanwhile, so candidates found up front stay a superset (tested at pop time).
      const n = numScopes;
      clear(pairs);
      for (let x = prevNumScopes; x < n; x++) this.reducersOf(scopes, x, n, pairs);
      for (let w = 0; w < widened.length; w++) {
        this.reducersOf(scopes, widened[w]!, n, pairs);
        if (widened[w]! < this.registeredScopes) this.registerScope(scopes, widened[w]!);
      }
      if (prevNumScopes > 0) {
        for (let c = 0; c < changed.length; c++) {
          const y = changed[c]!;
          if (y < prevNumScopes) this.reducibleBy(scopes, y, prevNumScopes, pairs, n);
        }
        for (let y = prevNumScopes; y < n; y++) this.reducibleBy(scopes, y, prevNumScopes, pairs, n);
      }
      // ascending numeric sort of the encoded pairs, read from the end
      let sortedPairs: ArrayLike<number> = pairs;
      if (pairs.length <= 64) sortInts(pairs);
      else if (n * n < 0x7fffffff) {
        this.pairBuffer = ensureLength(this.pairBuffer, pairs.length);
        const buffer = this.pairBuffer.subarray(0, pairs.length);
        for (let p = 0; p < pairs.length; p++) buffer[p] = pairs[p]!;
        sortedPairs = buffer.sort();
      } else sortedPairs = Float64Array.from(pairs).sort();

      if (++this.dependentGeneration === 0x7fffffff) {
        this.dependentGeneration = 1;
        this.dependentStamp.fill(0);
      }
      this.dependentStamp = ensureLength(this.dependentStamp, n);
      let baseI = sortedPairs.length - 1;
      let lastPair = -1;
      clear(markerX);
      clear(markerList);
      clear(markerPos);

      for (;;) {
        let x: number;
        let y: number;
        if (markerX.length) {
          const top = markerX.length - 1;
          const list = markerList[top]!;
          const i = markerPos[top]!;
          if (i >= list.length) {
            markerX.pop();
            markerList.pop();
            markerPos.pop();
            continue;
          }
          y = markerX[top]!;
          x = list[i]!;
          markerPos[top] = i + 1;
        } else {
          if (baseI < 0) break;
          const p = sortedPairs[baseI--]!;
          if (p === lastPair) continue;
          lastPair = p;
          x = Math.floor(p / n);
          y = p - x * n;
        }
        if (x === y) continue;
        const target = scopes[x]!;
        const slice = target.slice;
        if (slice === null) continue;
        const by = scopes[y]!;
        if (!slice.mayBeReducedBy(by.fid, !by.isConflict && !by.isEphemeral)) continue;
        const next = target.reduceBy(by);
        if (next === null) return this.endPhase(scopes, "failed", { kind: "total_reduction", reductions: this.reductions }, extractionStart, solvedPrefix);
        if (next !== target) {
          this.setScope(scopes, x, next);
          dirty.push(x);
          // (j, x) for every j != x, popped with j descending
          markerX.push(x);
          markerList.push(this.dependentsIn(scopes, x));
          markerPos.push(0);
        }
      }
      clear(changed);
    }
    return this.endPhase(scopes, null, null, extractionStart, solvedPrefix);
  }

  private finalise(phase: Phase): Phase {
    const building = this.settings.building;
    // Nodes are the non-conflict scopes (one per family), edges their solved variant's non-conflict
    // requirements on other nodes, in requirement order; all as small integers.
    const nodes: Scope[] = [];
    const nodeOf = new Int32Array(familyIds.size + 1); // fid -> node index + 1
    for (const s of phase.scopes) {
      if (s.isConflict) continue;
      nodeOf[s.fid] = nodes.length + 1;
      nodes.push(s);
    }
    const start = new Int32Array(nodes.length + 1);
    const targets: number[] = [];
    const variants: (SolverVariant | null)[] = [];
    for (let n = 0; n < nodes.length; n++) {
      const v = nodes[n]!.solvedVariant();
      variants.push(v);
      if (v) {
        for (const fid of requirementIds(v, building)) {
          const j = fid < nodeOf.length ? nodeOf[fid]! - 1 : -1;
          if (j >= 0) targets.push(j);
        }
      }
      start[n + 1] = targets.length;
    }
    const edges: Edges = { start, targets };
    const requestNodes: number[] = [];
    for (const r of this.requestList.requirements) {
      const fid = familyIds.get(r.name);
      const j = fid !== undefined && fid < nodeOf.length ? nodeOf[fid]! - 1 : -1;
      if (j >= 0) requestNodes.push(j);
    }
    const ranks = nameRanks();
    const order = dependencyOrder(
      nodes.map((s) => ranks[s.fid]!),
      edges,
      requestNodes,
    );
    if (order === null) {
      // the cycle Rez reports: the first one its search meets
      const cycle = findCycle(edges);
      if (cycle === null) throw new ResolveError("Unexpected solver error: a cycle was seen but not found");
      const packages = cycle.map((j) => ({ name: nodes[j]!.name, version: nodes[j]!.solvedVariant()!.version }));
      return new Phase(nodes, "cyclic", { kind: "cycle", packages }, phase.extractionLog, EMPTY_CHANGED);
    }
    const solved = new Phase(order.map((j) => nodes[j]!), "solved", phase.failureReason, phase.extractionLog, EMPTY_CHANGED);
    const resolved: SolverVariant[] = [];
    for (const j of order) if (variants[j] !== null) resolved.push(variants[j]!);
    this.resolved = { phase: solved, variants: resolved };
    return solved;
  }

  /** The solved variants of the phase finalise() made last, in its order. */
  private resolved: { readonly phase: Phase; readonly variants: readonly SolverVariant[] } | null = null;

  // --- results

  /** (phase, description) of the failure Rez would report. */
  failedPhase(): { phase: Phase; description: string } | null {
    const top = this.phaseStack[this.phaseStack.length - 1];
    let fails = this.failedPhases;
    if (top && (top.status === "failed" || top.status === "cyclic")) fails = [...fails, top];
    if (fails.length === 0) return null;
    let index = 0;
    let prefix = false;
    if (top && top.status === "cyclic") index = fails.length - 1;
    else if (this.callbackFailed) {
      index = fails.length - 1;
      prefix = true;
    }
    return { phase: fails[index]!, description: prefix ? "\u0000" : "" };
  }

  get resolvedVariants(): SolverVariant[] | null {
    if (this.status !== "solved") return null;
    const top = this.phaseStack[this.phaseStack.length - 1]!;
    if (this.resolved !== null && this.resolved.phase === top) return [...this.resolved.variants];
    const out: SolverVariant[] = [];
    for (const s of top.scopes) {
      const v = s.solvedVariant();
      if (v) out.push(v);
    }
    return out;
  }

  get resolvedEphemerals(): Requirement[] | null {
    if (this.status !== "solved") return null;
    const out: Requirement[] = [];
    for (const s of this.phaseStack[this.phaseStack.length - 1]!.scopes) {
      if (s.isEphemeral && !s.isConflict) out.push(s.request);
    }
    return out;
  }
}

const NO_REQUESTS: readonly { readonly index: number; readonly name: string }[] = [];

/**
 * Rez's variant sort key (larger first): requested families the variant mentions, by request position and
 * range, then the number and ranges of its other requirements, then its index.
 */
function variantOrderKey(
  v: SolverVariant,
  requestOrder: readonly { readonly index: number; readonly name: string }[],
  settings: SolverSettings,
  store: FamilyStore,
): OrderKey {
  const rl = v.requiresList(settings.building);
  const requested: OrderKey[] = [];
  const names = new Set<string>();
  const orderers = settings.orderers;
  for (const { index, name } of requestOrder) {
    const req = rl.get(name);
    if (req !== undefined) {
      requested.push([-index, rangeSortKey(orderers.get(req.name), req.name, req.range!, store)]);
      names.add(req.name);
    }
  }
  const additional: OrderKey[] = [];
  for (const req of rl.requirements) {
    if (req.conflict || names.has(req.name)) continue;
    additional.push([rangeSortKey(orderers.get(req.name), req.name, req.range!, store), req.name]);
  }
  const idx = v.index ?? -1;
  return settings.variantSelectMode === "version_priority"
    ? [requested, -additional.length, additional, idx]
    : [requested.length, requested, -additional.length, additional, idx];
}

/** Family ids of a variant's non-conflict requirements, in order (names are unique in a list); kept on it. */
function requirementIds(v: SolverVariant, building: boolean): readonly number[] {
  let ids = building ? v.buildRequirementIds : v.requirementIds;
  if (ids === undefined) {
    ids = Array.from(v.requiresList(building).names, familyId);
    if (building) v.buildRequirementIds = ids;
    else v.requirementIds = ids;
  }
  return ids;
}

/** A graph's edges: node n's are targets[start[n]..start[n + 1]), in order. */
interface Edges {
  readonly start: Int32Array;
  readonly targets: readonly number[];
}

/**
 * DFS cycle search in node order, edges in list order; returns the nodes of the first cycle found.
 * (An explicit stack: a requirement chain thousands deep would overflow the call stack.)
 */
function findCycle(edges: Edges): number[] | null {
  const { start, targets } = edges;
  const nodeCount = start.length - 1;
  const state = new Uint8Array(nodeCount); // 0 new, 1 on the stack, 2 done
  const stack: number[] = [];
  const cursor: number[] = []; // per stack entry, its next edge
  for (let root = 0; root < nodeCount; root++) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    stack.push(root);
    cursor.push(start[root]!);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const n = stack[top]!;
      const e = cursor[top]!;
      if (e < start[n + 1]!) {
        cursor[top] = e + 1;
        const m = targets[e]!;
        if (state[m] === 1) return stack.slice(stack.indexOf(m));
        if (state[m] === 0) {
          state[m] = 1;
          stack.push(m);
          cursor.push(start[m]!);
        }
      } else {
        stack.pop();
        cursor.pop();
        state[n] = 2;
      }
    }
  }
  return null;
}

/**
 * Rez `_get_dependency_order`: nodes are the request names then the other nodes sorted; the front node is
 * output once none of its (transitive) dependencies is left, else the first such dependency in list order
 * is moved to the front. With no cycles, that is: visit(n) = visit each not-yet-output dependency of n in
 * original list order, then output n. Reachability is a bitset per node (positions in that list).
 * Nodes are given by index, with `nameRanks[i]` the rank of node i's name in name order (distinct);
 * `requestNodes` in request order; returns node indices, or null when the graph has a cycle.
 */
function dependencyOrder(nameRanks: readonly number[], edges: Edges, requestNodes: readonly number[]): number[] | null {
  const { start, targets } = edges;
  const n = nameRanks.length;
  const position = new Int32Array(n).fill(-1);
  const nodes: number[] = [];
  for (const j of requestNodes) {
    if (position[j] === -1) {
      position[j] = nodes.length;
      nodes.push(j);
    }
  }
  // the others by name: (rank, node) packed in one number, sorted without a comparator (ranks are distinct)
  const others: number[] = [];
  for (let j = 0; j < n; j++) if (position[j] === -1) others.push(nameRanks[j]! * n + j);
  const byName = Float64Array.from(others).sort();
  for (let k = 0; k < byName.length; k++) {
    const j = byName[k]! % n;
    position[j] = nodes.length;
    nodes.push(j);
  }
  const words = (n + 31) >>> 5;
  const reach = new Uint32Array(n * words);
  const state = new Uint8Array(n); // by position: 0 new, 1 in progress, 2 reach computed
  let cyclic = false;
  // Both walks below keep their own stacks (a chain thousands deep would overflow the call stack).
  // closure(i): reach[i] = every j an edge leads to, and their reach (computed first).
  const stackI = new Int32Array(n);
  const stackE = new Int32Array(n); // per frame: its current edge (revisited once its target is done)
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    stackI[0] = root;
    stackE[0] = start[nodes[root]!]!;
    let sp = 1;
    while (sp > 0) {
      const i = stackI[sp - 1]!;
      const e = stackE[sp - 1]!;
      if (e >= start[nodes[i]! + 1]!) {
        state[i] = 2;
        sp--;
        continue;
      }
      const j = position[targets[e]!]!;
      if (state[j] === 0) {
        state[j] = 1;
        stackI[sp] = j;
        stackE[sp] = start[nodes[j]!]!;
        sp++;
        continue;
      }
      stackE[sp - 1] = e + 1;
      if (state[j] === 1) {
        cyclic = true;
        continue;
      }
      reach[i * words + (j >>> 5)]! |= 1 << (j & 31);
      for (let w = 0; w < words; w++) reach[i * words + w]! |= reach[j * words + w]!;
    }
  }
  if (cyclic) return null;

  // positions not output yet, as a bitset: a visit only looks at those of its reach
  const left = new Uint32Array(words).fill(0xffffffff);
  const ordered: number[] = [];
  // visit(i): visit every j of reach[i] still left, word by word (each word read when reached), then output i
  const frameW = new Int32Array(n);
  const frameBits = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if ((left[root >>> 5]! & (1 << (root & 31))) === 0) continue;
    stackI[0] = root;
    frameW[0] = 0;
    frameBits[0] = reach[root * words]! & left[0]!;
    let sp = 1;
    while (sp > 0) {
      const top = sp - 1;
      const i = stackI[top]!;
      let w = frameW[top]!;
      let bits = frameBits[top]!;
      while (bits === 0 && ++w < words) bits = reach[i * words + w]! & left[w]!;
      if (bits === 0) {
        left[i >>> 5]! &= ~(1 << (i & 31));
        ordered.push(nodes[i]!);
        sp--;
        continue;
      }
      const low = bits & -bits;
      const j = (w << 5) + 31 - Math.clz32(low);
      frameW[top] = w;
      frameBits[top] = bits ^ low;
      // (an earlier visit of this loop may have output it)
      if ((left[w]! & low) !== 0) {
        stackI[sp] = j;
        frameW[sp] = 0;
        frameBits[sp] = reach[j * words]! & left[0]!;
        sp++;
      }
    }
  }
  return ordered;
}

export { Scope as SolverScope };
export const SOLVER_VERSION = 2;
export function compareSolverVersions(a: Version, b: Version): number {
  return Version.compare(a, b);
}
