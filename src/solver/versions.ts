// Rez version semantics needed by the solver (Version, VersionRange, Requirement, RequirementList).
// Kept local to the solver so it can run before src/version lands; the semantics follow
// reference/rez-core.md §1–2. Values are interned, so identity comparisons are cheap in hot paths.

export class SolverVersionError extends Error {}

/** A subtoken: alpha string, or numeric (value as digits without leading zeros + raw text). */
type SubToken = { readonly alpha: true; readonly s: string } | { readonly alpha: false; readonly digits: string; readonly s: string };

const TOKEN_RE = /[a-zA-Z0-9_]+/g;

function parseToken(tok: string): SubToken[] {
  const out: SubToken[] = [];
  const re = /[0-9]+|[^0-9]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(tok)) !== null) {
    const s = m[0];
    if (s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57) {
      const digits = s.replace(/^0+/, "");
      out.push({ alpha: false, digits, s });
    } else {
      out.push({ alpha: true, s });
    }
  }
  return out;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpSub(a: SubToken, b: SubToken): number {
  if (a.alpha) {
    if (!b.alpha) return -1;
    return cmpStr(a.s, b.s);
  }
  if (b.alpha) return 1;
  if (a.digits.length !== b.digits.length) return a.digits.length - b.digits.length;
  const c = cmpStr(a.digits, b.digits);
  if (c !== 0) return c;
  return cmpStr(a.s, b.s);
}

function cmpToken(a: readonly SubToken[], b: readonly SubToken[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpSub(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

let versionCounter = 0;

export class Version {
  /** null tokens = the internal infinite version. */
  readonly tokens: readonly (readonly SubToken[])[] | null;
  readonly tokenStrings: readonly string[];
  readonly str: string;
  /** Separator-independent identity. */
  readonly key: string;
  readonly id: number;
  private nextCache: Version | undefined;

  constructor(tokens: readonly (readonly SubToken[])[] | null, tokenStrings: readonly string[], str: string) {
    this.tokens = tokens;
    this.tokenStrings = tokenStrings;
    this.str = str;
    this.key = tokens === null ? "\u0000INF" : tokenStrings.join("\u0001");
    this.id = versionCounter++;
  }

  get isEmpty(): boolean {
    return this.tokens !== null && this.tokens.length === 0;
  }

  get isInf(): boolean {
    return this.tokens === null;
  }

  toString(): string {
    return this.str;
  }

  next(): Version {
    if (this.nextCache) return this.nextCache;
    let result: Version;
    if (this.tokens === null) result = this;
    else if (this.tokens.length === 0) result = Version.inf;
    else {
      const last = this.tokens[this.tokens.length - 1]!;
      const lastSub = last[last.length - 1]!;
      const newLast: SubToken[] = last.slice(0, -1);
      if (lastSub.alpha) newLast.push({ alpha: true, s: lastSub.s + "_" });
      else newLast.push(lastSub, { alpha: true, s: "_" });
      const tokens = [...this.tokens.slice(0, -1), newLast];
      const tokenStrings = [...this.tokenStrings.slice(0, -1), this.tokenStrings[this.tokenStrings.length - 1]! + "_"];
      result = new Version(tokens, tokenStrings, this.str + "_");
    }
    this.nextCache = result;
    return result;
  }

  /** First n tokens. */
  trim(n: number): Version {
    if (this.tokens === null) return this;
    if (n >= this.tokens.length) return this;
    const parts = this.tokenStrings.slice(0, n);
    return parseVersion(parts.join("."));
  }

  static readonly inf: Version = new Version(null, [], "[INF]");
  static readonly empty: Version = new Version([], [], "");
}

export function compareVersions(a: Version, b: Version): number {
  if (a === b) return 0;
  if (a.tokens === null) return b.tokens === null ? 0 : 1;
  if (b.tokens === null) return -1;
  const at = a.tokens;
  const bt = b.tokens;
  const n = Math.min(at.length, bt.length);
  for (let i = 0; i < n; i++) {
    const c = cmpToken(at[i]!, bt[i]!);
    if (c !== 0) return c;
  }
  return at.length - bt.length;
}

export function versionsEqual(a: Version, b: Version): boolean {
  return a === b || a.key === b.key;
}

const versionCache = new Map<string, Version>();

export function parseVersion(s: string): Version {
  const cached = versionCache.get(s);
  if (cached) return cached;
  let v: Version;
  if (s === "") v = Version.empty;
  else {
    const tokenStrings = s.match(TOKEN_RE) ?? [];
    const seps = s.split(/[a-zA-Z0-9_]+/);
    if (tokenStrings.length === 0 || seps[0] !== "" || seps[seps.length - 1] !== "") {
      throw new SolverVersionError(`Invalid version '${s}'`);
    }
    for (let i = 1; i < seps.length - 1; i++) {
      if (seps[i]!.length > 1) throw new SolverVersionError(`Invalid version '${s}'`);
    }
    v = new Version(tokenStrings.map(parseToken), tokenStrings, s);
  }
  versionCache.set(s, v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Bounds and ranges

export interface Bound {
  readonly lv: Version;
  readonly li: boolean;
  readonly uv: Version;
  readonly ui: boolean;
}

function cmpLower(av: Version, ai: boolean, bv: Version, bi: boolean): number {
  const c = compareVersions(av, bv);
  if (c !== 0) return c;
  if (ai === bi) return 0;
  return ai ? -1 : 1;
}

function cmpUpper(av: Version, ai: boolean, bv: Version, bi: boolean): number {
  const c = compareVersions(av, bv);
  if (c !== 0) return c;
  if (ai === bi) return 0;
  return ai ? 1 : -1;
}

function cmpBound(a: Bound, b: Bound): number {
  const c = cmpLower(a.lv, a.li, b.lv, b.li);
  if (c !== 0) return c;
  return cmpUpper(a.uv, a.ui, b.uv, b.ui);
}

function boundValid(lv: Version, li: boolean, uv: Version, ui: boolean): boolean {
  const c = compareVersions(lv, uv);
  return c < 0 || (c === 0 && li && ui);
}

function makeBound(lv: Version, li: boolean, uv: Version, ui: boolean, check = true): Bound {
  if (!uv.isInf && uv.isEmpty && !ui) throw new SolverVersionError("Invalid upper bound: '<'");
  if (check && !boundValid(lv, li, uv, ui)) throw new SolverVersionError("Invalid bound");
  return { lv, li, uv, ui };
}

const ANY_BOUND: Bound = { lv: Version.empty, li: true, uv: Version.inf, ui: true };

function boundContains(b: Bound, v: Version): boolean {
  const cl = compareVersions(v, b.lv);
  if (cl < 0 || (cl === 0 && !b.li)) return false;
  const cu = compareVersions(v, b.uv);
  if (cu > 0 || (cu === 0 && !b.ui)) return false;
  return true;
}

function boundIntersection(a: Bound, b: Bound): Bound | null {
  // max lower (first on ties), min upper (first on ties)
  const lowerFromA = cmpLower(a.lv, a.li, b.lv, b.li) >= 0;
  const lv = lowerFromA ? a.lv : b.lv;
  const li = lowerFromA ? a.li : b.li;
  const upperFromA = cmpUpper(a.uv, a.ui, b.uv, b.ui) <= 0;
  const uv = upperFromA ? a.uv : b.uv;
  const ui = upperFromA ? a.ui : b.ui;
  if (!boundValid(lv, li, uv, ui)) return null;
  return { lv, li, uv, ui };
}

function boundContainsBound(a: Bound, b: Bound): boolean {
  return cmpLower(a.lv, a.li, b.lv, b.li) <= 0 && cmpUpper(a.uv, a.ui, b.uv, b.ui) >= 0;
}

function boundToString(b: Bound): string {
  if (b.uv.isInf) {
    if (!b.lv.isEmpty) return b.li ? `${b.lv.str}+` : `>${b.lv.str}`;
    return b.li ? "" : ">";
  }
  if (versionsEqual(b.lv, b.uv)) return `==${b.lv.str}`;
  if (b.li && b.ui) {
    return b.lv.isEmpty ? `<=${b.uv.str}` : `${b.lv.str}..${b.uv.str}`;
  }
  if (b.li && !b.ui && versionsEqual(b.lv.next(), b.uv)) return b.lv.str;
  const lower = b.lv.isEmpty ? (b.li ? "" : ">") : b.li ? `${b.lv.str}+` : `>${b.lv.str}`;
  const upper = b.ui ? `<=${b.uv.str}` : `<${b.uv.str}`;
  return lower + upper;
}

function unionBounds(bounds: readonly Bound[]): Bound[] {
  if (bounds.length < 2) return bounds.slice();
  const sorted = bounds.slice().sort(cmpBound);
  const out: Bound[] = [];
  let start = 0;
  let prev: Bound | null = null;
  let uv: Version = Version.empty;
  let ui = false;
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i]!;
    if (i > 0) {
      const c = compareVersions(b.lv, uv);
      if (c > 0 || (c === 0 && !b.li && !prev!.ui)) {
        out.push({ lv: sorted[start]!.lv, li: sorted[start]!.li, uv, ui });
        start = i;
      }
    }
    prev = b;
    if (i === 0 || cmpUpper(b.uv, b.ui, uv, ui) > 0) {
      uv = b.uv;
      ui = b.ui;
    }
  }
  out.push({ lv: sorted[start]!.lv, li: sorted[start]!.li, uv, ui });
  return out;
}

let rangeCounter = 0;

export class VersionRange {
  readonly bounds: readonly Bound[];
  readonly id: number;
  private strCache: string | undefined;
  private inverseCache: VersionRange | null | undefined;

  constructor(bounds: readonly Bound[]) {
    this.bounds = bounds;
    this.id = rangeCounter++;
  }

  static readonly any: VersionRange = new VersionRange([ANY_BOUND]);

  isAny(): boolean {
    if (this === VersionRange.any) return true;
    const b = this.bounds;
    return b.length === 1 && b[0]!.lv.isEmpty && b[0]!.li && b[0]!.uv.isInf && b[0]!.ui;
  }

  toString(): string {
    if (this.strCache === undefined) this.strCache = this.bounds.map(boundToString).join("|");
    return this.strCache;
  }

  containsVersion(v: Version): boolean {
    for (const b of this.bounds) if (boundContains(b, v)) return true;
    return false;
  }

  equals(other: VersionRange): boolean {
    if (this === other) return true;
    const a = this.bounds;
    const b = other.bounds;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (cmpBound(a[i]!, b[i]!) !== 0) return false;
    return true;
  }

  /** Identity for caches (separator-independent). */
  get key(): string {
    return this.bounds.map((b) => `${b.lv.key}${b.li ? "[" : "("}${b.uv.key}${b.ui ? "]" : ")"}`).join("|");
  }

  intersects(other: VersionRange): boolean {
    for (const a of this.bounds) for (const b of other.bounds) if (boundIntersection(a, b)) return true;
    return false;
  }

  intersection(other: VersionRange): VersionRange | null {
    if (other.isAny()) return new VersionRange(this.bounds);
    const out: Bound[] = [];
    for (const a of this.bounds) {
      for (const b of other.bounds) {
        const r = boundIntersection(a, b);
        if (r) out.push(r);
      }
    }
    return out.length ? new VersionRange(out) : null;
  }

  union(others: VersionRange | readonly VersionRange[]): VersionRange {
    const list = Array.isArray(others) ? (others as readonly VersionRange[]) : [others as VersionRange];
    const all: Bound[] = this.bounds.slice();
    for (const r of list) all.push(...r.bounds);
    return new VersionRange(unionBounds(all));
  }

  inverse(): VersionRange | null {
    if (this.inverseCache !== undefined) return this.inverseCache;
    let result: VersionRange | null;
    if (this.isAny()) result = null;
    else {
      const lbounds: ({ v: Version; i: boolean } | null)[] = [null];
      const ubounds: ({ v: Version; i: boolean } | null)[] = [];
      for (const b of this.bounds) {
        if (b.lv.isEmpty && b.li) ubounds.push(null);
        else ubounds.push({ v: b.lv, i: !b.li });
        if (b.uv.isInf) lbounds.push(null);
        else lbounds.push({ v: b.uv, i: !b.ui });
      }
      ubounds.push(null);
      const out: Bound[] = [];
      for (let k = 0; k < lbounds.length; k++) {
        const lo = lbounds[k]!;
        const up = ubounds[k]!;
        if (lo === null && up === null) continue;
        out.push(
          makeBound(lo ? lo.v : Version.empty, lo ? lo.i : true, up ? up.v : Version.inf, up ? up.i : true),
        );
      }
      result = new VersionRange(out);
    }
    this.inverseCache = result;
    return result;
  }

  subtract(other: VersionRange): VersionRange | null {
    const inv = other.inverse();
    if (inv === null) return null;
    return this.intersection(inv);
  }

  isSuperset(other: VersionRange): boolean {
    outer: for (const b2 of other.bounds) {
      for (const b1 of this.bounds) if (boundContainsBound(b1, b2)) continue outer;
      return false;
    }
    return true;
  }

  span(): VersionRange {
    const f = this.bounds[0]!;
    const l = this.bounds[this.bounds.length - 1]!;
    return new VersionRange([{ lv: f.lv, li: f.li, uv: l.uv, ui: l.ui }]);
  }

  /** `==a|==b|…` from versions (sorted ascending, deduplicated). */
  static fromVersions(versions: readonly Version[]): VersionRange {
    const sorted = versions.slice().sort(compareVersions);
    const out: Bound[] = [];
    let prev: Version | null = null;
    for (const v of sorted) {
      if (prev && versionsEqual(prev, v)) continue;
      out.push({ lv: v, li: true, uv: v, ui: true });
      prev = v;
    }
    return new VersionRange(out);
  }

  static fromVersion(v: Version): VersionRange {
    return new VersionRange([{ lv: v, li: true, uv: v, ui: true }]);
  }
}

// ---------------------------------------------------------------------------------------------
// Range parsing

const VG = "([0-9a-zA-Z_]+(?:[.-][0-9a-zA-Z_]+)*)";
const RE_VERSION = new RegExp(`^${VG}$`);
const RE_EXACT = new RegExp(`^==${VG}?$`);
const RE_INCL = new RegExp(`^${VG}?\\.\\.${VG}?$`);
const RE_LOWER = new RegExp(`^(?:(>=?)${VG}?|${VG}?\\+)$`);
const RE_UPPER = new RegExp(`^(?:(<=)${VG}?|<${VG}|${VG}?)$`);
// ascending: lower part then upper part (upper prefix required)
const RE_ASC = new RegExp(`^(?:(>=?)${VG}?|${VG}?(\\+)?)(,?)(<=?)${VG}?$`);
// descending: upper then comma then lower
const RE_DESC = new RegExp(`^(?:(<=?)${VG}?|${VG}?(\\+)?)(,?)(>=?|<)${VG}?$`);

function ver(s: string | undefined): Version {
  return s === undefined ? Version.empty : parseVersion(s);
}

function parseRangePart(part: string): Bound {
  let m: RegExpExecArray | null;
  // range_asc (highest precedence in Rez's action order)
  if ((m = RE_ASC.exec(part))) {
    const [, lpre, lv1, lv2, plus, comma, upre, uvs] = m;
    const lowerVersion = lv1 ?? lv2;
    const lowerPresent = lpre !== undefined || lowerVersion !== undefined || plus !== undefined;
    const ok =
      (upre !== "<" || uvs !== undefined) &&
      (lpre === undefined || plus === undefined) &&
      (comma === "" || lowerVersion !== undefined) &&
      !(lpre !== undefined && lv1 === undefined && false);
    if (ok && (lowerPresent || upre)) {
      const lower = lowerPresent ? { v: ver(lowerVersion), i: lpre !== ">" } : null;
      const upper = { v: ver(uvs), i: upre === "<=" };
      if (lowerPresent || comma === "") {
        return makeBound(lower ? lower.v : Version.empty, lower ? lower.i : true, upper.v, upper.i);
      }
    }
  }
  if ((m = RE_VERSION.exec(part))) {
    const v = parseVersion(m[1]!);
    return makeBound(v, true, v.isEmpty ? Version.inf : v.next(), v.isEmpty);
  }
  if ((m = RE_LOWER.exec(part))) {
    const [, pre, v1, v2] = m;
    const v = ver(v1 ?? v2);
    return makeBound(v, pre !== ">", Version.inf, true);
  }
  if ((m = RE_EXACT.exec(part))) {
    const v = ver(m[1]);
    return makeBound(v, true, v, true);
  }
  if ((m = RE_DESC.exec(part))) {
    const [, upre, uv1, uv2, plus, comma, lpre, lvs] = m;
    const upperVersion = uv1 ?? uv2;
    const valid =
      (upperVersion === undefined ? comma === "" : comma === ",") &&
      (lpre !== "<" || lvs !== undefined) &&
      (lpre === ">=" || lpre === ">" ? lvs !== undefined : true) &&
      (upre === undefined || plus === undefined);
    if (valid) {
      const upperPresent = upre !== undefined || upperVersion !== undefined || plus !== undefined;
      const lower = { v: ver(lvs), i: lpre !== ">" };
      const upper = upperPresent ? { v: ver(upperVersion), i: upre !== "<" } : null;
      return makeBound(lower.v, lower.i, upper ? upper.v : Version.inf, upper ? upper.i : true);
    }
  }
  if ((m = RE_INCL.exec(part))) {
    return makeBound(ver(m[1]), true, ver(m[2]), true);
  }
  if ((m = RE_UPPER.exec(part))) {
    const [, le, v1, v2] = m;
    if (le !== undefined) return makeBound(Version.empty, true, ver(v1), true);
    if (v1 === undefined && v2 !== undefined) return makeBound(Version.empty, true, ver(v2), false);
  }
  throw new SolverVersionError(`Syntax error in version range '${part}'`);
}

const rangeCache = new Map<string, VersionRange>();

export function parseRange(s: string): VersionRange {
  const cached = rangeCache.get(s);
  if (cached) return cached;
  let isAny = false;
  const bounds: Bound[] = [];
  for (const part of s.split("|")) {
    if (part === "") {
      isAny = true;
      continue;
    }
    const b = parseRangePart(part);
    if (!isAny) bounds.push(b);
  }
  const r = isAny || bounds.length === 0 ? VersionRange.any : new VersionRange(unionBounds(bounds));
  rangeCache.set(s, r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Requirements

export class Requirement {
  readonly name: string;
  /** null only for a weak requirement without range (`~foo`). */
  readonly range: VersionRange | null;
  readonly conflict: boolean;
  readonly weak: boolean;
  readonly sep: string;
  private strCache: string | undefined;

  constructor(name: string, range: VersionRange | null, conflict: boolean, weak: boolean, sep = "-") {
    this.name = name;
    this.range = range;
    this.conflict = conflict;
    this.weak = weak;
    this.sep = sep;
  }

  static construct(name: string, range: VersionRange): Requirement {
    return new Requirement(name, range, false, false);
  }

  get ephemeral(): boolean {
    return this.name.startsWith(".");
  }

  toString(): string {
    if (this.strCache !== undefined) return this.strCache;
    const pre = this.weak ? "~" : this.conflict ? "!" : "";
    let range: VersionRange | null = this.range;
    if (this.weak) range = this.range ? this.range.inverse() ?? VersionRange.any : VersionRange.any;
    let rangeStr = "";
    let sepStr = "";
    if (range && !range.isAny()) {
      rangeStr = range.toString();
      const c = rangeStr[0];
      if (c !== "=" && c !== "<" && c !== ">") sepStr = this.sep;
    }
    this.strCache = pre + this.name + sepStr + rangeStr;
    return this.strCache;
  }

  /** Equality as Rez: name, range, conflict (not weak). */
  equals(other: Requirement): boolean {
    if (this === other) return true;
    if (this.name !== other.name || this.conflict !== other.conflict) return false;
    if (this.range === null || other.range === null) return this.range === other.range;
    return this.range.equals(other.range);
  }

  conflictsWith(other: Requirement): boolean {
    if (this.name !== other.name || this.range === null || other.range === null) return false;
    if (this.conflict) return other.conflict ? false : this.range.isSuperset(other.range);
    if (other.conflict) return other.range.isSuperset(this.range);
    return !this.range.intersects(other.range);
  }

  conflictsWithVersion(name: string, version: Version): boolean {
    if (this.name !== name || this.range === null) return false;
    const inside = this.range.containsVersion(version);
    return this.conflict ? inside : !inside;
  }

  /** Merge with a same-named requirement; null = conflict. */
  merged(other: Requirement): Requirement | null {
    if (this.name !== other.name) return null;
    if (this.range === null) return other;
    if (other.range === null) return this;
    if (this.conflict) {
      if (other.conflict) {
        const r = this.range.union(other.range);
        return new Requirement(this.name, r, true, this.weak && other.weak && !r.isAny(), this.sep);
      }
      const r = other.range.subtract(this.range);
      if (r === null) return null;
      return new Requirement(other.name, r, other.conflict, other.weak, other.sep);
    }
    if (other.conflict) {
      const r = this.range.subtract(other.range);
      if (r === null) return null;
      return new Requirement(this.name, r, this.conflict, this.weak, this.sep);
    }
    const r = this.range.intersection(other.range);
    if (r === null) return null;
    return new Requirement(this.name, r, this.conflict, this.weak, this.sep);
  }
}

const NAME_RE = /^[a-zA-Z_0-9](\.?[a-zA-Z0-9_]+)*$/;

const requirementCache = new Map<string, Requirement>();

export function parseRequirement(s: string): Requirement {
  const cached = requirementCache.get(s);
  if (cached) return cached;
  let text = s;
  let conflict = false;
  let weak = false;
  if (text.startsWith("!")) {
    conflict = true;
    text = text.slice(1);
  } else if (text.startsWith("~")) {
    conflict = true;
    weak = true;
    text = text.slice(1);
  }
  const m = /[-@#=<>]/.exec(text);
  let name: string;
  let range: VersionRange | null;
  let sep = "-";
  if (m) {
    name = text.slice(0, m.index);
    const c = m[0];
    let rangeText: string;
    if (c === "-" || c === "@" || c === "#") {
      sep = c;
      rangeText = text.slice(m.index + 1);
    } else {
      rangeText = text.slice(m.index);
    }
    try {
      range = parseRange(rangeText);
    } catch (e) {
      throw new SolverVersionError(`Invalid requirement '${s}': ${(e as Error).message}`);
    }
    if (weak) range = range.inverse();
    // `~foo-` style: weak with an any range has nothing to negate
  } else {
    name = text;
    range = weak ? null : VersionRange.any;
  }
  const bare = name.startsWith(".") ? name.slice(1) : name;
  if (!NAME_RE.test(bare) || bare === "__pycache__") {
    throw new SolverVersionError(`Invalid requirement '${s}': invalid package name '${name}'`);
  }
  const req = new Requirement(name, range, conflict, weak, sep);
  requirementCache.set(s, req);
  return req;
}

export class RequirementList {
  readonly requirements: readonly Requirement[];
  readonly conflict: readonly [Requirement, Requirement] | null;
  readonly names: ReadonlySet<string>;
  readonly conflictNames: ReadonlySet<string>;
  private readonly byName: ReadonlyMap<string, Requirement>;

  constructor(requirements: readonly Requirement[]) {
    const dict = new Map<string, Requirement>();
    let conflict: [Requirement, Requirement] | null = null;
    for (const req of requirements) {
      const existing = dict.get(req.name);
      if (existing === undefined) dict.set(req.name, req);
      else {
        const m = existing.merged(req);
        if (m === null) {
          conflict = [existing, req];
          break;
        }
        dict.set(req.name, m);
      }
    }
    const list: Requirement[] = [];
    const names = new Set<string>();
    const conflictNames = new Set<string>();
    if (conflict === null) {
      for (const req of dict.values()) {
        list.push(req);
        if (req.conflict) conflictNames.add(req.name);
        else names.add(req.name);
      }
    }
    this.requirements = list;
    this.conflict = conflict;
    this.names = names;
    this.conflictNames = conflictNames;
    this.byName = conflict === null ? dict : new Map();
  }

  get(name: string): Requirement | undefined {
    return this.byName.get(name);
  }

  toString(): string {
    if (this.conflict) return `${this.conflict[0].toString()} <--!--> ${this.conflict[1].toString()}`;
    return this.requirements.map((r) => r.toString()).join(" ");
  }
}
