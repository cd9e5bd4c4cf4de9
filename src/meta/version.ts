// Filled in by the bundler from package.json; falls back for tsx runs.
declare const __PKG_VERSION__: string | undefined;
export const PKG_VERSION: string = typeof __PKG_VERSION__ === "string" ? __PKG_VERSION__ : "0.0.0-dev";
