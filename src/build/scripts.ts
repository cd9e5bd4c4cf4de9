// `pkg build --scripts`: a `build-env` executable per variant that opens a shell in that variant's build
// environment. The environment itself is not frozen into the script: pkg reads build.rxt again and applies
// the same REZ_BUILD_* steps and pre_build_commands, saved beside it, as Rez's forwarding script does.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PkgError, fsErrorReason } from "../errors/index.js";
import { openShellEnvironment } from "../context/index.js";
import type { ResolvedContext, ShellEnvironmentOptions } from "../context/index.js";
import type { RexStep } from "../rex/index.js";
import type { ShellRenderer } from "../shells/index.js";
import { shlexQuote } from "./systems/format.js";

export const BUILD_ENV_SCRIPT = "build-env";
export const BUILD_ENV_SPEC = "build-env.json";

/** What `pkg build-env DIR` needs besides build.rxt. */
export interface BuildEnvSpec {
  readonly package: string;
  readonly index: number | null;
  readonly buildPath: string;
  /** Steps after REZ_RXT_FILE (REZ_BUILD_*, the build system's), and the package's pre_build_commands. */
  readonly callbackSteps: readonly RexStep[];
  readonly postSteps: readonly RexStep[];
  readonly shell: string;
}

/**
 * Writes `<build path>/build-env` (mode 0755) and its spec. `launcher`: the program and arguments that
 * start pkg (node and the bundle), given by the caller.
 */
export function writeBuildEnvScript(spec: BuildEnvSpec, launcher: readonly string[]): string {
  writeFileSync(join(spec.buildPath, BUILD_ENV_SPEC), JSON.stringify(spec, null, 2) + "\n");
  const script = join(spec.buildPath, BUILD_ENV_SCRIPT);
  const text =
    "#!/bin/sh\n" +
    `# A shell in the build environment of ${spec.package}${spec.index === null ? "" : ` variant ${spec.index}`}, written by pkg build --scripts.\n` +
    "# Without arguments: an interactive shell (prompt BUILD>); `-c CODE` runs CODE there; `-- CMD ARGS` runs a program.\n" +
    `exec ${launcher.map(shlexQuote).join(" ")} build-env ${shlexQuote(spec.buildPath)} "$@"\n`;
  writeFileSync(script, text);
  chmodSync(script, 0o755);
  return script;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the spec `--scripts` saved in a variant's build folder. */
export function readBuildEnvSpec(buildPath: string): BuildEnvSpec {
  const file = join(buildPath, BUILD_ENV_SPEC);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = error instanceof SyntaxError ? `not JSON (${error.message})` : fsErrorReason(error);
    throw new PkgError("PKG0025", `cannot read ${file}: ${why}`, { hint: "run pkg build --scripts again in the package's source folder" });
  }
  if (!isObject(data) || typeof data.package !== "string" || typeof data.buildPath !== "string" || !Array.isArray(data.callbackSteps) || !Array.isArray(data.postSteps) || typeof data.shell !== "string") {
    throw new PkgError("PKG0025", `${file} is not a build-env description written by pkg build --scripts`);
  }
  return {
    package: data.package,
    index: typeof data.index === "number" ? data.index : null,
    buildPath: data.buildPath,
    callbackSteps: data.callbackSteps as RexStep[],
    postSteps: data.postSteps as RexStep[],
    shell: data.shell,
  };
}

export interface BuildEnvRun {
  readonly context: ResolvedContext;
  readonly spec: BuildEnvSpec;
  readonly shell: ShellRenderer;
  readonly parentEnviron: Readonly<Record<string, string>>;
  readonly interpret: ShellEnvironmentOptions["interpret"];
  /** Shell code or a program with arguments; none: an interactive shell with the prompt `BUILD>`. */
  readonly command?: string | readonly string[];
  readonly onInterpreted?: () => void;
}

/** The shell of a `build-env` script: the variant's build environment again, in its build folder; its exit status. */
export async function runBuildEnv(run: BuildEnvRun): Promise<number> {
  const environment = await openShellEnvironment(run.context, {
    shell: run.shell,
    rxtText: "",
    rxtFile: join(run.spec.buildPath, "build.rxt"),
    parentEnviron: run.parentEnviron,
    callbackSteps: run.spec.callbackSteps,
    postSteps: run.spec.postSteps,
    interpret: run.interpret,
    ...(run.onInterpreted ? { onInterpreted: run.onInterpreted } : {}),
  });
  try {
    return await environment.run({
      cwd: run.spec.buildPath,
      ...(run.command !== undefined ? { command: run.command, norc: true } : { prompt: "BUILD>", quiet: true }),
    });
  } finally {
    environment.close();
  }
}
