// Rez's cmake build system: configure in the build path with Rez's flags, build with the generator's
// tool, install; `--scripts` stops after the configure step. pkg's own CMake modules (RezBuild and the
// rez_* macros) are put on CMAKE_MODULE_PATH so Rez CMakeLists work unchanged.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PkgError } from "../../errors/index.js";
import type { PackageDefinition, PackageValue } from "../../package/index.js";
import { literal } from "../../rex/index.js";
import type { RexStep } from "../../rex/index.js";
import { shlexQuote } from "./format.js";
import { runBuildThenInstall } from "./types.js";
import type { BuildSystem, BuildSystemContext, BuildSystemOutcome } from "./types.js";

export const CMAKE_GENERATORS: Readonly<Record<string, string>> = {
  eclipse: "Eclipse CDT4 - Unix Makefiles",
  codeblocks: "CodeBlocks - Unix Makefiles",
  make: "Unix Makefiles",
  nmake: "NMake Makefiles",
  mingw: "MinGW Makefiles",
  xcode: "Xcode",
  ninja: "Ninja",
};

export const CMAKE_BUILD_TARGETS = ["Debug", "Release", "RelWithDebInfo"] as const;

/** Rez's `plugins.build_system.cmake` settings: the package's `config`, else the configuration's, else Rez's defaults. */
export interface CmakeSettings {
  readonly buildSystem: string;
  readonly buildTarget: string;
  readonly cmakeArgs: readonly string[];
  readonly cmakeBinary: string | null;
  readonly makeBinary: string | null;
  readonly installPyc: boolean;
}

function table(value: PackageValue | undefined): { readonly [key: string]: PackageValue } | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind !== "source" ? (value as { readonly [key: string]: PackageValue }) : undefined;
}

export function cmakeSettings(definition: PackageDefinition, plugins?: PackageValue): CmakeSettings {
  const cmakeOf = (pluginTable: PackageValue | undefined) => table(table(table(pluginTable)?.build_system)?.cmake) ?? {};
  const own = { ...cmakeOf(plugins), ...cmakeOf(table(definition.attributes.config)?.plugins) };
  const str = (v: PackageValue | undefined): string | null => (typeof v === "string" && v !== "" ? v : null);
  const args = own.cmake_args;
  return {
    buildSystem: str(own.build_system) ?? (process.platform === "win32" ? "nmake" : "make"),
    buildTarget: str(own.build_target) ?? "Release",
    cmakeArgs: Array.isArray(args) ? args.filter((a): a is string => typeof a === "string") : ["-Wno-dev", "--no-warn-unused-cli"],
    cmakeBinary: str(own.cmake_binary),
    makeBinary: str(own.make_binary),
    installPyc: own.install_pyc !== false,
  };
}

/** Where pkg's CMake modules are: beside the bundle (dist/cmake), or in the source tree. */
export function cmakeModuleDir(): string {
  const candidates: string[] = [];
  if (typeof __dirname === "string") candidates.push(join(__dirname, "cmake"), join(__dirname, "..", "cmake"));
  candidates.push(join(process.cwd(), "src", "build", "cmake"));
  return candidates.find((dir) => existsSync(join(dir, "RezBuild.cmake"))) ?? candidates[0]!;
}

export interface CmakeChoice {
  readonly generatorKey: string;
  readonly target: string;
}

/** `--bs` / `--bt` over the settings, checked. */
export function cmakeChoice(settings: CmakeSettings, options: Readonly<Record<string, unknown>>): CmakeChoice {
  const bs = typeof options.cmakeBuildSystem === "string" ? options.cmakeBuildSystem : settings.buildSystem;
  const bt = typeof options.buildTarget === "string" ? options.buildTarget : settings.buildTarget;
  if (!(bs in CMAKE_GENERATORS)) {
    throw new PkgError("PKG0002", `unknown cmake build system '${bs}'`, { hint: `use one of ${Object.keys(CMAKE_GENERATORS).join(", ")}` });
  }
  if (bs === "xcode" && process.platform !== "darwin") throw new PkgError("PKG0002", "the xcode cmake build system is only available on macOS");
  if (!(CMAKE_BUILD_TARGETS as readonly string[]).includes(bt)) {
    throw new PkgError("PKG0002", `unknown cmake build target '${bt}'`, { hint: `use one of ${CMAKE_BUILD_TARGETS.join(", ")}` });
  }
  return { generatorKey: bs, target: bt };
}

/** The configure command (Rez's order of arguments). */
export function cmakeConfigureCommand(
  cmake: string,
  context: Pick<BuildSystemContext, "sourceDir" | "buildArgs" | "installPath" | "buildType" | "install">,
  settings: CmakeSettings,
  choice: CmakeChoice,
  modulepath: string,
): string[] {
  return [
    cmake,
    context.sourceDir,
    ...settings.cmakeArgs,
    ...context.buildArgs,
    `-DCMAKE_INSTALL_PREFIX=${context.installPath}`,
    `-DCMAKE_MODULE_PATH=${modulepath.replace(/\\/g, "/")}`,
    `-DCMAKE_BUILD_TYPE=${choice.target}`,
    `-DREZ_BUILD_TYPE=${context.buildType}`,
    `-DREZ_BUILD_INSTALL=${context.install ? 1 : 0}`,
    "-G",
    CMAKE_GENERATORS[choice.generatorKey]!,
  ];
}

/** The build tool of a generator (Rez: mingw32-make, nmake, ninja, else make). */
export function cmakeMakeTool(settings: CmakeSettings, generatorKey: string): string {
  if (settings.makeBinary) return settings.makeBinary;
  return generatorKey === "mingw" ? "mingw32-make" : generatorKey === "nmake" ? "nmake" : generatorKey === "ninja" ? "ninja" : "make";
}

export function cmakeMakeCommands(make: string, generatorKey: string, context: Pick<BuildSystemContext, "childBuildArgs" | "threads" | "install">): string[][] {
  const jobs = generatorKey === "nmake" || context.childBuildArgs.some((a) => a.startsWith("-j")) ? [] : [`-j${context.threads}`];
  const build = [make, ...context.childBuildArgs, ...jobs];
  return context.install && !build.includes("install") ? [build, [...build, "install"]] : [build];
}

export const cmakeBuildSystem: BuildSystem = {
  name: "cmake",
  summary: "a CMakeLists.txt in the source folder: configure, build (make or ninja) and install, with Rez's cmake flags and macros",
  childSystems: ["make"],
  options: [
    { flags: "--bt, --build-target <target>", key: "buildTarget", description: `cmake build target: ${CMAKE_BUILD_TARGETS.join(", ")} (default Release)`, choices: CMAKE_BUILD_TARGETS },
    { flags: "--bs, --cmake-build-system <system>", key: "cmakeBuildSystem", description: `cmake generator: ${Object.keys(CMAKE_GENERATORS).join(", ")} (default make)`, choices: Object.keys(CMAKE_GENERATORS) },
  ],
  isValidRoot: (sourceDir) => existsSync(join(sourceDir, "CMakeLists.txt")),
  environment(setup): readonly RexStep[] {
    const settings = cmakeSettings(setup.definition, setup.plugins);
    cmakeChoice(settings, setup.options);
    return [
      { op: "appendenv", key: "CMAKE_MODULE_PATH", value: literal(cmakeModuleDir().replace(/\\/g, "/")) },
      { op: "setenv", key: "REZ_BUILD_DOXYFILE", value: literal(join(cmakeModuleDir(), "Doxyfile")) },
      { op: "setenv", key: "REZ_BUILD_INSTALL_PYC", value: literal(settings.installPyc ? "1" : "0") },
    ];
  },
  async build(context: BuildSystemContext): Promise<BuildSystemOutcome> {
    const settings = cmakeSettings(context.definition, context.plugins);
    const choice = cmakeChoice(settings, context.options);
    const cmake = settings.cmakeBinary ?? context.which("cmake");
    if (cmake === undefined) {
      throw new PkgError("PKG0039", "could not find cmake binary: cmake is not on the build environment's PATH", {
        hint: "install cmake, add a package providing it to build_requires, or set config.plugins.build_system.cmake.cmake_binary",
      });
    }
    if (!existsSync(cmake) && settings.cmakeBinary !== null) throw new PkgError("PKG0039", `cmake binary does not exist: ${cmake}`);
    // the environment's whole module path (packages add theirs), as Rez's ${CMAKE_MODULE_PATH}
    const configure = cmakeConfigureCommand(cmake, context, settings, choice, context.variable("CMAKE_MODULE_PATH") ?? cmakeModuleDir());
    context.info(`Executing: ${configure.map(shlexQuote).join(" ")}`);
    if ((await context.run(configure)) !== 0) return { success: false };
    if (context.writeScripts) return { success: true, scripts: [context.writeBuildScript()] };
    const tool = cmakeMakeTool(settings, choice.generatorKey);
    const make = settings.makeBinary ?? context.which(tool);
    if (make === undefined) throw new PkgError("PKG0039", `could not find the ${tool} binary on the build environment's PATH`, { hint: `install ${tool}, or choose another generator with --bs` });
    const [build, install] = cmakeMakeCommands(make, choice.generatorKey, context);
    return runBuildThenInstall(context, build!, install);
  },
};
