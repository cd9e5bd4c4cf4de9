export { isValidPackageName } from "../version/index.js";

// Rez's Version syntax: word tokens separated by single non-word characters.
const VERSION = /^[A-Za-z0-9_]+(?:[^A-Za-z0-9_][A-Za-z0-9_]+)*$/;

export function isValidVersionString(version: string): boolean {
  return VERSION.test(version);
}

/** Rez compares versions by tokens only (`1.0` == `1-0`); this key is equal exactly when they are. */
export function versionIdentityKey(version: string): string {
  return (version.match(/[A-Za-z0-9_]+/g) ?? []).join(".");
}
