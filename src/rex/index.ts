export * from "./actions.js";
export * from "./format.js";
export * from "./steps.js";
export * from "./recorder.js";
export * from "./protocol.js";
export * from "./pkgrs.js";
export * from "./names.js";
