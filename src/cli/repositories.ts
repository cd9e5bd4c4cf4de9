// Shared by every command that reads packages: the repository options and opening the configured repositories.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, dirname } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { ConfigError, loadConfig, resolvePackagesPath } from "../config/index.js";
import type { LoadedConfig } from "../config/index.js";
import type { LoadWarning } from "../package/index.js";
import { DefinitionCache, FilesystemRepository, createDefinitionLoader, isWritableRepository, openRepositories } from "../repository/index.js";
import type { RepositorySet, WritableRepository } from "../repository/index.js";
import { ResolveCache } from "../context/index.js";
import { MemcachedClient, parseServer } from "../cache/index.js";
import type { MemcachedServer } from "../cache/index.js";
import { fsErrorReason } from "../errors/index.js";
import { CliError } from "./errors.js";
import { cliReporter } from "./output.js";

export const REPO_OPTION = ["-r, --repo <dir>", "search this repository (repeatable; first has priority; replaces the configured paths)"] as const;
export const PATHS_OPTION = ["--paths <list>", "search these repositories (path-separator list)"] as const;
export const NO_CACHE_OPTION = ["--no-cache", "do not read or write the package definition cache"] as const;

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds the repository options to a command (also to the program, so `pkg -r DIR list` works). */
export function withRepositoryOptions<T extends CommandUnknownOpts>(command: T): T {
  command.option(REPO_OPTION[0], REPO_OPTION[1], collect);
  command.option(PATHS_OPTION[0], PATHS_OPTION[1]);
  command.option(NO_CACHE_OPTION[0], NO_CACHE_OPTION[1]);
  return command;
}

export interface RepositoryOptions {
  readonly repos: readonly string[];
  readonly paths?: string;
  readonly cache: boolean;
  /** Say once what went wrong with memcached (-v). */
  readonly verbose?: boolean;
  /** Offer every family definition read to memcached, not only new ones (`pkg memcache --warm`). */
  readonly publishDefinitions?: boolean;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Merges the options given before the command name (program) with those given after it. */
export function repositoryOptionsOf(command: CommandUnknownOpts): RepositoryOptions {
  const chain: CommandUnknownOpts[] = [];
  for (let c: CommandUnknownOpts | null = command; c; c = c.parent) chain.unshift(c);
  let repos: string[] = [];
  let paths: string | undefined;
  let cache = true;
  let verbose = false;
  for (const c of chain) {
    const opts = c.opts() as Record<string, unknown>;
    repos = [...repos, ...stringList(opts.repo)];
    if (typeof opts.paths === "string") paths = opts.paths;
    if (opts.cache === false) cache = false;
    if (opts.verbose === true) verbose = true;
  }
  for (const repo of repos) checkRepositoryArgument(repo, "-r", true);
  if (paths !== undefined) for (const path of paths.split(delimiter)) if (path !== "") checkRepositoryArgument(path, "--paths");
  return { repos, ...(paths !== undefined ? { paths } : {}), cache, ...(verbose ? { verbose } : {}) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

const REPOSITORY_HINT = "give the repository folder (the one holding <family>/<version>/package.py)";

/**
 * A repository named on the command line must be a folder when it exists. With `-r` (one folder, named on
 * purpose) it must also exist and be readable, in every command; an entry of a `--paths` list that does not
 * exist just has no packages (lists copied from a packages path often name such folders), and one that cannot
 * be read is a warning naming it.
 */
function checkRepositoryArgument(entry: string, option: string, strict = false): void {
  // `type@location`: only a filesystem location is a folder to check
  const typed = /^([a-z][a-z0-9_]*)@(.*)$/.exec(entry.trim());
  if (typed && typed[1] !== "filesystem") return;
  const path = typed ? typed[2]! : entry;
  let stats;
  try {
    stats = statSync(path.trim(), { throwIfNoEntry: false });
  } catch (error) {
    if (!strict) return; // unreadable or a link loop: the repository reports it as a warning, naming the path
    throw new CliError("PKG0025", `${option} ${path}: ${fsErrorReason(error)}`, REPOSITORY_HINT);
  }
  if (stats === undefined && strict) {
    let under = path.trim();
    // ENOTDIR is reported as no entry: a file on the way is the reason to give
    for (let parent = dirname(under); parent !== under; under = parent, parent = dirname(parent)) {
      if (isFile(parent)) throw new CliError("PKG0025", `${option} ${path}: not a folder (${parent} is a file)`, REPOSITORY_HINT);
    }
    throw new CliError("PKG0025", `${option} ${path}: no such folder`, REPOSITORY_HINT);
  }
  if (strict && stats?.isDirectory()) {
    try {
      accessSync(path.trim(), constants.R_OK | constants.X_OK);
    } catch {
      throw new CliError("PKG0025", `${option} ${path}: permission denied`, REPOSITORY_HINT);
    }
  }
  if (stats && !stats.isDirectory()) {
    throw new CliError(
      "PKG0025",
      `${option} ${path}: not a folder`,
      "give the repository folder (the one holding <family>/<version>/package.py), not a file in it",
    );
  }
}

export interface OpenedRepositories {
  readonly set: RepositorySet;
  readonly loaded: LoadedConfig;
  /** What decided the packages path ("--repo", "--paths", a config file, "default", …). */
  readonly pathsSource: string;
  /** The packages path depends on the working folder (see PackagesPath.followsWorkingFolder). */
  readonly pathsFollowWorkingFolder: boolean;
  /** Set when solved resolves may be reused (resolve_caching with the definition cache on). */
  readonly resolveCache: ResolveCache | undefined;
  /** Warnings of the repositories and of the resolve cache so far. */
  warnings(): readonly LoadWarning[];
  /** Stops the Python workers; call when the command is done. */
  close(): Promise<void>;
  /** How many families' definitions were offered to memcached or taken from it so far. */
  sharedFamilies(): number;
}

export function loadCliConfig(): LoadedConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError("PKG0003", error.message, "fix the configuration file or environment variable named above");
    throw error;
  }
}

export function openCliRepositories(options: RepositoryOptions): OpenedRepositories {
  const reporter = cliReporter();
  const loaded = loadCliConfig();
  for (const warning of loaded.warnings) reporter.warn(warning);
  const { paths, source: pathsSource, followsWorkingFolder } = resolvePackagesPath({ repos: options.repos, ...(options.paths !== undefined ? { paths: options.paths } : {}), loaded });
  const loader = createDefinitionLoader({ python: loaded.config.python_executable, loadTimeout: loaded.config.package_load_timeout, reporter });
  const useCache = options.cache && loaded.config.cache_packages;
  const servers = memcachedServers(loaded);
  const shared = useCache && servers.length > 0 ? new MemcachedClient({ servers }) : undefined;
  const minCompress = loaded.config.memcached_package_file_min_compress_len;
  const definitionCache = useCache
    ? new DefinitionCache(
        loaded.config.cache_dir,
        loader.fingerprint,
        shared ? { store: { get: (key) => shared.getBytes(key), set: (key, data) => shared.set(key, data, minCompress) }, publishReads: options.publishDefinitions === true } : undefined,
      )
    : undefined;
  const set = openRepositories({
    paths,
    loader,
    lockTimeout: loaded.config.file_lock_timeout,
    ...(definitionCache ? { definitionCache } : {}),
  });
  reportResourcesOnExit();
  const close = async (): Promise<void> => {
    const failed = set.repositories.find((r) => r instanceof FilesystemRepository && r.cacheError);
    if (failed instanceof FilesystemRepository && failed.cacheError) {
      reporter.warn(`cannot write the package definition cache in ${loaded.config.cache_dir}: ${failed.cacheError.message}`);
    }
    await loader.close();
    if (shared) {
      await definitionCache?.flushShared();
      shared.close();
      if (options.verbose && shared.problem) reporter.info(`memcached not used: ${shared.problem}`);
    }
  };
  const resolveCache =
    useCache && loaded.config.resolve_caching
      ? new ResolveCache({
          dir: loaded.config.cache_dir,
          repositoryPaths: set.searchedPaths,
          fingerprint: loader.fingerprint,
          ...(shared ? { shared, sharedMinCompress: loaded.config.memcached_resolve_min_compress_len } : {}),
        })
      : undefined;
  const warnings = (): readonly LoadWarning[] => [...(resolveCache?.warnings ?? []), ...set.warnings];
  const sharedFamilies = (): number => (shared && definitionCache ? definitionCache.sharedStats.offered + definitionCache.sharedStats.hits : 0);
  return { set, loaded, pathsSource, pathsFollowWorkingFolder: followsWorkingFolder, resolveCache, warnings, close, sharedFamilies };
}

/** The configured memcached servers; a malformed address is bad input. */
export function memcachedServers(loaded: LoadedConfig): MemcachedServer[] {
  return loaded.config.memcached_uri.map((uri) => {
    const server = parseServer(uri);
    if (!server) {
      throw new CliError("PKG0060", `memcached_uri ${JSON.stringify(uri)} (from ${loaded.sources.memcached_uri}): not a host:port address`, "give memcached servers as host:port, e.g. 127.0.0.1:11211");
    }
    return server;
  });
}

let reporting = false;
/** `PKG_REPORT_RESOURCES=1` prints peak memory at exit (used by bench/): after any reporter is done, so straight to stderr. */
function reportResourcesOnExit(): void {
  if (reporting || !process.env.PKG_REPORT_RESOURCES) return;
  reporting = true;
  process.on("exit", () => {
    process.stderr.write(`pkg-resources: maxRSS=${process.resourceUsage().maxRSS}\n`);
  });
}

/**
 * For commands that only list what is there: a repository named with -r that does not exist, or no
 * repository at all, is bad input (a resolve would say "not found" instead).
 */
export function requireExistingRepositories(repos: OpenedRepositories): void {
  const folders = repos.set.repositories.filter((r) => r.type === "filesystem");
  const missing = folders.filter((r) => !existsSync(r.location)).map((r) => r.location);
  if (repos.pathsSource === "--repo" && missing.length > 0) {
    throw new CliError("PKG0025", `-r ${missing[0]}: no such folder`, REPOSITORY_HINT);
  }
  if (folders.length > 0 && missing.length === folders.length && folders.length === repos.set.repositories.length) {
    throw new CliError("PKG0025", `no package repository found (searched: ${missing.join(", ")})`, "give one with -r DIR, or set packages_path (PKG_PACKAGES_PATH)");
  }
}

/** Reports the repositories' warnings (each names its file and line). */
export function printWarnings(warnings: readonly LoadWarning[]): void {
  const reporter = cliReporter();
  for (const warning of warnings) reporter.warn(warning);
}

export interface OpenedRepository extends OpenedRepositories {
  /** The one repository named on the command line, which the command writes to. */
  readonly repository: WritableRepository;
}

/** Opens one repository given on the command line (`PATH` or `type@location`) to change it. */
export function openCliRepository(entry: string, what: string): OpenedRepository {
  checkRepositoryArgument(entry, what);
  const opened = openCliRepositories({ repos: [entry], cache: true });
  const repository = opened.set.repositories[0];
  if (repository === undefined || !isWritableRepository(repository)) {
    void opened.close();
    throw new CliError("PKG0030", `${what} ${entry}: pkg cannot write to ${repository?.type ?? "this"} repositories`, "give a filesystem repository");
  }
  return { ...opened, repository };
}

/** Rez's nonlocal_packages_path (`--nl`): the configured paths without local_packages_path, when no paths are given. */
export function withoutLocalPackages(options: RepositoryOptions): RepositoryOptions {
  if (options.repos.length > 0 || options.paths !== undefined) return options;
  const loaded = loadCliConfig();
  const { paths } = resolvePackagesPath({ loaded });
  const [local] = resolvePackagesPath({ repos: [loaded.config.local_packages_path], loaded }).paths;
  const kept = paths.filter((p) => p !== local);
  // an empty list still replaces the configured paths
  return { ...options, paths: kept.length > 0 ? kept.join(delimiter) : delimiter };
}
