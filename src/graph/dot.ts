// Graphviz DOT text of a Digraph, in the two forms Rez prints: its own `write_dot` (rez-context and resolve
// graphs: `digraph g {`) and pygraph's writer through pydot (rez-depends: `digraph graphname {`).
import type { Digraph, GraphAttrs, GraphAttrValue } from "./digraph.js";

function attrsText(attrs: GraphAttrs): string {
  if (attrs.length === 0) return "";
  return `[${attrs.map(([k, v]) => `${k}="${String(v).replace(/^"+|"+$/g, "")}"`).join(", ")}]`;
}

/**
 * Rez's graph_utils.write_dot: one line per node (`_1 [label="foo", ...];`), then per edge, the label as the
 * last attribute; no indentation, no final newline. Node ids are written as they are (Rez's are `_N`).
 */
export function resolveGraphDot(g: Digraph): string {
  const lines = ["digraph g {"];
  for (const node of g.nodes) lines.push(`${node.id} ${attrsText(node.attrs)};`);
  for (const edge of g.edges) {
    const attrs: GraphAttrs = edge.label ? [...edge.attrs, ["label", edge.label]] : edge.attrs;
    lines.push(`${edge.from} -> ${edge.to} ${attrsText(attrs)};`);
  }
  lines.push("}");
  return lines.join("\n");
}

const DOT_KEYWORDS = new Set(["graph", "subgraph", "digraph", "node", "edge", "strict"]);

/** pydot's quote_if_necessary (without its port handling: package names have no colons). */
export function pydotQuote(text: string): string {
  if (text === "") return text;
  const plain =
    /^[_a-zA-Z][a-zA-Z0-9_,]*$/.test(text) || /^[0-9,]+$/.test(text) || /^".*"$/s.test(text) || /^<.*>$/s.test(text);
  // pydot leaves the keywords bare, which Graphviz then reads as keywords: pkg quotes them (docs/compatibility.md)
  if (plain && !DOT_KEYWORDS.has(text)) return text;
  return `"${text.replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
}

function pydotAttrs(attrs: GraphAttrs, label = ""): string {
  const all: [string, GraphAttrValue][] = attrs.map(([k, v]) => [k, v]);
  if (label) all.push(["label", label]);
  if (all.length === 0) return "";
  all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return ` [${all.map(([k, v]) => `${k}=${String(v) === "" ? '""' : pydotQuote(String(v))}`).join(", ")}]`;
}

/**
 * pygraph's dot writer as rez-depends prints it: `digraph graphname {`, a line per node with its attributes
 * sorted, then a line per edge, each ending in `;`, and a final newline.
 */
export function pydotGraphDot(g: Digraph): string {
  let text = "digraph graphname {\n";
  for (const node of g.nodes) text += `${pydotQuote(node.id)}${pydotAttrs(node.attrs)};\n`;
  // pydot joins an edge's parts with spaces, so its attribute list follows two spaces
  for (const edge of g.edges) {
    const attrs = pydotAttrs(edge.attrs, edge.label);
    text += `${pydotQuote(edge.from)} -> ${pydotQuote(edge.to)}${attrs ? ` ${attrs}` : ""};\n`;
  }
  return `${text}}\n`;
}
