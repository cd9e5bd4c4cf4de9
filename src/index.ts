// The public, typed library API. The CLI is one client of it.
export * from "./version/index.js";
export * from "./package/index.js";
export * from "./python/index.js";
export * from "./config/index.js";
export * from "./repository/index.js";
export * from "./solver/index.js";
export * from "./rex/index.js";
export * from "./context/index.js";
export * from "./shells/index.js";
export * from "./benchmark/index.js";
export * from "./errors/index.js";
export * from "./report/index.js";
export * from "./build/index.js";
export * from "./query/index.js";
export * from "./payload-cache/index.js";
export * from "./graph/index.js";
