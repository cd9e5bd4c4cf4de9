// The contract between the build process and a build system (custom, make, cmake, ...). A build system
// decides which commands to run; the process gives it the build environment to run them in.
import type { PackageDefinition, PackageValue } from "../../package/index.js";
import type { RexStep } from "../../rex/index.js";
import type { BuildType } from "../environment.js";
import { shlexQuote } from "./format.js";

/** A value of a build system's own command-line option (`--bt Debug`, a parse_build_args.py flag). */
export type BuildOptionValue = string | boolean | readonly string[] | null;

/** An option a build system adds to `pkg build` (declared as data: the CLI adds it without knowing the system). */
export interface BuildSystemOption {
  /** commander flags, e.g. `--bt, --build-target <target>`. */
  readonly flags: string;
  /** The key in BuildSystemContext.options (commander's camel-cased long name). */
  readonly key: string;
  readonly description: string;
  readonly choices?: readonly string[];
}

export interface RunCommandOptions {
  /**
   * The command writes into the install path: when installing, pkg redirects the install path to the
   * variant's staging folder for the command's duration (so a failed build never touches the installed one).
   */
  readonly installs?: boolean;
}

/** What a build system gets for one variant. */
export interface BuildSystemContext {
  /** The package's source folder (the build's working folder, `{root}`). */
  readonly sourceDir: string;
  /** The package as re-evaluated for this variant (`building` True). */
  readonly definition: PackageDefinition;
  readonly index: number | null;
  readonly buildPath: string;
  /** The variant's install path as Rez sets it (REZ_BUILD_INSTALL_PATH). */
  readonly installPath: string;
  readonly install: boolean;
  readonly buildType: BuildType;
  readonly buildArgs: readonly string[];
  readonly childBuildArgs: readonly string[];
  /** REZ_BUILD_THREAD_COUNT. */
  readonly threads: number;
  /** The system's own options as given on the command line (absent ones missing). */
  readonly options: Readonly<Record<string, BuildOptionValue>>;
  /** `--scripts`: prepare the build and write a `build-env` script instead of building. */
  readonly writeScripts: boolean;
  /** The configuration's `plugins` table (Rez's plugin settings, `build_system.cmake.*`); the package's `config` wins. */
  readonly plugins?: PackageValue;
  /** Runs shell code, or a program and its arguments, in the build environment, in the build path: its exit status. */
  run(command: string | readonly string[], options?: RunCommandOptions): Promise<number>;
  /** A program on the build environment's PATH. */
  which(program: string): string | undefined;
  /** A variable of the build environment. */
  variable(name: string): string | undefined;
  /** A status line (`Running build command: ...`, `Executing: ...`). */
  info(text: string): void;
  warn(text: string): void;
  /** Writes `<build path>/build-env` (a shell in this build environment); returns its path. */
  writeBuildScript(): string;
}

export interface BuildSystemOutcome {
  readonly success: boolean;
  /** Files copied into the installed variant besides build.rxt and variant.json. */
  readonly extraFiles?: readonly string[];
  /** Scripts written (`--scripts`). */
  readonly scripts?: readonly string[];
}

/** What a build system may add to the environment, knowing the variant (before anything runs). */
export interface BuildSystemSetup {
  readonly sourceDir: string;
  readonly definition: PackageDefinition;
  readonly options: Readonly<Record<string, BuildOptionValue>>;
  readonly install: boolean;
  /** Words of the command line no option of pkg's took (custom's parse_build_args.py reads them). */
  readonly extraWords: readonly string[];
  /** The configuration's `plugins` table, as in BuildSystemContext. */
  readonly plugins?: PackageValue;
  /** A request to the Python worker (custom runs parse_build_args.py there); absent: no Python. */
  readonly python?: PythonRequest;
  warn(text: string): void;
}

export type PythonRequest = (request: { readonly op: string; readonly [param: string]: unknown }) => Promise<
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: { readonly message: string } }
>;

export interface BuildSystem {
  readonly name: string;
  /** One line for `pkg build --help`. */
  readonly summary: string;
  /** Systems this one drives (cmake runs make): dropped when detection finds both. */
  readonly childSystems?: readonly string[];
  readonly options?: readonly BuildSystemOption[];
  /** Whether the source folder can be built with this system. */
  isValidRoot(sourceDir: string, definition: PackageDefinition): boolean;
  /**
   * Variables for the build environment, set after REZ_BUILD_* (cmake's CMAKE_MODULE_PATH, custom's
   * __PARSE_ARG_*). May reject bad options (PkgError).
   */
  environment?(setup: BuildSystemSetup): Promise<readonly RexStep[]> | readonly RexStep[];
  build(context: BuildSystemContext): Promise<BuildSystemOutcome>;
}

/** Runs a build command, then the install command when there is one, each announced as Rez does. */
export async function runBuildThenInstall(context: BuildSystemContext, build: readonly string[], install: readonly string[] | undefined): Promise<BuildSystemOutcome> {
  context.info(`Executing: ${build.map(shlexQuote).join(" ")}`);
  if ((await context.run(build)) !== 0) return { success: false };
  if (install) {
    context.info(`Executing: ${install.map(shlexQuote).join(" ")}`);
    if ((await context.run(install, { installs: true })) !== 0) return { success: false };
  }
  return { success: true };
}
