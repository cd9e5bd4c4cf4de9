// Failure graph (Rez `_ResolvePhase.get_graph` styling) as DOT, and the plain-words explanation of a failure
// (worked out in derivation.ts), both bounded by the resolve's time limit.
import { Digraph, resolveGraphDot } from "../graph/index.js";
import type { GraphAttrValue } from "../graph/index.js";
import { RequirementList, type Requirement } from "../version/index.js";
import { derivationText, gatherFacts } from "./derivation.js";
import type { Phase } from "./phase.js";
import type { Solver } from "./solver.js";

interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly fill: string;
  readonly style: string;
  readonly isRequest: boolean;
}

interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly attrs: Record<string, string>;
}

/** Thrown when the deadline passes while a failure is explained. */
class OutOfTime extends Error {}

class FailGraph {
  /** `deadline`: Date.now() past which building or walking the graph stops (see tick). */
  constructor(private readonly deadline: number) {}
  private ticks = 0;
  /** Called once per unit of work: throws OutOfTime once the deadline has passed (looked at every 1,024). */
  tick(): void {
    if ((++this.ticks & 1023) === 0 && Date.now() > this.deadline) throw new OutOfTime("time limit exceeded");
  }
  readonly nodes = new Map<string, GraphNode>();
  /** Every edge, in the order DOT lists them (re-adding one moves it to the end). */
  readonly edges = new Map<string, GraphEdge>();
  /** Per node, its out- and in-edges by the other end. */
  private readonly outs = new Map<string, Map<string, GraphEdge>>();
  private readonly ins = new Map<string, Map<string, GraphEdge>>();
  private counter = 1;
  addNode(label: string, fill: string, style: string, isRequest: boolean): string {
    this.tick();
    const id = `_${this.counter++}`;
    this.nodes.set(id, { id, label, fill, style, isRequest });
    return id;
  }
  addEdge(from: string, to: string, attrs: Record<string, string> = { arrowsize: "0.5" }): void {
    this.tick();
    const k = `${from}>${to}`;
    const edge = { from, to, attrs };
    this.edges.delete(k);
    this.edges.set(k, edge);
    const out = this.outs.get(from) ?? new Map<string, GraphEdge>();
    this.outs.set(from, out);
    out.delete(to);
    out.set(to, edge);
    const inn = this.ins.get(to) ?? new Map<string, GraphEdge>();
    this.ins.set(to, inn);
    inn.set(from, edge);
  }
  hasNeighbors(id: string): boolean {
    return (this.outs.get(id)?.size ?? 0) > 0;
  }
  /** The nodes from which some node of `targets` can be reached (targets included). */
  reaching(targets: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const todo: string[] = [];
    for (const t of targets) if (!seen.has(t)) (seen.add(t), todo.push(t));
    while (todo.length) {
      this.tick();
      const inn = this.ins.get(todo.pop()!);
      if (inn) for (const m of inn.keys()) if (!seen.has(m)) (seen.add(m), todo.push(m));
    }
    return seen;
  }
  /** The graph as Rez's pygraph holds it: attributes in Rez's order, edges by source node, labels apart. */
  toDigraph(): Digraph {
    const d = new Digraph();
    for (const n of this.nodes.values()) d.addNode(n.id, [["label", n.label], ["fontsize", 10], ["fillcolor", n.fill], ["style", `"${n.style}"`]]);
    for (const n of this.nodes.values()) {
      for (const e of this.outs.get(n.id)?.values() ?? []) {
        const { label = "", ...rest } = e.attrs;
        d.addEdge(e.from, e.to, { label, attrs: Object.entries(rest).map(([k, v]): [string, GraphAttrValue] => [k, k === "fontsize" ? Number(v) : v]) });
      }
    }
    return d;
  }
  removeNode(id: string): void {
    this.tick();
    this.nodes.delete(id);
    for (const to of this.outs.get(id)?.keys() ?? []) {
      this.edges.delete(`${id}>${to}`);
      this.ins.get(to)?.delete(id);
    }
    for (const from of this.ins.get(id)?.keys() ?? []) {
      this.edges.delete(`${from}>${id}`);
      this.outs.get(from)?.delete(id);
    }
    this.outs.delete(id);
    this.ins.delete(id);
  }
}

const NODE = "#F6F6F6";
const REQUEST = "#FFFFAA";
const SOLVED = "#AAFFAA";

function buildGraph(solver: Solver, phase: Phase, deadline: number): { g: FailGraph; initial: string[]; failureNodes: Set<string> } {
  if (Date.now() > deadline) throw new OutOfTime("time limit exceeded");
  const g = new FailGraph(deadline);
  const building = solver.settings.building;
  const requestNodes = new Map<string, string>();
  /** The requirement each request node was made for (Rez keys its request nodes by the requirement). */
  const nodeRequests = new Map<string, Requirement>();
  const scopeNodes = new Map<string, string>();
  const scopeRequests = new Map<string, Requirement>();
  const failureNodes = new Set<string>();
  const scopes = new Map(phase.scopes.map((s) => [s.name, s]));
  const requestNode = (r: Requirement, initial = false): string => {
    const k = r.toString();
    const id = requestNodes.get(k);
    if (id) return id;
    const nid = g.addNode(k, initial ? REQUEST : NODE, "filled,dashed", true);
    requestNodes.set(k, nid);
    nodeRequests.set(nid, r);
    return nid;
  };
  const initial: string[] = [];
  for (const r of solver.requestList.requirements) initial.push(requestNode(r, true));
  for (const s of phase.scopes) {
    if (s.isConflict) {
      const id = requestNodes.get(s.request.toString());
      if (id) {
        scopeNodes.set(s.name, id);
        requestNodes.delete(s.request.toString());
        continue;
      }
    }
    const v = s.solvedVariant();
    const id = v
      ? g.addNode(v.toString(), SOLVED, "filled", false)
      : g.addNode(s.toString(), NODE, s.isConflict ? "filled,dashed" : "filled", false);
    scopeNodes.set(s.name, id);
    scopeRequests.set(id, s.request);
  }
  for (const r of solver.requestList.requirements) {
    const id1 = requestNodes.get(r.toString());
    const id2 = scopeNodes.get(r.name);
    if (id1 && id2) g.addEdge(id1, id2);
  }
  for (const s of phase.scopes) {
    const v = s.solvedVariant();
    if (!v) continue;
    const id1 = scopeNodes.get(s.name)!;
    for (const r of v.requiresList(building).requirements) g.addEdge(id1, requestNode(r));
  }
  for (const ex of phase.extractions.values()) {
    const id1 = scopeNodes.get(ex.source);
    if (id1) g.addEdge(id1, requestNode(ex.request));
  }
  const byDest = new Map<string, Requirement[]>();
  for (const ex of phase.extractions.values()) {
    const list = byDest.get(ex.request.name);
    if (list) list.push(ex.request);
    else byDest.set(ex.request.name, [ex.request]);
  }
  for (const [fam, reqs] of byDest) {
    if (reqs.length < 2) continue;
    const rl = new RequirementList(reqs);
    if (rl.conflict) continue;
    const merged = rl.get(fam)!;
    for (const r of reqs) {
      if (!merged.equals(r)) g.addEdge(requestNode(r), requestNode(merged), { arrowsize: "1", arrowhead: "odot" });
    }
  }
  const conflictEdge = (a: string, b: string, label: string): void => {
    g.addEdge(a, b, { arrowsize: "1", label, style: "bold", color: "red", fontcolor: "red" });
    failureNodes.add(a);
    failureNodes.add(b);
  };
  const fr = phase.failureReason;
  if (fr?.kind === "dependency_conflicts") {
    for (const c of fr.conflicts) {
      const scopeN = scopeNodes.get(c.conflictingRequest.name);
      const scopeR = scopeN ? scopeRequests.get(scopeN) : undefined;
      if (scopeN && scopeR && scopeR.conflictsWith(c.conflictingRequest)) conflictEdge(requestNode(c.conflictingRequest), scopeN, "CONFLICT");
      else if (scopeN && !scopeR) conflictEdge(scopeN, requestNode(c.dependency), "CONFLICT");
      else conflictEdge(requestNode(c.dependency), scopeN ?? requestNode(c.conflictingRequest), "CONFLICT");
    }
  } else if (fr?.kind === "total_reduction") {
    for (const red of fr.reductions) {
      const id1 = scopeNodes.get(red.name);
      const id3 = scopeNodes.get(red.conflictingRequest.name);
      if (!id1 || !id3) continue;
      const id2 =
        fr.reductions.length === 1 ? requestNode(red.dependency) : g.addNode(red.dependency.toString(), NODE, "filled,dashed", true);
      if (fr.reductions.length === 1) g.addEdge(id1, id2);
      else g.addEdge(id1, id2, { arrowsize: "1", label: red.reduceeStr(), fontsize: "10" });
      failureNodes.add(id1);
      conflictEdge(id2, id3, "CONFLICT");
    }
  } else if (fr?.kind === "cycle") {
    fr.packages.forEach((p, i) => {
      const a = scopeNodes.get(p.name);
      const b = scopeNodes.get(fr.packages[(i + 1) % fr.packages.length]!.name);
      if (a && b) conflictEdge(a, b, "CYCLE");
    });
  }
  for (const id1 of requestNodes.values()) {
    if (g.hasNeighbors(id1)) continue;
    const req = nodeRequests.get(id1);
    if (!req) continue;
    const id2 = scopeNodes.get(req.name);
    const scope = scopes.get(req.name);
    if (id2 && scope && !req.conflictsWith(scope.request)) g.addEdge(id1, id2);
  }
  if (failureNodes.size) {
    // a node that reaches no failure node goes (removing it changes what no other node reaches)
    const keep = g.reaching(failureNodes);
    for (const id of [...g.nodes.keys()]) if (!keep.has(id)) g.removeNode(id);
  }
  return { g, initial: initial.filter((id) => g.nodes.has(id)), failureNodes };
}


/** What a failed resolve adds to Rez's description: the plain-words explanation, and the graph. */
export interface FailureExplanation {
  readonly explanation: string;
  /** null when the time ran out first. */
  readonly graph: Digraph | null;
}

/** The explanation when the time limit passes before it is worked out. */
export const OUT_OF_TIME_EXPLANATION = "The time limit was reached before this failure could be explained.";

/**
 * The explanation and failure graph of a failed phase (one graph serves both), unless Date.now() passes
 * `deadline` while they are worked out: the resolve's time limit bounds them too. `asked`: the request as
 * written (the solver holds it merged).
 */
export function explainFailure(solver: Solver, phase: Phase, deadline = Infinity, asked?: readonly Requirement[]): FailureExplanation {
  try {
    const { g } = buildGraph(solver, phase, deadline);
    const tick = (): void => g.tick();
    return { explanation: derivationText(gatherFacts(solver, phase, tick, asked), tick), graph: g.toDigraph() };
  } catch (e) {
    if (e instanceof OutOfTime) return { explanation: OUT_OF_TIME_EXPLANATION, graph: null };
    throw e;
  }
}

/** The failure graph in Graphviz DOT, as Rez's write_dot writes it. */
export function failureGraphDot(solver: Solver, phase: Phase): string {
  return resolveGraphDot(buildGraph(solver, phase, Infinity).g.toDigraph());
}

/** The graph of any phase (Rez's _ResolvePhase.get_graph): a solved one draws the resolve. */
export function phaseGraph(solver: Solver, phase: Phase): Digraph {
  return buildGraph(solver, phase, Infinity).g.toDigraph();
}

/** The numbered plain-words derivation of a failed phase (see derivation.ts), with its hint. */
export function failureExplanation(solver: Solver, phase: Phase): string {
  return derivationText(gatherFacts(solver, phase, () => {}));
}
