// Which repositories a command searches, in priority order.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { LoadedConfig } from "./config.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface PackagesPathOptions {
  /** `-r/--repo DIR`, repeatable. */
  repos?: readonly string[];
  /** `--paths P1:P2` (platform path separator). */
  paths?: string;
  /** The loaded configuration (its packages_path already includes the environment variables). */
  loaded: LoadedConfig;
  cwd?: string;
  env?: Env;
}

export interface PackagesPath {
  readonly paths: readonly string[];
  /** What decided the list: "--repo", "--paths", "env:PKG_PACKAGES_PATH", a config file, "./repo" or "default". */
  readonly source: string;
  /**
   * The list depends on the working folder: a relative entry, `./repo`, or Rez's defaults (which a `./repo`
   * in another folder would replace).
   */
  readonly followsWorkingFolder: boolean;
}

function expandHome(path: string, env: Env): string {
  const home = env.HOME || homedir();
  if (path === "~") return home;
  return path.startsWith("~/") ? join(home, path.slice(2)) : path;
}

/** Rez's packages_path when nothing sets it. */
export const REZ_DEFAULT_PACKAGES_PATH: readonly string[] = ["~/packages", "~/.rez/packages/int", "~/.rez/packages/ext"];

/** `type@location` (Rez's packages path syntax for a repository type); a drive letter or a path is not one. */
const TYPED_ENTRY = /^([a-z][a-z0-9_]*)@(.*)$/;

/** Paths made absolute; `filesystem@PATH` becomes the plain path, other `type@location` entries stay as written. */
function normalise(list: readonly string[], cwd: string, env: Env, source: string): PackagesPath {
  const paths: string[] = [];
  for (const entry of list) {
    const trimmed = entry.trim();
    if (trimmed === "") continue;
    const path = folderOf(trimmed, env);
    const normal = path === undefined ? trimmed : resolve(cwd, path);
    if (!paths.includes(normal)) paths.push(normal);
  }
  return { paths, source, followsWorkingFolder: list.some((entry) => isRelativeEntry(entry, env)) };
}

/** The folder an entry names (home expanded, maybe relative); undefined for a `type@location` of another type. */
function folderOf(entry: string, env: Env): string | undefined {
  const typed = TYPED_ENTRY.exec(entry);
  return typed && typed[1] !== "filesystem" ? undefined : expandHome(typed ? typed[2]! : entry, env);
}

/** The entry names a folder relative to the working folder. */
function isRelativeEntry(entry: string, env: Env): boolean {
  const trimmed = entry.trim();
  const path = trimmed === "" ? undefined : folderOf(trimmed, env);
  return path !== undefined && !isAbsolute(path);
}

/**
 * `-r/--repo` > `--paths` > PKG_PACKAGES_PATH > REZ_PACKAGES_PATH > PKG_LOCATIONS > configuration files
 * > `./repo` when it exists > Rez's default paths (~/packages, ~/.rez/packages/int, ~/.rez/packages/ext).
 */
export function resolvePackagesPath(options: PackagesPathOptions): PackagesPath {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.repos && options.repos.length > 0) return normalise(options.repos, cwd, env, "--repo");
  if (options.paths !== undefined) return normalise(options.paths.split(delimiter), cwd, env, "--paths");
  const { config, sources } = options.loaded;
  if (sources.packages_path !== "default") {
    const result = normalise(config.packages_path, cwd, env, sources.packages_path);
    // A variable's entries were made absolute against the working folder when the configuration was read
    // (a file's, against the file's folder: those do not follow the working folder).
    const variable = sources.packages_path.startsWith("env:") ? env[sources.packages_path.slice(4)] : undefined;
    const relative = variable?.split(delimiter).some((entry) => isRelativeEntry(entry, env)) ?? false;
    return relative ? { ...result, followsWorkingFolder: true } : result;
  }
  const local = join(cwd, "repo");
  if (existsSync(local)) return { paths: [local], source: "./repo", followsWorkingFolder: true };
  return { ...normalise(REZ_DEFAULT_PACKAGES_PATH, cwd, env, "default"), followsWorkingFolder: true };
}
