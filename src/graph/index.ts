// Graphs: the Digraph model, DOT text in Rez's two forms, Rez's compacted form, DOT read back (old context files), Mermaid text, in-process SVG.
export * from "./digraph.js";
export * from "./dot.js";
export * from "./compact.js";
export * from "./mermaid.js";
export * from "./svg.js";
export * from "./files.js";
export * from "./dot-read.js";
export * from "./read.js";
