// Which form a graph file takes, from its name, and the text of it.
import { extname } from "node:path";
import type { Digraph } from "./digraph.js";
import { mermaidGraph } from "./mermaid.js";
import { renderSvg } from "./svg.js";

export type GraphFileFormat = "dot" | "svg" | "mmd";

/** The extensions understood, for messages. */
export const GRAPH_FILE_EXTENSIONS: readonly string[] = [".dot", ".gv", ".svg", ".mmd", ".mermaid"];

/** `.dot`/`.gv` → DOT, `.svg` → SVG, `.mmd`/`.mermaid` → Mermaid; undefined for any other name. */
export function graphFileFormat(file: string): GraphFileFormat | undefined {
  switch (extname(file).toLowerCase()) {
    case ".dot":
    case ".gv":
      return "dot";
    case ".svg":
      return "svg";
    case ".mmd":
    case ".mermaid":
      return "mmd";
    default:
      return undefined;
  }
}

/** A drawn graph: its structure and the DOT text the command prints (each command has Rez's own DOT form). */
export interface DrawnGraph {
  readonly graph: Digraph;
  readonly dot: string;
}

/** The contents of a graph file of the given form (DOT and Mermaid end with a newline). */
export async function graphFileText(drawn: DrawnGraph, format: GraphFileFormat): Promise<string> {
  if (format === "svg") return renderSvg(drawn.dot);
  if (format === "mmd") return mermaidGraph(drawn.graph);
  return drawn.dot.endsWith("\n") ? drawn.dot : `${drawn.dot}\n`;
}
