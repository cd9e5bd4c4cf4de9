// pkg-rs toolsets: `<location>/.toolsets/*.toml`, one TOML table per toolset (reference pkg-rs §6).

import { TomlError, parse } from "smol-toml";
import type { LoadWarning, PackageDefinition } from "./definition.js";

export interface ToolsetReadResult {
  readonly definitions: PackageDefinition[];
  readonly warnings: LoadWarning[];
}

const DEFAULT_TOOLSET_VERSION = "1.0.0";

function stringList(v: unknown): string[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return undefined;
  return v as string[];
}

/** Every toolset in one TOML file; a parse error skips the whole file with one warning. */
export function readToolsets(text: string, file: string, checkRequirement?: (text: string) => void): ToolsetReadResult {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const line = e instanceof TomlError ? e.line : undefined;
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return { definitions: [], warnings: [{ file, line, message: `invalid toolset file: ${message}` }] };
  }
  const definitions: PackageDefinition[] = [];
  const warnings: LoadWarning[] = [];
  for (const [name, table] of Object.entries(doc)) {
    if (typeof table !== "object" || table === null || Array.isArray(table) || table instanceof Date) continue;
    const t = table as Record<string, unknown>;
    const version = t.version === undefined ? DEFAULT_TOOLSET_VERSION : t.version;
    const requires = stringList(t.requires);
    const tags = stringList(t.tags);
    const problems: string[] = [];
    if (typeof version !== "string") problems.push("'version' must be a string");
    if (!requires) problems.push("'requires' must be a list of strings");
    if (!tags) problems.push("'tags' must be a list of strings");
    if (t.description !== undefined && typeof t.description !== "string") problems.push("'description' must be a string");
    for (const req of requires ?? []) {
      try {
        checkRequirement?.(req);
      } catch (e) {
        problems.push(`invalid requirement '${req}': ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (problems.length > 0 || typeof version !== "string" || !requires || !tags) {
      warnings.push({ file, message: `toolset '${name}' skipped: ${problems.join("; ")}` });
      continue;
    }
    const allTags = [...new Set([...tags, "toolset"])];
    const attributes: { [key: string]: string | string[] } = { requires };
    if (typeof t.description === "string") attributes.description = t.description;
    definitions.push({
      name,
      version,
      format: "toolset",
      file,
      attributes,
      pkgrs: { envs: [], apps: [], tags: allTags, icon: null },
    });
  }
  return { definitions, warnings };
}
