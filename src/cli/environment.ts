// Shared by env / context / status / run / interpret: opening repositories for a context, Rez's
// environment settings read from the environment, and the library's interpreting and running with them.

import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import {
  ContextFileError,
  PackageCommandError,
  executeShell as executeContextShell,
  interpretContext,
  lazyRexRunner as libraryRexRunner,
  loadResolvedContext,
  parseRxt,
  readRxtFile,
  repositoryVariantFinder,
  systemBinding,
} from "../context/index.js";
import { expandImplicitPackages } from "../context/index.js";
import type { LazyRexRunner, ResolveContextOptions, ResolvedContext, RxtDocument, ToolsOnPath } from "../context/index.js";
import type { PkgConfig } from "../config/index.js";
import { pkgLauncherFolder } from "../meta/index.js";
import type { BuildShellSettings } from "../build/index.js";
import type { RexResponse } from "../rex/index.js";
import { ShellValueError, checkShellValues, detectSystemPaths, getShell, isShellName, shellNames } from "../shells/index.js";
import { defaultShellName } from "../shells/index.js";
import type { ShellName, ShellRenderer } from "../shells/index.js";
import { PythonUnavailableError, PythonWorkerDiedError } from "../python/index.js";
import { usePayloadCache } from "../payload-cache/index.js";
import type { PayloadCacheMode } from "../payload-cache/index.js";
import { CliError } from "./errors.js";
import { cliReporter } from "./output.js";
import { openCliRepositories } from "./repositories.js";
import type { OpenedRepositories, RepositoryOptions } from "./repositories.js";
import { resolveSettings } from "./resolve-options.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The current process environment without undefined values. */
export function processEnviron(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}

/** Where pkg itself lives (Rez's `REZ_USED`). */
export function pkgInstallPath(): string {
  const script = process.argv[1];
  return script ? dirname(resolvePath(script)) : process.cwd();
}

/**
 * Rez's `rez_tools_visibility`: a folder whose `pkg` runs this very installation goes on the environment's
 * PATH, so `pkg context` and `pkg status` work inside it. A cache folder that cannot be written only costs that.
 */
export function pkgToolsOnPath(config: PkgConfig): ToolsOnPath {
  const visibility = config.rez_tools_visibility;
  const script = process.argv[1];
  if (visibility === "never" || !script) return { toolsVisibility: "never" };
  try {
    return { toolsVisibility: visibility, toolsBinPath: pkgLauncherFolder(config.cache_dir, { node: process.execPath, script: resolvePath(script) }) };
  } catch (error) {
    cliReporter().warn(`pkg's own command is not put on the environment's PATH: cannot write its launcher under ${config.cache_dir} (${error instanceof Error ? error.message : String(error)})`);
    return { toolsVisibility: "never" };
  }
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && ["1", "true", "yes", "on"].includes(v.toLowerCase());
}

function list(v: string | undefined): string[] {
  return (v ?? "").split(/[,\s]+/).filter((x) => x !== "");
}

/** Rez `parent_variables` / `all_parent_variables`, from PKG_* or REZ_* environment settings. */
export function parentVariablesSetting(env: Env = process.env): boolean | string[] {
  if (truthy(env.PKG_ALL_PARENT_VARIABLES ?? env.REZ_ALL_PARENT_VARIABLES)) return true;
  return list(env.PKG_PARENT_VARIABLES ?? env.REZ_PARENT_VARIABLES);
}

/** Rez `env_var_separators` overrides (`NAME=SEP,...`) on top of Rez's defaults. */
function standardSystemPathsSetting(env: Env): string[] | undefined {
  const v = env.PKG_STANDARD_SYSTEM_PATHS ?? env.REZ_STANDARD_SYSTEM_PATHS;
  if (v === undefined) return undefined;
  return v.split(/[,]|:/).filter((x) => x !== "");
}

/**
 * Rez's `get_syspaths`: `standard_system_paths` when set, else what the shell starts with (detected
 * once per shell executable and cached).
 */
export function systemPaths(shell: ShellRenderer, cacheDir: string | undefined, env: Env = process.env): string[] {
  return standardSystemPathsSetting(env) ?? detectSystemPaths(shell, { env, ...(cacheDir ? { cacheDir } : {}) });
}

export function shellOf(name: string | undefined, fallback: ShellName): ShellRenderer {
  const n = name ?? fallback;
  if (!isShellName(n)) throw new CliError("PKG0002", `unknown shell '${n}'`, `known shells: ${shellNames.join(", ")}`);
  return getShell(n);
}

/** Using the payload cache (cache_packages_path) in an environment: the configuration and `--pkg-cache-mode`. */
export interface PayloadCacheUse {
  readonly config: PkgConfig;
  readonly mode?: PayloadCacheMode;
}

/** Copies the context's variants into the payload cache (as configured) and returns the cached roots to use. */
async function cachedRootsOf(ctx: ResolvedContext, use: PayloadCacheUse | undefined): Promise<{ cachedRoots?: ReadonlyMap<string, string> }> {
  // a context made with --no-pkg-cache keeps that choice (Rez's package_caching in the .rxt)
  if (use === undefined || use.config.cache_packages_path === "" || !ctx.packageCaching) return {};
  const script = process.argv[1];
  const roots = await usePayloadCache(ctx.variants, {
    config: use.config,
    ...(use.mode !== undefined ? { mode: use.mode } : {}),
    building: ctx.building,
    ...(script ? { daemonCommand: [process.execPath, resolvePath(script)] } : {}),
    reporter: cliReporter(),
  });
  return roots.size > 0 ? { cachedRoots: roots } : {};
}

export interface ContextInterpretation {
  readonly response: RexResponse;
  readonly parentEnviron: Record<string, string>;
}

export interface InterpretCliOptions {
  readonly shell: ShellRenderer;
  readonly parentEnviron?: Record<string, string>;
  readonly leadingVariables?: readonly (readonly [string, string])[];
  readonly stamp?: boolean;
  readonly pkgRsEnvName?: string;
  readonly runner: LazyRexRunner;
  readonly cacheDir?: string;
  readonly tools?: ToolsOnPath;
  /** Use cached payloads (and cache the context's): absent, the originals. */
  readonly payloadCache?: PayloadCacheUse;
}

/** Interpret a context for a shell; package command errors become CLI errors naming package, file and line. */
export async function interpretForShell(ctx: ResolvedContext, options: InterpretCliOptions): Promise<ContextInterpretation> {
  const parentEnviron = options.parentEnviron ?? processEnviron();
  const pathsep = options.shell.pathSeparator();
  try {
    const cached = await cachedRootsOf(ctx, options.payloadCache);
    const response = await interpretContext(ctx, {
      ...cached,
      parentEnviron,
      parentVariables: parentVariablesSetting(),
      pathsep,
      systemPaths: ctx.appendSysPath ? systemPaths(options.shell, options.cacheDir) : [],
      system: systemBinding(),
      ...(options.leadingVariables ? { leadingVariables: options.leadingVariables } : {}),
      ...(options.stamp ? { pkgRsStamp: true } : {}),
      ...(options.pkgRsEnvName ? { pkgRsEnvName: options.pkgRsEnvName } : {}),
      runner: options.runner.runner,
      ...options.tools,
    });
    checkShellValues(options.shell, response.environ);
    return { response, parentEnviron };
  } catch (e) {
    throw cliErrorOf(e);
  }
}

/** Adds a hint to library errors the user caused; each keeps its code, so its exit status. */
export function cliErrorOf(e: unknown): unknown {
  if (e instanceof PackageCommandError) {
    if (e.info.type === "RexStopError") return new CliError(e.code, e.message, undefined, e);
    return new CliError(e.code, e.message, "fix the package's commands at the file and line above", e);
  }
  if (e instanceof ShellValueError) return new CliError(e.code, e.message, "nothing was run: change the value or name in the package, or use another shell", e);
  if (e instanceof ContextFileError) return new CliError(e.code, e.message, "give a context file written by `pkg env -o` or `rez-env -o`", e);
  if (e instanceof PythonUnavailableError) {
    return new CliError(e.code, `package commands need Python: ${e.message}`, "install python3 or set PKG_PYTHON / python_executable", e);
  }
  if (e instanceof PythonWorkerDiedError) {
    return new CliError(e.code, `package commands: ${e.message}`, "a package's commands end the python process (os._exit, a crash): fix that package", e);
  }
  return e;
}

/** Opens the repositories a loaded context refers to (its package_paths, else the usual ones). */
export async function loadCliContext(file: string, options: RepositoryOptions): Promise<{ context: ResolvedContext; repos: OpenedRepositories }> {
  // Read and checked once, before any repository is opened: a damaged file names itself and its field.
  let doc: RxtDocument;
  try {
    // '-' reads the context from stdin, as rez-context does
    doc = file === "-" ? parseRxt(readStdin(), "STDIN") : readRxtFile(file);
  } catch (e) {
    throw cliErrorOf(e);
  }
  const paths = [...(doc.fields.package_paths ?? [])];
  for (const handle of doc.handles) if (!paths.includes(handle.variables.location)) paths.push(handle.variables.location);
  const repoOptions: RepositoryOptions = paths.length > 0 ? { ...options, repos: paths } : options;
  const repos = openCliRepositories(repoOptions);
  try {
    const context = await loadResolvedContext(doc, repositoryVariantFinder(repos.set), {
      file,
      reporter: cliReporter(),
    });
    return { context, repos };
  } catch (e) {
    void repos.close();
    throw cliErrorOf(e);
  }
}

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch (e) {
    throw new ContextFileError(`cannot read a context from stdin: ${(e as Error).message}`);
  }
}

/** The context the current shell runs in ($REZ_RXT_FILE), or a CliError. */
export function currentContextFile(env: Env = process.env): string {
  const file = env.REZ_RXT_FILE;
  if (!file) throw new CliError("PKG0024", "not in a resolved environment (REZ_RXT_FILE is not set)", "give a context file, or run inside `pkg env`");
  return file;
}

export interface ShellRun {
  readonly shell: ShellRenderer;
  readonly context: ResolvedContext;
  readonly command?: string | readonly string[];
  readonly runner: LazyRexRunner;
  readonly cacheDir?: string;
  readonly stamp?: boolean;
  readonly norc?: boolean;
  readonly rcfile?: string;
  readonly quiet?: boolean;
  readonly tools?: ToolsOnPath;
  readonly prompt?: string;
  readonly preCommand?: readonly string[];
  readonly newSession?: boolean;
  readonly keepFiles?: boolean;
  /** Use cached payloads (and cache the context's): absent, the originals. */
  readonly payloadCache?: PayloadCacheUse;
  /** Context file the context was loaded from (`-i`); otherwise the context is saved in the temp dir. */
  readonly rxtText: string;
}

/** Rez `execute_shell` with pkg's settings: resolves to the shell's exit status. */
export async function executeShell(run: ShellRun): Promise<number> {
  try {
    const cached = await cachedRootsOf(run.context, run.payloadCache);
    return await executeContextShell(run.context, {
      shell: run.shell,
      rxtText: run.rxtText,
      parentEnviron: processEnviron(),
      interpret: {
        parentVariables: parentVariablesSetting(),
        systemPaths: run.context.appendSysPath ? systemPaths(run.shell, run.cacheDir) : [],
        system: systemBinding(),
        ...(run.stamp ? { pkgRsStamp: true } : {}),
        runner: run.runner.runner,
        ...run.tools,
        ...cached,
      },
      // Not awaited: an idle worker is unref'd, so waiting for its exit could let Node end early.
      onInterpreted: () => void run.runner.close(),
      ...(run.command !== undefined ? { command: run.command } : {}),
      ...(run.norc ? { norc: true } : {}),
      ...(run.rcfile ? { rcfile: run.rcfile } : {}),
      ...(run.quiet ? { quiet: true } : {}),
      ...(run.prompt !== undefined ? { prompt: run.prompt } : {}),
      ...(run.preCommand?.length ? { preCommand: run.preCommand } : {}),
      ...(run.newSession ? { newSession: true } : {}),
      ...(run.keepFiles ? { keepFiles: true } : {}),
    });
  } catch (error) {
    throw cliErrorOf(error);
  }
}

/** A Rex runner whose package code's output goes to the CLI's reporter. */
export function lazyRexRunner(): LazyRexRunner {
  return libraryRexRunner(undefined, cliReporter());
}

/** How `pkg build` and `pkg test` resolve and run in the configured environment (the same for both). */
export function packageRunSettings(
  repos: OpenedRepositories,
  runner: LazyRexRunner,
): { readonly resolve: Omit<ResolveContextOptions, "building" | "testing" | "reporter">; readonly shell: BuildShellSettings } {
  const config = repos.loaded.config;
  const shell = shellOf(undefined, defaultShellName());
  return {
    resolve: {
      ...resolveSettings({}, config),
      implicitPackages: expandImplicitPackages(config.implicit_packages),
      source: repos.set,
      packagePaths: repos.set.searchedPaths,
      python: runner.pool,
      rezPath: pkgInstallPath(),
    },
    shell: {
      shell,
      parentEnviron: processEnviron(),
      parentVariables: parentVariablesSetting(),
      systemPaths: systemPaths(shell, config.cache_packages ? config.cache_dir : undefined),
      system: systemBinding(),
      runner: runner.runner,
      tools: pkgToolsOnPath(config),
      // build environments only with package_cache_during_build (usePayloadCache checks), test ones always
      cachedRoots: async (ctx) => (await cachedRootsOf(ctx, { config })).cachedRoots ?? new Map<string, string>(),
    },
  };
}
