// Scopes (one family's slice or request), phases (a stack entry of the solve: scopes, extractions, status),
// and the working tables a solve borrows.
import { Requirement, type VersionRange } from "../version/index.js";
import { ensureLength } from "./bits.js";
import type { FailureReason } from "./failures.js";
import type { FamilyList, Slice } from "./slice.js";
import type { Solver } from "./solver.js";
import { existingVersionsHint } from "./hints.js";
import { PackageNotFoundError } from "./source.js";
import type { SolverVariant } from "./store.js";

export class Scope {
  readonly isEphemeral: boolean;
  readonly isConflict: boolean;
  private req: Requirement | undefined;
  /** `request` undefined: a normal scope, whose request `name==v1|==v2|...` is built when first asked for. */
  constructor(
    readonly name: string,
    request: Requirement | undefined,
    readonly slice: Slice | null,
    readonly fid: number,
  ) {
    this.req = request;
    // ephemeral scopes never hold a slice
    this.isEphemeral = slice === null && name.startsWith(".");
    this.isConflict = request !== undefined && request.conflict;
  }

  get request(): Requirement {
    return (this.req ??= Requirement.construct(this.name, this.slice!.range));
  }

  static create(request: Requirement, solver: Solver, fid: number = solver.store.interner.id(request.name)): Scope {
    if (request.conflict || request.name.startsWith(".")) return new Scope(request.name, request, null, fid);
    const slice = solver.variantSlice(request.name, request.range!, fid);
    if (slice === null) {
      const versions = (solver.store.get(request.name) ?? []).map((p) => p.version.toString()).reverse();
      const hint = existingVersionsHint(request.name, versions);
      throw new PackageNotFoundError(`Package could not be found: ${Requirement.construct(request.name, request.range!).toString()}`, hint ? { hint } : undefined);
    }
    return Scope.withSlice(request.name, slice, fid);
  }

  static withSlice(name: string, slice: Slice, fid: number): Scope {
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
export class SplitRest {
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
  /** The source's slice when it extracted (the versions that all require `request`; for explanations). */
  readonly slice: Slice;
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
        m.set(extractionKey(slice.fid, ids[k]!), { source: slice.name, request: reqs[k]!, slice });
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

export const NO_EXTRACTIONS = new ExtractionLog(null, 0, 0);

/** The `changed` list of a phase that changes nothing (solved, failed, or finalised). */
export const EMPTY_CHANGED: readonly number[] = [];

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

/** Key of an extraction (source family, requested family): a small integer while ids allow. */
function extractionKey(source: number, dest: number): number | string {
  return source < 0x8000 && dest < 0x8000 ? source * 0x8000 + dest : `${source}:${dest}`;
}

/** The index of the scope of family `fid` in `scopes`, or -1 (see Solver.solvePhase on the index table). */
export function scopeIndex(index: Int32Array, scopes: readonly Scope[], fid: number): number {
  const i = fid < index.length ? index[fid]! - 1 : -1;
  return i >= 0 && i < scopes.length && scopes[i]!.fid === fid ? i : -1;
}

/**
 * A solve's working tables (most by family id), lent from a pool for the length of a solve: making (and
 * zero-filling) them for every solve cost as much as a small solve's own work, and a JS array first written
 * at a high index is kept as a hash table. Entries a solve sets are listed in `touched` and cleared when it
 * gives them back.
 */
export class SolveTables {
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

  /** Tables for a solve whose store has `familyCount` family ids so far. */
  static take(familyCount: number): SolveTables {
    const tables = SolveTables.pool.pop() ?? new SolveTables();
    tables.fit(familyCount);
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

  /** Grows the tables to hold family ids below `familyCount` (and some to spare). */
  fit(familyCount: number): void {
    const n = familyCount + 64;
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
    if (fid >= this.index.length) this.fit(fid + 1);
    this.index[fid] = i + 1;
    this.touched.push(fid);
  }

  familyList(fid: number): FamilyList | undefined {
    return this.familyLists[fid];
  }

  setFamilyList(fid: number, list: FamilyList): void {
    if (fid >= this.index.length) this.fit(fid + 1);
    this.familyLists[fid] = list;
    this.touched.push(fid);
  }

  /** Scope x of family id f, that requires family `fid`, is registered as the pair (x, f). */
  addDependent(fid: number, x: number, f: number): void {
    if (fid >= this.index.length) this.fit(fid + 1);
    const list = this.scopeDependents[fid]!;
    const n = this.dependentCount[fid]!;
    if (n === 0) this.touched.push(fid);
    list[n] = x;
    list[n + 1] = f;
    this.dependentCount[fid] = n + 2;
  }
}
