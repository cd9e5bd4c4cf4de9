// A Makefile build (Rez's make plugin is a stub that raises): `make -j<threads>`, then `make install`
// when installing, both with PREFIX set to the variant's install path (also REZ_BUILD_INSTALL_PATH).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PkgError } from "../../errors/index.js";
import { runBuildThenInstall } from "./types.js";
import type { BuildSystem, BuildSystemContext, BuildSystemOutcome } from "./types.js";

export const MAKEFILE_NAMES = ["GNUmakefile", "makefile", "Makefile"] as const;

function makefileOf(dir: string): string | undefined {
  return MAKEFILE_NAMES.map((name) => join(dir, name)).find((file) => existsSync(file));
}

/** The two make commands: build, then (when installing) install. */
export function makeCommands(make: string, makefile: string, context: Pick<BuildSystemContext, "threads" | "installPath" | "install" | "buildArgs">): string[][] {
  const jobs = context.buildArgs.some((a) => a.startsWith("-j")) ? [] : [`-j${context.threads}`];
  const base = [make, "-f", makefile, `PREFIX=${context.installPath}`, ...context.buildArgs];
  const build = [...base.slice(0, 3), ...jobs, ...base.slice(3)];
  return context.install && !context.buildArgs.includes("install") ? [build, [...base, "install"]] : [build];
}

export const makeBuildSystem: BuildSystem = {
  name: "make",
  summary: "a Makefile in the source folder: make -j<threads>, then make install (PREFIX=<install path>)",
  isValidRoot: (sourceDir) => makefileOf(sourceDir) !== undefined,
  async build(context: BuildSystemContext): Promise<BuildSystemOutcome> {
    if (context.writeScripts) return { success: true, scripts: [context.writeBuildScript()] };
    const makefile = makefileOf(context.sourceDir);
    if (makefile === undefined) throw new PkgError("PKG0035", `no Makefile in ${context.sourceDir}`);
    const make = context.which("make");
    if (make === undefined) throw new PkgError("PKG0039", "could not find the make binary on the build environment's PATH", { hint: "install make, or add a package providing it to build_requires" });
    const [build, install] = makeCommands(make, makefile, context);
    return runBuildThenInstall(context, build!, install);
  },
};
