export * from "./config.js";
export * from "./packages-path.js";
