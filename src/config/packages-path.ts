// Which repositories a command searches, in priority order.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
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
function normalise(list: readonly string[], cwd: string, env: Env): string[] {
  const out: string[] = [];
  for (const entry of list) {
    const trimmed = entry.trim();
    if (trimmed === "") continue;
    const typed = TYPED_ENTRY.exec(trimmed);
    const normal = typed && typed[1] !== "filesystem" ? trimmed : resolve(cwd, expandHome(typed ? typed[2]! : trimmed, env));
    if (!out.includes(normal)) out.push(normal);
  }
  return out;
}

/**
 * `-r/--repo` > `--paths` > PKG_PACKAGES_PATH > REZ_PACKAGES_PATH > PKG_LOCATIONS > configuration files
 * > `./repo` when it exists > Rez's default paths (~/packages, ~/.rez/packages/int, ~/.rez/packages/ext).
 */
export function resolvePackagesPath(options: PackagesPathOptions): PackagesPath {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.repos && options.repos.length > 0) return { paths: normalise(options.repos, cwd, env), source: "--repo" };
  if (options.paths !== undefined) return { paths: normalise(options.paths.split(delimiter), cwd, env), source: "--paths" };
  const { config, sources } = options.loaded;
  if (sources.packages_path !== "default") return { paths: normalise(config.packages_path, cwd, env), source: sources.packages_path };
  const local = join(cwd, "repo");
  if (existsSync(local)) return { paths: [local], source: "./repo" };
  return { paths: normalise(REZ_DEFAULT_PACKAGES_PATH, cwd, env), source: "default" };
}
