// Rez's package name rule `^[a-zA-Z_0-9](\.?[a-zA-Z0-9_]+)*$`, written without nested quantifiers (the literal
// form backtracks exponentially on long invalid names such as a directory "aaaa…aaa!").
const PACKAGE_NAME = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;

export function isValidPackageName(name: string): boolean {
  return name !== "__pycache__" && PACKAGE_NAME.test(name);
}

// Rez's Version syntax: word tokens separated by single non-word characters.
const VERSION = /^[A-Za-z0-9_]+(?:[^A-Za-z0-9_][A-Za-z0-9_]+)*$/;

export function isValidVersionString(version: string): boolean {
  return VERSION.test(version);
}

/** Rez compares versions by tokens only (`1.0` == `1-0`); this key is equal exactly when they are. */
export function versionIdentityKey(version: string): string {
  return (version.match(/[A-Za-z0-9_]+/g) ?? []).join(".");
}
