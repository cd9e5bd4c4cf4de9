// Graphs: the Digraph model, DOT text in Rez's two forms, Rez's compacted form, Mermaid text, in-process SVG.
export * from "./digraph.js";
export * from "./dot.js";
export * from "./compact.js";
export * from "./mermaid.js";
export * from "./svg.js";
export * from "./files.js";
