// The build systems pkg knows, by name, and Rez's choice among them for a source folder (§4.0). A new
// build system is one module and one line in BUILT_IN below, or a `registerBuildSystem` call.
import { PkgError } from "../../errors/index.js";
import type { PackageDefinition } from "../../package/index.js";
import { cmakeBuildSystem } from "./cmake.js";
import { customBuildSystem } from "./custom.js";
import { makeBuildSystem } from "./make.js";
import type { BuildSystem } from "./types.js";

const BUILT_IN: readonly BuildSystem[] = [customBuildSystem, makeBuildSystem, cmakeBuildSystem];

const systems = new Map<string, BuildSystem>(BUILT_IN.map((s) => [s.name, s]));

export function registerBuildSystem(system: BuildSystem): void {
  systems.set(system.name, system);
}

export function buildSystemNames(): string[] {
  return [...systems.keys()];
}

export function allBuildSystems(): BuildSystem[] {
  return [...systems.values()];
}

export function getBuildSystem(name: string): BuildSystem {
  const system = systems.get(name);
  if (!system) throw new PkgError("PKG0035", `unknown build system '${name}'`, { hint: `pkg knows: ${buildSystemNames().join(", ")}` });
  return system;
}

/** The systems that could build the folder, a child system dropped when its parent is there too. */
export function detectBuildSystems(sourceDir: string, definition: PackageDefinition): BuildSystem[] {
  const valid = allBuildSystems().filter((s) => s.isValidRoot(sourceDir, definition));
  const children = new Set(valid.flatMap((s) => s.childSystems ?? []));
  return valid.filter((s) => !children.has(s.name));
}

/**
 * `-b NAME`, else custom when the package has a build_command (False included), else its `build_system`,
 * else the one system detected in the folder. A folder with CMakeLists.txt and a Makefile is cmake's (Rez
 * intends that; its detection reports both and stops).
 */
export function chooseBuildSystem(sourceDir: string, definition: PackageDefinition, requested?: string): BuildSystem {
  if (requested !== undefined) {
    const system = getBuildSystem(requested);
    if (!system.isValidRoot(sourceDir, definition)) {
      throw new PkgError("PKG0035", `not a valid working directory for the ${system.name} build system: ${sourceDir}`, {
        hint: system.name === "custom" ? "the package needs a build_command" : `${system.summary}`,
      });
    }
    return system;
  }
  const command = definition.attributes.build_command;
  if (command !== undefined && command !== null) return getBuildSystem("custom");
  const named = definition.attributes.build_system;
  if (typeof named === "string") return getBuildSystem(named);
  const found = detectBuildSystems(sourceDir, definition);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new PkgError("PKG0035", `no build system is associated with the path ${sourceDir}`, {
      hint: "give the package a build_command (see pkg build --help), or add a CMakeLists.txt or Makefile",
    });
  }
  throw new PkgError("PKG0035", `the source could be built with one of: ${found.map((s) => s.name).join(", ")}`, { hint: "choose one with -b/--build-system" });
}
