import { RequirementError, VersionError } from "./errors.js";
import { VersionRange } from "./range.js";
import { Requirement, isValidPackageName, type RequirementParseOptions } from "./requirement.js";
import { Version } from "./version.js";

/*
 * The pkg-rs `name@spec` dialect, mapped onto the one Rez engine (VersionRange).
 *
 * pkg-rs evaluates constraints with two engines that disagree (reference/pkg-rs.md §3.3);
 * we have one. A spec is first read as Rez range syntax; only if that fails is it read
 * with the pkg-rs (Cargo-like) grammar below. Results are ordinary Rez ranges, so Rez
 * ordering applies throughout (2 < 2.0 < 2.0.0, 2.alpha < 2.0, 1.2.3 < 1.2.3-beta).
 *
 *   spec               Rez range          note
 *   -----------------  -----------------  --------------------------------------------------
 *   (any Rez range)    itself             `2024`, `2024.1` (prefix), `>=2024,<2026`, `<2`, `>2`, `<=2`, `1+<2`
 *   *                  ""  (any)
 *   ^1.2.3             1.2.3+<2           caret: bump the first non-zero of major.minor.patch
 *   ^1.2 / ^1          1.2+<2 / 1+<2
 *   ^0.2.3 / ^0.2      0.2.3+<0.3 / 0.2+<0.3
 *   ^0.0.3             0.0.3+<0.0.4
 *   ^0.0 / ^0          0.0+<0.1 / 0+<1
 *   ~1.2.3 / ~1.2      1.2.3+<1.3 / 1.2+<1.3
 *   ~1                 1+<2               Cargo meaning (pkg-rs's solver wrongly uses <1.1.0)
 *   =2.0.0, ==2.0.0    ==2.0.0            exact
 *   =2024, =2024.1     2024, 2024.1       partial `=` is a prefix (Cargo: =1.2 matches 1.2.x)
 *   >=V >V <=V <V      V+  >V  <=V  <V    also with spaces: `>= 1.2, < 2`
 *   2.*, 1.2.*         2, 1.2             wildcard = prefix (`2.x` is already a Rez version: tokens 2, x)
 *   a, b (commas)      intersection of each clause; whitespace around clauses is ignored
 *
 * Because Rez syntax is tried first, `<=2` is Rez `<=2` (excludes 2.0.0) and `>2` is Rez `>2`
 * (includes 2.0.0), not pkg-rs's `<=2.0.0` / `>2.0.0`. `name-1.2.3` without `@` is the
 * Rez prefix range 1.2.3 (contains 1.2.3 and 1.2.3.x).
 *
 * Names: Rez names are [A-Za-z0-9_] joined by single "."; in the pkg-rs path (`name@spec`,
 * or parsePkgRsRequirement) single "-" are also allowed (`my-plugin@1`).
 */

const PKGRS_NAME = /^[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*$/;
const VERSION_TEXT = /^[0-9A-Za-z_]+(?:[.-][0-9A-Za-z_]+)*$/;
const CLAUSE = /^(\^|~|>=|>|<=|<|==|=)?\s*(.*)$/s;

/** Names allowed in the pkg-rs dialect: Rez names, plus single "-" between parts. */
export function isValidPkgRsName(name: string): boolean {
  const bare = name.startsWith(".") ? name.slice(1) : name;
  return isValidPackageName(bare) || PKGRS_NAME.test(bare);
}

function numericComponents(v: Version, clause: string): bigint[] {
  const out: bigint[] = [];
  for (const t of v.tokens.slice(0, 3)) {
    if (!/^[0-9]+$/.test(t)) break;
    out.push(BigInt(t));
  }
  if (out.length === 0) throw new VersionError(`'${clause}' needs a numeric version such as 1.2.3`);
  return out;
}

function caret(v: Version, clause: string): VersionRange {
  const c = numericComponents(v, clause);
  const [major, minor, patch] = [c[0]!, c[1], c[2]];
  let upper: string;
  if (major > 0n || minor === undefined) upper = `${major + 1n}`;
  else if (minor > 0n || patch === undefined) upper = `${major}.${minor + 1n}`;
  else upper = `${major}.${minor}.${patch + 1n}`;
  return VersionRange.asSpan(v, Version.parse(upper), true, false);
}

function tilde(v: Version, clause: string): VersionRange {
  const c = numericComponents(v, clause);
  const upper = c.length >= 2 ? `${c[0]!}.${c[1]! + 1n}` : `${c[0]! + 1n}`;
  return VersionRange.asSpan(v, Version.parse(upper), true, false);
}

function clauseRange(clause: string): VersionRange {
  if (clause === "*") return VersionRange.ANY;
  const m = CLAUSE.exec(clause)!;
  const op = m[1] ?? "";
  let text = (m[2] ?? "").trim();
  let wildcard = false;
  const w = /^(.*?)(?:\.\*)+$/.exec(text);
  if (w !== null && (op === "" || op === "=" || op === "==")) {
    text = w[1]!;
    wildcard = true;
  }
  if (text === "") throw new VersionError(op === "" ? "empty constraint" : `expected a version after '${op}'`);
  if (!VERSION_TEXT.test(text)) {
    if (op === "") return VersionRange.parse(text); // a Rez range inside a comma list, e.g. "1.2+"
    throw new VersionError(`'${text}' is not a version (letters, digits and '_' joined by '.' or '-')`);
  }
  const v = Version.parse(text);
  switch (op) {
    case "^":
      return caret(v, clause);
    case "~":
      return tilde(v, clause);
    case ">=":
      return VersionRange.fromVersion(v, ">=");
    case ">":
      return VersionRange.fromVersion(v, ">");
    case "<=":
      return VersionRange.fromVersion(v, "<=");
    case "<":
      return VersionRange.fromVersion(v, "<");
    case "=":
      return wildcard || v.length < 3 ? VersionRange.fromVersion(v) : VersionRange.fromVersion(v, "==");
    case "==":
      return wildcard ? VersionRange.fromVersion(v) : VersionRange.fromVersion(v, "==");
    default:
      return VersionRange.fromVersion(v);
  }
}

/** Parse the pkg-rs grammar only (no Rez-first attempt). Throws VersionError with clause position. */
function parsePkgRsGrammar(spec: string): VersionRange {
  const trimmed = spec.trim();
  if (trimmed === "") throw new VersionError(`empty version constraint`);
  let range: VersionRange = VersionRange.ANY;
  let offset = 0;
  for (const raw of spec.split(",")) {
    const at = offset + (raw.length - raw.trimStart().length);
    offset += raw.length + 1;
    const clause = raw.trim();
    let r: VersionRange;
    try {
      r = clauseRange(clause);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new VersionError(`clause '${clause}' at position ${at}: ${why}`, { cause: e });
    }
    const both = range.intersection(r);
    if (both === null) throw new VersionError(`clause '${clause}' at position ${at} excludes every version allowed before it`);
    range = both;
  }
  return range;
}

/**
 * A version spec as written after `name@`: Rez range syntax, else the pkg-rs grammar.
 * Throws VersionError explaining both readings.
 */
export function parsePkgRsSpec(spec: string): VersionRange {
  let rezError: unknown;
  try {
    return VersionRange.parse(spec);
  } catch (e) {
    rezError = e;
  }
  try {
    return parsePkgRsGrammar(spec);
  } catch (e) {
    const rez = rezError instanceof Error ? rezError.message : String(rezError);
    const pkg = e instanceof Error ? e.message : String(e);
    throw new VersionError(`'${spec}' is neither a Rez version range (${rez}) nor a pkg-rs constraint (${pkg})`, { cause: e });
  }
}

function splitPrefix(text: string): { prefix: "" | "!" | "~"; rest: string } {
  if (text.startsWith("!")) return { prefix: "!", rest: text.slice(1) };
  if (text.startsWith("~")) return { prefix: "~", rest: text.slice(1) };
  return { prefix: "", rest: text };
}

function buildRequirement(text: string, prefix: "" | "!" | "~", name: string, spec: string, sep: string, validate: boolean): Requirement {
  if (validate && !isValidPkgRsName(name)) {
    throw new RequirementError(
      `Invalid requirement '${text}': '${name}' is not a valid package name (letters, digits and '_', joined by single '.' or '-')`,
    );
  }
  let range: VersionRange;
  try {
    range = parsePkgRsSpec(spec);
  } catch (e) {
    const at = text.length - spec.length;
    throw new RequirementError(`Invalid requirement '${text}': version spec at position ${at}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  if (prefix === "~") return Requirement.of(name, range.inverse(), { weak: true, sep });
  return Requirement.of(name, range, { conflict: prefix === "!", sep });
}

/**
 * Parse a requirement in either dialect: Rez syntax first (with Rez's name check);
 * only if that fails and the text contains "@", as pkg-rs `name@spec`.
 */
export function parseRequirement(text: string, options?: RequirementParseOptions): Requirement {
  try {
    return Requirement.parse(text, options);
  } catch (rezError) {
    const { prefix, rest } = splitPrefix(text);
    const at = rest.indexOf("@");
    if (at < 0) throw rezError;
    try {
      return buildRequirement(text, prefix, rest.slice(0, at), rest.slice(at + 1), "@", options?.validateName ?? true);
    } catch (e) {
      // Report the pkg-rs reading (the one the "@" asks for); keep the Rez error as the cause.
      if (e instanceof RequirementError) throw new RequirementError(e.message, { cause: rezError });
      throw e;
    }
  }
}

/**
 * Parse a requirement with pkg-rs rules (for `reqs` of pkg-rs packages): `name@spec`; else
 * `name-<digit>...` splits at the first "-" followed by a digit (so `my-plugin-1.0` is
 * my-plugin, Rez range 1.0); else the whole text is a name (any version).
 */
export function parsePkgRsRequirement(text: string, options?: RequirementParseOptions): Requirement {
  const trimmed = text.trim();
  if (trimmed === "") throw new RequirementError(`Invalid requirement '${text}': empty`);
  const validate = options?.validateName ?? true;
  const { prefix, rest } = splitPrefix(trimmed);
  const at = rest.indexOf("@");
  if (at >= 0) return buildRequirement(trimmed, prefix, rest.slice(0, at), rest.slice(at + 1), "@", validate);
  const m = /-(?=[0-9])/.exec(rest);
  if (m !== null) return buildRequirement(trimmed, prefix, rest.slice(0, m.index), rest.slice(m.index + 1), "-", validate);
  if (/[=<>]/.test(rest)) return Requirement.parse(trimmed, options); // Rez operator form, e.g. "foo>=2"
  return buildRequirement(trimmed, prefix, rest, "", "-", validate);
}
