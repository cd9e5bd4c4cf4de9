// A directed graph as Rez's pygraph keeps one: nodes in the order added, each node's out-edges in the order
// added (adding an edge again moves it to the end of its source's list), attributes as ordered pairs.

/** An attribute value: Rez keeps numbers (fontsize 10) and strings apart, and its compacted form shows it. */
export type GraphAttrValue = string | number;
export type GraphAttrs = readonly (readonly [string, GraphAttrValue])[];

export interface GraphNode {
  readonly id: string;
  readonly attrs: GraphAttrs;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Empty when the edge has none. */
  readonly label: string;
  readonly attrs: GraphAttrs;
}

export class Digraph {
  private readonly nodeMap = new Map<string, GraphNode>();
  private readonly outs = new Map<string, Map<string, GraphEdge>>();

  /** Adds a node (a node already there keeps its attributes, as pygraph's add_node refuses it). */
  addNode(id: string, attrs: GraphAttrs = []): void {
    if (this.nodeMap.has(id)) return;
    this.nodeMap.set(id, { id, attrs });
    this.outs.set(id, new Map());
  }

  hasNode(id: string): boolean {
    return this.nodeMap.has(id);
  }

  /** Adds (or replaces, moving it last among its source's edges) an edge; both ends are added if missing. */
  addEdge(from: string, to: string, options: { readonly label?: string; readonly attrs?: GraphAttrs } = {}): void {
    this.addNode(from);
    this.addNode(to);
    const out = this.outs.get(from)!;
    out.delete(to);
    out.set(to, { from, to, label: options.label ?? "", attrs: options.attrs ?? [] });
  }

  removeNode(id: string): void {
    this.nodeMap.delete(id);
    this.outs.delete(id);
    for (const out of this.outs.values()) out.delete(id);
  }

  /** Nodes in the order added. */
  get nodes(): readonly GraphNode[] {
    return [...this.nodeMap.values()];
  }

  /** Edges grouped by source node (in node order), each group in the order added (pygraph's edges()). */
  get edges(): readonly GraphEdge[] {
    const all: GraphEdge[] = [];
    for (const out of this.outs.values()) all.push(...out.values());
    return all;
  }

  /** A node's attribute, or undefined. */
  attr(id: string, key: string): GraphAttrValue | undefined {
    return this.nodeMap.get(id)?.attrs.find(([k]) => k === key)?.[1];
  }
}
