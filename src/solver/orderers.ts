// Package orderers (Rez package_order.py): version preference per family.
import { Version, type VersionRange } from "../version/index.js";
import { remember } from "./memo.js";

/** A comparable key atom, compared like Python tuples/lists. */
export type OrderKey = number | string | Version | ReversedKey | FallbackKey | readonly OrderKey[];

/** Rez FallbackComparable: compare orderer keys; if they are not comparable, compare the raw versions. */
export class FallbackKey {
  constructor(
    readonly main: OrderKey,
    readonly fallback: Version,
  ) {}
}

export class ReversedKey {
  constructor(readonly inner: OrderKey) {}
}

export function compareKeys(a: OrderKey, b: OrderKey): number {
  if (a instanceof FallbackKey || b instanceof FallbackKey) {
    const am = a instanceof FallbackKey ? a.main : a;
    const bm = b instanceof FallbackKey ? b.main : b;
    const af = a instanceof FallbackKey ? a.fallback : a;
    const bf = b instanceof FallbackKey ? b.fallback : b;
    try {
      return compareKeys(am, bm);
    } catch {
      if (af instanceof Version && bf instanceof Version) return Version.compare(af, bf);
      throw new TypeError("incomparable order keys");
    }
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Version && b instanceof Version) return Version.compare(a, b);
  if (a instanceof ReversedKey && b instanceof ReversedKey) return compareKeys(b.inner, a.inner);
  if (Array.isArray(a) && Array.isArray(b)) {
    const aa = a as readonly OrderKey[];
    const bb = b as readonly OrderKey[];
    const n = Math.min(aa.length, bb.length);
    for (let i = 0; i < n; i++) {
      const c = compareKeys(aa[i]!, bb[i]!);
      if (c !== 0) return c;
    }
    return aa.length - bb.length;
  }
  throw new TypeError("incomparable order keys");
}

/** Answers questions about a family's packages that some orderers need (timestamps). */
export interface OrdererFamilyInfo {
  packages(name: string): readonly { readonly version: Version; readonly timestamp: number }[];
}

export interface PackageOrderer {
  readonly type: string;
  /** Families this orderer applies to; `*` means all. */
  readonly packages: readonly string[];
  keyFor(name: string, version: Version, info: OrdererFamilyInfo): OrderKey;
  toString(): string;
}

export type OrdererPod =
  | { type: "sorted"; descending: boolean; packages?: string | string[] | null }
  | { type: "version_split"; first_version: string; packages?: string | string[] | null }
  | { type: "soft_timestamp"; timestamp: number; rank?: number; packages?: string | string[] | null }
  | { type: "no_order"; packages?: string | string[] | null }
  | { type: "per_family"; orderers: OrdererPod[]; default_order?: OrdererPod | null };

function packagesList(p: string | readonly string[] | null | undefined): string[] {
  if (p === null || p === undefined) return ["*"];
  if (typeof p === "string") return [p];
  return [...p].sort();
}

export class SortedOrder implements PackageOrderer {
  readonly type = "sorted";
  readonly packages: readonly string[];
  constructor(
    readonly descending: boolean,
    packages?: string | readonly string[] | null,
  ) {
    this.packages = packagesList(packages);
  }
  keyFor(_name: string, version: Version): OrderKey {
    return this.descending ? version : new ReversedKey(version);
  }
  toString(): string {
    return `SortedOrder(${this.descending ? "True" : "False"})`;
  }
}

export class NullPackageOrder implements PackageOrderer {
  readonly type = "no_order";
  readonly packages: readonly string[];
  constructor(packages?: string | readonly string[] | null) {
    this.packages = packagesList(packages);
  }
  keyFor(): OrderKey {
    return 0;
  }
  toString(): string {
    return "NullPackageOrder({})";
  }
}

export class VersionSplitPackageOrder implements PackageOrderer {
  readonly type = "version_split";
  readonly packages: readonly string[];
  constructor(
    readonly firstVersion: Version,
    packages?: string | readonly string[] | null,
  ) {
    this.packages = packagesList(packages);
  }
  keyFor(_name: string, version: Version): OrderKey {
    return [Version.compare(version, this.firstVersion) <= 0 ? 1 : 0, version];
  }
  toString(): string {
    return `VersionSplitPackageOrder(${this.firstVersion.toString()})`;
  }
}

export class TimestampPackageOrder implements PackageOrderer {
  readonly type = "soft_timestamp";
  readonly packages: readonly string[];
  private readonly firstAfterCache = new Map<string, Version | null>();
  constructor(
    readonly timestamp: number,
    readonly rank = 0,
    packages?: string | readonly string[] | null,
  ) {
    this.packages = packagesList(packages);
  }

  private firstAfter(name: string, info: OrdererFamilyInfo): Version | null {
    const cached = this.firstAfterCache.get(name);
    if (cached !== undefined) return cached;
    const descending = info.packages(name).slice().sort((a, b) => Version.compare(b.version, a.version));
    let firstAfter: Version | null = null;
    let i = 0;
    for (; i < descending.length; i++) {
      const p = descending[i]!;
      if (!p.timestamp) continue;
      if (p.timestamp > this.timestamp) firstAfter = p.version;
      else break;
    }
    let result = firstAfter;
    if (this.rank) {
      // walk back up from the package the scan stopped at (Python's loop variable)
      const stopAt = descending[Math.min(i, descending.length - 1)];
      result = null;
      if (stopAt) {
        const trimmed = stopAt.version.trim(this.rank - 1).key;
        for (let k = Math.min(i, descending.length - 1) - 1; k >= 0; k--) {
          const v = descending[k]!.version;
          if (v.trim(this.rank - 1).key !== trimmed) {
            result = v;
            break;
          }
        }
      }
    }
    this.firstAfterCache.set(name, result);
    return result;
  }

  keyFor(name: string, version: Version, info: OrdererFamilyInfo): OrderKey {
    const firstAfter = this.firstAfter(name, info);
    const isBefore = firstAfter === null ? 1 : Version.compare(version, firstAfter) < 0 ? 1 : 0;
    if (isBefore) return [isBefore, version];
    if (this.rank) {
      const tokens = version.tokens.slice(this.rank - 1).map((t) => Version.parse(t));
      return [0, new ReversedKey(version.trim(this.rank - 1)), tokens];
    }
    return [0, new ReversedKey(version)];
  }
  toString(): string {
    return `TimestampPackageOrder((${this.timestamp}, ${this.rank}))`;
  }
}

export class PerFamilyOrder implements PackageOrderer {
  readonly type = "per_family";
  readonly packages: readonly string[];
  constructor(
    readonly orderDict: ReadonlyMap<string, PackageOrderer>,
    readonly defaultOrder: PackageOrderer | null = null,
  ) {
    this.packages = [...orderDict.keys()].sort();
  }
  /** Rez's PerFamilyOrder.reorder returns None (leave the order alone) for a family it has no orderer for. */
  appliesTo(name: string): boolean {
    return this.orderDict.has(name) || this.defaultOrder !== null;
  }
  keyFor(name: string, version: Version, info: OrdererFamilyInfo): OrderKey {
    const o = this.orderDict.get(name) ?? this.defaultOrder;
    if (!o) throw new Error(`package family orderer does not apply to package family '${name}'`);
    return o.keyFor(name, version, info);
  }
  toString(): string {
    return "PerFamilyOrder(...)";
  }
}

export function ordererFromPod(pod: OrdererPod): PackageOrderer {
  switch (pod.type) {
    case "sorted":
      return new SortedOrder(pod.descending, pod.packages);
    case "version_split":
      return new VersionSplitPackageOrder(Version.parse(pod.first_version), pod.packages);
    case "soft_timestamp":
      return new TimestampPackageOrder(pod.timestamp, pod.rank ?? 0, pod.packages);
    case "no_order":
      return new NullPackageOrder(pod.packages);
    case "per_family": {
      const dict = new Map<string, PackageOrderer>();
      for (const sub of pod.orderers) {
        const { packages, ...rest } = sub as OrdererPod & { packages?: string | string[] | null };
        const o = ordererFromPod(rest as OrdererPod);
        for (const fam of packagesList(packages)) dict.set(fam, o);
      }
      return new PerFamilyOrder(dict, pod.default_order ? ordererFromPod(pod.default_order) : null);
    }
  }
}

const DEFAULT_ORDER = new SortedOrder(true);

/** Orderers by family; earlier orderers win, `*` is the fallback, then descending versions. */
export class PackageOrderList {
  private readonly byPackage = new Map<string, PackageOrderer>();
  constructor(readonly orderers: readonly PackageOrderer[] = []) {
    for (const o of orderers) {
      for (const p of o.packages) if (!this.byPackage.has(p)) this.byPackage.set(p, o);
    }
  }
  static fromPods(pods: readonly OrdererPod[]): PackageOrderList {
    return new PackageOrderList(pods.map(ordererFromPod));
  }
  get(name: string): PackageOrderer {
    return this.byPackage.get(name) ?? this.byPackage.get("*") ?? DEFAULT_ORDER;
  }
  get isEmpty(): boolean {
    return this.orderers.length === 0;
  }
}

/** Range keys in the default order, by range: they depend on the range alone (bounded, as ranges come and go). */
const plainRangeKeys = new Map<VersionRange, OrderKey>();

/** Rez `orderer.sort_key(name, range)` for variant preference. */
export function rangeSortKey(
  orderer: PackageOrderer,
  name: string,
  range: VersionRange,
  info: OrdererFamilyInfo,
): OrderKey {
  const plain = orderer === DEFAULT_ORDER || (orderer instanceof SortedOrder && orderer.descending);
  if (!plain) return boundKeys(range, (v) => new FallbackKey(orderer.keyFor(name, v, info), v));
  return plainRangeKeys.get(range) ?? remember(plainRangeKeys, range, boundKeys(range, (v) => v), 65536);
}

/** Per bound of the range: its lower and upper versions' keys, each with its side and inclusiveness. */
function boundKeys(range: VersionRange, k: (v: Version) => OrderKey): OrderKey {
  const out: OrderKey[] = [];
  for (const b of range.bounds) {
    out.push([
      [k(b.lower.version), b.lower.inclusive ? -2 : -1],
      [k(b.upper.version), b.upper.inclusive ? 2 : 1],
    ]);
  }
  return out;
}

/** Reorder versions as the orderer would consume them (first = most preferred). */
export function reorderVersions(
  orderer: PackageOrderer,
  name: string,
  versions: readonly Version[],
  info: OrdererFamilyInfo,
): Version[] {
  if (orderer instanceof PerFamilyOrder && !orderer.appliesTo(name)) return [...versions];
  const keyed = versions.map((v) => ({ v, k: orderer.keyFor(name, v, info) }));
  keyed.sort((a, b) => compareKeys(b.k, a.k));
  return keyed.map((x) => x.v);
}
