// Python's repr() of a str and of plain package data, shared by the package.py writer and pformat.
import { isSourceCode } from "./attribute-schema.js";
import type { PackageValue } from "./definition.js";

/** Python's repr() of a str. */
export function pythonStringLiteral(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + quote;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += "\\x" + c.toString(16).padStart(2, "0");
    else if ((c >= 0xd800 && c <= 0xdfff) || c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + quote;
}

type Table = { readonly [key: string]: PackageValue };

/**
 * Python's repr() of plain package data, on one line; `entries` orders a dict's items (pformat sorts them,
 * the package.py writer keeps the file's order).
 */
export function pythonLiteral(v: PackageValue, where = "value", entries: (table: Table) => [string, PackageValue][] = Object.entries): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${where}: ${v} is not a finite number`);
    return String(v);
  }
  if (typeof v === "string") return pythonStringLiteral(v);
  if (Array.isArray(v)) return "[" + (v as readonly PackageValue[]).map((x, i) => pythonLiteral(x, `${where}[${i}]`, entries)).join(", ") + "]";
  if (isSourceCode(v)) throw new Error(`cannot write ${where}: a function can only be a top-level attribute`);
  return "{" + entries(v as Table).map(([k, x]) => `${pythonStringLiteral(k)}: ${pythonLiteral(x, `${where}.${k}`, entries)}`).join(", ") + "}";
}
