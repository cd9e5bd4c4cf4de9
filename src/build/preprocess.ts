// Rez's package preprocessing at build time: the package's own `preprocess(this, data)` and the configured
// `package_preprocess_function` (a `module.function` found on package_definition_build_python_paths), in the
// order `package_preprocess_mode` gives, change the package before it is built and installed.
import { PkgError } from "../errors/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import type { Reporter } from "../report/index.js";
import type { PythonRequest } from "./systems/types.js";

export type PreprocessMode = "override" | "before" | "after";

export interface PreprocessSettings {
  /** `module.function` (Rez's `package_preprocess_function`); empty: none. */
  readonly globalFunction: string;
  readonly mode: PreprocessMode;
  /** Folders searched for the global function's module (package_definition_build_python_paths). */
  readonly paths: readonly string[];
  readonly python: PythonRequest;
  readonly reporter: Pick<Reporter, "info" | "warn">;
}

type Attributes = { readonly [key: string]: PackageValue };

export interface AttributeDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

function isTable(value: PackageValue | undefined): value is Attributes {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind !== "source";
}

function sameValue(a: PackageValue | undefined, b: PackageValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Rez's get_dict_diff: dotted paths of keys added, removed and changed, tables compared key by key. */
export function attributeDiff(before: Attributes, after: Attributes, prefix: readonly string[] = []): AttributeDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  const path = (key: string): string => [...prefix, key].join(".");
  for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) added.push(path(key));
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) {
      removed.push(path(key));
      continue;
    }
    const a = before[key];
    const b = after[key];
    if (isTable(a) && isTable(b)) {
      const inner = attributeDiff(a, b, [...prefix, key]);
      added.push(...inner.added);
      removed.push(...inner.removed);
      changed.push(...inner.changed);
    } else if (!sameValue(a, b)) {
      changed.push(path(key));
    }
  }
  return { added, removed, changed };
}

const pyList = (items: readonly string[]): string => `[${items.map((i) => `'${i}'`).join(", ")}]`;

/** Rez's summary of what a preprocess changed. */
export function formatAttributeDiff(diff: AttributeDiff): string {
  const lines = ["Package attributes were changed in preprocessing:"];
  if (diff.added.length > 0) lines.push(`Added attributes: ${pyList(diff.added)}`);
  if (diff.removed.length > 0) lines.push(`Removed attributes: ${pyList(diff.removed)}`);
  if (diff.changed.length > 0) lines.push(`Changed attributes: ${pyList(diff.changed)}`);
  return lines.join("\n");
}

interface PreprocessAnswer {
  readonly data: Attributes | null;
  readonly messages: readonly (readonly [string, string])[];
  readonly invalid: string | null;
}

function isAnswer(value: unknown): value is PreprocessAnswer {
  return typeof value === "object" && value !== null && "messages" in value && Array.isArray((value as { messages: unknown }).messages);
}

/** The definition as the preprocess functions leave it (itself when there are none, or they change nothing or fail). */
export async function preprocessDefinition(definition: PackageDefinition, settings: PreprocessSettings): Promise<PackageDefinition> {
  const local = definition.attributes.preprocess;
  const hasLocal = typeof local === "object" && local !== null && (local as { kind?: unknown }).kind === "source";
  if (!hasLocal && settings.globalFunction === "") return definition;
  const answer = await settings.python({
    op: "preprocess",
    name: definition.name,
    version: definition.version,
    attributes: definition.attributes,
    local: hasLocal ? local : null,
    global: settings.globalFunction || null,
    mode: settings.mode,
    paths: [...settings.paths],
  });
  if (!answer.ok) {
    throw new PkgError("PKG0034", `${definition.file}: cannot apply its preprocess function: ${answer.error.message}`, { hint: "fix the preprocess function at the file and line above" });
  }
  const result = answer.result;
  if (!isAnswer(result)) throw new PkgError("PKG0034", `${definition.file}: the preprocess step gave no answer`);
  for (const [level, text] of result.messages) {
    if (level === "info") settings.reporter.info(text);
    else settings.reporter.warn(text);
  }
  if (result.invalid !== null) {
    throw new PkgError("PKG0034", `${definition.file}: the package was refused by its preprocess function: ${result.invalid}`, {
      hint: "fix what the preprocess function (InvalidPackageError) says",
    });
  }
  if (result.data === null) return definition;
  const diff = attributeDiff(definition.attributes, result.data);
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) return definition;
  settings.reporter.info(formatAttributeDiff(diff));
  const name = typeof result.data.name === "string" ? result.data.name : definition.name;
  const version = typeof result.data.version === "string" ? result.data.version : definition.version;
  return { ...definition, name, version, attributes: result.data };
}
