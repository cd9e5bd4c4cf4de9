// The Rez resolve algorithm (solver.py, SOLVER_VERSION 2, optimised mode), reproduced step for step:
// phases on a stack, scopes per family, extraction / intersection / reduction, splitting, finalise.
// This file holds the phase loop (Solver); the data it works on is in the files beside it.
import { type Requirement, RequirementList, type VersionRange } from "../version/index.js";
import { clear, ensureLength, hasBit, sortInts } from "./bits.js";
import { computeFamInfo, type Entry, makeEntry, packageFamInfo } from "./facts.js";
import { DependencyConflict, type FailureReason, type Reduction } from "./failures.js";
import type { FamInfo } from "./intern.js";
import { remember } from "./memo.js";
import { finalisePhase, variantOrderKey } from "./order.js";
import { compareKeys, type OrderKey } from "./orderers.js";
import { EMPTY_CHANGED, ExtractionLog, ExtractionRecord, NO_EXTRACTIONS, Phase, type PhaseStatus, Scope, scopeIndex, SolveTables, SplitRest } from "./phase.js";
import { FamilyList, Slice } from "./slice.js";
import { PackageFamilyNotFoundError, ResolveError, type SolverSettings } from "./source.js";
import type { FamilyStore, SolverPackage, SolverVariant } from "./store.js";

/** A phase solve stopped before a round's intersections, to load families (see Solver.solvePhase). */
interface PausedSolve {
  readonly extractionStart: number;
  readonly prevNumScopes: number;
  readonly solvedPrefix: number;
  readonly dirty: number[];
  readonly spare: number[];
}

export type SolverStatus = "solved" | "failed" | "unsolved";

export class Solver {
  readonly requestList: RequirementList;
  readonly phaseStack: Phase[] = [];
  readonly failedPhases: Phase[] = [];
  solveCount = 0;
  /** Taken for a solve (or for variantSlice before one), given back when the solve ends. */
  private tablesTaken: SolveTables | null = null;
  private get tables(): SolveTables {
    return (this.tablesTaken ??= SolveTables.take(this.store.interner.size));
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
    this.requestFids = this.requestOrder.map((r) => this.store.interner.id(r.name));
  }

  // --- families and variant preference

  /** The family's packages in `range` as a slice, or null; `fid` is familyId(name). */
  variantSlice(name: string, range: VersionRange, fid: number = this.store.interner.id(name)): Slice | null {
    const tables = this.tables;
    let fl = tables.familyList(fid);
    if (fl === undefined) {
      const pkgs = this.store.get(name);
      if (pkgs === null) {
        throw new PackageFamilyNotFoundError(`package family not found: ${name} (searched: ${this.store.source.searchedPaths.join("; ")})`, undefined, name);
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
      const building = this.settings.building;
      info = pkg.famInfo(building) ?? pkg.keepFamInfo(building, this.computeFamInfo(variants));
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

          const conflict = this.mergeRound(roundStart);
          if (conflict !== null) return this.endPhase(scopes, "failed", conflict, extractionStart, solvedPrefix);
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
            throw new PackageFamilyNotFoundError(message, undefined, req.name);
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

      const n = numScopes;
      const sortedPairs = this.reductionPairs(scopes, prevNumScopes, n, widened, changed);
      if (!this.reduceAll(scopes, sortedPairs, n, dirty)) {
        return this.endPhase(scopes, "failed", { kind: "total_reduction", reductions: this.reductions }, extractionStart, solvedPrefix);
      }
      clear(changed);
    }
    return this.endPhase(scopes, null, null, extractionStart, solvedPrefix);
  }

  /**
   * Rez's RequirementList(extracted) over a round's extractions (the record's segments from `roundStart`):
   * same-family requirements merged in order into mergedReqs / mergedFids; the first failure is returned.
   */
  private mergeRound(roundStart: number): FailureReason | null {
    const record = this.extractionRecord;
    const tables = this.tables;
    const mergedReqs = this.mergedReqs;
    const mergedFids = this.mergedFids;
    clear(mergedReqs);
    clear(mergedFids);
    tables.fit(this.store.interner.size);
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
          if (m === null) return { kind: "dependency_conflicts", conflicts: [new DependencyConflict(existing, req)] };
          mergedReqs[mergePos[fid]!] = m;
        } else {
          mergeStamp[fid] = stamp;
          mergePos[fid] = mergedReqs.length;
          mergedReqs.push(req);
          mergedFids.push(fid);
        }
      }
    }
    return null;
  }

  /**
   * Pending reductions (x reduced by y, encoded x * n + y), as Rez: the set prev×changed ∪ prev×added ∪
   * added×all ∪ widened×all, sorted, to be popped from the end (see reduceAll), with (j, x) for every j
   * pushed on top whenever x changes. Only pairs where x's variants mention y's family can reduce anything,
   * and a slice's families only shrink meanwhile, so candidates found up front stay a superset (tested at
   * pop time).
   */
  private reductionPairs(scopes: readonly Scope[], prevNumScopes: number, n: number, widened: readonly number[], changed: readonly number[]): ArrayLike<number> {
    const pairs = this.pairList;
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
    return sortedPairs;
  }

  /**
   * Pops the pending reductions (sortedPairs from the end, with the (j, x) pairs pushed whenever x changes)
   * and reduces; reduced scopes are marked dirty. False when a scope is reduced to nothing.
   */
  private reduceAll(scopes: Scope[], sortedPairs: ArrayLike<number>, n: number, dirty: number[]): boolean {
    const markerX = this.markerX;
    const markerList = this.markerList;
    const markerPos = this.markerPos;
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
      if (next === null) return false;
      if (next !== target) {
        this.setScope(scopes, x, next);
        dirty.push(x);
        // (j, x) for every j != x, popped with j descending
        markerX.push(x);
        markerList.push(this.dependentsIn(scopes, x));
        markerPos.push(0);
      }
    }
    return true;
  }

  private finalise(phase: Phase): Phase {
    const done = finalisePhase(phase, this.requestList, this.settings.building, this.store.interner);
    if (done.variants !== null) this.resolved = { phase: done.phase, variants: done.variants };
    return done.phase;
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

export { Scope as SolverScope };
export const SOLVER_VERSION = 2;
