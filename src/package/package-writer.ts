// PackageDefinition → Rez-format package.py text, in the key order and style Rez writes
// (reference rez-core §4.1 "Serialisation order").

import { dedentStrip, isSourceCode } from "./attribute-schema.js";
import type { PackageDefinition, PackageValue, SourceCode } from "./definition.js";
import { pformat } from "./pformat.js";
import { pythonLiteral, pythonStringLiteral } from "./python-literal.js";

export { pythonStringLiteral };

/** Rez's package_key_order; other keys follow in their own order. */
export const PACKAGE_KEY_ORDER: readonly string[] = [
  "name",
  "version",
  "description",
  "authors",
  "tools",
  "has_plugins",
  "plugin_for",
  "requires",
  "build_requires",
  "private_build_requires",
  "variants",
  "commands",
  "pre_commands",
  "post_commands",
  "help",
  "config",
  "uuid",
  "timestamp",
  "release_message",
  "changelog",
  "vcs",
  "revision",
  "previous_version",
  "previous_revision",
];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

export { pythonLiteral };

function indent(text: string, by = "    "): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

/** Rez's indent(): four spaces before every line, empty ones too. */
function indentAll(text: string): string {
  return text
    .split("\n")
    .map((l) => "    " + l)
    .join("\n");
}

function writeFunction(key: string, code: SourceCode): string {
  let source = code.source.replace(/\s+$/, "");
  const isDef = /^(@[^\n]*\n\s*)*def\s+[A-Za-z_]\w*\s*\(/.test(source);
  if (!isDef) {
    // A plain code block (package.yaml string commands): make it the body of a function.
    source = `def ${key}():\n` + (source.trim() === "" ? "    pass" : indent(dedentBlock(source)));
  } else {
    source = source.replace(/^((?:@[^\n]*\n\s*)*def\s+)([A-Za-z_]\w*)/, (_m, head: string) => head + key);
  }
  if (code.late && !/^@late\s*\(\s*\)/m.test(source.slice(0, source.search(/^def\s/m)))) source = "@late()\n" + source;
  return source;
}

function dedentBlock(text: string): string {
  const lines = text.split("\n");
  let margin: string | undefined;
  for (const l of lines) {
    if (l.trim() === "") continue;
    const m = /^[ \t]*/.exec(l)?.[0] ?? "";
    if (margin === undefined || m.length < margin.length) margin = m;
  }
  return margin ? lines.map((l) => (l.startsWith(margin) ? l.slice(margin.length) : l.trimStart())).join("\n") : text;
}

/**
 * Rez's block string (`as_block_string`): each line JSON-escaped (so quotes and backslashes read back),
 * in triple quotes. Only when the text reads back identically (Rez's loader dedents and strips it, and
 * Rez strips the end of each line); otherwise undefined.
 */
function blockString(text: string): string | undefined {
  if (text.length <= 40 || dedentStrip(text) !== text || text.split("\n").some((line) => line !== line.trimEnd())) return undefined;
  // json.dumps (ensure_ascii): non-ASCII as \uXXXX, by UTF-16 unit
  const lines = text.split("\n").map((line) => JSON.stringify(line).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  return '\\\n    """\n' + indent(lines.join("\n")) + '\n    """';
}

function writeAttribute(key: string, value: PackageValue): string {
  if (!IDENTIFIER.test(key) || PYTHON_KEYWORDS.has(key)) throw new Error(`cannot write attribute '${key}': not a Python identifier`);
  if (isSourceCode(value)) return writeFunction(key, value);
  if ((key === "description" || key === "changelog") && typeof value === "string") {
    const block = blockString(value);
    if (block) return `${key} = ${block}`;
  }
  if (key === "config" && typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as { readonly [k: string]: PackageValue });
    if (entries.length > 0 && entries.every(([k]) => IDENTIFIER.test(k) && !PYTHON_KEYWORDS.has(k))) {
      return "with scope('config') as config:\n" + entries.map(([k, v]) => `    config.${k} = ${pythonLiteral(v, `config.${k}`)}`).join("\n");
    }
  }
  if (Array.isArray(value) && value.length > 1) {
    // each entry pformat'd and indented, a comma after the last line of all but the last entry
    return `${key} = [\n` + (value as readonly PackageValue[]).map((x, i) => indentAll(pformat(x, `${key}[${i}]`))).join(",\n") + "\n]";
  }
  const text = pformat(value, key);
  return text.includes("\n") ? `${key} = \\\n${indentAll(text)}` : `${key} = ${text}`;
}

/**
 * The package.py text for a definition. `name` and `version` come from the definition's identity.
 * Throws when an attribute can't be written as Python (a non-identifier key, a non-finite number).
 * pkg-rs data (envs, apps) is not written: this is the Rez format.
 */
export function writePackagePy(definition: PackageDefinition): string {
  const data: { [key: string]: PackageValue } = { ...definition.attributes };
  data.name = definition.name;
  if (definition.version !== "") data.version = definition.version;
  else delete data.version;
  const keys = [...PACKAGE_KEY_ORDER.filter((k) => k in data), ...Object.keys(data).filter((k) => !PACKAGE_KEY_ORDER.includes(k))];
  const parts = keys.map((k) => writeAttribute(k, data[k]));
  return "# -*- coding: utf-8 -*-\n\n" + parts.join("\n\n") + "\n";
}
