// Mermaid flowchart text of a Digraph, for Markdown viewers (GitHub, GitLab) that draw it: the same nodes,
// labels, colours, dashed request nodes and red conflict edges as the DOT form.
import type { Digraph, GraphAttrs } from "./digraph.js";

const get = (attrs: GraphAttrs, key: string): string | undefined => {
  const found = attrs.find(([k]) => k === key);
  return found === undefined ? undefined : String(found[1]).replace(/^"+|"+$/g, "");
};

/** Text inside `["..."]` or `|"..."|`: Mermaid's entity codes for the characters it would read. */
function mermaidText(text: string): string {
  return text.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/\n/g, "<br>");
}

export function mermaidGraph(g: Digraph, direction: "TD" | "LR" = "TD"): string {
  const ids = new Map<string, string>();
  g.nodes.forEach((node, i) => ids.set(node.id, `n${i + 1}`));
  const lines = [`flowchart ${direction}`];
  const styles: string[] = [];
  for (const node of g.nodes) {
    const id = ids.get(node.id)!;
    lines.push(`  ${id}["${mermaidText(get(node.attrs, "label") ?? node.id)}"]`);
    const parts: string[] = [];
    const fill = get(node.attrs, "fillcolor");
    if (fill) parts.push(`fill:${fill}`, "color:#000000", "stroke:#000000");
    if ((get(node.attrs, "style") ?? "").split(",").includes("dashed")) parts.push("stroke-dasharray:5 5");
    if (parts.length > 0) styles.push(`  style ${id} ${parts.join(",")}`);
  }
  g.edges.forEach((edge, i) => {
    const from = ids.get(edge.from)!;
    const to = ids.get(edge.to)!;
    const head = get(edge.attrs, "arrowhead") === "odot" ? "--o" : "-->";
    lines.push(edge.label ? `  ${from} ${head}|"${mermaidText(edge.label)}"| ${to}` : `  ${from} ${head} ${to}`);
    const color = get(edge.attrs, "color");
    if (color) styles.push(`  linkStyle ${i} stroke:${color},color:${get(edge.attrs, "fontcolor") ?? color}${get(edge.attrs, "style") === "bold" ? ",stroke-width:2px" : ""}`);
  });
  return [...lines, ...styles].join("\n") + "\n";
}
