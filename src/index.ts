// The public, typed library API. The CLI is one client of it.
export * from "./version/index.js";
export * from "./package/index.js";
export * from "./repository/index.js";
