// rez-depends: which families depend on a family, depth by depth, from each family's newest package (its
// head, which the repositories keep indexed in the definition cache).
import { Digraph } from "../graph/index.js";
import type { FamilyHead, RepositorySet } from "../repository/index.js";

export interface DependsOptions {
  /** Levels to follow; undefined: all. */
  readonly depth?: number;
  /** Count build_requires too. */
  readonly buildRequires?: boolean;
  /** Count the private_build_requires of the family asked about (Rez's -p reads only those). */
  readonly privateBuildRequires?: boolean;
}

export interface DependsOutcome {
  /** Depth 0 is the family itself; each next list the families depending on the one before, sorted. */
  readonly levels: readonly (readonly string[])[];
  /** `[dependent, dependency]` pairs, in the order found. */
  readonly edges: readonly (readonly [string, string])[];
}

/** Families the head requires. */
function requiredNames(family: string, head: FamilyHead, target: string, options: DependsOptions): readonly string[] {
  if (!options.buildRequires && !(options.privateBuildRequires && family === target)) return head.requires;
  const names = [...head.requires];
  if (options.buildRequires) names.push(...head.buildRequires);
  if (options.privateBuildRequires && family === target) names.push(...head.privateBuildRequires);
  return names;
}

/** The reverse-dependency tree of `name`; undefined when there is no such family. */
export async function reverseDependencies(set: RepositorySet, name: string, options: DependsOptions = {}): Promise<DependsOutcome | undefined> {
  const names = await set.familyNames();
  if (!names.includes(name)) return undefined;
  const levels: string[][] = [[name]];
  const edges: [string, string][] = [];
  if (options.depth === 0) return { levels, edges };
  const dependents = new Map<string, Set<string>>();
  for (const [family, head] of await set.familyHeads()) {
    for (const required of requiredNames(family, head, name, options)) {
      let set_ = dependents.get(required);
      if (!set_) dependents.set(required, (set_ = new Set()));
      set_.add(family);
    }
  }
  const consumed = new Set([name]);
  let working = [name];
  for (let depth = 0; working.length > 0 && (options.depth === undefined || depth < options.depth); depth++) {
    const next: string[] = [];
    for (const child of working) {
      for (const parent of [...(dependents.get(child) ?? [])].sort()) {
        if (consumed.has(parent)) continue;
        consumed.add(parent);
        next.push(parent);
        edges.push([parent, child]);
      }
    }
    if (next.length > 0) levels.push(next.sort());
    working = next;
  }
  return { levels, edges };
}

/** Rez's depends graph: the family asked about plain, each dependent grey, an edge from it to what it needs. */
export function dependsGraph(outcome: DependsOutcome): Digraph {
  const g = new Digraph();
  g.addNode(outcome.levels[0]![0]!);
  for (const [parent, child] of outcome.edges) {
    g.addNode(parent, [["fillcolor", "#F6F6F6"], ["style", "filled"], ["fontsize", 10]]);
    g.addEdge(parent, child);
  }
  return g;
}
