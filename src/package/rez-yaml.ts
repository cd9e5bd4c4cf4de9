// YAML as rez-view prints a package: each attribute dumped on its own by PyYAML's SafeDumper (block style,
// keys sorted, lists under a key not indented, width 80), the dumps separated by blank lines. The scalar
// rules are PyYAML's: a string is plain when a YAML 1.1 reader would read it back as that string, else
// single-quoted when it can be, else double-quoted; long scalars fold at spaces past column 80.

export type RezYamlValue = null | boolean | number | string | readonly RezYamlValue[] | { readonly [key: string]: RezYamlValue };

const BREAKS = "\n\x85\u2028\u2029";
const BREAK_OR_SPACE = `\0 \t\r${BREAKS}`;

// PyYAML's implicit resolvers (YAML 1.1): a plain scalar matching one is not read back as a string.
const IMPLICIT: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

interface Analysis {
  readonly empty: boolean;
  readonly multiline: boolean;
  readonly allowBlockPlain: boolean;
  readonly allowSingleQuoted: boolean;
}

/** PyYAML's analyze_scalar (allow_unicode off, as yaml.dump's default), block context only. */
function analyze(scalar: string): Analysis {
  if (scalar === "") return { empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (scalar.startsWith("---") || scalar.startsWith("...")) blockIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = scalar.length === 1 || BREAK_OR_SPACE.includes(scalar[1]!);
  let previousSpace = false;
  let previousBreak = false;
  const chars = [...scalar];
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index]!;
    if (index === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = true;
      if ("?:".includes(ch) && followedByWhitespace) blockIndicators = true;
      if (ch === "-" && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ":" && followedByWhitespace) blockIndicators = true;
      if (ch === "#" && precededByWhitespace) blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!(ch === "\n" || (ch >= "\x20" && ch <= "\x7E"))) special = true;
    if (ch === " ") {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = BREAK_OR_SPACE.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || BREAK_OR_SPACE.includes(chars[index + 2]!);
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0A": "n", "\x0B": "v", "\x0C": "f", "\x0D": "r", "\x1B": "e",
  '"': '"', "\\": "\\", "\x85": "N", "\xA0": "_", "\u2028": "L", "\u2029": "P",
};

/** The part of PyYAML's Emitter that writes block collections and scalars. */
class Emitter {
  private out = "";
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent: number | null = null;
  private readonly indents: (number | null)[] = [];
  private static readonly WIDTH = 80;

  text(): string {
    return this.out;
  }

  private write(data: string): void {
    this.out += data;
    this.column += data.length;
  }

  private indicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  private lineBreak(data = "\n"): void {
    this.out += data;
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(" ".repeat(indent - this.column));
    }
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? 2 : 0;
    else if (!indentless) this.indent += 2;
  }

  node(value: RezYamlValue, context: { mapping?: boolean; simpleKey?: boolean } = {}): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.emptyFlow("[", "]");
      this.increaseIndent(false, context.mapping === true && !this.indention);
      for (const item of value as readonly RezYamlValue[]) {
        this.writeIndent();
        this.indicator("-", true, false, true);
        this.node(item);
      }
      this.indent = this.indents.pop() ?? null;
      return;
    }
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value).sort();
      if (keys.length === 0) return this.emptyFlow("{", "}");
      this.increaseIndent(false);
      for (const key of keys) {
        this.writeIndent();
        this.node(key, { mapping: true, simpleKey: true });
        this.indicator(":", false);
        this.node((value as { readonly [key: string]: RezYamlValue })[key]!, { mapping: true });
      }
      this.indent = this.indents.pop() ?? null;
      return;
    }
    this.increaseIndent(true);
    this.scalar(value, context.simpleKey === true);
    this.indent = this.indents.pop() ?? null;
  }

  private emptyFlow(open: string, close: string): void {
    this.indicator(open, true, true);
    this.increaseIndent(true);
    this.indent = this.indents.pop() ?? null;
    this.indicator(close, false);
  }

  private scalar(value: null | boolean | number | string, simpleKey: boolean): void {
    if (value === null) return this.plain("null", !simpleKey);
    if (typeof value === "boolean") return this.plain(value ? "true" : "false", !simpleKey);
    if (typeof value === "number") return this.plain(pythonNumber(value), !simpleKey);
    const analysis = analyze(value);
    const implicit = !IMPLICIT.some((re) => re.test(value));
    if (implicit && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain) return this.plain(value, !simpleKey);
    if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) return this.singleQuoted(value, !simpleKey);
    return this.doubleQuoted(value, !simpleKey);
  }

  private plain(text: string, split: boolean): void {
    if (!text) return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end]! : undefined;
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > Emitter.WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(text.slice(start, end));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text[start] === "\n") this.lineBreak();
          for (const br of text.slice(start, end)) this.lineBreak(br === "\n" ? "\n" : br);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch)) {
        this.write(text.slice(start, end));
        start = end;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
  }

  private singleQuoted(text: string, split: boolean): void {
    this.indicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end]! : undefined;
      if (spaces) {
        if (ch === undefined || ch !== " ") {
          if (start + 1 === end && this.column > Emitter.WIDTH && split && start !== 0 && end !== text.length) this.writeIndent();
          else this.write(text.slice(start, end));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text[start] === "\n") this.lineBreak();
          for (const br of text.slice(start, end)) this.lineBreak(br === "\n" ? "\n" : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(text.slice(start, end));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
    this.indicator("'", false);
  }

  private doubleQuoted(text: string, split: boolean): void {
    this.indicator('"', true);
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end]! : undefined;
      if (ch === undefined || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !(ch >= "\x20" && ch <= "\x7E")) {
        if (start < end) {
          this.write(text.slice(start, end));
          start = end;
        }
        if (ch !== undefined) {
          const code = ch.charCodeAt(0);
          this.write(
            ch in ESCAPES ? `\\${ESCAPES[ch]}` : code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`,
          );
          start = end + 1;
        }
      }
      if (end > 0 && end < text.length - 1 && (ch === " " || start >= end) && this.column + (end - start) > Emitter.WIDTH && split) {
        const data = `${text.slice(start, end)}\\`;
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (text[start] === " ") this.write("\\");
      }
    }
    this.indicator('"', false);
  }
}

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, "0");

/** Python's repr of a number as PyYAML writes it (ints plain, floats with a point). */
function pythonNumber(value: number): string {
  if (Number.isInteger(value) && !Object.is(value, -0)) return String(value);
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  return String(value);
}

/** PyYAML's dump of `{key: value}` with Rez's options (block style), without the final newline. */
export function rezYamlEntry(key: string, value: RezYamlValue): string {
  const emitter = new Emitter();
  emitter.node({ [key]: value });
  return emitter.text();
}

/** rez-view's YAML: each attribute dumped on its own, a blank line between them. */
export function rezYamlDocument(entries: readonly (readonly [string, RezYamlValue])[]): string {
  return `${entries.map(([k, v]) => rezYamlEntry(k, v)).join("\n\n")}\n`;
}
