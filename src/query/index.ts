// Finding things in repositories: rez-search's patterns, times and --format.
export * from "./format.js";
export * from "./request.js";
export * from "./search.js";
export * from "./time.js";
export * from "./setting.js";
export * from "./plugins.js";
export * from "./depends.js";
export * from "./completion.js";
