// Python 3's pprint.pformat(value) (width 80, indent 1, sort_dicts, not compact) for package data, which is
// what Rez's package.py writer calls for every value that is not a function, a block string or config.
// Only the types package data holds: None, booleans, numbers, strings, lists and str-keyed dicts.
import type { PackageValue } from "./definition.js";
import { isSourceCode } from "./attribute-schema.js";
import { pythonLiteral, pythonStringLiteral } from "./python-literal.js";

const WIDTH = 80;

type Plain = null | boolean | number | string | readonly Plain[] | { readonly [key: string]: Plain };

function isList(v: PackageValue | Plain): v is readonly PackageValue[] {
  return Array.isArray(v);
}

/** Length in code points, as Python's len() counts a str. */
function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Python sorts str keys by code point. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function sortedEntries(v: { readonly [key: string]: PackageValue }): [string, PackageValue][] {
  return Object.entries(v).sort(([a], [b]) => byCodePoint(a, b));
}

/** pprint's one-line repr (safe_repr): dicts with sorted keys. */
function oneLine(v: PackageValue, where: string): string {
  return pythonLiteral(v, where, sortedEntries);
}

/** Python's str.splitlines(keepends=True). */
function splitLinesKeep(s: string): string[] {
  const out: string[] = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let start = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

class Printer {
  out = "";

  format(v: PackageValue, indent: number, allowance: number, level: number, where: string): void {
    const rep = oneLine(v, where);
    if (pyLen(rep) > WIDTH - indent - allowance) {
      if (typeof v === "string") return this.str(v, indent, allowance, level + 1);
      if (isList(v)) return this.list(v, indent, allowance, level + 1, where);
      if (v !== null && typeof v === "object" && !isSourceCode(v)) return this.dict(v as { readonly [key: string]: PackageValue }, indent, allowance, level + 1, where);
    }
    this.out += rep;
  }

  private list(v: readonly PackageValue[], indent: number, allowance: number, level: number, where: string): void {
    this.out += "[";
    const inner = indent + 1;
    v.forEach((x, i) => {
      const last = i === v.length - 1;
      if (i > 0) this.out += ",\n" + " ".repeat(inner);
      this.format(x, inner, last ? allowance + 1 : 1, level, `${where}[${i}]`);
    });
    this.out += "]";
  }

  private dict(v: { readonly [key: string]: PackageValue }, indent: number, allowance: number, level: number, where: string): void {
    this.out += "{";
    const items = sortedEntries(v);
    const inner = indent + 1;
    items.forEach(([k, x], i) => {
      const last = i === items.length - 1;
      const key = pythonStringLiteral(k);
      this.out += key + ": ";
      this.format(x, inner + pyLen(key) + 2, last ? allowance + 1 : 1, level, `${where}.${k}`);
      if (!last) this.out += ",\n" + " ".repeat(inner);
    });
    this.out += "}";
  }

  private str(s: string, indent: number, allowance: number, level: number): void {
    if (s.length === 0) {
      this.out += pythonStringLiteral(s);
      return;
    }
    const chunks: string[] = [];
    const lines = splitLinesKeep(s);
    if (level === 1) {
      indent += 1;
      allowance += 1;
    }
    const maxWidth = WIDTH - indent;
    let maxWidth1 = maxWidth;
    let rep = "";
    lines.forEach((line, i) => {
      rep = pythonStringLiteral(line);
      const lastLine = i === lines.length - 1;
      if (lastLine) maxWidth1 -= allowance;
      if (pyLen(rep) <= maxWidth1) {
        chunks.push(rep);
        return;
      }
      // alternating runs of non-space then space (re.findall(r'\S*\s*') without the empty last match)
      const parts = line.match(/\S*\s*/gu)?.filter((p) => p !== "") ?? [line];
      let maxWidth2 = maxWidth;
      let current = "";
      parts.forEach((part, j) => {
        const candidate = current + part;
        if (j === parts.length - 1 && lastLine) maxWidth2 -= allowance;
        if (pyLen(pythonStringLiteral(candidate)) > maxWidth2) {
          if (current) chunks.push(pythonStringLiteral(current));
          current = part;
        } else current = candidate;
      });
      if (current) chunks.push(pythonStringLiteral(current));
    });
    if (chunks.length === 1) {
      this.out += rep;
      return;
    }
    if (level === 1) this.out += "(";
    this.out += chunks.join("\n" + " ".repeat(indent));
    if (level === 1) this.out += ")";
  }
}

/** `pprint.pformat(value)` as Python 3 prints it. Throws for what is not plain data (functions, non-finite numbers). */
export function pformat(value: PackageValue | Plain, where = "value"): string {
  const printer = new Printer();
  printer.format(value as PackageValue, 0, 0, 0, where);
  return printer.out;
}
