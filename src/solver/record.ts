// What the solver reads of a loaded family, independent of any store: each definition's version, timestamp
// and requirement strings, and each variant's requirement list, parsed on first use. Records belong to the
// definitions a source hands out (kept beside them, weakly), so every FamilyStore over the same loaded family
// shares them: a new store parses nothing its source's families have parsed before. Identical lists of a
// family's variants are one object.
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { parsePkgRsRequirement, parseRequirement, type Requirement, RequirementList, Version } from "../version/index.js";
import { ResolveError } from "./source.js";

export interface VersionOrder {
  readonly order: Int32Array;
  readonly keys: readonly string[];
}

/** One loaded family: its distinct requirement lists (by their strings), its version order. */
export class FamilyRecord {
  private order: VersionOrder | undefined = undefined;
  private ranks: Int32Array | undefined = undefined;

  /**
   * The family's package indices ordered by version (ties in list order), with their version keys; `packages`
   * are the family's, one per definition in order (so every store over these definitions has the same order).
   */
  versionOrder(packages: readonly { readonly version: Version }[]): VersionOrder {
    let result = this.order;
    if (result === undefined) {
      const order = Int32Array.from(packages.keys());
      const keys = packages.map((p) => p.version.key);
      order.sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : x - y));
      this.order = result = { order, keys: Array.from(order, (i) => keys[i]!) };
    }
    return result;
  }

  /** Per package index: its version's rank in the family (equal versions share a rank), for fast sorts. */
  versionRanks(packages: readonly { readonly version: Version }[]): Int32Array {
    let ranks = this.ranks;
    if (ranks === undefined) {
      const { order, keys } = this.versionOrder(packages);
      ranks = new Int32Array(packages.length);
      let rank = 0;
      for (let p = 0; p < order.length; p++) {
        if (p > 0 && keys[p] !== keys[p - 1]) rank = p;
        ranks[order[p]!] = rank;
      }
      this.ranks = ranks;
    }
    return ranks;
  }

  /** The one list of these requirement strings (parse errors propagate, and are not kept). */
  list(rezSyntax: boolean, requires: readonly string[], variantRequires: readonly string[], buildRequires: readonly string[] | null): RequirementList {
    // A trie over the strings (no key string built: each string's hash is computed once, and kept by V8).
    let node = rezSyntax ? this.rez : this.pkgRs;
    for (let i = 0; i < requires.length; i++) node = step(node, requires[i]!);
    node = step(node, SEPARATOR);
    for (let i = 0; i < variantRequires.length; i++) node = step(node, variantRequires[i]!);
    if (buildRequires !== null) {
      node = step(node, SEPARATOR);
      for (let i = 0; i < buildRequires.length; i++) node = step(node, buildRequires[i]!);
    }
    let list = node.list;
    if (list === undefined) {
      const parse = rezSyntax ? parseRequirement : parsePkgRsRequirement;
      const reqs: Requirement[] = [];
      for (const s of requires) reqs.push(parse(s));
      for (const s of variantRequires) reqs.push(parse(s));
      if (buildRequires !== null) for (const s of buildRequires) reqs.push(parse(s));
      node.list = list = new RequirementList(reqs);
    }
    return list;
  }
  private readonly rez: TrieNode = { next: undefined, list: undefined };
  private readonly pkgRs: TrieNode = { next: undefined, list: undefined };
}

interface TrieNode {
  next: Map<string, TrieNode> | undefined;
  /** The list of the strings on the path here (when one has been asked for). */
  list: RequirementList | undefined;
}

/** Between the package's, the variant's and the build requirements on a trie path (no requirement parses as it). */
const SEPARATOR = "\u0001";

function step(node: TrieNode, s: string): TrieNode {
  const next = (node.next ??= new Map());
  let child = next.get(s);
  if (child === undefined) next.set(s, (child = { next: undefined, list: undefined }));
  return child;
}

/** One definition as the solver reads it. */
export class PackageRecord {
  readonly version: Version;
  readonly timestamp: number;
  private readonly rezSyntax: boolean;
  /** Each variant's list (by index; one slot when the package has no variants), per mode, made on use. */
  private lists: (RequirementList | undefined)[] | undefined = undefined;
  private buildLists: (RequirementList | undefined)[] | undefined = undefined;
  constructor(
    readonly family: FamilyRecord,
    readonly definition: PackageDefinition,
    readonly requires: readonly string[],
    readonly buildRequires: readonly string[],
    /** null: the package has no variants. */
    readonly variants: readonly (readonly string[])[] | null,
    timestamp: PackageValue | undefined,
  ) {
    this.version = Version.parse(definition.version);
    this.timestamp = typeof timestamp === "number" ? timestamp : 0;
    this.rezSyntax = definition.format !== "pkg-rs" && definition.format !== "toolset";
  }

  /** The requirement list of variant `index` (0 when the package has no variants). */
  list(index: number, building: boolean): RequirementList {
    let lists = building ? this.buildLists : this.lists;
    if (lists === undefined) {
      lists = new Array<RequirementList | undefined>(this.variants === null ? 1 : this.variants.length).fill(undefined);
      if (building) this.buildLists = lists;
      else this.lists = lists;
    }
    let list = lists[index];
    if (list === undefined) {
      const variantRequires = this.variants === null ? NONE : this.variants[index]!;
      lists[index] = list = this.family.list(this.rezSyntax, this.requires, variantRequires, building ? this.buildRequires : null);
    }
    return list;
  }
}

const NONE: readonly string[] = [];

const families = new WeakMap<readonly PackageDefinition[], FamilyRecord>();
const packages = new WeakMap<PackageDefinition, PackageRecord>();

/** The record of a family's definitions (the array a source hands out for it). */
export function familyRecord(definitions: readonly PackageDefinition[]): FamilyRecord {
  let record = families.get(definitions);
  if (record === undefined) families.set(definitions, (record = new FamilyRecord()));
  return record;
}

/** The value as a list of strings (the definition's own array: nothing here changes it). */
export function stringList(value: PackageValue | undefined, what: string, def: PackageDefinition): readonly string[] {
  if (value === undefined || value === null) return NONE;
  if (!Array.isArray(value)) throw new ResolveError(`${def.file}: '${what}' must be a list of strings`);
  for (const v of value) if (typeof v !== "string") throw new ResolveError(`${def.file}: '${what}' must be a list of strings`);
  return value as readonly string[];
}

export function isLate(value: PackageValue | undefined): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === "source";
}

/** A record of these attribute values (bad shapes are ResolveErrors). */
export function makePackageRecord(
  family: FamilyRecord,
  def: PackageDefinition,
  requires: PackageValue | undefined,
  buildRequires: PackageValue | undefined,
  variants: PackageValue | undefined,
): PackageRecord {
  const req = stringList(requires, "requires", def);
  const buildReq = stringList(buildRequires, "build_requires", def);
  let vs: (readonly string[])[] | null = null;
  if (Array.isArray(variants) && variants.length > 0) vs = variants.map((v) => stringList(v, "variants", def));
  return new PackageRecord(family, def, req, buildReq, vs, def.attributes["timestamp"]);
}

/**
 * The shared record of a definition whose requirements are not late-bound (undefined when some are: their
 * values depend on the evaluation, so each store makes its own).
 */
export function sharedPackageRecord(family: FamilyRecord, def: PackageDefinition): PackageRecord | undefined {
  let record = packages.get(def);
  if (record === undefined) {
    const a = def.attributes;
    const requires = a["requires"];
    const buildRequires = a["build_requires"];
    const variants = a["variants"];
    if (isLate(requires) || isLate(buildRequires) || isLate(variants)) return undefined;
    record = makePackageRecord(family, def, requires, buildRequires, variants);
    packages.set(def, record);
  }
  return record;
}
