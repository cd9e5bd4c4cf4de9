// rez-search's --format: Rez's field abbreviations, then Python str.format over a package or variant with
// Rez's "pretty" conversion (None is empty, lists are space-joined) and unknown fields left as written.

/** An object with a text form and attributes (a version, a requirement). */
export class FormatObject {
  constructor(
    readonly text: string,
    readonly attributes: Readonly<Record<string, FormatValue>> = {},
  ) {}
}

export type FormatValue = string | number | boolean | null | FormatObject | readonly FormatValue[] | { readonly [key: string]: FormatValue };

/** Looks a top-level field up; undefined when the resource has no such attribute. */
export type FieldLookup = (name: string) => FormatValue | undefined;

/** The fields rez-search lists in its help, which abbreviations expand to. */
export const SEARCH_FORMAT_FIELDS: readonly string[] = [
  "pre_commands", "tools", "uuid", "build_requires", "version", "timestamp", "release_message",
  "private_build_requires", "revision", "description", "base", "authors", "variants", "commands", "name",
  "changelog", "post_commands", "requires", "root", "index", "uri", "num_variants", "qualified_name",
];

/** `{d}` becomes `{description}` when exactly one field starts with `d` (Rez's expand_abbreviations). */
export function expandAbbreviations(text: string, fields: readonly string[] = SEARCH_FORMAT_FIELDS): string {
  return text.replace(/\{(.+?)\}/g, (_whole, name: string) => {
    if (fields.includes(name)) return `{${name}}`;
    const matches = fields.filter((f) => f.startsWith(name));
    return `{${matches.length === 1 ? matches[0] : name}}`;
  });
}

function isObjectMap(value: FormatValue): value is { readonly [key: string]: FormatValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof FormatObject);
}

/** Python's repr of a value inside a list or dict. */
function repr(value: FormatValue): string {
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
  if (value instanceof FormatObject) return value.text;
  return str(value);
}

/** Python's str. */
export function str(value: FormatValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return String(value);
  if (value instanceof FormatObject) return value.text;
  if (Array.isArray(value)) return `[${value.map(repr).join(", ")}]`;
  return `{${Object.entries(value as { readonly [key: string]: FormatValue }).map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(", ")}}`;
}

/** Rez's pretty conversion: None is empty and a list is its items' str joined by spaces. */
function pretty(value: FormatValue): FormatValue {
  if (value === null) return "";
  if (Array.isArray(value)) return value.map(str).join(" ");
  return value;
}

/** `.attr` and `[key]` after the first name, as Python's format field names read them. */
function resolveField(fieldName: string, lookup: FieldLookup): FormatValue | undefined {
  const first = /^[^.[]+/.exec(fieldName);
  if (!first) return undefined;
  let value = lookup(first[0]);
  let rest = fieldName.slice(first[0].length);
  while (value !== undefined && rest !== "") {
    const attr = /^\.([^.[]+)/.exec(rest);
    const item = attr ? null : /^\[([^\]]+)\]/.exec(rest);
    if (attr) {
      value = value instanceof FormatObject ? value.attributes[attr[1]] : undefined;
      rest = rest.slice(attr[0].length);
    } else if (item) {
      const key = item[1];
      if (Array.isArray(value)) value = /^\d+$/.test(key) ? (value as readonly FormatValue[])[Number(key)] : undefined;
      else if (isObjectMap(value)) value = Object.hasOwn(value, key) ? value[key] : undefined;
      else value = undefined;
      rest = rest.slice(item[0].length);
    } else return undefined;
  }
  return value;
}

/** The common part of Python's format spec: `[[fill]align][width][.precision]`; other specs are ignored. */
function applySpec(text: string, spec: string, numeric: boolean): string {
  const m = /^(?:(.)?([<>^]))?(0)?(\d+)?(?:\.(\d+))?[sd]?$/.exec(spec);
  if (!m) return text;
  const [, fill = " ", align = numeric ? ">" : "<", zero, widthText, precision] = m;
  let body = precision !== undefined && !numeric ? text.slice(0, Number(precision)) : text;
  const width = widthText ? Number(widthText) : 0;
  const padChar = zero && !m[2] ? "0" : fill;
  const pad = Math.max(width - [...body].length, 0);
  if (pad === 0) return body;
  if (align === "<") body = body + padChar.repeat(pad);
  else if (align === ">") body = padChar.repeat(pad) + body;
  else body = padChar.repeat(Math.floor(pad / 2)) + body + padChar.repeat(pad - Math.floor(pad / 2));
  return body;
}

/**
 * One line of output: Python's `format` with `{{`/`}}` escapes, `!r`/`!s` conversions and simple specs.
 * A field the resource has not got stays as written (`{foo}`), as Rez's "unchanged" expansion leaves it.
 */
export function formatLine(line: string, lookup: FieldLookup): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "{" && line[i + 1] === "{") {
      out += "{";
      i += 2;
    } else if (c === "}" && line[i + 1] === "}") {
      out += "}";
      i += 2;
    } else if (c === "{") {
      const end = line.indexOf("}", i + 1);
      if (end < 0) {
        out += line.slice(i);
        break;
      }
      const field = line.slice(i + 1, end);
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/.exec(field);
      const fieldName = m?.[1] ?? field;
      const found = fieldName === "" ? undefined : resolveField(fieldName, lookup);
      let value: FormatValue = found === undefined ? `{${fieldName}}` : pretty(found);
      if (m?.[2] === "r" || m?.[2] === "a") value = repr(value);
      out += applySpec(str(value), m?.[3] ?? "", typeof value === "number");
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * The lines of a --format text for one resource: abbreviations expanded, split at the two characters `\n`,
 * each line formatted; with suppressNewlines the newlines inside values are written as `\n`.
 */
export function formatResource(format: string, lookup: FieldLookup, suppressNewlines = false): string[] {
  return expandAbbreviations(format)
    .split("\\n")
    .map((line) => {
      const text = formatLine(line, lookup);
      return suppressNewlines ? text.replace(/\n/g, "\\n") : text;
    });
}
