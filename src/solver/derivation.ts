// The plain-words derivation of a failed resolve: numbered steps from the request, through which package
// requires what, to the conflict, total reduction or cycle the solver met; then a hint where one helps.
// gatherFacts reads the failed phase once; derivationText is a pure function of what it read.
import { Requirement, Version } from "../version/index.js";
import { versionedName, type FailureReason, type Reduction } from "./failures.js";
import type { Phase } from "./phase.js";
import type { Slice } from "./slice.js";
import type { Solver } from "./solver.js";

/** Who states a requirement: the request, or the candidates of one family's scope. */
export interface Party {
  /** "maya-2024", "x-1, x-2 and x-3", or the request's text. */
  readonly text: string;
  readonly plural: boolean;
  /** The family of these packages; null for the request. */
  readonly family: string | null;
}

/** One requirement on a family, and who states it. */
export interface Claim {
  readonly by: Party;
  readonly req: Requirement;
}

/** A family's scope in the failed phase. */
export interface ScopeFacts {
  /** Its candidates as a party; null for a conflict or ephemeral scope (no packages). */
  readonly party: Party | null;
  readonly request: Requirement;
  /** The versions still possible, oldest first ("y-1", "y-2"); empty for a conflict or ephemeral scope. */
  readonly left: readonly string[];
}

/** What the derivation is worked out from. */
export interface FailureFacts {
  /** The request, merged as the solver holds it, in order. */
  readonly requests: readonly Requirement[];
  /** The request as written, by family (a merged request stands for all of them). */
  readonly asked: ReadonlyMap<string, readonly string[]>;
  /** The two requests that could not be merged (then nothing else was solved). */
  readonly requestConflict: readonly [Requirement, Requirement] | null;
  readonly reason: FailureReason | null;
  /** Per family: the requirements on it, the request's first, then the packages' in the solver's order. */
  readonly claims: ReadonlyMap<string, readonly Claim[]>;
  readonly scopes: ReadonlyMap<string, ScopeFacts>;
  /** Failed phases in the solve; this one is the first (or the last, when the fail limit stopped it). */
  readonly failCount: number;
  /** The fail limit ended the resolve. */
  readonly gaveUp: boolean;
  /** Packages in each loaded family (for hints: whether another version exists). */
  readonly familySizes: ReadonlyMap<string, number>;
  /** Variants of each package, by "name-version" (a reduced candidate names its variant only if it has several). */
  readonly variantCounts: ReadonlyMap<string, number>;
}

const NO_CLAIMS: readonly Claim[] = [];
/** Past this many, lists say "and N more". */
const LIST_CAP = 3;
/** Cycles longer than this show their first and last links only. */
const CYCLE_CAP = 6;

/**
 * Reads the failed phase. `asked`: the request as written (the solver holds it merged, one per family);
 * `tick` is called once per unit of work (it throws when the time is up).
 */
export function gatherFacts(solver: Solver, phase: Phase, tick: () => void, asked: readonly Requirement[] = solver.requestList.requirements): FailureFacts {
  const askedByFamily = new Map<string, string[]>();
  for (const r of asked) {
    const list = askedByFamily.get(r.name);
    if (!list) askedByFamily.set(r.name, [r.toString()]);
    else if (!list.includes(r.toString())) list.push(r.toString());
  }
  const building = solver.settings.building;
  const claims = new Map<string, Claim[]>();
  const seen = new Set<string>();
  const add = (by: Party, req: Requirement): void => {
    tick();
    const key = `${by.family ?? ""}\u0000${by.text}\u0000${req.toString()}`;
    if (seen.has(key)) return;
    seen.add(key);
    const list = claims.get(req.name);
    if (list) list.push({ by, req });
    else claims.set(req.name, [{ by, req }]);
  };
  // (one slice extracts several families: label it once)
  const parties = new Map<Slice, Party>();
  const partyOf = (family: string, slice: Slice): Party => {
    let p = parties.get(slice);
    if (!p) parties.set(slice, (p = sliceParty(family, slice)));
    return p;
  };
  const requests = solver.requestList.requirements;
  for (const r of requests) add({ text: r.toString(), plural: false, family: null }, r);
  // what the phase extracted, labelled with the versions that extracted it
  for (const ex of phase.extractions.values()) add(partyOf(ex.source, ex.slice), ex.request);
  const scopes = new Map<string, ScopeFacts>();
  const familySizes = new Map<string, number>();
  const variantCounts = new Map<string, number>();
  for (const s of phase.scopes) {
    tick();
    const slice = s.slice;
    if (slice === null) {
      scopes.set(s.name, { party: null, request: s.request, left: [] });
      continue;
    }
    const party = partyOf(s.name, slice);
    scopes.set(s.name, { party, request: s.request, left: versionsLeft(slice) });
    familySizes.set(s.name, slice.family.length);
    for (const p of slice.family) variantCounts.set(versionedName(p.name, p.version), p.variants.length);
    // a phase after a split keeps no log of what its parent extracted: the scopes still say it
    const v = s.solvedVariant();
    if (v) for (const r of v.requiresList(building).requirements) add(party, r);
    else for (const r of slice.extractedReqs ?? []) if (r) add(party, r);
  }
  for (const r of requests) {
    if (!r.conflict && !r.ephemeral && !familySizes.has(r.name) && solver.store.has(r.name)) {
      familySizes.set(r.name, solver.store.get(r.name)?.length ?? 0);
    }
  }
  return {
    requests,
    asked: askedByFamily,
    requestConflict: solver.requestList.conflict,
    reason: phase.failureReason,
    claims,
    scopes,
    failCount: solver.numFails,
    // the solver marks the failure it reports after the fail limit stopped it so
    gaveUp: solver.failedPhase()?.description === "\u0000",
    familySizes,
    variantCounts,
  };
}

/** A slice's candidates: one variant, one package, or a list of versions. */
function sliceParty(family: string, slice: Slice): Party {
  if (slice.single) {
    const v = slice.firstVariant;
    const text = versionedName(v.name, v.version) + (v.index !== null && v.pkg.variants.length > 1 ? ` (variant ${v.index})` : "");
    return { text, plural: false, family };
  }
  const left = versionsLeft(slice);
  if (left.length === 1) return { text: left[0]!, plural: false, family };
  return { text: listOf(left, `versions of ${family}`), plural: true, family };
}

function versionsLeft(slice: Slice): string[] {
  const versions = [...new Set(slice.entries.map((e) => e.pkg.version))].sort(Version.compare);
  return versions.map((v) => versionedName(slice.name, v));
}

/** "a", "a and b", "a, b and c"; past LIST_CAP: "a, b, c and N more <what>". */
function listOf(items: readonly string[], what = "", joiner = "and"): string {
  if (items.length > LIST_CAP + 1) {
    const rest = items.length - LIST_CAP;
    return `${items.slice(0, LIST_CAP).join(", ")} ${joiner} ${rest} more${what ? ` ${what}` : ""}`;
  }
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${joiner} ${items[items.length - 1]}`;
}

/** A requirement that lets packages in (a plain or weak one), as opposed to one that rules them out. */
function allows(r: Requirement): boolean {
  return !r.conflict || r.weak;
}

/** The range a plain or weak requirement allows, as written ("" for any). */
function allowedRange(r: Requirement): string {
  if (r.range === null) return "";
  if (!r.weak) return r.range.toString();
  return r.range.inverse()?.toString() ?? "";
}

/** Why two requirements on one family cannot both hold. */
function incompatibility(a: Requirement, b: Requirement): string {
  if (allows(a) && allows(b)) {
    const ra = allowedRange(a);
    const rb = allowedRange(b);
    if (ra && rb) return `No version of ${a.name} is both ${ra} and ${rb}`;
    return `No version of ${a.name} satisfies both ${a.toString()} and ${b.toString()}`;
  }
  if (allows(a)) return `${b.toString()} rules out ${a.toString()}`;
  if (allows(b)) return `${a.toString()} rules out ${b.toString()}`;
  return `${a.toString()} and ${b.toString()} cannot both hold`;
}

function verb(p: Party): string {
  return p.plural ? "require" : "requires";
}

/** The numbered steps being written, and the requests they lead back to. */
class Steps {
  readonly lines: string[] = [];
  private readonly said = new Set<string>();
  readonly roots = new Set<Requirement>();
  say(text: string): void {
    if (this.said.has(text)) return;
    this.said.add(text);
    this.lines.push(text);
  }
}

/** The shortest way each family was reached from the request: the claim that brought it in. */
class Reach {
  readonly via = new Map<string, Claim>();
  readonly depth = new Map<string, number>();

  constructor(facts: FailureFacts, tick: () => void) {
    const out = new Map<string, Claim[]>();
    for (const list of facts.claims.values()) {
      for (const c of list) {
        tick();
        // only a plain requirement brings a package in
        if (c.by.family === null || c.req.conflict) continue;
        const l = out.get(c.by.family);
        if (l) l.push(c);
        else out.set(c.by.family, [c]);
      }
    }
    const queue: string[] = [];
    for (const r of facts.requests) {
      if (r.conflict || this.via.has(r.name)) continue;
      this.via.set(r.name, { by: { text: r.toString(), plural: false, family: null }, req: r });
      this.depth.set(r.name, 0);
      queue.push(r.name);
    }
    for (let i = 0; i < queue.length; i++) {
      const f = queue[i]!;
      for (const c of out.get(f) ?? []) {
        tick();
        if (this.via.has(c.req.name)) continue;
        this.via.set(c.req.name, c);
        this.depth.set(c.req.name, this.depth.get(f)! + 1);
        queue.push(c.req.name);
      }
    }
  }

  /** How far a claim is from the request (the request's own: 0; unreachable: Infinity). */
  distance(c: Claim): number {
    return c.by.family === null ? 0 : (this.depth.get(c.by.family) ?? Infinity) + 1;
  }
}

/** One side of a conflict: whose requirement it is, and the requirement shown for it. */
interface Side {
  readonly owners: readonly Claim[];
  readonly req: Requirement;
  /** The owners' requirements only hold `req` together. */
  readonly merged: boolean;
}

class Derivation {
  private readonly steps = new Steps();
  private readonly reach: Reach;
  private hint: string | null = null;

  constructor(
    private readonly facts: FailureFacts,
    private readonly tick: () => void,
  ) {
    this.reach = new Reach(facts, tick);
  }

  text(): string {
    const fr = this.facts.reason;
    if (this.facts.requestConflict) this.requestConflict(this.facts.requestConflict);
    else if (fr?.kind === "dependency_conflicts") for (const c of fr.conflicts) this.conflict(c.dependency, c.conflictingRequest);
    else if (fr?.kind === "total_reduction" && fr.reductions.length > 0) this.reduction(fr.reductions);
    else if (fr?.kind === "cycle" && fr.packages.length > 0) this.cycle(fr.packages);
    else return "";
    const lines = this.steps.lines.map((l, i) => `  ${i + 1}. ${l}`);
    if (this.hint) lines.push(`hint: ${this.hint}`);
    return lines.join("\n");
  }

  private claimsOn(family: string): readonly Claim[] {
    return this.facts.claims.get(family) ?? NO_CLAIMS;
  }

  /** The steps from the request to `family` being in the resolve. */
  private chainTo(family: string): void {
    const path: Claim[] = [];
    let f: string | null = family;
    while (f !== null) {
      this.tick();
      const c = this.reach.via.get(f);
      if (!c) break;
      if (c.by.family === null) {
        this.steps.roots.add(c.req);
        break;
      }
      path.push(c);
      f = c.by.family;
    }
    for (let i = path.length - 1; i >= 0; i--) this.steps.say(claimSentence(path[i]!));
  }

  /** The steps that lead to a claim, and the claim itself (a request's own is its root). */
  private explain(c: Claim): void {
    if (c.by.family === null) {
      this.steps.roots.add(c.req);
      return;
    }
    this.chainTo(c.by.family);
    this.steps.say(claimSentence(c));
  }

  private nearest(claims: readonly Claim[]): Claim | undefined {
    let best: Claim | undefined;
    for (const c of claims) if (best === undefined || this.reach.distance(c) < this.reach.distance(best)) best = c;
    return best;
  }

  /** Who stands behind requirement `r` (as the solver reported it), against `other` on the same family. */
  private sideOf(r: Requirement, other: Requirement | null, taken: readonly Claim[]): Side {
    const claims = this.claimsOn(r.name).filter((c) => !taken.includes(c));
    const text = r.toString();
    const exact = this.nearest(claims.filter((c) => c.req.toString() === text));
    if (exact) return { owners: [exact], req: r, merged: false };
    // a scope's own request (`c==2`) or a merged one: the claim that conflicts by itself
    if (other !== null) {
      const alone = this.nearest(claims.filter((c) => c.req.merged(other) === null));
      if (alone) return { owners: [alone], req: alone.req, merged: false };
    }
    // requirements that only together come to `r`
    const parts = claims.filter((c) => allows(c.req) === allows(r) && allowedRange(c.req) !== "" && c.req.merged(r)?.toString() === text);
    if (parts.length > 0) return { owners: parts.slice(0, LIST_CAP + 1), req: r, merged: parts.length > 1 };
    return { owners: [], req: r, merged: false };
  }

  /** How the conflict step names each side's owners (a list of versions, named in its own step, by family). */
  private partyName(side: Side): string[] {
    if (side.owners.length === 0) return [`what is left of ${side.req.name} (${side.req.toString()})`];
    return side.owners.map((c) => {
      if (c.by.family === null) {
        const as = this.askedAs(c.req);
        return `your request${as.length > 1 ? "s" : ""} ${listOf(as)}`;
      }
      return c.by.plural ? `every version of ${c.by.family} left` : c.by.text;
    });
  }

  private conflict(a: Requirement, b: Requirement): void {
    const sideA = this.sideOf(a, b, []);
    const sideB = this.sideOf(b, sideA.req, sideA.owners);
    for (const side of [sideA, sideB]) {
      for (const c of side.owners) this.explain(c);
      if (side.merged) this.steps.say(`Together, ${listOf(this.partyName(side), "packages")} allow only ${side.req.toString()}.`);
    }
    const parties = [...new Set([...this.partyName(sideA), ...this.partyName(sideB)])];
    const allRequests = [...sideA.owners, ...sideB.owners].every((c) => c.by.family === null) && parties.length > 1;
    const who = allRequests
      ? `your requests ${listOf([...new Set([...sideA.owners, ...sideB.owners].flatMap((c) => this.askedAs(c.req)))])}`
      : listOf(parties, "packages");
    this.steps.say(`${incompatibility(sideA.req, sideB.req)}, so ${who} cannot be used together.`);
    this.finish();
    this.hintToRelax(this.example(sideA, sideB));
  }

  /** "e.g." for relaxing the later request, when it is the package that states its side of the conflict. */
  private example(sideA: Side, sideB: Side): string | null {
    const roots = this.sortedRoots();
    if (roots.length !== 2) return null;
    const later = roots[1]!;
    for (const [side, other] of [[sideA, sideB], [sideB, sideA]] as const) {
      const owner = side.owners.length === 1 ? side.owners[0]! : undefined;
      if (owner?.by.family === later.name && this.reach.via.get(later.name)?.req === later) {
        return `a version of ${later.name} that works with ${other.req.toString()}`;
      }
    }
    return null;
  }

  private reduction(reductions: readonly Reduction[]): void {
    const first = reductions[0]!;
    const x = first.name;
    const by = first.conflictingRequest;
    const y = by.name;
    this.chainTo(x);
    const yScope = this.facts.scopes.get(y);
    const onY = this.claimsOn(y).filter((c) => c.by.family !== x);
    let holding: Claim[];
    if (yScope?.party) {
      const plain = onY.filter((c) => !c.req.conflict);
      const limiting = plain.filter((c) => allowedRange(c.req) !== "");
      holding = limiting.length > 0 ? limiting : plain.slice(0, 1);
    } else {
      const exact = onY.filter((c) => c.req.toString() === by.toString());
      holding = exact.length > 0 ? exact : onY.filter((c) => c.req.conflict);
    }
    for (const c of holding.slice(0, LIST_CAP)) this.explain(c);
    const hold = yScope?.party ? leftPhrase(y, yScope.left) : ruledOutPhrase(by);
    if (reductions.length === 1) {
      this.steps.say(`${this.candidate(first)} requires ${first.dependency.toString()}, but ${hold}, so no version of ${x} is left to use.`);
    } else {
      this.steps.say(`Of the versions of ${x} left, ${this.candidateGroups(reductions, y)}.`);
      this.steps.say(`But ${hold}, so no version of ${x} is left to use.`);
    }
    this.finish();
    const roots = this.sortedRoots();
    const direct = this.reach.via.get(x);
    const withWhat = yScope?.party && yScope.left.length === 1 ? yScope.left[0]! : by.toString();
    const eg = roots.length === 2 && direct?.by.family === null ? `a version of ${x} that works with ${withWhat}` : null;
    this.hintToRelax(eg);
  }

  /** A reduced candidate: its package, and its variant when the package has several. */
  private candidate(r: Reduction): string {
    const name = versionedName(r.name, r.version);
    const variants = this.facts.variantCounts.get(name) ?? 1;
    return r.variantIndex !== null && variants > 1 ? `${name} (variant ${r.variantIndex})` : name;
  }

  /** "x-2 requires y-2 and x-1 requires y-1": the candidates grouped by requirement, in the solver's order. */
  private candidateGroups(reductions: readonly Reduction[], y: string): string {
    const groups = new Map<string, string[]>();
    for (const r of reductions) {
      this.tick();
      const dep = r.dependency.toString();
      const names = groups.get(dep);
      const name = this.candidate(r);
      if (!names) groups.set(dep, [name]);
      else if (!names.includes(name)) names.push(name);
    }
    const parts: string[] = [];
    let rest = 0;
    for (const [dep, names] of groups) {
      if (parts.length < LIST_CAP) parts.push(`${listOf(names)} ${names.length > 1 ? "require" : "requires"} ${dep}`);
      else rest += names.length;
    }
    if (rest > 0) parts.push(`${rest} more ${rest > 1 ? "require" : "requires"} other ranges of ${y}`);
    // groups that are lists themselves are told apart by semicolons
    if (parts.length <= 2 && [...groups.values()].every((names) => names.length === 1)) return listOf(parts);
    return `${parts.slice(0, -1).join("; ")}; and ${parts[parts.length - 1]}`;
  }

  private cycle(packages: readonly { readonly name: string; readonly version: Version }[]): void {
    // start the loop at the package nearest to the request
    let start = 0;
    for (let i = 1; i < packages.length; i++) {
      const d = this.reach.depth.get(packages[i]!.name) ?? Infinity;
      if (d < (this.reach.depth.get(packages[start]!.name) ?? Infinity)) start = i;
    }
    const loop = [...packages.slice(start), ...packages.slice(0, start)];
    const label = (i: number): string => {
      const p = loop[i % loop.length]!;
      return this.facts.scopes.get(p.name)?.party?.text ?? versionedName(p.name, p.version);
    };
    const link = (i: number): string => {
      const next = loop[(i + 1) % loop.length]!.name;
      const c = this.claimsOn(next).find((cl) => cl.by.family === loop[i]!.name && !cl.req.conflict);
      return c ? c.req.toString() : next;
    };
    const n = loop.length;
    this.chainTo(loop[0]!.name);
    for (let i = 0; i < n; i++) {
      this.tick();
      if (n > CYCLE_CAP && i === 3) {
        this.steps.say(`In the same way, ${label(3)} leads on to ${label(n - 1)} through ${n - 5} more packages.`);
        i = n - 2;
        continue;
      }
      this.steps.say(`${label(i)} requires ${link(i)}.`);
    }
    const others = loop.slice(1).map((_, i) => label(i + 1));
    this.steps.say(`So ${label(0)} depends on itself through ${listOf(others, "packages")}, and a package cannot depend on itself.`);
    this.finish();
    this.hint = `the loop closes where ${label(n - 1)} requires ${link(n - 1)}; removing that requirement (or another one in the loop) breaks it.`;
  }

  private requestConflict([a, b]: readonly [Requirement, Requirement]): void {
    // (the requests on this family as written: `a` may be several merged)
    const asked = this.facts.asked.get(a.name) ?? [a.toString(), b.toString()];
    this.steps.say(`You asked for ${listOf(asked, "requests")}.`);
    this.steps.say(`${incompatibility(a, b)}, so the request cannot be resolved.`);
    this.hint = asked.length === 2 ? `keep only one of ${asked[0]} and ${asked[1]}.` : `drop or change one of the requests on ${a.name}: ${listOf(asked, "requests", "or")}.`;
  }

  private sortedRoots(): Requirement[] {
    const order = this.facts.requests;
    return [...this.steps.roots].sort((p, q) => order.indexOf(p) - order.indexOf(q));
  }

  /** A (merged) request as written: every request on its family. */
  private askedAs(r: Requirement): readonly string[] {
    return this.facts.asked.get(r.name) ?? [r.toString()];
  }

  private askedRoots(): string[] {
    return [...new Set(this.sortedRoots().flatMap((r) => this.askedAs(r)))];
  }

  /** The last step: the requests it all comes from, and what became of the resolve. */
  private finish(): void {
    const roots = this.askedRoots();
    const asked = roots.length > 0 ? `You asked for ${listOf(roots, "requests")}` : "";
    const n = this.facts.failCount;
    if (this.facts.gaveUp) {
      const stop = `pkg stopped at the fail limit after ${n === 1 ? "this failed attempt" : `${n} failed attempts (this is the last)`}, so the request was not resolved.`;
      this.steps.say(asked ? `${asked}; ${stop}` : stop.charAt(0).toUpperCase() + stop.slice(1));
      return;
    }
    const tried = n > 1 ? ` (this is the first of ${n} failed attempts; the ${n === 2 ? "other" : "others"} failed too)` : "";
    this.steps.say(asked ? `${asked}, so the request cannot be resolved${tried}.` : `So the request cannot be resolved${tried}.`);
  }

  /** Which requests to relax: two or more roots; or another version of the one request. */
  private hintToRelax(example: string | null): void {
    const roots = this.sortedRoots();
    const more = this.facts.gaveUp ? "raise the fail limit so that pkg tries more versions, or " : "";
    if (roots.length >= 2) {
      this.hint = `${more}relax one of the requests: ${listOf(this.askedRoots(), "requests", "or")}${example ? ` (e.g. ${example})` : ""}.`;
      return;
    }
    // another version of the one request helps only if one exists that this attempt did not hold
    const only = roots[0];
    const held = only ? (this.facts.scopes.get(only.name)?.left.length ?? 0) : 0;
    if (only && !only.conflict && this.facts.failCount === 1 && (this.facts.familySizes.get(only.name) ?? 0) > held) {
      this.hint = `${more}the conflict lies within what ${listOf(this.askedAs(only))} requires; ask for another version of ${only.name}.`;
    } else if (more) this.hint = more.replace(/, or $/, ".");
  }
}

function claimSentence(c: Claim): string {
  return `${c.by.text} ${verb(c.by)} ${c.req.toString()}.`;
}

/** "the only version of y left is y-3" / "the only versions of y left are y-1, y-2 and y-3". */
function leftPhrase(family: string, left: readonly string[]): string {
  if (left.length === 1) return `the only version of ${family} left is ${left[0]}`;
  return `the only versions of ${family} left are ${listOf(left, `versions of ${family}`)}`;
}

/** What a conflict or ephemeral scope's request holds its family to. */
function ruledOutPhrase(by: Requirement): string {
  if (by.weak) {
    const range = by.range?.inverse();
    return `${by.name} is limited to ${range ? Requirement.construct(by.name, range).toString() : by.name} (${by.toString()})`;
  }
  if (by.conflict) {
    const ruled = by.range ? Requirement.construct(by.name, by.range).toString() : by.name;
    return `${ruled} is ruled out (${by.toString()})`;
  }
  return `${by.name} is limited to ${by.toString()}`;
}

/** The numbered plain-words derivation of the failure `facts` describe, with its hint line ("" if none). */
export function derivationText(facts: FailureFacts, tick: () => void = () => {}): string {
  return new Derivation(facts, tick).text();
}
