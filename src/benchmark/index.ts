export * from "./benchmark.js";
