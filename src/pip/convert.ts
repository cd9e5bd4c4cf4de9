// Python distribution names, versions, specifiers and requirements as Rez packages (reference
// rez-build-pip-release §5.5–§5.6): exactly rez-pip's conversions, except where rez-pip is wrong (extras,
// markers evaluated for the host, dependency names that depend on what else was installed).
import { PkgError } from "../errors/index.js";
import { Version, VersionRange } from "../version/index.js";
import { parsePep440 } from "./pep440.js";
import { canonicalName, evaluateMarker, markerVariables, parsePipRequirement, splitConditionalExtras } from "./pep508.js";
import type { MarkerEnvironment, PipRequirement, SpecifierClause } from "./pep508.js";

/** rez-pip's pip_to_rez_package_name: `-` becomes `_`; case and dots are kept. */
export function pipToRezName(name: string): string {
  return name.replace(/-/g, "_");
}

export interface VersionConversion {
  readonly version: string;
  /** Set for a legacy (non-PEP 440) version, which is kept whole, lower-cased. */
  readonly legacy: boolean;
}

/** rez-pip's pip_to_rez_version: release, `.a1`/`.b1`/`.rc1`, `.postN`, `.devN`, `-local`; the epoch dropped. */
export function pipToRezVersion(text: string, options: { readonly allowLegacy?: boolean } = {}): VersionConversion {
  const v = parsePep440(text);
  if (!v) {
    if (options.allowLegacy === false) throw new PkgError("PKG0046", `the version '${text}' is not a PEP 440 version`);
    return { version: text.toLowerCase(), legacy: true };
  }
  let s = v.release.join(".");
  if (v.pre) s += `.${v.pre[0]}${v.pre[1]}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local !== undefined) s += `-${v.local}`;
  return { version: s, legacy: false };
}

function isRelease(v: string): boolean {
  return /^\d+$/.test(v.split(".").at(-1)!);
}

/** 1 → 2, 1.2 → 1.3, 1.a2 → 1.0 */
function nextVersion(v: string): string {
  const parts = v.split(".");
  parts[parts.length - 1] = isRelease(v) ? String(Number(parts.at(-1)) + 1) : "0";
  return parts.join(".");
}

/** 1 → 1.1, 1.2 → 1.2.1, 1.a2 → 1.0 */
function adjacentVersion(v: string): string {
  if (isRelease(v)) return `${v}.1`;
  const parts = v.split(".");
  parts[parts.length - 1] = "0";
  return parts.join(".");
}

function clauseText(clauses: readonly SpecifierClause[]): string {
  return clauses.map((c) => `${c.op}${c.version}`).join(",");
}

function convertClause(clause: SpecifierClause, all: readonly SpecifierClause[]): string {
  const wildcard = clause.version.endsWith(".*");
  const V = pipToRezVersion(clause.version.replace(/\.\*/g, "")).version;
  switch (clause.op) {
    case "==":
      return wildcard ? V : `${V}+<${adjacentVersion(V)}`;
    case ">=":
      return `${V}+`;
    case ">":
      return `${adjacentVersion(V)}+`;
    case "<=":
      return `<${adjacentVersion(V)}`;
    case "<":
      return `<${V}`;
    case "~=": {
      const version = Version.parse(V);
      const trimmed = version.trim(Math.max(0, version.length - 1)).toString();
      return `${V}+<${nextVersion(trimmed)}`;
    }
    case "!=":
      return wildcard ? `<${V}|${nextVersion(V)}+` : `<${V}|${adjacentVersion(V)}+`;
    default:
      throw new PkgError("PKG0046", `the PEP 440 specifier '${clauseText(all)}' has no Rez equivalent ('${clause.op}')`);
  }
}

function parseRange(text: string, all: readonly SpecifierClause[]): VersionRange {
  try {
    return VersionRange.parse(text);
  } catch (error) {
    throw new PkgError("PKG0046", `the PEP 440 specifier '${clauseText(all)}' converts to '${text}', which is not a Rez version range (${(error as Error).message})`, { cause: error });
  }
}

/** rez-pip's pip_specifier_to_rez_requirement: each clause converted, then AND-ed. */
export function pipSpecifierToRezRange(clauses: readonly SpecifierClause[]): VersionRange {
  if (clauses.length === 0) return VersionRange.parse("");
  let total = parseRange(convertClause(clauses[0]!, clauses), clauses);
  for (const clause of clauses.slice(1)) {
    const next = total.intersection(parseRange(convertClause(clause, clauses), clauses));
    if (next === null) throw new PkgError("PKG0046", `the PEP 440 specifier '${clauseText(clauses)}' converts to a non-intersecting Rez version range`);
    total = next;
  }
  return total;
}

/** packaging_req_to_rez_req: `name-range` (`-`→`_` in the name); extras and marker are not part of it. */
export function pipRequirementToRez(req: PipRequirement, name = pipToRezName(req.name)): string {
  if (req.specifiers.length === 0) return name;
  // as str(rez Requirement): no `-` before a range that starts with an operator (`foo<2`, `foo==1.0`)
  const range = pipSpecifierToRezRange(req.specifiers).toString();
  return /^[=<>]/.test(range) ? `${name}${range}` : `${name}-${range}`;
}

const PYTHON_VARIABLES = new Set(["implementation_name", "implementation_version", "platform_python_implementation", "python_version", "python_full_version"]);
const PLATFORM_VARIABLES = new Set(["sys_platform", "os_name", "platform_version", "platform_system", "platform_release"]);
const ARCH_VARIABLES = new Set(["platform_machine"]);

/** rez-pip's get_marker_sys_requirements, on the marker's variables (parenthesised ones too). */
export function markerSysRequirements(variables: Iterable<string>): Set<"python" | "platform" | "arch"> {
  const out = new Set<"python" | "platform" | "arch">();
  for (const v of variables) {
    if (PYTHON_VARIABLES.has(v)) out.add("python");
    if (PLATFORM_VARIABLES.has(v)) out.add("platform");
    if (ARCH_VARIABLES.has(v)) out.add("arch");
  }
  return out;
}

export interface TargetPlatform {
  /** Rez's platform and arch names (`linux`, `x86_64`). */
  readonly platform: string;
  readonly arch: string;
}

/** The marker environment of a target Python on a platform: the python variables from the target, the rest from the platform. */
export function markerEnvironment(pythonVersion: string, host: { readonly platform: NodeJS.Platform; readonly machine: string; readonly release: string; readonly version: string }): MarkerEnvironment {
  const parts = pythonVersion.split(".");
  const full = parts.length >= 3 ? parts.slice(0, 3).join(".") : [...parts, ...Array<string>(3 - parts.length).fill("0")].join(".");
  const sysPlatform = host.platform === "win32" ? "win32" : host.platform === "darwin" ? "darwin" : host.platform === "linux" ? "linux" : host.platform;
  const system = host.platform === "win32" ? "Windows" : host.platform === "darwin" ? "Darwin" : host.platform === "linux" ? "Linux" : host.platform;
  return {
    python_version: parts.slice(0, 2).join("."),
    python_full_version: full,
    implementation_name: "cpython",
    implementation_version: full,
    platform_python_implementation: "CPython",
    os_name: host.platform === "win32" ? "nt" : "posix",
    sys_platform: sysPlatform,
    platform_system: system,
    platform_machine: host.machine,
    platform_release: host.release,
    platform_version: host.version,
    extra: "",
  };
}

export interface DistributionRequirements {
  /** The package's `requires`. */
  readonly requires: readonly string[];
  /** The one variant: platform/arch where needed, python-X.Y, then the marker-conditional requirements. */
  readonly variant: readonly string[];
  /** The requirements kept, as pip distributions (what to install as dependencies). */
  readonly dependencies: readonly PipRequirement[];
}

export interface RequirementsInput {
  /** Requires-Dist lines of the distribution's METADATA. */
  readonly requiresDist: readonly string[];
  /** Extras asked for on this distribution (`foo[bar]`). */
  readonly extras: readonly string[];
  readonly isPurePython: boolean;
  readonly hasEntryPoints: boolean;
  /** Target python version (`3.11.7`). */
  readonly pythonVersion: string;
  readonly target: TargetPlatform;
  readonly environment: MarkerEnvironment;
  /** The Rez family name for a dependency (consistent whatever else is installed). */
  readonly familyName: (pipName: string) => string;
  /** Where the metadata came from, for errors. */
  readonly source: string;
}

/**
 * rez-pip's get_rez_requirements, with the extras asked for honoured (their requirements are kept and listed)
 * and every marker evaluated for the target environment.
 */
export function distributionRequirements(input: RequirementsInput): DistributionRequirements {
  const requires: string[] = [];
  const conditional: string[] = [];
  const dependencies: PipRequirement[] = [];
  const sys = new Set<string>(["python"]);
  if (!input.isPurePython || input.hasEntryPoints) {
    sys.add("platform");
    sys.add("arch");
  }
  const asked = new Set(input.extras.map(canonicalName));
  for (const line of input.requiresDist) {
    let parsed: PipRequirement;
    try {
      parsed = parsePipRequirementLine(line);
    } catch (error) {
      throw error instanceof PkgError ? new PkgError("PKG0046", `${input.source}: Requires-Dist '${line}': ${error.message}`) : error;
    }
    const { requirement, extras } = splitConditionalExtras(parsed);
    if (extras && ![...extras].some((e) => asked.has(canonicalName(e)))) continue;
    if (requirement.marker) {
      const envs = asked.size === 0 ? [input.environment] : [...asked].map((extra) => ({ ...input.environment, extra }));
      if (!envs.some((env) => evaluateMarker(requirement.marker!, env))) continue;
    }
    const marks = requirement.marker ? markerSysRequirements([...markerVariables(requirement.marker)].filter((v) => v !== "extra")) : new Set<string>();
    let rez: string;
    try {
      rez = pipRequirementToRez(requirement, input.familyName(requirement.name));
    } catch (error) {
      throw error instanceof PkgError ? new PkgError("PKG0046", `${input.source}: Requires-Dist '${line}': ${error.message}`, { hint: error.hint }) : error;
    }
    dependencies.push(requirement);
    if (marks.size > 0) {
      for (const m of marks) sys.add(m);
      conditional.push(rez);
    } else requires.push(rez);
  }
  const variant: string[] = [];
  if (sys.has("platform")) variant.push(`platform-${input.target.platform}`);
  if (sys.has("arch")) variant.push(`arch-${input.target.arch}`);
  variant.push(`python-${input.pythonVersion.split(".").slice(0, 2).join(".")}`);
  return { requires, variant: [...variant, ...conditional], dependencies };
}

/** A Requires-Dist value (PEP 508, or the older `name (spec)` form). */
export function parsePipRequirementLine(line: string): PipRequirement {
  return parsePipRequirement(line);
}
