// Validation of package attributes against Rez's schema (reference rez-core §4.1), plus the
// normalisations Rez applies on load (description/changelog dedented and stripped).

import type { PackageValue, SourceCode } from "./definition.js";

/** Checks one requirement string; throws an Error with a readable message when it is invalid. */
export type RequirementCheck = (text: string) => void;

export interface SchemaProblem {
  readonly attribute: string;
  readonly message: string;
}

export function isSourceCode(v: PackageValue | undefined): v is SourceCode {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as { kind?: unknown }).kind === "source" && typeof (v as { source?: unknown }).source === "string";
}

function isRecord(v: PackageValue | undefined): v is { readonly [key: string]: PackageValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isSourceCode(v);
}

function typeName(v: PackageValue): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return "list";
  if (isSourceCode(v)) return v.late ? "@late function" : "function";
  if (typeof v === "object") return "dict";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "boolean") return "bool";
  return "str";
}

export const REX_KEYS: readonly string[] = ["pre_commands", "commands", "post_commands", "pre_build_commands", "pre_test_commands"];

const LATE_BINDABLE = new Set([
  "requires",
  "build_requires",
  "private_build_requires",
  "has_plugins",
  "plugin_for",
  "tools",
  "help",
  "relocatable",
  "cachable",
  "tests",
]);
const KNOWN_NOT_LATE = new Set([
  "name",
  "version",
  "description",
  "authors",
  "variants",
  "hashed_variants",
  "uuid",
  "config",
  "timestamp",
  "revision",
  "previous_revision",
  "changelog",
  "release_message",
  "previous_version",
  "vcs",
  "format_version",
  "requires_rez_version",
  "build_system",
  "build_command",
  "base",
  ...REX_KEYS,
]);

/**
 * Problems with the attributes, in attribute order. An empty list means valid.
 * `checkRequirement` validates requirement strings (requires, build_requires, private_build_requires, variants);
 * pass undefined to skip that (pkg-rs `name@spec` strings are checked elsewhere).
 */
export function validatePackageAttributes(
  attributes: { readonly [key: string]: PackageValue },
  checkRequirement: RequirementCheck | undefined,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const bad = (attribute: string, message: string): void => {
    problems.push({ attribute, message });
  };
  const expect = (key: string, ok: boolean, what: string, value: PackageValue): void => {
    if (!ok) bad(key, `'${key}' must be ${what}, not ${typeName(value)}`);
  };
  const strList = (v: PackageValue): boolean => Array.isArray(v) && v.every((x) => typeof x === "string");
  const requirementList = (key: string, v: PackageValue, where: string): void => {
    if (!Array.isArray(v)) {
      bad(key, `'${where}' must be a list of requirement strings, not ${typeName(v)}`);
      return;
    }
    for (const item of v as readonly PackageValue[]) {
      if (typeof item !== "string") {
        bad(key, `'${where}' must hold requirement strings, not ${typeName(item)} (${JSON.stringify(item)})`);
        continue;
      }
      if (checkRequirement) {
        try {
          checkRequirement(item);
        } catch (e) {
          bad(key, `invalid requirement '${item}' in '${where}': ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
  };

  for (const [key, value] of Object.entries(attributes)) {
    if (isSourceCode(value)) {
      if (value.late && !LATE_BINDABLE.has(key) && KNOWN_NOT_LATE.has(key)) bad(key, `'${key}' cannot be late-bound (@late)`);
      else if (!value.late && !REX_KEYS.includes(key) && key !== "preprocess") bad(key, `'${key}' cannot be a function`);
      continue;
    }
    if (REX_KEYS.includes(key)) {
      if (Array.isArray(value)) bad(key, `'${key}' as a list of rez-1 commands is not supported; write a function or a string block`);
      else expect(key, typeof value === "string", "a function or a string block", value);
      continue;
    }
    switch (key) {
      case "name":
      case "version":
      case "uuid":
      case "vcs":
      case "previous_version":
      case "requires_rez_version":
      case "build_system":
      case "description":
      case "changelog":
        expect(key, typeof value === "string", "a string", value);
        break;
      case "release_message":
        expect(key, value === null || typeof value === "string", "a string or None", value);
        break;
      case "authors":
      case "tools":
      case "plugin_for":
        expect(key, strList(value), "a list of strings", value);
        break;
      case "requires":
      case "build_requires":
      case "private_build_requires":
        requirementList(key, value, key);
        break;
      case "variants":
        if (!Array.isArray(value)) bad(key, `'variants' must be a list of lists of requirement strings, not ${typeName(value)}`);
        else
          (value as readonly PackageValue[]).forEach((variant, i) => {
            requirementList(key, variant, `variants[${i}]`);
          });
        break;
      case "hashed_variants":
      case "has_plugins":
        expect(key, typeof value === "boolean", "True or False", value);
        break;
      case "relocatable":
      case "cachable":
        expect(key, value === null || typeof value === "boolean", "None, True or False", value);
        break;
      case "timestamp":
      case "format_version":
        expect(key, typeof value === "number" && Number.isInteger(value), "an int", value);
        break;
      case "config":
        expect(key, isRecord(value), "a dict (with scope('config'))", value);
        break;
      case "tests":
        expect(key, isRecord(value), "a dict", value);
        break;
      case "help":
        expect(
          key,
          typeof value === "string" || (Array.isArray(value) && value.every((e) => Array.isArray(e) && e.length === 2 && e.every((s) => typeof s === "string"))),
          "a string or a list of [label, url] pairs",
          value,
        );
        break;
      case "build_command":
        expect(key, typeof value === "string" || value === false || strList(value), "a string, a list of strings or False", value);
        break;
      default:
        break;
    }
  }
  return problems;
}

/** Python's textwrap.dedent(text).strip(), applied by Rez to description and changelog. */
export function dedentStrip(text: string): string {
  const lines = text.replace(/^[ \t]+$/gm, "").split("\n");
  let margin: string | undefined;
  for (const line of lines) {
    if (line === "") continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? "";
    if (margin === undefined) margin = indent;
    else {
      let i = 0;
      while (i < margin.length && i < indent.length && margin[i] === indent[i]) i++;
      margin = margin.slice(0, i);
    }
    if (margin === "") break;
  }
  const out = margin ? lines.map((l) => (l.startsWith(margin) ? l.slice(margin.length) : l)).join("\n") : lines.join("\n");
  return out.replace(/^[\s]+|[\s]+$/g, "");
}

/** Rez's load-time normalisation of attribute values (returns the same object when nothing changes). */
export function normalisePackageAttributes(attributes: { [key: string]: PackageValue }): { [key: string]: PackageValue } {
  for (const key of ["description", "changelog"]) {
    const v = attributes[key];
    if (typeof v === "string") {
      const n = dedentStrip(v);
      if (n !== v) attributes[key] = n;
    }
  }
  return attributes;
}
