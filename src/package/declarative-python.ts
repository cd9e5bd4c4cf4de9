// A reader for the declarative subset of Python used by most package.py files: top-level
// `name = <literal>` assignments, docstrings, comments, and `def` blocks kept as source text.
// Anything else answers "needs python" and the file goes to the Python worker.

import type { PackageValue, SourceCode } from "./definition.js";

/** Bump when the reader's output changes (part of the on-disk cache key). */
export const DECLARATIVE_READER_VERSION = "1";

export type DeclarativeReadResult =
  | { readonly kind: "ok"; readonly attributes: { [key: string]: PackageValue }; readonly lines: { [key: string]: number } }
  | { readonly kind: "needs-python"; readonly reason: string; readonly line: number };

/** Functions whose body is a Rex block (kept as source, run later). */
export const REX_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  "commands",
  "pre_commands",
  "post_commands",
  "pre_build_commands",
  "pre_test_commands",
]);

/** Globals Rez injects into package.py; assignments to them are not attributes. */
const REZ_INJECTED_NAMES: ReadonlySet<string> = new Set(["scope", "early", "late", "include", "ModifyList", "InvalidPackageError"]);

const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);

class NeedsPython extends Error {
  constructor(
    readonly reason: string,
    readonly pos: number,
  ) {
    super(reason);
  }
}

const CH_NL = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_TAB = 9;
const CH_FF = 12;
const CH_HASH = 35;
const CH_BACKSLASH = 92;
const CH_SQUOTE = 39;
const CH_DQUOTE = 34;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function setKey(obj: { [key: string]: PackageValue }, key: string, value: PackageValue): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

class Reader {
  pos = 0;
  readonly len: number;
  constructor(
    readonly src: string,
    readonly file: string,
  ) {
    this.len = src.length;
  }

  fail(reason: string, pos = this.pos): never {
    throw new NeedsPython(reason, pos);
  }

  /** Skips spaces, tabs and backslash-continuations on the current logical line. */
  skipInline(): void {
    const s = this.src;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === CH_SPACE || c === CH_TAB || c === CH_FF) this.pos++;
      else if (c === CH_BACKSLASH && s.charCodeAt(this.pos + 1) === CH_NL) this.pos += 2;
      else return;
    }
  }

  /** Inside brackets: newlines and comments are whitespace too. */
  skipAll(): void {
    const s = this.src;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === CH_SPACE || c === CH_TAB || c === CH_NL || c === CH_FF) this.pos++;
      else if (c === CH_HASH) {
        const nl = s.indexOf("\n", this.pos);
        this.pos = nl < 0 ? this.len : nl;
      } else if (c === CH_BACKSLASH && s.charCodeAt(this.pos + 1) === CH_NL) this.pos += 2;
      else return;
    }
  }

  /** After a statement: optional comment, then newline or end of file. */
  endOfStatement(): void {
    this.skipInline();
    const s = this.src;
    let c = s.charCodeAt(this.pos);
    if (c === CH_HASH) {
      const nl = s.indexOf("\n", this.pos);
      this.pos = nl < 0 ? this.len : nl;
      c = s.charCodeAt(this.pos);
    }
    if (this.pos >= this.len) return;
    if (c === CH_NL) {
      this.pos++;
      return;
    }
    this.fail("expression beyond a literal");
  }

  ident(): string {
    const s = this.src;
    const start = this.pos;
    while (this.pos < this.len && isIdentChar(s.charCodeAt(this.pos))) this.pos++;
    return s.slice(start, this.pos);
  }

  lineOf(pos: number): number {
    let line = 1;
    const s = this.src;
    let i = s.indexOf("\n");
    while (i >= 0 && i < pos) {
      line++;
      i = s.indexOf("\n", i + 1);
    }
    return line;
  }

  /** Parses one expression; a top-level bare tuple (`a, b`) when `allowTuple`. */
  value(inBrackets: boolean): PackageValue {
    const s = this.src;
    const c = s.charCodeAt(this.pos);
    let v: PackageValue;
    if (c === CH_SQUOTE || c === CH_DQUOTE) v = this.strings(inBrackets);
    else if (c === 91 /* [ */) v = this.sequence(93);
    else if (c === 40 /* ( */) v = this.parenthesised();
    else if (c === 123 /* { */) v = this.dict();
    else if (isDigit(c) || c === 46 /* . */) v = this.number(1);
    else if (c === 45 /* - */ || c === 43 /* + */) {
      this.pos++;
      inBrackets ? this.skipAll() : this.skipInline();
      const d = s.charCodeAt(this.pos);
      if (!isDigit(d) && d !== 46) this.fail("unary operator on a non-number");
      v = this.number(c === 45 ? -1 : 1);
    } else if (isIdentStart(c)) {
      const start = this.pos;
      const word = this.ident();
      const q = s.charCodeAt(this.pos);
      if ((q === CH_SQUOTE || q === CH_DQUOTE) && word.length <= 2) {
        this.pos = start;
        v = this.strings(inBrackets);
      } else if (word === "True") v = true;
      else if (word === "False") v = false;
      else if (word === "None") v = null;
      else this.fail(`name '${word}' in an expression`, start);
    } else this.fail("not a literal");
    return v;
  }

  /** One or more adjacent string literals (implicit concatenation). */
  strings(inBrackets: boolean): string {
    let out = this.stringLiteral();
    for (;;) {
      const save = this.pos;
      inBrackets ? this.skipAll() : this.skipInline();
      const c = this.src.charCodeAt(this.pos);
      if (c === CH_SQUOTE || c === CH_DQUOTE || ((c === 114 || c === 82 || c === 117 || c === 85 || c === 98 || c === 66 || c === 102 || c === 70) && this.looksLikeStringPrefix())) {
        out += this.stringLiteral();
      } else {
        this.pos = save;
        return out;
      }
    }
  }

  looksLikeStringPrefix(): boolean {
    const s = this.src;
    let p = this.pos;
    while (p < this.len && p - this.pos < 3 && isIdentStart(s.charCodeAt(p))) p++;
    const q = s.charCodeAt(p);
    return p - this.pos <= 2 && (q === CH_SQUOTE || q === CH_DQUOTE);
  }

  stringLiteral(): string {
    const s = this.src;
    let raw = false;
    const start = this.pos;
    while (isIdentStart(s.charCodeAt(this.pos))) {
      const p = s.charCodeAt(this.pos) | 32;
      if (p === 114 /* r */) raw = true;
      else if (p === 117 /* u */) {
        /* unicode prefix: no effect */
      } else if (p === 98 /* b */) this.fail("bytes literal", start);
      else if (p === 102 /* f */) this.fail("f-string", start);
      else this.fail("unknown string prefix", start);
      this.pos++;
    }
    const q = s.charCodeAt(this.pos);
    const triple = s.charCodeAt(this.pos + 1) === q && s.charCodeAt(this.pos + 2) === q;
    this.pos += triple ? 3 : 1;
    let out = "";
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= this.len) this.fail("unterminated string", start);
      const c = s.charCodeAt(this.pos);
      if (c === q) {
        if (!triple) {
          out += s.slice(chunk, this.pos);
          this.pos++;
          return out;
        }
        if (s.charCodeAt(this.pos + 1) === q && s.charCodeAt(this.pos + 2) === q) {
          out += s.slice(chunk, this.pos);
          this.pos += 3;
          return out;
        }
        this.pos++;
      } else if (c === CH_BACKSLASH) {
        if (raw) {
          // A raw string keeps the backslash; it still stops the next quote from ending the string.
          this.pos += 2;
          continue;
        }
        out += s.slice(chunk, this.pos);
        this.pos = this.escape();
        out += this.lastEscape;
        chunk = this.pos;
      } else if (c === CH_NL && !triple) {
        this.fail("newline in a string", start);
      } else this.pos++;
    }
  }

  lastEscape = "";

  /** Decodes the escape at this.pos (a backslash); returns the position after it. */
  escape(): number {
    const s = this.src;
    const p = this.pos + 1;
    const c = s.charCodeAt(p);
    switch (c) {
      case CH_NL:
        this.lastEscape = "";
        return p + 1;
      case CH_BACKSLASH:
        this.lastEscape = "\\";
        return p + 1;
      case CH_SQUOTE:
        this.lastEscape = "'";
        return p + 1;
      case CH_DQUOTE:
        this.lastEscape = '"';
        return p + 1;
      case 110:
        this.lastEscape = "\n";
        return p + 1;
      case 116:
        this.lastEscape = "\t";
        return p + 1;
      case 114:
        this.lastEscape = "\r";
        return p + 1;
      case 97:
        this.lastEscape = "\x07";
        return p + 1;
      case 98:
        this.lastEscape = "\b";
        return p + 1;
      case 102:
        this.lastEscape = "\f";
        return p + 1;
      case 118:
        this.lastEscape = "\v";
        return p + 1;
      case 120 /* x */:
        return this.hexEscape(p + 1, 2);
      case 117 /* u */:
        return this.hexEscape(p + 1, 4);
      case 85 /* U */:
        return this.hexEscape(p + 1, 8);
      case 78 /* N */:
        this.fail("named unicode escape");
        break;
      default:
        if (c >= 48 && c <= 55) {
          let end = p;
          while (end < p + 3 && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 55) end++;
          this.lastEscape = String.fromCodePoint(parseInt(s.slice(p, end), 8));
          return end;
        }
    }
    // Unknown escapes keep their backslash.
    this.lastEscape = "\\";
    return p;
  }

  hexEscape(from: number, digits: number): number {
    const text = this.src.slice(from, from + digits);
    if (text.length !== digits || !/^[0-9a-fA-F]+$/.test(text)) this.fail("bad escape");
    const code = parseInt(text, 16);
    if (code > 0x10ffff) this.fail("bad escape");
    this.lastEscape = String.fromCodePoint(code);
    return from + digits;
  }

  number(sign: number): number {
    const s = this.src;
    const start = this.pos;
    const c0 = s.charCodeAt(this.pos);
    const c1 = s.charCodeAt(this.pos + 1) | 32;
    if (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      this.pos += 2;
      const digitsStart = this.pos;
      while (this.pos < this.len && isIdentChar(s.charCodeAt(this.pos))) this.pos++;
      const digits = s.slice(digitsStart, this.pos).replace(/_/g, "");
      const radix = c1 === 120 ? 16 : c1 === 111 ? 8 : 2;
      const re = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[01]+$/;
      if (!re.test(digits)) this.fail("bad number", start);
      return this.exactInt(sign * parseInt(digits, radix), start);
    }
    let isFloat = false;
    while (this.pos < this.len) {
      const c = s.charCodeAt(this.pos);
      if (isDigit(c) || c === 95) this.pos++;
      else if (c === 46) {
        isFloat = true;
        this.pos++;
      } else if (c === 101 || c === 69) {
        isFloat = true;
        this.pos++;
        const d = s.charCodeAt(this.pos);
        if (d === 43 || d === 45) this.pos++;
      } else break;
    }
    if (this.pos < this.len && isIdentChar(s.charCodeAt(this.pos))) this.fail("bad number", start);
    const text = s.slice(start, this.pos);
    if (text.includes("_")) {
      if (/__|_$|^_|_\.|\._|_[eE]|[eE][+-]?_/.test(text)) this.fail("bad number", start);
    }
    const clean = text.replace(/_/g, "");
    if (isFloat) {
      if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean)) this.fail("bad number", start);
      const v = sign * Number(clean);
      if (!Number.isFinite(v)) this.fail("float overflow", start);
      // JSON has no separate float type; 1.0 reads back as 1, as the worker's JSON does.
      return v;
    }
    if (clean.length > 1 && clean.charCodeAt(0) === 48 && !/^0+$/.test(clean)) this.fail("leading zero", start);
    return this.exactInt(sign * Number(clean), start);
  }

  exactInt(v: number, start: number): number {
    if (!Number.isSafeInteger(v)) this.fail("integer beyond 2**53", start);
    return v;
  }

  sequence(close: number): PackageValue[] {
    this.pos++;
    const out: PackageValue[] = [];
    const s = this.src;
    for (;;) {
      this.skipAll();
      const c = s.charCodeAt(this.pos);
      if (c === close) {
        this.pos++;
        return out;
      }
      out.push(this.value(true));
      this.skipAll();
      const d = s.charCodeAt(this.pos);
      if (d === 44 /* , */) this.pos++;
      else if (d === close) {
        this.pos++;
        return out;
      } else this.fail(d === 102 ? "comprehension" : "expression in a list");
    }
  }

  parenthesised(): PackageValue {
    const open = this.pos;
    this.pos++;
    this.skipAll();
    const s = this.src;
    if (s.charCodeAt(this.pos) === 41) {
      this.pos++;
      return [];
    }
    const first = this.value(true);
    this.skipAll();
    const c = s.charCodeAt(this.pos);
    if (c === 41) {
      this.pos++;
      return first;
    }
    if (c !== 44) this.fail("expression in parentheses");
    this.pos = open;
    return this.sequence(41);
  }

  dict(): { [key: string]: PackageValue } {
    this.pos++;
    const out: { [key: string]: PackageValue } = {};
    const s = this.src;
    for (;;) {
      this.skipAll();
      if (s.charCodeAt(this.pos) === 125) {
        this.pos++;
        return out;
      }
      const keyPos = this.pos;
      const key = this.value(true);
      if (typeof key !== "string") this.fail("set, or dict with a non-string key", keyPos);
      this.skipAll();
      if (s.charCodeAt(this.pos) !== 58 /* : */) this.fail("set literal");
      this.pos++;
      this.skipAll();
      setKey(out, key, this.value(true));
      this.skipAll();
      const d = s.charCodeAt(this.pos);
      if (d === 44) this.pos++;
      else if (d === 125) {
        this.pos++;
        return out;
      } else this.fail("expression in a dict");
    }
  }

  /** Position just after the end of the indented block that follows the `def` header at this.pos. */
  functionEnd(): number {
    const s = this.src;
    // Header: up to the ':' at bracket depth 0.
    let depth = 0;
    for (;;) {
      if (this.pos >= this.len) this.fail("unterminated def");
      const c = s.charCodeAt(this.pos);
      if (c === CH_SQUOTE || c === CH_DQUOTE) {
        this.skipStringRaw();
        continue;
      }
      if (c === CH_HASH) {
        const nl = s.indexOf("\n", this.pos);
        this.pos = nl < 0 ? this.len : nl;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) depth--;
      else if (c === 58 && depth === 0) {
        this.pos++;
        break;
      }
      this.pos++;
    }
    // Body: lines until the first code line at column 0; ends after the last code character.
    let lastCode = -1;
    depth = 0;
    let lineStart = false;
    while (this.pos < this.len) {
      const c = s.charCodeAt(this.pos);
      if (lineStart && depth === 0) {
        lineStart = false;
        if (c !== CH_SPACE && c !== CH_TAB && c !== CH_NL && c !== CH_HASH && c !== CH_FF) break;
      }
      if (c === CH_NL) {
        this.pos++;
        lineStart = true;
      } else if (c === CH_SPACE || c === CH_TAB || c === CH_FF) this.pos++;
      else if (c === CH_HASH) {
        const nl = s.indexOf("\n", this.pos);
        this.pos = nl < 0 ? this.len : nl;
      } else if (c === CH_SQUOTE || c === CH_DQUOTE) {
        this.skipStringRaw();
        lastCode = this.pos;
      } else if (c === CH_BACKSLASH) {
        this.pos += 2;
        lastCode = this.pos;
      } else {
        if (c === 40 || c === 91 || c === 123) depth++;
        else if (c === 41 || c === 93 || c === 125) depth--;
        this.pos++;
        lastCode = this.pos;
      }
    }
    if (lastCode < 0) this.fail("empty def");
    return lastCode;
  }

  /** Skips a string literal (no decoding), quote at this.pos. */
  skipStringRaw(): void {
    const s = this.src;
    const q = s.charCodeAt(this.pos);
    const triple = s.charCodeAt(this.pos + 1) === q && s.charCodeAt(this.pos + 2) === q;
    const start = this.pos;
    this.pos += triple ? 3 : 1;
    for (;;) {
      if (this.pos >= this.len) this.fail("unterminated string", start);
      const c = s.charCodeAt(this.pos);
      if (c === CH_BACKSLASH) this.pos += 2;
      else if (c === q) {
        if (!triple) {
          this.pos++;
          return;
        }
        if (s.charCodeAt(this.pos + 1) === q && s.charCodeAt(this.pos + 2) === q) {
          this.pos += 3;
          return;
        }
        this.pos++;
      } else if (c === CH_NL && !triple) this.fail("newline in a string", start);
      else this.pos++;
    }
  }

  /** A decorator line: `@late()` or `@include("a", ...)`; returns its name. */
  decorator(): "late" | "include" {
    this.pos++;
    this.skipInline();
    const at = this.pos;
    const name = this.ident();
    this.skipInline();
    const s = this.src;
    if (name === "late") {
      if (s.charCodeAt(this.pos) !== 40) this.fail("@late without ()", at);
      this.pos++;
      this.skipAll();
      if (s.charCodeAt(this.pos) !== 41) this.fail("@late with arguments", at);
      this.pos++;
    } else if (name === "include") {
      if (s.charCodeAt(this.pos) !== 40) this.fail("@include without ()", at);
      const args = this.sequence(41);
      if (args.some((a) => typeof a !== "string")) this.fail("@include with a non-string", at);
    } else if (name === "early") this.fail("@early function", at);
    else this.fail(`decorator @${name}`, at);
    this.endOfStatement();
    return name;
  }

  read(): DeclarativeReadResult {
    const s = this.src;
    const attributes: { [key: string]: PackageValue } = {};
    const lines: { [key: string]: number } = {};
    let line = 1;
    let lineCountedTo = 0;
    const lineAt = (pos: number): number => {
      for (let i = s.indexOf("\n", lineCountedTo); i >= 0 && i < pos; i = s.indexOf("\n", i + 1)) {
        line++;
        lineCountedTo = i + 1;
      }
      return line;
    };
    while (this.pos < this.len) {
      const c = s.charCodeAt(this.pos);
      if (c === CH_NL) {
        this.pos++;
        continue;
      }
      if (c === CH_SPACE || c === CH_TAB || c === CH_FF) {
        this.skipInline();
        const d = s.charCodeAt(this.pos);
        if (d === CH_NL || d === CH_HASH || this.pos >= this.len) continue;
        this.fail("indented statement");
      }
      if (c === CH_HASH) {
        const nl = s.indexOf("\n", this.pos);
        this.pos = nl < 0 ? this.len : nl;
        continue;
      }
      const stmt = this.pos;
      if (c === 64 /* @ */) {
        let late = false;
        while (s.charCodeAt(this.pos) === 64) {
          if (this.decorator() === "late") late = true;
          this.skipAll();
        }
        if (!s.startsWith("def ", this.pos)) this.fail("decorator without def");
        this.captureDef(stmt, late, attributes, lines, lineAt);
        continue;
      }
      if (c === CH_SQUOTE || c === CH_DQUOTE) {
        // A docstring or bare string statement: evaluated and discarded.
        this.strings(false);
        this.endOfStatement();
        continue;
      }
      if (!isIdentStart(c)) this.fail("not an assignment");
      const name = this.ident();
      if (name === "def" && (s.charCodeAt(this.pos) === CH_SPACE || s.charCodeAt(this.pos) === CH_TAB)) {
        this.captureDef(stmt, false, attributes, lines, lineAt);
        continue;
      }
      const q = s.charCodeAt(this.pos);
      if ((q === CH_SQUOTE || q === CH_DQUOTE) && name.length <= 2) {
        this.pos = stmt;
        this.strings(false);
        this.endOfStatement();
        continue;
      }
      this.skipInline();
      if (s.charCodeAt(this.pos) !== 61 /* = */ || s.charCodeAt(this.pos + 1) === 61 || PYTHON_KEYWORDS.has(name)) this.fail(`statement '${name}'`, stmt);
      this.pos++;
      this.skipInline();
      let value = this.value(false);
      this.skipInline();
      if (s.charCodeAt(this.pos) === 44) {
        // Bare tuple: `x = 1, 2`.
        const items: PackageValue[] = [value];
        while (s.charCodeAt(this.pos) === 44) {
          this.pos++;
          this.skipInline();
          const d = s.charCodeAt(this.pos);
          if (d === CH_NL || d === CH_HASH || this.pos >= this.len) break;
          items.push(this.value(false));
          this.skipInline();
        }
        value = items;
      }
      this.endOfStatement();
      if (name.startsWith("__") || REZ_INJECTED_NAMES.has(name)) continue;
      setKey(attributes, name, value);
      if (!(name in lines)) lines[name] = lineAt(stmt);
    }
    return { kind: "ok", attributes, lines };
  }

  captureDef(
    start: number,
    late: boolean,
    attributes: { [key: string]: PackageValue },
    lines: { [key: string]: number },
    lineAt: (pos: number) => number,
  ): void {
    const s = this.src;
    if (s.startsWith("def ", this.pos)) this.pos += 4;
    this.skipInline();
    const name = this.ident();
    if (!name) this.fail("def without a name");
    if (name === "get_package") this.fail("pkg-rs get_package()", start);
    const end = this.functionEnd();
    // Python's dedent also empties whitespace-only lines.
    let source = s.slice(start, end);
    if (/^[ \t]+$/m.test(source)) source = source.replace(/^[ \t]+$/gm, "");
    if (!late && !REX_FUNCTION_NAMES.has(name) && name !== "preprocess") {
      // Helper functions are dropped, as Rez does; a later assignment of the same name still wins.
      delete attributes[name];
      return;
    }
    if (name.startsWith("__")) return;
    const line = lineAt(start);
    const code: SourceCode = { kind: "source", source, late, file: this.file, line };
    setKey(attributes, name, code);
    if (!(name in lines)) lines[name] = line;
  }
}

/**
 * Reads a package.py that is pure data. Returns the attributes (module globals as Rez would keep them)
 * with the line of each, or "needs-python" with the reason and line of the first construct it can't read.
 */
export function readDeclarativePython(text: string, file: string): DeclarativeReadResult {
  let src = text;
  if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
  if (src.includes("\r")) src = src.replace(/\r\n?/g, "\n");
  const reader = new Reader(src, file);
  try {
    return reader.read();
  } catch (e) {
    if (e instanceof NeedsPython) return { kind: "needs-python", reason: e.reason, line: reader.lineOf(e.pos) };
    throw e;
  }
}
