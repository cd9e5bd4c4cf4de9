// Text forms of a package definition for `pkg info` and `pkg view`: YAML (rez-view's default) and package.py.
import type { PackageDefinition, PackageValue, SourceCode } from "./definition.js";
import { rezYamlDocument } from "./rez-yaml.js";
import type { RezYamlValue } from "./rez-yaml.js";

// Rez's package_key_order: these first, then the rest in file order.
const KEY_ORDER = [
  "name", "version", "description", "authors", "tools", "has_plugins", "plugin_for", "requires", "build_requires",
  "private_build_requires", "variants", "commands", "pre_commands", "post_commands", "help", "config", "uuid",
  "timestamp", "release_message", "changelog", "vcs", "revision", "previous_version", "previous_revision",
];

type Plain = null | boolean | number | string | readonly Plain[] | { readonly [key: string]: Plain };

function isSource(value: PackageValue): value is SourceCode {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === "source" && typeof (value as { source?: unknown }).source === "string";
}

export interface DefinitionTextOptions {
  /** Attributes to leave out. */
  readonly skip?: readonly string[];
}

function orderedAttributes(definition: PackageDefinition, options: DefinitionTextOptions = {}): [string, PackageValue][] {
  const attributes: Record<string, PackageValue> = { ...definition.attributes, name: definition.name };
  for (const key of options.skip ?? []) delete attributes[key];
  if (definition.version) attributes.version = definition.version;
  const keys = Object.keys(attributes);
  const known = KEY_ORDER.filter((k) => k in attributes);
  return [...known, ...keys.filter((k) => !KEY_ORDER.includes(k))].map((k) => [k, attributes[k]]);
}

/** SourceCode becomes its text. */
function plain(value: PackageValue): Plain {
  if (isSource(value)) return value.source;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v as PackageValue)]));
  return value as Plain;
}

const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;
const PLAIN_SAFE = /^[A-Za-z0-9_/$({][^:#\n"'`]*$/;
// Plain scalars a YAML reader would not read back as a string: numbers, YAML 1.1 dates.
const NOT_A_STRING = /^(?:[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0[xo][0-9a-fA-F]+|\d{4}-\d\d?-\d\d?.*)$/;

function yamlString(text: string, indent: string): string {
  if (text.includes("\n") && !/^\s/.test(text) && !/[ \t]\n|[ \t]$/.test(text)) {
    const body = text.replace(/\n+$/, "");
    const chomp = text.endsWith("\n") ? (text.endsWith("\n\n") ? "+" : "") : "-";
    return `|${chomp}\n${body.split("\n").map((line) => (line ? `${indent}  ${line}` : "")).join("\n")}`;
  }
  if (PLAIN_SAFE.test(text) && !YAML_WORDS.test(text) && !/\s$/.test(text) && !NOT_A_STRING.test(text) && !text.includes(" -")) return text;
  return JSON.stringify(text);
}

function yamlScalar(value: Exclude<Plain, readonly Plain[] | { readonly [key: string]: Plain }>, indent: string): string {
  if (value === null) return "null";
  if (typeof value === "string") return yamlString(value, indent);
  return String(value);
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) && !YAML_WORDS.test(key) ? key : JSON.stringify(key);
}

/** `key: value` lines (value on the same line when scalar or empty). */
function yamlEntry(prefix: string, value: Plain, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${prefix} []`;
    return `${prefix}\n${yamlList(value as readonly Plain[], indent)}`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return `${prefix} {}`;
    return `${prefix}\n${entries.map(([k, v]) => yamlEntry(`${indent}  ${yamlKey(k)}:`, v, `${indent}  `)).join("\n")}`;
  }
  return `${prefix} ${yamlScalar(value as string | number | boolean | null, indent)}`;
}

function yamlList(items: readonly Plain[], indent: string): string {
  return items
    .map((item) => {
      if (Array.isArray(item)) {
        if (item.length === 0) return `${indent}  - []`;
        // nested list: first item on the dash line
        const inner = yamlList(item as readonly Plain[], `${indent}  `).split("\n");
        return [`${indent}  - ${inner[0].trimStart()}`, ...inner.slice(1)].join("\n");
      }
      if (item !== null && typeof item === "object") {
        const entries = Object.entries(item);
        if (entries.length === 0) return `${indent}  - {}`;
        const lines = entries.map(([k, v]) => yamlEntry(`${indent}    ${yamlKey(k)}:`, v, `${indent}    `)).join("\n");
        return `${indent}  - ${lines.trimStart()}`;
      }
      return `${indent}  - ${yamlScalar(item as string | number | boolean | null, `${indent}  `)}`;
    })
    .join("\n");
}

export function definitionAsYaml(definition: PackageDefinition, options: DefinitionTextOptions = {}): string {
  const data: [string, Plain][] = orderedAttributes(definition, options).map(([k, v]) => [k, plain(v)]);
  if (definition.pkgrs) {
    const { envs, apps, tags } = definition.pkgrs;
    const has = (key: string) => data.some(([k]) => k === key);
    if (envs.length > 0 && !has("envs")) data.push(["envs", envs as unknown as Plain]);
    if (apps.length > 0 && !has("apps")) data.push(["apps", apps as unknown as Plain]);
    if (tags.length > 0 && !has("tags")) data.push(["tags", tags]);
  }
  return `${data.map(([k, v]) => yamlEntry(`${yamlKey(k)}:`, v, "")).join("\n")}\n`;
}

function pyLiteral(value: PackageValue, indent = ""): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (isSource(value)) return JSON.stringify(value.source);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v: PackageValue) => pyLiteral(v, inner));
    return items.length === 1 && !items[0].includes("\n") ? `[${items[0]}]` : `[\n${items.map((i) => `${inner}${i}`).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, PackageValue>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyLiteral(v, inner)}`).join(",\n")}\n${indent}}`;
}

export function definitionAsPython(definition: PackageDefinition, options: DefinitionTextOptions = {}): string {
  const blocks = orderedAttributes(definition, options).map(([key, value]) => (isSource(value) ? value.source.trimEnd() : `${key} = ${pyLiteral(value)}`));
  return `# -*- coding: utf-8 -*-\n\n${blocks.join("\n\n")}\n`;
}

/** Rez's SourceCode text of a function: its body, dedented (the `def` line left out). */
function functionBody(source: string): string {
  const lines = source.replace(/\s+$/, "").split("\n");
  const def = lines.findIndex((line) => /^\s*def\s+\w+\s*\(/.test(line));
  const body = def >= 0 && /:\s*(#.*)?$/.test(lines[def]!) ? lines.slice(def + 1) : lines;
  const indents = body.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return body.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join("\n");
}

function rezValue(key: string, value: PackageValue): RezYamlValue {
  if (isSource(value)) {
    const body = functionBody(value.source);
    // Rez comments out the OLD COMMAND annotations of converted commands when it writes them
    return ["commands", "pre_commands", "post_commands"].includes(key) ? body.replace(/^comment\('OLD COMMAND:/gm, "# $&") : body;
  }
  if (Array.isArray(value)) return value.map((v: PackageValue) => rezValue("", v));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rezValue("", v as PackageValue)]));
  return value as RezYamlValue;
}

/**
 * rez-view's YAML (Rez's dump_package_data): the attributes in Rez's order, each dumped by PyYAML on its
 * own and separated by blank lines, then `base`, the package's folder (`format_version`, which Rez
 * does not print, left out).
 */
export function definitionAsRezYaml(definition: PackageDefinition, options: DefinitionTextOptions = {}): string {
  const entries: [string, RezYamlValue][] = orderedAttributes(definition, options)
    .filter(([k, v]) => v !== null && k !== "base" && k !== "format_version")
    .map(([k, v]) => [k, rezValue(k, v)]);
  if (!(options.skip ?? []).includes("base") && definition.file) entries.push(["base", definition.file.slice(0, Math.max(definition.file.lastIndexOf("/"), 0))]);
  return rezYamlDocument(entries);
}
