// The public, typed library API. The CLI is one client of it.
export * from "./version/index.js";
export * from "./package/index.js";
export * from "./repository/index.js";
// Both version/ and repository/ define Rez's package-name check (same rule); name the one to use.
export { isValidPackageName } from "./version/index.js";
