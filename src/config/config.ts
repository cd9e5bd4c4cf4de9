// Layered configuration: defaults < system file < user file < environment < command line.
// Files are TOML; keys use Rez's names so Rez users recognise them.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, extname, isAbsolute, join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { REZ_DEFAULT_PACKAGES_PATH } from "./packages-path.js";
import { deepUpdate, readRezConfigFiles, rezConfigSearchList } from "./rez-config.js";
import { ConfigError } from "./values.js";
import type { ConfigTable, ConfigValue } from "./values.js";

export type VariantSelectMode = "version_priority" | "intersection_priority";

export interface PkgConfig {
  /** Repositories searched, in priority order. Empty when nothing configured it (see resolvePackagesPath). */
  readonly packages_path: readonly string[];
  /** Where `pkg build --install` puts packages. */
  readonly local_packages_path: string;
  /** Where `pkg release` puts packages. */
  readonly release_packages_path: string;
  /** `pkg build`'s build folder, relative to the package's source folder unless absolute (Rez's default `build`). */
  readonly build_directory: string;
  /** `physical_cores`, `logical_cores` or a number: REZ_BUILD_THREAD_COUNT and `make -j`. */
  readonly build_thread_count: string;
  /** Folder of the `_v/<a, b, ...>` links to hashed variants; empty: no links. */
  readonly variant_shortlinks_dirname: string;
  /** Folders of the modules package functions `@include` (installed with a built package). */
  readonly package_definition_python_path: readonly string[];
  /** Folders searched for the module of package_preprocess_function at build time (Rez's setting). */
  readonly package_definition_build_python_paths: readonly string[];
  /** `module.function` applied to every package built that has no preprocess of its own (Rez's setting); empty: none. */
  readonly package_preprocess_function: string;
  /** Whether a package's own preprocess replaces the global one, or runs before or after it (Rez's setting). */
  readonly package_preprocess_mode: "override" | "before" | "after";
  /** Requests added to every resolve; `{system.platform}` style fields are expanded by the resolver. */
  readonly implicit_packages: readonly string[];
  /** Rez `package_orderers` (list of tables with a `type` key). */
  readonly package_orderers: readonly ConfigTable[];
  /** Rez `package_filter` (list of tables with `excludes` / `includes`). */
  readonly package_filter: readonly ConfigTable[];
  readonly variant_select_mode: VariantSelectMode;
  readonly error_on_missing_variant_requires: boolean;
  /** Use the on-disk cache of evaluated package definitions. */
  readonly cache_packages: boolean;
  /** Reuse a solved resolve while the package families it looked at are unchanged (Rez's resolve_caching). */
  readonly resolve_caching: boolean;
  /** Folder of pkg's caches. */
  readonly cache_dir: string;
  /** Python interpreter used for package code that needs evaluation. */
  readonly python_executable: string;
  /** Seconds one package.py may take in Python before pkg gives it up (and replaces the worker); 0: no limit. */
  readonly package_load_timeout: number;
  /** Seconds an install waits for another install's lock on the same package version; 0: for ever. */
  readonly file_lock_timeout: number;
  /** Where pkg's own command goes on PATH in a resolved environment (Rez's setting): after everything, first, or not at all. */
  readonly rez_tools_visibility: ToolsVisibility;
  /** The terminal `pkg env --detached` opens, its words before the shell's command (Rez's setting); "": found on PATH. */
  readonly terminal_emulator_command: string;
  /** `pkg release` without -m opens `editor` on a release-message file. */
  readonly prompt_release_message: boolean;
  /** Commits a release's changelog lists at most (0: all). */
  readonly max_package_changelog_revisions: number;
  /** Characters a release's changelog keeps at most (0: all). */
  readonly max_package_changelog_chars: number;
  /** Release hooks to run, by plugin name (`command`, `emailer`). */
  readonly release_hooks: readonly string[];
  /** The editor for the release message; empty: $EDITOR, else vi. */
  readonly editor: string;
  /** Plugin settings by type and name (`release_vcs.git.allow_no_upstream`), merged over each plugin's defaults. */
  readonly plugins: ConfigTable;
  /** memcached servers (`host:port`) shared by every machine; empty: none (Rez's setting). */
  readonly memcached_uri: readonly string[];
  /** Resolves stored in memcached are compressed from this many bytes (Rez's setting). */
  readonly memcached_resolve_min_compress_len: number;
  /** Family definitions stored in memcached are compressed from this many bytes (Rez's setting). */
  readonly memcached_package_file_min_compress_len: number;
  /** Arguments `pkg pip` gives pip (Rez's setting); `-e/--extra` adds to them. */
  readonly pip_extra_args: readonly string[];
  /** Where files a wheel puts outside site-packages go (Rez's setting): tables of record_path, pip_install, rez_install. */
  readonly pip_install_remaps: readonly ConfigTable[];
  /** Folder of the local payload cache (Rez's setting); "": no payload caching. */
  readonly cache_packages_path: string;
  /** Resolved environments use cached payloads that are there (Rez's setting). */
  readonly read_package_cache: boolean;
  /** Resolving an environment adds its variants to the payload cache (Rez's setting). */
  readonly write_package_cache: boolean;
  /** `pkg cache --clean` removes cached variants unused for this many days; 0: never (Rez's setting). */
  readonly package_cache_max_variant_days: number;
  /** Build and test environments are cached too (Rez's setting). */
  readonly package_cache_during_build: boolean;
  /** Copies into the payload cache run in a detached process instead of being waited for (Rez's setting). */
  readonly package_cache_async: boolean;
  /** Packages of local_packages_path are cached too (Rez's setting). */
  readonly package_cache_local: boolean;
  /** Payloads on the same disk device as the cache are cached too (Rez's setting). */
  readonly package_cache_same_device: boolean;
  /** Seconds spent cleaning the cache after each update; a negative number: none (Rez's setting). */
  readonly package_cache_clean_limit: number;
  /** Days of payload-cache logs kept (Rez's setting). */
  readonly package_cache_log_days: number;
  /** Bytes that must stay free on the cache's disk (Rez's setting). */
  readonly package_cache_space_buffer: number;
  /** Percent of the cache's disk in use from which each variant's size is checked against the buffer (Rez's setting). */
  readonly package_cache_used_threshold: number;
  /** Whether a package that does not say `cachable` is cached (Rez's setting; Rez's None, "same as relocatable", is not offered). */
  readonly default_cachable: boolean;
}

export type ToolsVisibility = "append" | "prepend" | "never";

export type ConfigKey = keyof PkgConfig;

/** Where each value came from: "default", a file path, "env:NAME" or "command line". */
export type ConfigSources = { readonly [K in ConfigKey]: string };

export interface LoadedConfig {
  readonly config: PkgConfig;
  readonly sources: ConfigSources;
  /** Files read, lowest priority first. */
  readonly files: readonly string[];
  /** Non-fatal problems (unknown keys). */
  readonly warnings: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

type KeyKind = "preprocess-mode" | "tools-visibility" | "path-list" | "path" | "string-list" | "table-list" | "boolean" | "string" | "optional-string" | "thread-count" | "select-mode" | "seconds" | "count" | "table" | "optional-path" | "number" | "percent";

const KEY_KINDS: { readonly [K in ConfigKey]: KeyKind } = {
  packages_path: "path-list",
  local_packages_path: "path",
  release_packages_path: "path",
  build_directory: "string",
  build_thread_count: "thread-count",
  variant_shortlinks_dirname: "optional-string",
  package_definition_python_path: "path-list",
  package_definition_build_python_paths: "path-list",
  package_preprocess_function: "optional-string",
  package_preprocess_mode: "preprocess-mode",
  implicit_packages: "string-list",
  package_orderers: "table-list",
  package_filter: "table-list",
  variant_select_mode: "select-mode",
  error_on_missing_variant_requires: "boolean",
  cache_packages: "boolean",
  resolve_caching: "boolean",
  cache_dir: "path",
  python_executable: "string",
  package_load_timeout: "seconds",
  file_lock_timeout: "seconds",
  rez_tools_visibility: "tools-visibility",
  terminal_emulator_command: "optional-string",
  prompt_release_message: "boolean",
  max_package_changelog_revisions: "count",
  max_package_changelog_chars: "count",
  release_hooks: "string-list",
  editor: "optional-string",
  plugins: "table",
  memcached_uri: "string-list",
  memcached_resolve_min_compress_len: "count",
  memcached_package_file_min_compress_len: "count",
  pip_extra_args: "string-list",
  pip_install_remaps: "table-list",
  cache_packages_path: "optional-path",
  read_package_cache: "boolean",
  write_package_cache: "boolean",
  package_cache_max_variant_days: "count",
  package_cache_during_build: "boolean",
  package_cache_async: "boolean",
  package_cache_local: "boolean",
  package_cache_same_device: "boolean",
  package_cache_clean_limit: "number",
  package_cache_log_days: "count",
  package_cache_space_buffer: "count",
  package_cache_used_threshold: "percent",
  default_cachable: "boolean",
};

/** Keys Rez also has, so `REZ_<KEY>` environment variables are honoured after `PKG_<KEY>`. */
const REZ_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>([
  "local_packages_path",
  "release_packages_path",
  "build_directory",
  "build_thread_count",
  "variant_shortlinks_dirname",
  "package_definition_python_path",
  "package_definition_build_python_paths",
  "package_preprocess_function",
  "package_preprocess_mode",
  "implicit_packages",
  "variant_select_mode",
  "error_on_missing_variant_requires",
  "resolve_caching",
  "file_lock_timeout",
  "rez_tools_visibility",
  "terminal_emulator_command",
  "prompt_release_message",
  "max_package_changelog_revisions",
  "max_package_changelog_chars",
  "release_hooks",
  "editor",
  "memcached_uri",
  "memcached_resolve_min_compress_len",
  "memcached_package_file_min_compress_len",
  "pip_extra_args",
  "pip_install_remaps",
  "cache_packages_path",
  "read_package_cache",
  "write_package_cache",
  "package_cache_max_variant_days",
  "package_cache_during_build",
  "package_cache_async",
  "package_cache_local",
  "package_cache_same_device",
  "package_cache_clean_limit",
  "package_cache_log_days",
  "package_cache_space_buffer",
  "package_cache_used_threshold",
  "default_cachable",
]);

export const CONFIG_KEYS = Object.keys(KEY_KINDS) as ConfigKey[];

function home(env: Env): string {
  return env.HOME || homedir();
}

function expandHome(path: string, env: Env): string {
  if (path === "~") return home(env);
  if (path.startsWith("~/")) return join(home(env), path.slice(2));
  return path;
}

export function defaultCacheDir(env: Env = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, "pkg") : join(home(env), ".cache", "pkg");
}

export function defaultConfig(env: Env = process.env): PkgConfig {
  return {
    packages_path: [],
    local_packages_path: join(home(env), "packages"),
    release_packages_path: join(home(env), ".rez", "packages", "int"),
    build_directory: "build",
    build_thread_count: "physical_cores",
    variant_shortlinks_dirname: "_v",
    package_definition_python_path: [],
    package_definition_build_python_paths: [],
    package_preprocess_function: "",
    package_preprocess_mode: "override",
    implicit_packages: ["~platform=={system.platform}", "~arch=={system.arch}", "~os=={system.os}"],
    package_orderers: [],
    package_filter: [],
    variant_select_mode: "version_priority",
    error_on_missing_variant_requires: true,
    cache_packages: true,
    resolve_caching: true,
    cache_dir: defaultCacheDir(env),
    python_executable: process.platform === "win32" ? "python" : "python3",
    package_load_timeout: 10,
    file_lock_timeout: 10,
    rez_tools_visibility: "append",
    terminal_emulator_command: "",
    prompt_release_message: false,
    max_package_changelog_revisions: 0,
    max_package_changelog_chars: 65536,
    release_hooks: [],
    editor: "",
    plugins: {},
    memcached_uri: [],
    memcached_resolve_min_compress_len: 1,
    memcached_package_file_min_compress_len: 16384,
    pip_extra_args: [],
    pip_install_remaps: [
      { record_path: "^{p}{s}{p}{s}(bin{s}.*)", pip_install: "\\1", rez_install: "\\1" },
      { record_path: "^{p}{s}{p}{s}lib{s}python{s}(.*)", pip_install: "\\1", rez_install: "python{s}\\1" },
    ],
    cache_packages_path: "",
    read_package_cache: true,
    write_package_cache: true,
    package_cache_max_variant_days: 30,
    package_cache_during_build: false,
    package_cache_async: true,
    package_cache_local: false,
    package_cache_same_device: false,
    package_cache_clean_limit: 0.5,
    package_cache_log_days: 7,
    package_cache_space_buffer: 104857600,
    package_cache_used_threshold: 80,
    default_cachable: false,
  };
}

/** The user's file: `$PKG_CONFIG`, else `$XDG_CONFIG_HOME/pkg/config.toml`, else `~/.config/pkg/config.toml`. */
export function userConfigFile(env: Env = process.env): string {
  if (env.PKG_CONFIG) return resolve(expandHome(env.PKG_CONFIG, env));
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, "pkg", "config.toml") : join(home(env), ".config", "pkg", "config.toml");
}

/** The machine-wide file: `$PKG_SYSTEM_CONFIG`, else `/etc/pkg/config.toml`. */
export function systemConfigFile(env: Env = process.env): string {
  return env.PKG_SYSTEM_CONFIG ? resolve(env.PKG_SYSTEM_CONFIG) : "/etc/pkg/config.toml";
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (value instanceof Date) return "a date";
  return typeof value === "object" ? "a table" : `${typeof value} ${JSON.stringify(value)}`;
}

function toConfigValue(value: unknown): ConfigValue {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toConfigValue);
  if (typeof value === "object") {
    const out: Record<string, ConfigValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toConfigValue(v);
    return out;
  }
  return String(value);
}

/** Checks one value against its key's type; `where` names the file or variable for the error. */
function validate(key: ConfigKey, raw: unknown, where: string, baseDir: string, env: Env): PkgConfig[ConfigKey] {
  const fail = (expected: string): never => {
    throw new ConfigError(`${where}: key '${key}' must be ${expected}, got ${describe(raw)}`, where, key);
  };
  const kind = KEY_KINDS[key];
  const path = (p: string): string => resolve(baseDir, expandHome(p, env));
  switch (kind) {
    case "boolean":
      return typeof raw === "boolean" ? raw : fail("true or false");
    case "string":
      return typeof raw === "string" && raw !== "" ? raw : fail("a non-empty string");
    case "optional-string":
      // Rez's None (a rezconfig.py) and false mean unset
      return typeof raw === "string" ? raw : raw === false || raw === null ? "" : fail("a string");
    case "thread-count": {
      const n = typeof raw === "bigint" ? Number(raw) : raw;
      if (typeof n === "number" && Number.isInteger(n) && n > 0) return String(n);
      return typeof raw === "string" && /^(physical_cores|logical_cores|[1-9][0-9]*)$/.test(raw) ? raw : fail(`"physical_cores", "logical_cores" or a positive whole number`);
    }
    case "path":
      return typeof raw === "string" && raw !== "" ? path(raw) : fail("a non-empty path string");
    case "optional-path":
      // Rez's None (a rezconfig.py), false and "" mean unset
      return typeof raw === "string" ? (raw === "" ? "" : path(raw)) : raw === false || raw === null ? "" : fail("a path string");
    case "number":
    case "percent": {
      const n = typeof raw === "bigint" ? Number(raw) : raw;
      if (kind === "percent") return typeof n === "number" && n >= 0 && n <= 100 ? n : fail("a percentage (0 to 100)");
      return typeof n === "number" && Number.isFinite(n) ? n : fail("a number");
    }
    case "seconds":
    {
      const n = typeof raw === "bigint" ? Number(raw) : raw;
      return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : fail("a number of seconds (0 or more)");
    }
    case "count": {
      const n = typeof raw === "bigint" ? Number(raw) : raw;
      return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : fail("a whole number (0 or more)");
    }
    case "table":
      return raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (toConfigValue(raw) as ConfigTable) : fail("a table");
    case "preprocess-mode":
      return raw === "override" || raw === "before" || raw === "after" ? raw : fail(`"override", "before" or "after"`);
    case "tools-visibility":
      return raw === "append" || raw === "prepend" || raw === "never" ? raw : fail(`"append", "prepend" or "never"`);
    case "select-mode":
      return raw === "version_priority" || raw === "intersection_priority"
        ? raw
        : fail(`"version_priority" or "intersection_priority"`);
    case "path-list":
    case "string-list": {
      const list = typeof raw === "string" ? [raw] : raw;
      if (!Array.isArray(list) || !list.every((x): x is string => typeof x === "string")) return fail("a list of strings");
      return kind === "path-list" ? list.filter((x) => x !== "").map(path) : list;
    }
    case "table-list": {
      const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === "object" ? [raw] : undefined;
      if (!list || !list.every((x) => x !== null && typeof x === "object" && !Array.isArray(x))) return fail("a list of tables");
      return list.map((x) => toConfigValue(x) as ConfigTable);
    }
  }
}

function parseEnvValue(key: ConfigKey, text: string, name: string): unknown {
  switch (KEY_KINDS[key]) {
    case "boolean": {
      const t = text.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(t)) return true;
      if (["0", "false", "no", "off", ""].includes(t)) return false;
      throw new ConfigError(`environment variable ${name}: expected true or false, got ${JSON.stringify(text)}`, name, key);
    }
    case "seconds": {
      const t = text.trim();
      // Number("") is 0 and Number("0x10") is 16: accept plain decimals only.
      if (!/^\d+(\.\d*)?$|^\.\d+$/.test(t)) throw new ConfigError(`environment variable ${name}: expected a number of seconds, got ${JSON.stringify(text)}`, name, key);
      return Number(t);
    }
    case "path-list":
      return text.split(delimiter).map((s) => s.trim()).filter((s) => s !== "");
    case "string-list":
      return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
    case "number":
    case "percent": {
      const t = text.trim();
      if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(t)) throw new ConfigError(`environment variable ${name}: expected a number, got ${JSON.stringify(text)}`, name, key);
      return Number(t);
    }
    case "count":
      if (!/^\d+$/.test(text.trim())) throw new ConfigError(`environment variable ${name}: expected a whole number, got ${JSON.stringify(text)}`, name, key);
      return Number(text.trim());
    case "table":
    case "table-list":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ConfigError(`environment variable ${name}: expected JSON (a list of tables)`, name, key);
      }
    default:
      return text;
  }
}

/** Reads and validates one TOML file; unknown keys become warnings. */
export function readConfigFile(file: string, env: Env = process.env): { values: Partial<PkgConfig>; warnings: string[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(error as Error).message}`, file);
  }
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    throw new ConfigError(`${file}: not valid TOML: ${message}`, file);
  }
  const values: Record<string, unknown> = {};
  const warnings: string[] = [];
  const baseDir = join(file, "..");
  for (const [key, raw] of Object.entries(data)) {
    if (!(key in KEY_KINDS)) {
      warnings.push(`${file}: unknown key '${key}' ignored`);
      continue;
    }
    values[key] = validate(key as ConfigKey, raw, file, baseDir, env);
  }
  return { values: values as Partial<PkgConfig>, warnings };
}

export interface LoadConfigOptions {
  env?: Env;
  /** Defaults to systemConfigFile(env); `null` skips it. */
  systemFile?: string | null;
  /** Defaults to userConfigFile(env); `null` skips it. */
  userFile?: string | null;
  /** Rez configuration files to search (REZ_CONFIG_FILE style entries); defaults to rezConfigSearchList(env); `null` skips them. */
  rezFiles?: readonly string[] | null;
  /** Command-line values, highest priority. */
  overrides?: Partial<PkgConfig>;
  cwd?: string;
}

/**
 * Rez's files, merged among themselves as Rez merges them (ModifyList extends the value below, starting
 * from Rez's defaults), then every key pkg knows applied with the last file that set it as its source.
 * Keys pkg does not use are ignored: a studio's rezconfig sets many.
 */
function applyRezConfig(entries: readonly string[], env: Env, apply: (values: Partial<PkgConfig>, source: string) => void, files: string[]): void {
  if (entries.length === 0) return;
  const python = env.PKG_PYTHON_EXECUTABLE || env.PKG_PYTHON || defaultConfig(env).python_executable;
  const cacheDir = env.PKG_CACHE_DIR ? resolve(expandHome(env.PKG_CACHE_DIR, env)) : defaultCacheDir(env);
  const layers = readRezConfigFiles(entries, { python, cacheDir });
  const defaults = defaultConfig(env);
  const merged: Record<string, ConfigValue> = {};
  const setBy: Record<string, string> = {};
  for (const { file, settings } of layers) {
    files.push(file);
    for (const [key, value] of Object.entries(settings)) {
      if (!(key in KEY_KINDS)) continue;
      const below = merged[key] ?? (key === "packages_path" ? REZ_DEFAULT_PACKAGES_PATH : (defaults[key as ConfigKey] as ConfigValue));
      merged[key] = deepUpdate(below, value, file);
      setBy[key] = file;
    }
  }
  for (const [key, file] of Object.entries(setBy)) {
    apply({ [key]: validate(key as ConfigKey, merged[key], file, dirname(file), env) } as Partial<PkgConfig>, file);
  }
}

/**
 * Every file whose contents, or coming into being, can change what loadConfig reads: each Rez search entry
 * in both forms it may take (`<name>.py`, the entry itself), the machine-wide file and the user's file,
 * made absolute, in loadConfig's order.
 */
export function configFileCandidates(env: Env = process.env, cwd: string = process.cwd()): string[] {
  const files: string[] = [];
  for (const entry of rezConfigSearchList(env)) {
    const absolute = resolve(cwd, entry);
    files.push(absolute.slice(0, absolute.length - extname(absolute).length) + ".py", absolute);
  }
  files.push(systemConfigFile(env), userConfigFile(env));
  return [...new Set(files)];
}

/** Reads every layer and returns the merged, validated configuration. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const config: Record<string, unknown> = { ...defaultConfig(env) };
  const sources: Record<string, string> = Object.fromEntries(CONFIG_KEYS.map((k) => [k, "default"]));
  const files: string[] = [];
  const warnings: string[] = [];

  const apply = (values: Partial<PkgConfig>, source: string): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      config[key] = value;
      sources[key] = source;
    }
  };

  applyRezConfig(options.rezFiles === undefined ? rezConfigSearchList(env) : (options.rezFiles ?? []), env, apply, files);

  const systemFile = options.systemFile === undefined ? systemConfigFile(env) : options.systemFile;
  if (systemFile && existsSync(systemFile)) {
    const read = readConfigFile(systemFile, env);
    apply(read.values, systemFile);
    files.push(systemFile);
    warnings.push(...read.warnings);
  }
  const userFile = options.userFile === undefined ? userConfigFile(env) : options.userFile;
  if (userFile) {
    if (existsSync(userFile)) {
      const read = readConfigFile(userFile, env);
      apply(read.values, userFile);
      files.push(userFile);
      warnings.push(...read.warnings);
    } else if (options.userFile === undefined && env.PKG_CONFIG) {
      throw new ConfigError(`PKG_CONFIG points to ${userFile}, which does not exist`, userFile);
    }
  }

  for (const key of CONFIG_KEYS) {
    const names =
      key === "packages_path"
        ? ["PKG_PACKAGES_PATH", "REZ_PACKAGES_PATH", "PKG_LOCATIONS"]
        : [`PKG_${key.toUpperCase()}`, ...(REZ_KEYS.has(key) ? [`REZ_${key.toUpperCase()}`] : [])];
    const name = names.find((n) => env[n] !== undefined && env[n] !== "");
    if (!name) continue;
    const raw = parseEnvValue(key, env[name] as string, name);
    apply({ [key]: validate(key, raw, `environment variable ${name}`, cwd, env) } as Partial<PkgConfig>, `env:${name}`);
  }
  // PKG_PYTHON is the short, documented spelling.
  if (env.PKG_PYTHON && !env.PKG_PYTHON_EXECUTABLE) apply({ python_executable: env.PKG_PYTHON }, "env:PKG_PYTHON");

  if (options.overrides) apply(options.overrides, "command line");
  return { config: config as unknown as PkgConfig, sources: sources as ConfigSources, files, warnings };
}
