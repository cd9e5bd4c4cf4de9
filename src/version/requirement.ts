import { RequirementError, VersionError } from "./errors.js";
import { VersionRange } from "./range.js";
import { Version } from "./version.js";

// Rez Requirement / RequirementList / VersionedObject (reference/rez-core.md §2.4-2.5),
// plus the name check of Rez's PackageRequest.

// Rez's `^[a-zA-Z_0-9](\.?[a-zA-Z0-9_]+)*$`, without nested quantifiers (that form backtracks exponentially on long invalid names).
const PACKAGE_NAME = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;
const RESERVED_NAMES = new Set(["__pycache__"]);

/** Rez's is_valid_package_name (without the ephemeral "." prefix). */
export function isValidPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name) && !RESERVED_NAMES.has(name);
}

/** Name check for requests: an optional leading "." (ephemeral), then a valid package name. */
export function isValidRequestName(name: string): boolean {
  return isValidPackageName(name.startsWith(".") ? name.slice(1) : name);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A `name-version` identity (e.g. "foo-1.0", "foo@1.0", "foo#1.0", "foo"); split at the first -@#. */
export class VersionedObject {
  readonly name: string;
  readonly version: Version;
  /** Cosmetic separator ("-", "@" or "#"). */
  readonly sep: string;

  private constructor(name: string, version: Version, sep: string) {
    this.name = name;
    this.version = version;
    this.sep = sep;
  }

  static parse(text: string): VersionedObject {
    const m = /[-@#]/.exec(text);
    if (m === null) return new VersionedObject(text, Version.EMPTY, "-");
    const i = m.index;
    const versionText = text.slice(i + 1);
    try {
      return new VersionedObject(text.slice(0, i), Version.parse(versionText), text[i]!);
    } catch (e) {
      throw new VersionError(`Invalid package identity '${text}': ${errorMessage(e)}`, { cause: e });
    }
  }

  static construct(name: string, version: Version = Version.EMPTY): VersionedObject {
    return new VersionedObject(name, version, "-");
  }

  /** Same name and (Rez-equal) version. */
  equals(other: VersionedObject): boolean {
    return this.name === other.name && this.version.equals(other.version);
  }

  /** "foo==1.0" (or "foo" when unversioned). */
  asExactRequirement(): string {
    return this.version.isEmpty ? this.name : `${this.name}==${this.version.toString()}`;
  }

  toString(): string {
    return this.version.isEmpty ? this.name : this.name + this.sep + this.version.toString();
  }
}

export interface RequirementParseOptions {
  /** Check the name like Rez's PackageRequest (default true). */
  readonly validateName?: boolean;
}

export interface RequirementFlags {
  readonly conflict?: boolean;
  /** Weak (`~`) implies conflict; `range` is then the stored (inverse) range, as in Rez. */
  readonly weak?: boolean;
  readonly sep?: string;
}

const REQUIREMENT_CACHE_LIMIT = 100_000;
const requirementCache = new Map<string, Requirement>();

/** An immutable Rez requirement: `foo-1.2+`, `!foo-2`, `~foo<3`, `.eph-1`. */
export class Requirement {
  readonly name: string;
  /**
   * The range this requirement stands for. For conflicts (`!`) the range that must NOT be present;
   * for weak requirements (`~foo-2`) the inverse of the written range (`<2|2_+`), as Rez stores it.
   * null only for the no-op `~foo`.
   */
  readonly range: VersionRange | null;
  readonly conflict: boolean;
  readonly weak: boolean;
  /** Cosmetic separator between name and range ("-", "@" or "#"). */
  readonly sep: string;
  private text: string | undefined;

  private constructor(name: string, range: VersionRange | null, conflict: boolean, weak: boolean, sep: string) {
    this.name = name;
    this.range = range;
    this.conflict = conflict || weak;
    this.weak = weak;
    this.sep = sep;
  }

  /** Parse Rez requirement syntax. Throws RequirementError naming the requirement and the reason. Cached. */
  static parse(text: string, options?: RequirementParseOptions): Requirement {
    const validate = options?.validateName ?? true;
    const cacheKey = validate ? text : "\x00" + text;
    const cached = requirementCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const r = Requirement.parseUncached(text, validate);
    if (requirementCache.size >= REQUIREMENT_CACHE_LIMIT) requirementCache.clear();
    requirementCache.set(cacheKey, r);
    return r;
  }

  private static parseUncached(text: string, validate: boolean): Requirement {
    let s = text;
    let conflict = false;
    let weak = false;
    if (s.startsWith("!")) {
      conflict = true;
      s = s.slice(1);
    } else if (s.startsWith("~")) {
      weak = true;
      s = s.slice(1);
    }
    const prefixLength = text.length - s.length;
    const m = /[-@#=<>]/.exec(s);
    let name: string;
    let range: VersionRange | null;
    let sep = "-";
    if (m !== null) {
      name = s.slice(0, m.index);
      let rangeText = s.slice(m.index);
      if (rangeText[0] === "-" || rangeText[0] === "@" || rangeText[0] === "#") {
        sep = rangeText[0];
        rangeText = rangeText.slice(1);
      }
      try {
        range = VersionRange.parse(rangeText);
      } catch (e) {
        const at = prefixLength + (s.length - rangeText.length);
        throw new RequirementError(
          `Invalid requirement '${text}': bad version range '${rangeText}' (starting at position ${at}): ${errorMessage(e)}`,
          { cause: e },
        );
      }
      if (weak) range = range.inverse();
    } else {
      name = s;
      range = weak ? null : VersionRange.ANY;
    }
    if (validate) Requirement.checkName(text, name);
    return new Requirement(name, range, conflict, weak, sep);
  }

  /** Throws RequirementError unless `name` is a valid request name (see isValidRequestName). */
  static checkName(requirementText: string, name: string): void {
    if (!isValidRequestName(name)) {
      throw new RequirementError(
        `Invalid requirement '${requirementText}': '${name}' is not a valid package name ` +
          `(letters, digits and '_', optionally joined by single '.'; a leading '.' marks an ephemeral)`,
      );
    }
  }

  /** Rez Requirement.construct: a plain (non-conflict) requirement; range defaults to any. */
  static construct(name: string, range: VersionRange = VersionRange.ANY): Requirement {
    return new Requirement(name, range, false, false, "-");
  }

  /** General factory. For weak requirements pass the stored (inverse) range, as `range` reports it. */
  static of(name: string, range: VersionRange | null, flags: RequirementFlags = {}): Requirement {
    const weak = flags.weak ?? false;
    if (range === null && !weak) throw new RequirementError(`Requirement '${name}': only weak requirements may have no range`);
    return new Requirement(name, range, flags.conflict ?? false, weak, flags.sep ?? "-");
  }

  /** Ephemeral requests (`.name-range`) are never real packages. */
  get ephemeral(): boolean {
    return this.name.startsWith(".");
  }

  /** Rez equality: name, range and conflict (not weak). */
  equals(other: Requirement): boolean {
    if (this === other) return true;
    if (this.name !== other.name || this.conflict !== other.conflict) return false;
    if (this.range === null || other.range === null) return this.range === other.range;
    return this.range.equals(other.range);
  }

  /** Rez conflicts_with, against another requirement or a resolved package identity. */
  conflictsWith(other: Requirement | VersionedObject): boolean {
    if (other instanceof VersionedObject) return this.conflictsWithVersion(other.name, other.version);
    if (this.name !== other.name || this.range === null || other.range === null) return false;
    if (this.conflict) return other.conflict ? false : this.range.isSuperset(other.range);
    if (other.conflict) return other.range.isSuperset(this.range);
    return !this.range.intersects(other.range);
  }

  /** True if package `name` at `version` would violate this requirement. */
  conflictsWithVersion(name: string, version: Version): boolean {
    if (this.name !== name || this.range === null) return false;
    return this.conflict ? this.range.contains(version) : !this.range.contains(version);
  }

  /** Rez merged: the combined requirement, or null when the two conflict (or names differ). */
  merged(other: Requirement): Requirement | null {
    if (this.name !== other.name) return null;
    if (this.range === null) return other;
    if (other.range === null) return this;
    if (this.conflict) {
      if (other.conflict) {
        const range = this.range.union(other.range);
        return new Requirement(this.name, range, this.conflict, this.weak && other.weak && !range.isAny(), this.sep);
      }
      const range = other.range.subtract(this.range);
      return range === null ? null : new Requirement(other.name, range, other.conflict, other.weak, other.sep);
    }
    if (other.conflict) {
      const range = this.range.subtract(other.range);
      return range === null ? null : new Requirement(this.name, range, this.conflict, this.weak, this.sep);
    }
    const range = this.range.intersection(other.range);
    return range === null ? null : new Requirement(this.name, range, this.conflict, this.weak, this.sep);
  }

  private mergeMemo: Map<Requirement, Requirement | null> | undefined;
  private lastMergeWith: Requirement | undefined;
  private lastMerge: Requirement | null | undefined;

  /** merged(other), remembered per `other` object (requirements are immutable; a bounded memo for hot loops). */
  mergedMemo(other: Requirement): Requirement | null {
    // the same pair comes back in a row (one family's extractions, merged phase after phase)
    if (this.lastMergeWith === other) return this.lastMerge!;
    let memo = this.mergeMemo;
    if (memo === undefined) this.mergeMemo = memo = new Map();
    let m = memo.get(other);
    if (m === undefined) {
      m = this.merged(other);
      if (memo.size >= 256) memo.clear();
      memo.set(other, m);
    }
    this.lastMergeWith = other;
    this.lastMerge = m;
    return m;
  }

  /** Exactly Rez's str(): prefix, name, separator (dropped before =,<,>), written range. */
  toString(): string {
    if (this.text === undefined) {
      const prefix = this.weak ? "~" : this.conflict ? "!" : "";
      let range: VersionRange | null = this.range;
      if (this.weak || range === null) range = range === null ? VersionRange.ANY : (range.inverse() ?? VersionRange.ANY);
      let rangeText = "";
      let sep = "";
      if (!range.isAny()) {
        rangeText = range.toString();
        const c = rangeText[0];
        // Names with "-" (pkg-rs) keep their separator so the string parses back to the same name.
        if ((c !== "=" && c !== "<" && c !== ">") || this.name.includes("-")) sep = this.sep;
      }
      this.text = prefix + this.name + sep + rangeText;
    }
    return this.text;
  }
}

/** Rez RequirementList: same-name requirements merged left to right; first conflict recorded. */
export class RequirementList implements Iterable<Requirement> {
  /** Merged requirements in first-occurrence order (empty when there is a conflict). */
  readonly requirements: readonly Requirement[];
  /** The first pair that could not be merged: (merged-so-far, new requirement). */
  readonly conflict: readonly [Requirement, Requirement] | null;
  /** Names of non-conflict requirements. */
  readonly names: ReadonlySet<string>;
  /** Names of conflict (and weak) requirements. */
  readonly conflictNames: ReadonlySet<string>;
  private readonly byName: ReadonlyMap<string, Requirement>;
  private text: string | undefined;

  constructor(requirements: Iterable<Requirement>) {
    const input = [...requirements];
    const byName = new Map<string, Requirement>();
    let conflict: [Requirement, Requirement] | null = null;
    for (const req of input) {
      const existing = byName.get(req.name);
      if (existing === undefined) byName.set(req.name, req);
      else {
        const merged = existing.merged(req);
        if (merged === null) {
          conflict = [existing, req];
          break;
        }
        byName.set(req.name, merged);
      }
    }
    const list: Requirement[] = [];
    const names = new Set<string>();
    const conflictNames = new Set<string>();
    if (conflict === null) {
      for (const req of input) {
        if (names.has(req.name) || conflictNames.has(req.name)) continue;
        const r = byName.get(req.name)!;
        list.push(r);
        (r.conflict ? conflictNames : names).add(req.name);
      }
    }
    this.requirements = Object.freeze(list);
    this.conflict = conflict === null ? null : Object.freeze(conflict);
    this.names = names;
    this.conflictNames = conflictNames;
    this.byName = byName;
  }

  /** Parse each string with Requirement.parse. */
  static parse(texts: readonly string[], options?: RequirementParseOptions): RequirementList {
    return new RequirementList(texts.map((t) => Requirement.parse(t, options)));
  }

  get(name: string): Requirement | undefined {
    return this.byName.get(name);
  }

  [Symbol.iterator](): Iterator<Requirement> {
    return this.requirements[Symbol.iterator]();
  }

  equals(other: RequirementList): boolean {
    const eqList = (a: readonly Requirement[], b: readonly Requirement[]): boolean =>
      a.length === b.length && a.every((r, i) => r.equals(b[i]!));
    if ((this.conflict === null) !== (other.conflict === null)) return false;
    if (this.conflict !== null && other.conflict !== null && !eqList(this.conflict, other.conflict)) return false;
    return eqList(this.requirements, other.requirements);
  }

  /** Space-joined requirements, or "a <--!--> b" for a conflict. */
  toString(): string {
    if (this.text === undefined) {
      this.text =
        this.conflict !== null
          ? `${this.conflict[0].toString()} <--!--> ${this.conflict[1].toString()}`
          : this.requirements.map((r) => r.toString()).join(" ");
    }
    return this.text;
  }
}
