import { VersionError } from "./errors.js";

// Rez versions: tokens of [a-zA-Z0-9_]+ separated by single arbitrary characters.
// Ordering follows Rez's AlphanumericVersionToken exactly (see reference/rez-core.md §1.2-1.3):
// each token splits into alternating alpha / numeric subtokens; alpha < numeric;
// alphas compare by code point (so "A".."Z" < "_" < "a".."z"); numerics by (value, text);
// lists compare lexicographically with a strict prefix being smaller.
//
// Every Version carries `key`, a string whose plain JS `<` ordering equals that order,
// so comparisons in the solver are one native string comparison. Layout per token:
//   alpha subtoken:   "\x02" + letters + "\x01"
//   numeric subtoken: "\x03" + chr(0x30 + significant digit count) + significant digits + raw digits + "\x01"
//   end of token:     "\x01"
// The terminator "\x01" sorts below letters, digits and both markers, which gives the
// "prefix is smaller" rule at every level; raw digits break ties so "01" < "1" and "0" < "00".

const ALPHA = "\x02";
const NUMERIC = "\x03";
const END = "\x01";
const INF_KEY = "\uffff";

function isTokenCode(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 // _
  );
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function encodeToken(token: string): string {
  let out = "";
  let i = 0;
  const n = token.length;
  while (i < n) {
    const start = i;
    if (isDigitCode(token.charCodeAt(i))) {
      while (i < n && isDigitCode(token.charCodeAt(i))) i++;
      const raw = token.slice(start, i);
      let z = 0;
      while (z < raw.length && raw.charCodeAt(z) === 48) z++;
      const significant = raw.slice(z);
      out += NUMERIC + String.fromCharCode(0x30 + significant.length) + significant + raw + END;
    } else {
      while (i < n && !isDigitCode(token.charCodeAt(i))) i++;
      out += ALPHA + token.slice(start, i) + END;
    }
  }
  return out + END;
}

function encodeTokens(tokens: readonly string[]): string {
  let key = "";
  for (const t of tokens) key += encodeToken(t);
  return key;
}

const PARSE_CACHE_LIMIT = 200_000;
const parseCache = new Map<string, Version>();

/** An immutable Rez version. Obtain instances with `Version.parse` (cached). */
export class Version {
  /** The empty version "": smallest of all versions; used for unversioned packages. */
  static readonly EMPTY: Version = new Version([], [], false);
  /** Internal upper sentinel, greater than every version; prints as "[INF]". */
  static readonly INF: Version = new Version([], [], true);

  /** Token strings, e.g. ["1", "2", "alpha3"]. */
  readonly tokens: readonly string[];
  /** Separator between token i and i+1 (cosmetic, kept for toString). */
  readonly seps: readonly string[];
  /** Order-preserving comparison key: a < b (Rez) iff a.key < b.key; equal iff keys equal. */
  readonly key: string;
  readonly isInf: boolean;
  private text: string | undefined;

  private constructor(tokens: readonly string[], seps: readonly string[], isInf: boolean) {
    this.tokens = tokens;
    this.seps = seps;
    this.isInf = isInf;
    this.key = isInf ? INF_KEY : encodeTokens(tokens);
  }

  /** Parse a version string; throws VersionError naming the input. Results are cached. */
  static parse(text: string): Version {
    const cached = parseCache.get(text);
    if (cached !== undefined) return cached;
    const v = Version.parseUncached(text);
    if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
    parseCache.set(text, v);
    return v;
  }

  /** Build from token strings (each must match [a-zA-Z0-9_]+); separators default to ".". */
  static fromTokens(tokens: readonly string[], seps?: readonly string[]): Version {
    if (tokens.length === 0) return Version.EMPTY;
    for (const t of tokens) {
      if (t.length === 0 || !isTokenText(t)) throw new VersionError(`Invalid version token: '${t}'`);
    }
    const s = seps ?? tokens.slice(1).map(() => ".");
    if (s.length !== tokens.length - 1) {
      throw new VersionError(`Version needs ${tokens.length - 1} separators, got ${s.length}`);
    }
    for (const sep of s) {
      if ([...sep].length !== 1 || isTokenCode(sep.charCodeAt(0))) throw new VersionError(`Invalid version separator: '${sep}'`);
    }
    return new Version(Object.freeze([...tokens]), Object.freeze([...s]), false);
  }

  private static parseUncached(text: string): Version {
    if (text === "") return Version.EMPTY;
    const tokens: string[] = [];
    const seps: string[] = [];
    let i = 0;
    const n = text.length;
    if (!isTokenCode(text.charCodeAt(0))) {
      throw new VersionError(
        `Invalid version syntax: '${text}' (position 0: a version must start with a letter, digit or '_')`,
      );
    }
    while (i < n) {
      const start = i;
      while (i < n && isTokenCode(text.charCodeAt(i))) i++;
      tokens.push(text.slice(start, i));
      if (i >= n) break;
      const sepStart = i;
      while (i < n && !isTokenCode(text.charCodeAt(i))) i++;
      const sep = text.slice(sepStart, i);
      if (i >= n) {
        throw new VersionError(
          `Invalid version syntax: '${text}' (position ${sepStart}: a version cannot end with '${sep}')`,
        );
      }
      // A separator is one character (one code point, so astral characters count once).
      if ([...sep].length > 1) {
        throw new VersionError(
          `Invalid version syntax: '${text}' (position ${sepStart}: separator '${sep}' must be a single character)`,
        );
      }
      seps.push(sep);
    }
    return new Version(Object.freeze(tokens), Object.freeze(seps), false);
  }

  /** -1, 0 or 1 by Rez version order. */
  static compare(a: Version, b: Version): -1 | 0 | 1 {
    const ka = a.key;
    const kb = b.key;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }

  compare(other: Version): -1 | 0 | 1 {
    return Version.compare(this, other);
  }
  /** Rez equality: same tokens (separators ignored; "1.00" != "1.0"). */
  equals(other: Version): boolean {
    return this.key === other.key;
  }
  lt(other: Version): boolean {
    return this.key < other.key;
  }
  lte(other: Version): boolean {
    return this.key <= other.key;
  }
  gt(other: Version): boolean {
    return this.key > other.key;
  }
  gte(other: Version): boolean {
    return this.key >= other.key;
  }

  /** True for the empty version "" (Rez's falsy version). */
  get isEmpty(): boolean {
    return this.tokens.length === 0 && !this.isInf;
  }
  get length(): number {
    return this.tokens.length;
  }

  /** Token 0; throws VersionError if missing (Rez raises IndexError). */
  get major(): string {
    return this.token(0, "major");
  }
  get minor(): string {
    return this.token(1, "minor");
  }
  get patch(): string {
    return this.token(2, "patch");
  }
  private token(i: number, what: string): string {
    const t = this.tokens[i];
    if (t === undefined) throw new VersionError(`Version '${this.toString()}' has no ${what} token`);
    return t;
  }

  /** Token strings, as Rez's as_tuple(). */
  asTuple(): readonly string[] {
    return this.tokens;
  }

  /** Smallest version greater than every version having this one as a prefix: 1.2 -> 1.2_, "" -> INF. */
  next(): Version {
    if (this.isInf || this.tokens.length === 0) return Version.INF;
    const tokens = [...this.tokens];
    tokens[tokens.length - 1] += "_";
    return new Version(Object.freeze(tokens), this.seps, false);
  }

  /** Keep the first n tokens. */
  trim(n: number): Version {
    if (this.isInf) throw new VersionError("Version [INF] cannot be trimmed");
    const len = Math.max(0, Math.floor(n));
    if (len >= this.tokens.length) return this;
    if (len === 0) return Version.EMPTY;
    return new Version(Object.freeze(this.tokens.slice(0, len)), Object.freeze(this.seps.slice(0, len - 1)), false);
  }

  /** The version as written, separators kept; "[INF]" for the sentinel. */
  toString(): string {
    if (this.text === undefined) {
      if (this.isInf) this.text = "[INF]";
      else {
        let s = this.tokens[0] ?? "";
        for (let i = 1; i < this.tokens.length; i++) s += this.seps[i - 1] + this.tokens[i];
        this.text = s;
      }
    }
    return this.text;
  }
}

function isTokenText(t: string): boolean {
  for (let i = 0; i < t.length; i++) if (!isTokenCode(t.charCodeAt(i))) return false;
  return true;
}

/** Split a token into Rez subtokens: "alpha3" -> ["alpha", 3]-style strings ["alpha", "3"]. */
export function versionSubtokens(token: string): string[] {
  return token.match(/[0-9]+|[^0-9]+/g) ?? [];
}
