// The build environment Rez's BuildSystem.set_standard_vars gives every build command: REZ_BUILD_*
// variables in Rez's order (all literal values, so the shell never expands them), and the built package's
// pre_build_commands with its `this` and `build` bindings.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, normalize } from "node:path";
import { isSourceCode } from "../package/index.js";
import type { PackageDefinition } from "../package/index.js";
import { literal } from "../rex/index.js";
import type { RexStep, RexString, RexVariantData } from "../rex/index.js";
import { Requirement } from "../version/index.js";

export type BuildType = "local" | "central";

/** Physical cores as Linux lists them in /proc/cpuinfo (distinct physical id / core id pairs); else logical ones. */
export function physicalCoreCount(cpuinfo?: string): number {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return availableParallelism();
    }
  }
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\S+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\S+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}/${core}`);
  }
  return cores.size > 0 ? cores.size : availableParallelism();
}

/** `build_thread_count`: `physical_cores`, `logical_cores` or a number (invalid text counts as 1, as Rez's errors do). */
export function buildThreadCount(setting: string): number {
  if (setting === "physical_cores") return physicalCoreCount();
  if (setting === "logical_cores") return availableParallelism();
  const n = Number(setting);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export interface BuildVariablesInput {
  readonly definition: PackageDefinition;
  readonly index: number | null;
  readonly variantRequires: readonly string[];
  /** Non-shortlinked subpath; null without variants. */
  readonly subpath: string | null;
  readonly buildPath: string;
  readonly installPath: string;
  readonly install: boolean;
  readonly buildType: BuildType;
  readonly threads: number;
  /** The build context's request plus implicit packages (Rez `requested_packages(True)`). */
  readonly requires: readonly string[];
}

function requirementName(text: string): string {
  try {
    return Requirement.parse(text).name;
  } catch {
    return text.replace(/^[~!]/, "").split(/[-@<>=!~#]/)[0] ?? text;
  }
}

function description(definition: PackageDefinition): string {
  const d = definition.attributes.description;
  return typeof d === "string" ? d.trim() : "";
}

/** The REZ_BUILD_* variables of §3, in Rez's order. */
export function buildVariables(input: BuildVariablesInput): [string, string][] {
  const d = input.definition;
  return [
    ["REZ_BUILD_ENV", "1"],
    ["REZ_BUILD_PATH", normalize(input.buildPath)],
    ["REZ_BUILD_THREAD_COUNT", String(input.threads)],
    ["REZ_BUILD_VARIANT_INDEX", String(input.index ?? 0)],
    ["REZ_BUILD_VARIANT_REQUIRES", input.variantRequires.join(" ")],
    ["REZ_BUILD_VARIANT_SUBPATH", input.subpath ?? ""],
    ["REZ_BUILD_PROJECT_VERSION", d.version],
    ["REZ_BUILD_PROJECT_NAME", d.name],
    ["REZ_BUILD_PROJECT_DESCRIPTION", description(d)],
    ["REZ_BUILD_PROJECT_FILE", d.file],
    ["REZ_BUILD_SOURCE_PATH", normalize(dirname(d.file))],
    ["REZ_BUILD_REQUIRES", input.requires.join(" ")],
    ["REZ_BUILD_REQUIRES_UNVERSIONED", input.requires.map(requirementName).join(" ")],
    ["REZ_BUILD_TYPE", input.buildType],
    ["REZ_BUILD_INSTALL", input.install ? "1" : "0"],
    ["REZ_BUILD_INSTALL_PATH", normalize(input.installPath)],
  ];
}

/** `setenv` steps with literal values (Rez passes each through `literal()`). */
export function setenvSteps(variables: readonly (readonly [string, RexString])[]): RexStep[] {
  return variables.map(([key, value]) => ({ op: "setenv", key, value: typeof value === "string" ? literal(value) : value }));
}

export interface PreBuildInput {
  readonly definition: PackageDefinition;
  readonly index: number | null;
  readonly variantRequires: readonly string[];
  readonly subpath: string | null;
  readonly packageInstallPath: string;
  readonly installPath: string;
  readonly buildPath: string;
  readonly install: boolean;
  readonly buildType: BuildType;
}

/** The built variant as `this` (its root the variant's install path, where Rez leaves None). */
export function developerVariantData(input: Omit<PreBuildInput, "buildPath" | "install" | "buildType">): RexVariantData {
  const d = input.definition;
  const qualifiedPackage = d.version === "" ? d.name : `${d.name}-${d.version}`;
  return {
    name: d.name,
    version: d.version,
    root: input.installPath,
    base: input.packageInstallPath,
    index: input.index,
    uri: d.file,
    qualified_name: `${qualifiedPackage}[${input.index ?? ""}]`,
    qualified_package_name: qualifiedPackage,
    subpath: input.subpath,
    variant_requires: input.variantRequires,
    attributes: d.attributes,
  };
}

/** The package's pre_build_commands as a Rex step (Rez's post_actions_callback), or none. */
export function preBuildSteps(input: PreBuildInput): RexStep[] {
  const value = input.definition.attributes.pre_build_commands;
  const code = typeof value === "string" ? { source: value, file: input.definition.file, line: 1 } : isSourceCode(value) ? value : undefined;
  if (code === undefined) return [];
  return [
    {
      op: "code",
      attr: "pre_build_commands",
      package: input.definition.name,
      source: code.source,
      file: code.file || input.definition.file,
      line: code.line || 1,
      this: developerVariantData(input),
      globals: { build: { build_type: input.buildType, install: input.install, build_path: input.buildPath, install_path: input.installPath } },
    },
  ];
}
