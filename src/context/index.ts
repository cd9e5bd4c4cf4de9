export * from "./variant.js";
export * from "./resolved-context.js";
export * from "./interpret.js";
export * from "./rxt.js";
export * from "./diff.js";
export * from "./environment.js";
export * from "./late.js";
export * from "./resolve-cache.js";
