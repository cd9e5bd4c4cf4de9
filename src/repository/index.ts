export * from "./types.js";
export * from "./cache.js";
export * from "./filesystem.js";
export * from "./memory.js";
export * from "./set.js";
export * from "./open.js";
export * from "./loader.js";
export * from "./stamp.js";
