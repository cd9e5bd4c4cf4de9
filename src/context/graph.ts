// The graphs of a context, as rez-context draws them: the resolve graph the solver drew (kept in the context
// file in Rez's compacted form, or as DOT in older files), the simpler dependency graph, and either pruned
// down to one package.
import { Digraph, isCompactedGraph, readGraphString, resolveGraphDot } from "../graph/index.js";
import type { DrawnGraph } from "../graph/index.js";
import { parseRequirement } from "../version/index.js";
import type { ResolvedContext } from "./resolved-context.js";
import { qualifiedPackageName } from "./variant.js";

/**
 * Rez's ResolvedContext.graph(as_dot=True): the resolve graph the context file holds, in either form Rez
 * wrote (compacted, or plain DOT in older files, whose text is printed as it is); undefined when it has
 * none. A graph that does not read throws GraphFormatError.
 */
export function contextResolveGraph(ctx: ResolvedContext): DrawnGraph | undefined {
  if (!ctx.graph) return undefined;
  const graph = readGraphString(ctx.graph);
  return { graph, dot: isCompactedGraph(ctx.graph) ? resolveGraphDot(graph) : ctx.graph };
}

/**
 * Rez's get_dependency_graph: a node per resolved package (and ephemeral), named by family and labelled with
 * the package, an edge to each family it requires (weak and conflict requests left out). Rez keeps the edges
 * in a set, in no fixed order; pkg sorts them.
 */
export function contextDependencyGraph(ctx: ResolvedContext): Digraph {
  const attrs = (label: string): [string, string | number][] => [["fontsize", 10], ["fillcolor", "#AAFFAA"], ["style", "filled"], ["label", label]];
  const g = new Digraph();
  for (const v of ctx.variants) g.addNode(v.name, attrs(qualifiedPackageName(v)));
  for (const e of ctx.ephemerals) {
    const name = requestName(e);
    if (name !== undefined) g.addNode(name, attrs(e));
  }
  const edges = new Set<string>();
  const pairs: [string, string][] = [];
  for (const v of ctx.variants) {
    const requires = v.definition.attributes.requires;
    const texts = [...(Array.isArray(requires) ? requires.filter((r): r is string => typeof r === "string") : []), ...v.variantRequires];
    for (const text of texts) {
      try {
        const r = parseRequirement(text);
        if (r.conflict || edges.has(`${v.name}\0${r.name}`)) continue;
        edges.add(`${v.name}\0${r.name}`);
        pairs.push([v.name, r.name]);
      } catch {
        // a requirement that does not parse was reported when the package loaded
      }
    }
  }
  pairs.sort(([a, b], [c, d]) => (a < c ? -1 : a > c ? 1 : b < d ? -1 : b > d ? 1 : 0));
  for (const [from, to] of pairs) g.addEdge(from, to);
  return g;
}

function requestName(text: string): string | undefined {
  try {
    return parseRequirement(text).name;
  } catch {
    return undefined;
  }
}

/**
 * Rez's prune_graph: only the nodes from which a node of `family` can be reached (those nodes included), a
 * node being of the family its label (`foo-1.0[1]`, `~foo-2`) names; undefined when no node is.
 */
export function pruneGraph(g: Digraph, family: string): Digraph | undefined {
  const targets = g.nodes.filter((n) => {
    const label = String(g.attr(n.id, "label") ?? n.id).replace(/^["']+|["']+$/g, "");
    return requestName(label.replace(/\[[^\]]*\]$/, "")) === family;
  });
  if (targets.length === 0) return undefined;
  const into = new Map<string, string[]>();
  for (const e of g.edges) into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
  const keep = new Set(targets.map((n) => n.id));
  const todo = [...keep];
  while (todo.length > 0) {
    for (const from of into.get(todo.pop()!) ?? []) if (!keep.has(from)) (keep.add(from), todo.push(from));
  }
  const pruned = new Digraph();
  for (const n of g.nodes) if (keep.has(n.id)) pruned.addNode(n.id, n.attrs);
  for (const e of g.edges) if (keep.has(e.from) && keep.has(e.to)) pruned.addEdge(e.from, e.to, { label: e.label, attrs: e.attrs });
  return pruned;
}
