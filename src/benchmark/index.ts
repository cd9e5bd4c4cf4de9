export * from "./benchmark.js";
export * from "./archive.js";
