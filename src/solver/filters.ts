// Package filters (Rez package_filter.py): exclusion / inclusion rules applied when a package is first touched.
import { PkgError, type PkgErrorOptions } from "../errors/index.js";
import { fnmatchToRegExp } from "../glob/index.js";
import { parseRequirement, type Requirement, type Version } from "../version/index.js";

/** What a rule looks at. */
export interface FilterablePackage {
  readonly name: string;
  readonly version: Version;
  /** 0 when the package has no timestamp. */
  readonly timestamp: number;
}

export interface FilterRule {
  readonly family: string | null;
  readonly cost: number;
  match(pkg: FilterablePackage): boolean;
  toString(): string;
}

function qualifiedName(pkg: FilterablePackage): string {
  return pkg.version.isEmpty ? pkg.name : `${pkg.name}-${pkg.version.toString()}`;
}

function extractFamily(txt: string): string | null {
  const m = /^[^*?]+[-@#]/.exec(txt);
  if (!m) return null;
  // Python's greedy `[^*?]+` backtracks to the LAST separator it can reach before a wildcard
  return m[0].slice(0, -1);
}

export class RegexRule implements FilterRule {
  readonly family: string | null;
  readonly cost = 10;
  private readonly regex: RegExp;
  constructor(readonly txt: string) {
    this.family = extractFamily(txt);
    this.regex = new RegExp(`^(?:${txt})`);
  }
  match(pkg: FilterablePackage): boolean {
    return this.regex.test(qualifiedName(pkg));
  }
  toString(): string {
    return `regex(${this.txt})`;
  }
}

export class GlobRule implements FilterRule {
  readonly family: string | null;
  readonly cost = 10;
  private readonly regex: RegExp;
  constructor(readonly txt: string) {
    this.family = extractFamily(txt);
    this.regex = fnmatchToRegExp(txt);
  }
  match(pkg: FilterablePackage): boolean {
    return this.regex.test(qualifiedName(pkg));
  }
  toString(): string {
    return `glob(${this.txt})`;
  }
}

export class RangeRule implements FilterRule {
  readonly family: string;
  readonly cost = 10;
  constructor(readonly requirement: Requirement) {
    this.family = requirement.name;
  }
  match(pkg: FilterablePackage): boolean {
    return !this.requirement.conflictsWithVersion(pkg.name, pkg.version);
  }
  toString(): string {
    return `range(${this.requirement.toString()})`;
  }
}

export class TimestampRule implements FilterRule {
  readonly cost = 1000;
  constructor(
    readonly timestamp: number,
    readonly family: string | null = null,
    readonly reverse = false,
    readonly matchUntimestamped = false,
  ) {}
  static after(timestamp: number, family: string | null = null): TimestampRule {
    return new TimestampRule(timestamp, family, true);
  }
  static before(timestamp: number, family: string | null = null): TimestampRule {
    return new TimestampRule(timestamp, family, false);
  }
  match(pkg: FilterablePackage): boolean {
    if (!pkg.timestamp) return this.matchUntimestamped;
    return this.reverse ? pkg.timestamp > this.timestamp : pkg.timestamp <= this.timestamp;
  }
  toString(): string {
    const parts = this.family ? [this.family, String(this.timestamp)] : [String(this.timestamp)];
    return `${this.reverse ? "after" : "before"}(${parts.join(":")})`;
  }
}

export class FilterConfigError extends PkgError {
  override name = "FilterConfigError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0020", message, options);
  }
}

/** Parse `glob(*.beta)`, `regex(...)`, `range(foo<2)`, `before(123)`, `after(foo:123)`, or a bare glob/range. */
export function parseFilterRule(text: string): FilterRule {
  const m = /^([^(]+)\(([^()]+)\)$/.exec(text);
  let label = m ? m[1]! : null;
  const body = m ? m[2]! : text;
  if (label === null) label = body.includes("*") ? "glob" : "range";
  try {
    switch (label) {
      case "glob":
        return new GlobRule(body);
      case "regex":
        return new RegexRule(body);
      case "range":
        return new RangeRule(parseRequirement(body));
      case "before":
      case "after": {
        const i = body.indexOf(":");
        const family = i >= 0 ? body.slice(0, i) : null;
        const ts = Number.parseInt(i >= 0 ? body.slice(i + 1) : body, 10);
        if (Number.isNaN(ts)) throw new Error(`invalid timestamp '${body}'`);
        return new TimestampRule(ts, family, label === "after");
      }
      default:
        throw new FilterConfigError(`'${label}' is not a valid package filter type`);
    }
  } catch (e) {
    if (e instanceof FilterConfigError) throw e;
    throw new FilterConfigError(`Error parsing package filter '${label}(${body})': ${(e as Error).message}`);
  }
}

export interface PackageFilterPod {
  excludes?: string | readonly string[];
  includes?: string | readonly string[];
}

function addRule(dict: Map<string | null, FilterRule[]>, rule: FilterRule): void {
  const list = [...(dict.get(rule.family) ?? []), rule];
  list.sort((a, b) => a.cost - b.cost);
  dict.set(rule.family, list);
}

export class PackageFilter {
  readonly excludeRules = new Map<string | null, FilterRule[]>();
  readonly includeRules = new Map<string | null, FilterRule[]>();

  static fromPod(pod: PackageFilterPod): PackageFilter {
    const f = new PackageFilter();
    const list = (x: string | readonly string[] | undefined): readonly string[] =>
      x === undefined ? [] : typeof x === "string" ? [x] : x;
    for (const r of list(pod.excludes)) f.addExclusion(parseFilterRule(r));
    for (const r of list(pod.includes)) f.addInclusion(parseFilterRule(r));
    return f;
  }
  addExclusion(rule: FilterRule): void {
    addRule(this.excludeRules, rule);
  }
  addInclusion(rule: FilterRule): void {
    addRule(this.includeRules, rule);
  }
  get cost(): number {
    let total = 0;
    for (const [family, rules] of this.excludeRules) {
      let c = rules.reduce((s, r) => s + r.cost, 0);
      if (family) c /= 10;
      total += c;
    }
    return total;
  }
  get isEmpty(): boolean {
    return this.excludeRules.size === 0;
  }
  copy(): PackageFilter {
    const f = new PackageFilter();
    for (const [k, v] of this.excludeRules) f.excludeRules.set(k, v.slice());
    for (const [k, v] of this.includeRules) f.includeRules.set(k, v.slice());
    return f;
  }
  excludes(pkg: FilterablePackage): FilterRule | null {
    if (this.excludeRules.size === 0) return null;
    const first = (rules: readonly FilterRule[] | undefined): FilterRule | null => {
      if (rules) for (const r of rules) if (r.match(pkg)) return r;
      return null;
    };
    const excl = first(this.excludeRules.get(pkg.name)) ?? first(this.excludeRules.get(null));
    if (!excl) return null;
    if (first(this.includeRules.get(pkg.name)) || first(this.includeRules.get(null))) return null;
    return excl;
  }
}

/** A package is excluded iff some filter in the list excludes it. */
export class PackageFilterList {
  filters: PackageFilter[] = [];

  static fromPod(pods: readonly PackageFilterPod[]): PackageFilterList {
    const fl = new PackageFilterList();
    for (const p of pods) fl.addFilter(PackageFilter.fromPod(p));
    return fl;
  }
  addFilter(f: PackageFilter): void {
    this.filters = [...this.filters, f].sort((a, b) => a.cost - b.cost);
  }
  addExclusion(rule: FilterRule): void {
    const last = this.filters[this.filters.length - 1];
    if (last) last.addExclusion(rule);
    else {
      const f = new PackageFilter();
      f.addExclusion(rule);
      this.addFilter(f);
    }
  }
  addInclusion(rule: FilterRule): void {
    for (const f of this.filters) f.addInclusion(rule);
  }
  copy(): PackageFilterList {
    const fl = new PackageFilterList();
    fl.filters = this.filters.map((f) => f.copy());
    return fl;
  }
  get isEmpty(): boolean {
    return !this.filters.some((f) => !f.isEmpty);
  }
  excludes(pkg: FilterablePackage): FilterRule | null {
    for (const f of this.filters) {
      const r = f.excludes(pkg);
      if (r) return r;
    }
    return null;
  }
}
