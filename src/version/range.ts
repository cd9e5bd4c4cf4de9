import { VersionError } from "./errors.js";
import { Version } from "./version.js";

// Rez VersionRange (reference/rez-core.md §2.1-2.2): a sorted list of disjoint bounds,
// normalised exactly like Rez's `_union`, so toString() matches Rez character for character.

export interface LowerBound {
  readonly version: Version;
  readonly inclusive: boolean;
}

export interface UpperBound {
  readonly version: Version;
  readonly inclusive: boolean;
}

/** One contiguous interval. `upper.version` is Version.INF (inclusive) when unbounded above. */
export interface Bound {
  readonly lower: LowerBound;
  readonly upper: UpperBound;
}

export type RangeOperator = "eq" | "==" | "gt" | ">" | "gte" | ">=" | "lt" | "<" | "lte" | "<=";

export const LOWER_MIN: LowerBound = Object.freeze({ version: Version.EMPTY, inclusive: true });
export const UPPER_INF: UpperBound = Object.freeze({ version: Version.INF, inclusive: true });
const ANY_BOUND: Bound = Object.freeze({ lower: LOWER_MIN, upper: UPPER_INF });

function lower(version: Version, inclusive: boolean): LowerBound {
  if (inclusive && version.isEmpty) return LOWER_MIN;
  return Object.freeze({ version, inclusive });
}

function upper(version: Version, inclusive: boolean, context: string): UpperBound {
  if (version.isEmpty && !inclusive) {
    throw new VersionError(`Invalid version range '${context}': invalid upper bound '<' (nothing is below the empty version)`);
  }
  if (inclusive && version.isInf) return UPPER_INF;
  return Object.freeze({ version, inclusive });
}

/** Order of lower bounds: by version, inclusive before exclusive at the same version. */
export function compareLowerBounds(a: LowerBound, b: LowerBound): number {
  const ka = a.version.key;
  const kb = b.version.key;
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.inclusive === b.inclusive) return 0;
  return a.inclusive ? -1 : 1;
}

/** Order of upper bounds: by version, exclusive before inclusive at the same version. */
export function compareUpperBounds(a: UpperBound, b: UpperBound): number {
  const ka = a.version.key;
  const kb = b.version.key;
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.inclusive === b.inclusive) return 0;
  return a.inclusive ? 1 : -1;
}

/** Rez `_Bound` order: by lower bound, then upper bound. */
export function compareBounds(a: Bound, b: Bound): number {
  return compareLowerBounds(a.lower, b.lower) || compareUpperBounds(a.upper, b.upper);
}

function isValidInterval(lo: LowerBound, up: UpperBound): boolean {
  const kl = lo.version.key;
  const ku = up.version.key;
  return kl < ku || (kl === ku && lo.inclusive && up.inclusive);
}

function makeBound(lo: LowerBound, up: UpperBound, context: string): Bound {
  if (!isValidInterval(lo, up)) {
    throw new VersionError(
      `Invalid version range '${context}': bound '${lowerString(lo)}${upperString(up)}' is empty (lower bound above upper bound)`,
    );
  }
  if (lo === LOWER_MIN && up === UPPER_INF) return ANY_BOUND;
  return Object.freeze({ lower: lo, upper: up });
}

function lowerString(lo: LowerBound): string {
  if (!lo.version.isEmpty) return lo.inclusive ? `${lo.version.toString()}+` : `>${lo.version.toString()}`;
  return lo.inclusive ? "" : ">";
}

function upperString(up: UpperBound): string {
  return (up.inclusive ? "<=" : "<") + up.version.toString();
}

/** Rez `_Bound.__str__`. */
export function boundToString(b: Bound): string {
  const lo = b.lower;
  const up = b.upper;
  if (up.version.isInf) return lowerString(lo);
  if (lo.version.key === up.version.key) return `==${lo.version.toString()}`;
  if (lo.inclusive && up.inclusive) {
    return lo.version.isEmpty ? `<=${up.version.toString()}` : `${lo.version.toString()}..${up.version.toString()}`;
  }
  if (lo.inclusive && !up.inclusive && lo.version.next().key === up.version.key) return lo.version.toString();
  return lowerString(lo) + upperString(up);
}

/** -1: below the bound, 0: inside, 1: above. */
function containment(b: Bound, key: string): -1 | 0 | 1 {
  const kl = b.lower.version.key;
  if (key < kl || (key === kl && !b.lower.inclusive)) return -1;
  const ku = b.upper.version.key;
  if (key > ku || (key === ku && !b.upper.inclusive)) return 1;
  return 0;
}

function boundIntersection(a: Bound, b: Bound): Bound | null {
  const lo = compareLowerBounds(a.lower, b.lower) >= 0 ? a.lower : b.lower;
  const up = compareUpperBounds(a.upper, b.upper) <= 0 ? a.upper : b.upper;
  if (!isValidInterval(lo, up)) return null;
  if (lo === a.lower && up === a.upper) return a;
  if (lo === b.lower && up === b.upper) return b;
  return Object.freeze({ lower: lo, upper: up });
}

function boundsIntersect(a: Bound, b: Bound): boolean {
  const lo = compareLowerBounds(a.lower, b.lower) >= 0 ? a.lower : b.lower;
  const up = compareUpperBounds(a.upper, b.upper) <= 0 ? a.upper : b.upper;
  return isValidInterval(lo, up);
}

/** Rez `VersionRange._union`: sort, then merge overlapping or touching bounds. */
function unionBounds(bounds: readonly Bound[]): Bound[] {
  if (bounds.length < 2) return [...bounds];
  const sorted = [...bounds].sort(compareBounds);
  const out: Bound[] = [];
  let start = sorted[0]!;
  let prev = start;
  let up = start.upper;
  for (let i = 1; i < sorted.length; i++) {
    const b = sorted[i]!;
    const kl = b.lower.version.key;
    const ku = up.version.key;
    // Rez checks the previous bound's upper inclusivity here, not the running maximum's.
    const gap = kl > ku || (kl === ku && !b.lower.inclusive && !prev.upper.inclusive);
    if (gap) {
      out.push(joinBound(start.lower, up));
      start = b;
      up = b.upper;
    } else if (compareUpperBounds(b.upper, up) > 0) {
      up = b.upper;
    }
    prev = b;
  }
  out.push(joinBound(start.lower, up));
  return out;
}

function joinBound(lo: LowerBound, up: UpperBound): Bound {
  if (lo === LOWER_MIN && up === UPPER_INF) return ANY_BOUND;
  return Object.freeze({ lower: lo, upper: up });
}

// ---------------------------------------------------------------------------------------------
// Parser. Rez matches each `|`-separated part against one verbose regex with seven anchored
// alternatives, tried in this order: version, ==version, inclusive `a..b`, lower bound,
// upper bound, ascending range, descending range. Versions here are [0-9a-zA-Z_]+ joined by
// single `.` or `-`, always consumed greedily (no alternative can continue with a token
// character), so each alternative is a deterministic scan. A matcher returns the bound it
// describes, or the position where it stopped matching (for error messages).

type PartMatch = { lower: LowerBound | null; upper: UpperBound | null } | number;

function isTok(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** End of the version starting at i, or -1 if none starts there. */
function scanVersion(s: string, i: number): number {
  const n = s.length;
  if (i >= n || !isTok(s.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < n && isTok(s.charCodeAt(j))) j++;
  for (;;) {
    const c = s.charCodeAt(j);
    if ((c === 46 || c === 45) && j + 1 < n && isTok(s.charCodeAt(j + 1))) {
      j += 2;
      while (j < n && isTok(s.charCodeAt(j))) j++;
    } else return j;
  }
}

/** Optional version at i: [end, text]. */
function optVersion(s: string, i: number): [number, string] {
  const e = scanVersion(s, i);
  return e < 0 ? [i, ""] : [e, s.slice(i, e)];
}

function ver(text: string): Version {
  return Version.parse(text);
}

function matchPlainVersion(p: string): PartMatch {
  const e = scanVersion(p, 0);
  if (e !== p.length) return Math.max(e, 0);
  const v = ver(p);
  return { lower: lower(v, true), upper: v.isEmpty ? null : { version: v.next(), inclusive: false } };
}

function matchExact(p: string): PartMatch {
  if (!p.startsWith("==")) return 0;
  const [e, t] = optVersion(p, 2);
  if (e !== p.length) return e;
  const v = ver(t);
  return { lower: lower(v, true), upper: { version: v, inclusive: true } };
}

function matchInclusive(p: string): PartMatch {
  const [e, lt] = optVersion(p, 0);
  if (p.charCodeAt(e) !== 46 || p.charCodeAt(e + 1) !== 46) return e;
  const [e2, ut] = optVersion(p, e + 2);
  if (e2 !== p.length) return e2;
  return { lower: lower(ver(lt), true), upper: { version: ver(ut), inclusive: true } };
}

function matchLower(p: string): PartMatch {
  if (p.charCodeAt(0) === 62) {
    const pre = p.charCodeAt(1) === 61 ? 2 : 1;
    const [e, t] = optVersion(p, pre);
    if (e !== p.length) return e;
    return { lower: lower(ver(t), pre === 2), upper: null };
  }
  const [e, t] = optVersion(p, 0);
  if (p.charCodeAt(e) !== 43 || e + 1 !== p.length) return e;
  return { lower: lower(ver(t), true), upper: null };
}

function matchUpper(p: string): PartMatch {
  if (p.startsWith("<=")) {
    const [e, t] = optVersion(p, 2);
    if (e !== p.length) return e;
    return { lower: null, upper: { version: ver(t), inclusive: true } };
  }
  if (p.charCodeAt(0) === 60) {
    const e = scanVersion(p, 1);
    if (e !== p.length) return Math.max(e, 1);
    return { lower: null, upper: { version: ver(p.slice(1)), inclusive: false } };
  }
  const e = scanVersion(p, 0);
  return Math.max(e, 0); // a bare version was already taken by the first alternative
}

/** `<=V?` or `<V` at i (the `<` form needs a version right after it). */
function scanUpperOp(p: string, i: number): { end: number; inclusive: boolean; text: string } | number {
  if (p.charCodeAt(i) !== 60) return i;
  if (p.charCodeAt(i + 1) === 61) {
    const [e, t] = optVersion(p, i + 2);
    return { end: e, inclusive: true, text: t };
  }
  const e = scanVersion(p, i + 1);
  if (e < 0) return i + 1;
  return { end: e, inclusive: false, text: p.slice(i + 1, e) };
}

function matchAscending(p: string): PartMatch {
  let i = 0;
  let prefix = "";
  if (p.charCodeAt(0) === 62) prefix = p.charCodeAt(1) === 61 ? ">=" : ">";
  i = prefix.length;
  const [e, lt] = optVersion(p, i);
  i = e;
  if (prefix === "" && p.charCodeAt(i) === 43) i++;
  const lowerText = p.slice(0, i);
  if (lt !== "" && p.charCodeAt(i) === 44) i++;
  const up = scanUpperOp(p, i);
  if (typeof up === "number") return up;
  if (up.end !== p.length) return up.end;
  return {
    lower: lowerText === "" ? null : lower(ver(lt), prefix !== ">"),
    upper: { version: ver(up.text), inclusive: up.inclusive },
  };
}

function matchDescending(p: string): PartMatch {
  let prefix = "";
  if (p.charCodeAt(0) === 60) prefix = p.charCodeAt(1) === 61 ? "<=" : "<";
  let i = prefix.length;
  const [e, ut] = optVersion(p, i);
  i = e;
  if (prefix === "" && p.charCodeAt(i) === 43) i++;
  const upperText = p.slice(0, i);
  if (ut !== "") {
    if (p.charCodeAt(i) !== 44) return i;
    i++;
  }
  // Lower part: `<V` (Rez reads this as an inclusive lower bound), `>=V?` or `>V?`.
  let lowerInclusive: boolean;
  let lt: string;
  let end: number;
  if (p.charCodeAt(i) === 60) {
    end = scanVersion(p, i + 1);
    if (end < 0) return i + 1;
    lt = p.slice(i + 1, end);
    lowerInclusive = true;
  } else if (p.charCodeAt(i) === 62) {
    const pre = p.charCodeAt(i + 1) === 61 ? 2 : 1;
    [end, lt] = optVersion(p, i + pre);
    lowerInclusive = pre === 2;
  } else return i;
  if (end !== p.length) return end;
  return {
    lower: lower(ver(lt), lowerInclusive),
    upper: upperText === "" ? null : { version: ver(ut), inclusive: prefix !== "<" },
  };
}

const MATCHERS = [matchPlainVersion, matchExact, matchInclusive, matchLower, matchUpper, matchAscending, matchDescending];

function parseBounds(text: string): Bound[] {
  const parts = text.split("|");
  let isAny = false;
  const bounds: Bound[] = [];
  let offset = 0;
  for (const part of parts) {
    const partOffset = offset;
    offset += part.length + 1;
    if (part === "") {
      isAny = true; // the rest is still syntax-checked, like Rez
      continue;
    }
    let furthest = 0;
    let found: Exclude<PartMatch, number> | null = null;
    for (const m of MATCHERS) {
      const r = m(part);
      if (typeof r === "number") furthest = Math.max(furthest, r);
      else {
        found = r;
        break;
      }
    }
    if (found === null) {
      const pos = partOffset + furthest;
      const where = pos < text.length ? `at position ${pos} ('${text.slice(pos)}')` : `at end of input`;
      throw new VersionError(`Syntax error in version range '${text}': cannot parse '${part}' ${where}`);
    }
    if (isAny) continue;
    const lo = found.lower ?? LOWER_MIN;
    const up = found.upper === null ? UPPER_INF : upper(found.upper.version, found.upper.inclusive, text);
    bounds.push(makeBound(lo, up, text));
  }
  return isAny ? [ANY_BOUND] : bounds;
}

// ---------------------------------------------------------------------------------------------

const RANGE_CACHE_LIMIT = 100_000;
const rangeCache = new Map<string, VersionRange>();

/** An immutable Rez version range. Obtain instances with `VersionRange.parse` (cached). */
export class VersionRange {
  /** The "any" range "". */
  static readonly ANY: VersionRange = new VersionRange([ANY_BOUND]);

  /** Sorted, disjoint, normalised bounds (never empty). */
  readonly bounds: readonly Bound[];
  private text: string | undefined;
  private cachedKey: string | undefined;

  /** Computed once: the solver asks for every range it intersects with. */
  private readonly any: boolean;

  private constructor(bounds: readonly Bound[]) {
    this.bounds = Object.freeze(bounds);
    this.any = bounds.length === 1 && bounds[0]!.lower === LOWER_MIN && bounds[0]!.upper === UPPER_INF;
  }

  /** Parse Rez range syntax; throws VersionError naming the input and position. Cached. */
  static parse(text: string): VersionRange {
    const cached = rangeCache.get(text);
    if (cached !== undefined) return cached;
    const bounds = parseBounds(text);
    const r = bounds.length === 1 && bounds[0] === ANY_BOUND ? VersionRange.ANY : new VersionRange(unionBounds(bounds));
    if (rangeCache.size >= RANGE_CACHE_LIMIT) rangeCache.clear();
    rangeCache.set(text, r);
    return r;
  }

  /** Build from arbitrary bounds (validated, then normalised like a parsed range). */
  static fromBounds(bounds: readonly Bound[]): VersionRange {
    if (bounds.length === 0) throw new VersionError("A version range needs at least one bound");
    const checked = bounds.map((b) => makeBound(lower(b.lower.version, b.lower.inclusive), upper(b.upper.version, b.upper.inclusive, "<bounds>"), "<bounds>"));
    return VersionRange.wrap(unionBounds(checked));
  }

  private static wrap(bounds: readonly Bound[]): VersionRange {
    if (bounds.length === 1 && bounds[0] === ANY_BOUND) return VersionRange.ANY;
    return new VersionRange(bounds);
  }

  /** Rez from_version: op undefined = the "superset" range [v, next(v)). */
  static fromVersion(version: Version, op?: RangeOperator): VersionRange {
    const ctx = version.toString();
    let lo: LowerBound = LOWER_MIN;
    let up: UpperBound = UPPER_INF;
    switch (op) {
      case undefined:
        // Rez would build [ "", INF ) here for the empty version; "any" is the sane reading.
        if (version.isEmpty) return VersionRange.ANY;
        lo = lower(version, true);
        up = upper(version.next(), false, ctx);
        break;
      case "eq":
      case "==":
        lo = lower(version, true);
        up = upper(version, true, ctx);
        break;
      case "gt":
      case ">":
        lo = lower(version, false);
        break;
      case "gte":
      case ">=":
        lo = lower(version, true);
        break;
      case "lt":
      case "<":
        up = upper(version, false, ctx);
        break;
      case "lte":
      case "<=":
        up = upper(version, true, ctx);
        break;
      default:
        throw new VersionError(`Unknown bound operation '${String(op)}'`);
    }
    return VersionRange.wrap([makeBound(lo, up, ctx)]);
  }

  /** Rez from_versions: "==a|==b|..." over the sorted, de-duplicated versions. */
  static fromVersions(versions: Iterable<Version>): VersionRange {
    const sorted = [...versions].sort(Version.compare);
    const bounds: Bound[] = [];
    let last: Version | undefined;
    for (const v of sorted) {
      if (last !== undefined && last.key === v.key) continue;
      last = v;
      bounds.push(makeBound(lower(v, true), upper(v, true, v.toString()), v.toString()));
    }
    if (bounds.length === 0) throw new VersionError("fromVersions needs at least one version");
    return new VersionRange(bounds);
  }

  /** Rez as_span: lower..upper with chosen inclusivity; undefined = unbounded on that side. */
  static asSpan(lowerVersion?: Version, upperVersion?: Version, lowerInclusive = true, upperInclusive = true): VersionRange {
    const lo = lowerVersion === undefined ? LOWER_MIN : lower(lowerVersion, lowerInclusive);
    const up = upperVersion === undefined ? UPPER_INF : upper(upperVersion, upperInclusive, "<span>");
    return VersionRange.wrap([makeBound(lo, up, "<span>")]);
  }

  /** Rez range order (bounds list comparison). */
  static compare(a: VersionRange, b: VersionRange): number {
    const n = Math.min(a.bounds.length, b.bounds.length);
    for (let i = 0; i < n; i++) {
      const c = compareBounds(a.bounds[i]!, b.bounds[i]!);
      if (c !== 0) return c;
    }
    return a.bounds.length - b.bounds.length;
  }

  /** Canonical identity key (equal ranges have equal keys, separators ignored). */
  get key(): string {
    if (this.cachedKey === undefined) {
      let k = "";
      for (const b of this.bounds) {
        k += (b.lower.inclusive ? "[" : "(") + b.lower.version.key + "\x00" + b.upper.version.key + (b.upper.inclusive ? "]" : ")");
      }
      this.cachedKey = k;
    }
    return this.cachedKey;
  }

  equals(other: VersionRange): boolean {
    return this === other || this.key === other.key;
  }

  isAny(): boolean {
    return this.any;
  }
  lowerBounded(): boolean {
    return this.bounds[0]!.lower !== LOWER_MIN;
  }
  upperBounded(): boolean {
    return this.bounds[this.bounds.length - 1]!.upper !== UPPER_INF;
  }
  bounded(): boolean {
    return this.lowerBounded() && this.upperBounded();
  }

  /** True if the version lies in the range. */
  contains(version: Version): boolean {
    const key = version.key;
    const bs = this.bounds;
    if (bs.length < 5) {
      for (const b of bs) {
        const c = containment(b, key);
        if (c === 0) return true;
        if (c < 0) return false;
      }
      return false;
    }
    // Binary search for the last bound not entirely above the version.
    let lo = 0;
    let hi = bs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (containment(bs[mid]!, key) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < bs.length && containment(bs[lo]!, key) === 0;
  }

  /** True if every version of `other` is in this range. */
  isSuperset(other: VersionRange): boolean {
    const a = this.bounds;
    let j = 0;
    for (const b of other.bounds) {
      while (j < a.length && compareUpperBounds(a[j]!.upper, b.upper) < 0) j++;
      if (j >= a.length) return false;
      if (compareLowerBounds(a[j]!.lower, b.lower) > 0) return false;
    }
    return true;
  }
  isSubset(other: VersionRange): boolean {
    return other.isSuperset(this);
  }

  intersects(other: VersionRange): boolean {
    const a = this.bounds;
    const b = other.bounds;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (boundsIntersect(a[i]!, b[j]!)) return true;
      if (compareUpperBounds(a[i]!.upper, b[j]!.upper) < 0) i++;
      else j++;
    }
    return false;
  }

  /** Rez `&`: null when empty. */
  intersection(other: VersionRange | readonly VersionRange[]): VersionRange | null {
    const others = Array.isArray(other) ? (other as readonly VersionRange[]) : [other as VersionRange];
    let current: VersionRange = this;
    for (const o of others) {
      if (o.isAny()) continue;
      if (current.isAny()) {
        current = o;
        continue;
      }
      const a = current.bounds;
      const b = o.bounds;
      const out: Bound[] = [];
      let i = 0;
      let j = 0;
      while (i < a.length && j < b.length) {
        const x = boundIntersection(a[i]!, b[j]!);
        if (x !== null) out.push(x);
        const c = compareUpperBounds(a[i]!.upper, b[j]!.upper);
        if (c < 0) i++;
        else if (c > 0) j++;
        else {
          i++;
          j++;
        }
      }
      if (out.length === 0) return null;
      current = VersionRange.wrap(out);
    }
    return current;
  }

  /** Rez `|`. */
  union(other: VersionRange | readonly VersionRange[]): VersionRange {
    const others = Array.isArray(other) ? (other as readonly VersionRange[]) : [other as VersionRange];
    if (this.isAny()) return this;
    const all: Bound[] = [...this.bounds];
    for (const o of others) {
      if (o.isAny()) return o;
      all.push(...o.bounds);
    }
    return VersionRange.wrap(unionBounds(all));
  }

  /** Rez `~`: the complement, or null for the any range. */
  inverse(): VersionRange | null {
    if (this.isAny()) return null;
    const lowers: (LowerBound | null)[] = [null];
    const uppers: (UpperBound | null)[] = [];
    for (const b of this.bounds) {
      uppers.push(b.lower === LOWER_MIN ? null : upper(b.lower.version, !b.lower.inclusive, this.toString()));
      lowers.push(b.upper.version.isInf ? null : lower(b.upper.version, !b.upper.inclusive));
    }
    uppers.push(null);
    const out: Bound[] = [];
    for (let i = 0; i < lowers.length; i++) {
      const lo = lowers[i] ?? null;
      const up = uppers[i] ?? null;
      if (lo === null && up === null) continue;
      out.push(makeBound(lo ?? LOWER_MIN, up ?? UPPER_INF, this.toString()));
    }
    return out.length === 0 ? null : VersionRange.wrap(out);
  }

  /** Rez `a - b` = a & ~b (null when empty). */
  subtract(other: VersionRange): VersionRange | null {
    const inv = other.inverse();
    return inv === null ? null : this.intersection(inv);
  }

  /** One contiguous range from the first lower to the last upper bound. */
  span(): VersionRange {
    if (this.bounds.length === 1) return this;
    return VersionRange.wrap([joinBound(this.bounds[0]!.lower, this.bounds[this.bounds.length - 1]!.upper)]);
  }

  /** One range per contiguous bound. */
  split(): VersionRange[] {
    return this.bounds.map((b) => VersionRange.wrap([b]));
  }

  /** The exact (==v) bounds' versions, or null if there are none. */
  toVersions(): Version[] | null {
    const vs: Version[] = [];
    for (const b of this.bounds) {
      if (b.lower.inclusive && b.upper.inclusive && b.lower.version.key === b.upper.version.key) vs.push(b.lower.version);
    }
    return vs.length === 0 ? null : vs;
  }

  /** Rez `str()`: normalised bounds joined with "|". */
  toString(): string {
    if (this.text === undefined) this.text = this.bounds.map(boundToString).join("|");
    return this.text;
  }
}
