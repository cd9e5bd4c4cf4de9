// Rez's read_graph_from_string: a context file's graph is its compacted Python literal (Rez 2.x on) or, in
// older files, plain DOT text.
import type { Digraph } from "./digraph.js";
import { readCompacted } from "./compact.js";
import { readDot } from "./dot-read.js";

/** Whether the text is the compacted form (Rez tells them apart by the first character). */
export function isCompactedGraph(text: string): boolean {
  return text.startsWith("{");
}

/** The graph of either form; GraphFormatError when it does not read. */
export function readGraphString(text: string): Digraph {
  return isCompactedGraph(text) ? readCompacted(text) : readDot(text);
}
