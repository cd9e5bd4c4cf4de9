// Rez's configuration files (rezconfig.py / rezconfig.yaml named by REZ_CONFIG_FILE, then ~/.rezconfig), read
// so a studio's settings apply to pkg unchanged. They sit below pkg's own TOML files. A file of plain
// assignments is read here; one that needs Python (imports, ModifyList, expressions) is evaluated once by
// python and the result kept in pkg's cache, checked against the file's size and time on every read.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, extname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { readSealedFile, writeSealedFile } from "../cache/index.js";
import { readDeclarativePython } from "../package/index.js";
import type { PackageValue } from "../package/index.js";
import { findPythonScript } from "../python/index.js";
import { ConfigError } from "./values.js";
import type { ConfigValue } from "./values.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Rez's `ModifyList(prepend=..., append=...)`: a list setting extended rather than replaced. */
export interface ModifyList {
  readonly modifyList: { readonly prepend: readonly ConfigValue[]; readonly append: readonly ConfigValue[] };
}

/** A value as a Rez configuration file states it. */
export type RezSetting = ConfigValue | ModifyList | { readonly [key: string]: RezSetting };
export type RezSettings = { readonly [key: string]: RezSetting };

export function isModifyList(value: unknown): value is ModifyList {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "modifyList" in value && Object.keys(value).length === 1;
}

function isTable(value: unknown): value is { readonly [key: string]: unknown } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isModifyList(value);
}

/**
 * Rez's deep_update: tables merge key by key, a ModifyList extends the list below it (nothing below: an empty
 * list), anything else replaces. Pure; neither argument changes.
 */
export function deepUpdate(base: ConfigValue | undefined, update: RezSetting, where: string): ConfigValue {
  if (isModifyList(update)) {
    const below = base === undefined || base === null ? [] : base;
    if (!Array.isArray(below)) throw new ConfigError(`${where}: ModifyList applied to a setting that is not a list`, where);
    return [...update.modifyList.prepend, ...below, ...update.modifyList.append];
  }
  if (isTable(update)) {
    const merged: Record<string, ConfigValue> = isTable(base) ? { ...(base as { [key: string]: ConfigValue }) } : {};
    for (const [key, value] of Object.entries(update)) merged[key] = deepUpdate(merged[key], value, where);
    return merged;
  }
  return update as ConfigValue;
}

/** The files Rez would search, in its order (lowest priority first): REZ_CONFIG_FILE's entries, then ~/.rezconfig. */
export function rezConfigSearchList(env: Env = process.env): string[] {
  const files = (env.REZ_CONFIG_FILE ?? "").split(delimiter).filter((f) => f !== "");
  if (!["1", "t", "true"].includes((env.REZ_DISABLE_HOME_CONFIG ?? "").toLowerCase())) files.push(join(env.HOME || homedir(), ".rezconfig"));
  return files;
}

/** The file Rez reads for one search entry: `<name>.py` when it exists, else the entry itself (YAML); none: undefined. */
export function sourcedRezConfigFile(entry: string): string | undefined {
  const python = entry.slice(0, entry.length - extname(entry).length) + ".py";
  for (const candidate of [python, entry]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: try the next form
    }
  }
  return undefined;
}

function fromPackageValue(value: PackageValue): RezSetting | undefined {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const list = (value as readonly PackageValue[]).map(fromPackageValue);
    return list.every((v) => v !== undefined) ? (list as ConfigValue[]) : undefined;
  }
  if ("kind" in value && (value as { kind: unknown }).kind === "source" && "source" in value) return undefined; // a function
  const table: Record<string, RezSetting> = {};
  for (const [k, v] of Object.entries(value as { [key: string]: PackageValue })) {
    const converted = fromPackageValue(v);
    if (converted !== undefined) table[k] = converted;
  }
  return table;
}

/** JSON from rezconfig.py's evaluation, with its ModifyList markers turned into ModifyList values. */
function fromEvaluated(value: unknown): RezSetting {
  if (Array.isArray(value)) return value.map(fromEvaluated) as ConfigValue[];
  if (value !== null && typeof value === "object") {
    const marker = (value as { __pkg_modify_list__?: { prepend: ConfigValue[] | null; append: ConfigValue[] | null } }).__pkg_modify_list__;
    if (marker) return { modifyList: { prepend: marker.prepend ?? [], append: marker.append ?? [] } };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromEvaluated(v)]));
  }
  return value as ConfigValue;
}

function readYamlSettings(file: string, text: string): RezSettings {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new ConfigError(`${file}${line ? `:${line}` : ""}: not valid YAML: ${(error as Error).message.split("\n")[0]}`, file);
  }
  if (doc === null || doc === undefined) return {};
  if (!isTable(doc)) throw new ConfigError(`${file}: expected a mapping of settings, got ${Array.isArray(doc) ? "a list" : typeof doc}`, file);
  return doc as RezSettings;
}

interface EvaluatedFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly settings: unknown;
}

function evaluateWithPython(file: string, python: string, cacheDir: string | undefined): RezSettings {
  const stat = statSync(file);
  const cacheFile = cacheDir ? join(cacheDir, "rezconfig", `${createHash("sha1").update(file).digest("hex").slice(0, 20)}.json`) : undefined;
  if (cacheFile) {
    const cached = readSealedFile(cacheFile);
    if (cached.status === "ok") {
      const entry = JSON.parse(cached.payload.toString("utf8")) as EvaluatedFile;
      if (entry.size === stat.size && entry.mtimeMs === stat.mtimeMs) return fromEvaluated(entry.settings) as RezSettings;
    }
  }
  const script = findPythonScript("rezconfig.py");
  const run = spawnSync(python, ["-B", script, file], { encoding: "utf8", timeout: 30_000 });
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : (run.stderr || "").trim().split("\n").pop() || `exit status ${run.status}`;
    throw new ConfigError(`${file}: this Rez configuration file needs Python to read, and ${python} could not run it: ${why}`, file);
  }
  let answer: { settings?: unknown; error?: string; line?: number | null };
  try {
    answer = JSON.parse(run.stdout) as typeof answer;
  } catch {
    throw new ConfigError(`${file}: ${python} gave no readable answer for this Rez configuration file`, file);
  }
  if (answer.error !== undefined) throw new ConfigError(`${file}${answer.line ? `:${answer.line}` : ""}: ${answer.error}`, file);
  if (cacheFile) {
    try {
      writeSealedFile(cacheFile, JSON.stringify({ size: stat.size, mtimeMs: stat.mtimeMs, settings: answer.settings } satisfies EvaluatedFile), { mkdir: true });
    } catch {
      // an unwritable cache only costs the next command the same evaluation
    }
  }
  return fromEvaluated(answer.settings) as RezSettings;
}

export interface RezConfigReadOptions {
  /** Interpreter for files that need Python. */
  readonly python: string;
  /** Where evaluated files are kept; undefined: not kept. */
  readonly cacheDir?: string;
}

/** The settings one Rez configuration file makes (`.py` as Rez's Python, anything else as YAML). */
export function readRezConfigFile(file: string, options: RezConfigReadOptions): RezSettings {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read Rez configuration file ${file}: ${(error as Error).message}`, file);
  }
  if (!file.endsWith(".py")) return readYamlSettings(file, text);
  const declarative = readDeclarativePython(text, file);
  if (declarative.kind === "needs-python") return evaluateWithPython(file, options.python, options.cacheDir);
  const settings: Record<string, RezSetting> = {};
  for (const [key, value] of Object.entries(declarative.attributes)) {
    const converted = fromPackageValue(value);
    if (converted !== undefined) settings[key] = converted;
  }
  return settings;
}

export interface RezConfigLayer {
  readonly file: string;
  readonly settings: RezSettings;
}

/** The Rez files that exist for the search list, each read. */
export function readRezConfigFiles(entries: readonly string[], options: RezConfigReadOptions): RezConfigLayer[] {
  const layers: RezConfigLayer[] = [];
  for (const entry of entries) {
    const file = sourcedRezConfigFile(entry);
    if (file && existsSync(file)) layers.push({ file, settings: readRezConfigFile(file, options) });
  }
  return layers;
}
