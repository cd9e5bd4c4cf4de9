// Orders the solver computes: Rez's variant preference key, and the resolve's dependency order (with the
// cycle search that makes a phase cyclic), and finalise, which puts a solved phase in that order.
import type { RequirementList } from "../version/index.js";
import type { FamilyInterner } from "./intern.js";
import { type OrderKey, rangeSortKey } from "./orderers.js";
import { EMPTY_CHANGED, Phase, type Scope } from "./phase.js";
import { ResolveError, type SolverSettings } from "./source.js";
import type { FamilyStore, SolverVariant } from "./store.js";

/**
 * Rez's variant sort key (larger first): requested families the variant mentions, by request position and
 * range, then the number and ranges of its other requirements, then its index.
 */
export function variantOrderKey(
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
export function requirementIds(v: SolverVariant, building: boolean): readonly number[] {
  let ids = building ? v.buildRequirementIds : v.requirementIds;
  if (ids === undefined) {
    const shared = v.sharedList(building);
    const interner = v.pkg.interner;
    ids = shared.ids ??= Array.from(shared.list.names, (name) => interner.id(name));
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

/**
 * Rez's finalise of a solved phase: its non-conflict scopes in dependency order (a cyclic phase when their
 * solved variants' requirements form a cycle), with the solved variants in that order (null when cyclic).
 */
export function finalisePhase(
phase: Phase,
requestList: RequirementList,
building: boolean,
interner: FamilyInterner,
): { readonly phase: Phase; readonly variants: readonly SolverVariant[] | null } {
  // Nodes are the non-conflict scopes (one per family), edges their solved variant's non-conflict
  // requirements on other nodes, in requirement order; all as small integers.
  const nodes: Scope[] = [];
  const nodeOf = new Int32Array(interner.size + 1); // fid -> node index + 1
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
  for (const r of requestList.requirements) {
    const fid = interner.knownId(r.name);
    const j = fid !== undefined && fid < nodeOf.length ? nodeOf[fid]! - 1 : -1;
    if (j >= 0) requestNodes.push(j);
  }
  const ranks = interner.ranks();
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
    return { phase: new Phase(nodes, "cyclic", { kind: "cycle", packages }, phase.extractionLog, EMPTY_CHANGED), variants: null };
  }
  const solved = new Phase(order.map((j) => nodes[j]!), "solved", phase.failureReason, phase.extractionLog, EMPTY_CHANGED);
  const resolved: SolverVariant[] = [];
  for (const j of order) if (variants[j] !== null) resolved.push(variants[j]!);
  return { phase: solved, variants: resolved };
}
