// PEP 508 requirements (`name[extras] (specifiers) ; marker`, and the older `name (spec)` form of metadata)
// and environment markers: parsed to a tree, evaluated for a given environment, written back.
import { PkgError } from "../errors/index.js";
import { parsePep440, specifierContains } from "./pep440.js";

export type MarkerValue = { readonly kind: "variable"; readonly name: string } | { readonly kind: "string"; readonly value: string };

export type Marker =
  | { readonly kind: "compare"; readonly left: MarkerValue; readonly op: string; readonly right: MarkerValue }
  | { readonly kind: "and" | "or"; readonly items: readonly Marker[] }
  | { readonly kind: "group"; readonly inner: Marker };

export interface SpecifierClause {
  readonly op: string;
  readonly version: string;
}

export interface PipRequirement {
  readonly name: string;
  readonly extras: readonly string[];
  readonly specifiers: readonly SpecifierClause[];
  readonly url?: string;
  readonly marker?: Marker;
}

/** Marker variable names: the PEP 345 dotted forms read as their PEP 508 names (as packaging does). */
const ALIASES: { readonly [name: string]: string } = {
  "os.name": "os_name",
  "sys.platform": "sys_platform",
  "platform.version": "platform_version",
  "platform.machine": "platform_machine",
  "platform.python_implementation": "platform_python_implementation",
  python_implementation: "platform_python_implementation",
};

const VARIABLES = new Set([
  "implementation_version",
  "platform_python_implementation",
  "implementation_name",
  "python_full_version",
  "platform_release",
  "platform_version",
  "platform_machine",
  "platform_system",
  "python_version",
  "sys_platform",
  "os_name",
  "extra",
]);

export type MarkerEnvironment = { readonly [name: string]: string };

function bad(message: string, text: string): PkgError {
  return new PkgError("PKG0046", `${message} in '${text}'`);
}

class MarkerParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Marker {
    const marker = this.or();
    this.space();
    if (this.pos < this.text.length) throw bad(`unexpected '${this.text.slice(this.pos)}' in a marker`, this.text);
    return marker;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private word(w: string): boolean {
    this.space();
    if (this.text.startsWith(w, this.pos) && !/[A-Za-z0-9_.]/.test(this.text[this.pos + w.length] ?? "")) {
      this.pos += w.length;
      return true;
    }
    return false;
  }

  private or(): Marker {
    const items = [this.and()];
    while (this.word("or")) items.push(this.and());
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }

  private and(): Marker {
    const items = [this.atom()];
    while (this.word("and")) items.push(this.atom());
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }

  private atom(): Marker {
    this.space();
    if (this.text[this.pos] === "(") {
      this.pos++;
      const inner = this.or();
      this.space();
      if (this.text[this.pos] !== ")") throw bad("a '(' without its ')'", this.text);
      this.pos++;
      return { kind: "group", inner };
    }
    const left = this.value();
    const op = this.op();
    const right = this.value();
    return { kind: "compare", left, op, right };
  }

  private op(): string {
    this.space();
    for (const op of ["===", "==", "!=", "<=", ">=", "~=", "<", ">"]) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    if (this.word("in")) return "in";
    if (this.word("not")) {
      if (this.word("in")) return "not in";
    }
    throw bad("a marker comparison without an operator", this.text);
  }

  private value(): MarkerValue {
    this.space();
    const quote = this.text[this.pos];
    if (quote === "'" || quote === '"') {
      const end = this.text.indexOf(quote, this.pos + 1);
      if (end < 0) throw bad("an unterminated string", this.text);
      const value = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { kind: "string", value };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.text.slice(this.pos));
    if (!m) throw bad("a marker value that is neither a variable nor a quoted string", this.text);
    const name = ALIASES[m[0]] ?? m[0];
    if (!VARIABLES.has(name)) throw bad(`an unknown marker variable '${m[0]}'`, this.text);
    this.pos += m[0].length;
    return { kind: "variable", name };
  }
}

export function parseMarker(text: string): Marker {
  return new MarkerParser(text).parse();
}

/** packaging's str(Marker): double-quoted strings, one space around operators, groups in parentheses. */
export function formatMarker(marker: Marker): string {
  const value = (v: MarkerValue): string => (v.kind === "variable" ? v.name : `"${v.value}"`);
  switch (marker.kind) {
    case "compare":
      return `${value(marker.left)} ${marker.op} ${value(marker.right)}`;
    case "group":
      return `(${formatMarker(marker.inner)})`;
    default:
      return marker.items.map(formatMarker).join(` ${marker.kind} `);
  }
}

function compare(left: string, op: string, right: string): boolean {
  if (op === "in") return right.includes(left);
  if (op === "not in") return !right.includes(left);
  const lv = parsePep440(left);
  const rightIsSpec = parsePep440(right.endsWith(".*") ? right.slice(0, -2) : right) !== undefined;
  if (lv && rightIsSpec) return specifierContains(op, right, lv);
  switch (op) {
    case "==":
    case "===":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    default:
      throw new PkgError("PKG0046", `the marker operator '${op}' cannot compare '${left}' and '${right}'`);
  }
}

/** The marker's value in `env` (`extra` compares normalised names, as PEP 685 says). */
export function evaluateMarker(marker: Marker, env: MarkerEnvironment): boolean {
  switch (marker.kind) {
    case "group":
      return evaluateMarker(marker.inner, env);
    case "and":
      return marker.items.every((m) => evaluateMarker(m, env));
    case "or":
      return marker.items.some((m) => evaluateMarker(m, env));
    default: {
      const isExtra = marker.left.kind === "variable" ? marker.left.name === "extra" : marker.right.kind === "variable" && marker.right.name === "extra";
      const read = (v: MarkerValue): string => {
        const raw = v.kind === "string" ? v.value : (env[v.name] ?? "");
        return isExtra ? canonicalName(raw) : raw;
      };
      return compare(read(marker.left), marker.op, read(marker.right));
    }
  }
}

/** Every variable the marker reads. */
export function markerVariables(marker: Marker): Set<string> {
  const out = new Set<string>();
  const walk = (m: Marker): void => {
    if (m.kind === "compare") {
      for (const v of [m.left, m.right]) if (v.kind === "variable") out.add(v.name);
    } else if (m.kind === "group") walk(m.inner);
    else m.items.forEach(walk);
  };
  walk(marker);
  return out;
}

/** PEP 503 normalised name: lower case, runs of `-`, `_`, `.` as one `-`. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
const CLAUSE = /^\s*(===|==|!=|<=|>=|~=|<|>)\s*([^\s,;)]+)\s*$/;

/** `name[extras] specifiers ; marker`, `name (specifiers) ; marker` or `name @ url ; marker`. */
export function parsePipRequirement(text: string): PipRequirement {
  const m = NAME.exec(text.trim());
  if (!m) throw bad("no distribution name", text);
  let rest = text.trim().slice(m[1]!.length);
  let extras: string[] = [];
  const ex = /^\s*\[([^\]]*)\]/.exec(rest);
  if (ex) {
    extras = ex[1]!.split(",").map((e) => e.trim()).filter((e) => e !== "");
    rest = rest.slice(ex[0].length);
  }
  let markerText: string | undefined;
  let url: string | undefined;
  const at = /^\s*@\s*(\S+)(?:\s+;(.*))?$/.exec(rest);
  if (at) {
    url = at[1];
    markerText = at[2];
    rest = "";
  } else {
    const semi = rest.indexOf(";");
    if (semi >= 0) {
      markerText = rest.slice(semi + 1);
      rest = rest.slice(0, semi);
    }
  }
  rest = rest.trim();
  if (rest.startsWith("(")) {
    if (!rest.endsWith(")")) throw bad("a '(' without its ')'", text);
    rest = rest.slice(1, -1);
  }
  const specifiers: SpecifierClause[] = [];
  if (rest.trim() !== "") {
    for (const part of rest.split(",")) {
      const c = CLAUSE.exec(part);
      if (!c) throw bad(`the version specifier '${part.trim()}' cannot be read`, text);
      specifiers.push({ op: c[1]!, version: c[2]! });
    }
  }
  const marker = markerText !== undefined && markerText.trim() !== "" ? parseMarker(markerText.trim()) : undefined;
  return { name: m[1]!, extras, specifiers, ...(url !== undefined ? { url } : {}), ...(marker ? { marker } : {}) };
}

/** The requirement as packaging writes it (`name[x]>=1,<2; marker`). */
export function formatPipRequirement(req: PipRequirement): string {
  let s = req.name;
  if (req.extras.length > 0) s += `[${[...req.extras].sort().join(",")}]`;
  if (req.url !== undefined) s += ` @ ${req.url}`;
  else s += req.specifiers.map((c) => `${c.op}${c.version}`).join(",");
  if (req.marker) s += `${req.url !== undefined ? " " : ""}; ${formatMarker(req.marker)}`;
  return s;
}

function isExtraClause(m: Marker): string | undefined {
  if (m.kind !== "compare") return undefined;
  if (m.left.kind === "variable" && m.left.name === "extra" && m.right.kind === "string") return m.right.value;
  if (m.right.kind === "variable" && m.right.name === "extra" && m.left.kind === "string") return m.left.value;
  return undefined;
}

/**
 * Rez's normalize_requirement for a string requirement: the `extra == '...'` clauses of the marker's top level
 * taken out as conditional extras, the rest of the marker kept. Extras in nested groups stay in the marker
 * (and evaluate against the extras asked for).
 */
export function splitConditionalExtras(req: PipRequirement): { requirement: PipRequirement; extras: Set<string> | undefined } {
  const marker = req.marker;
  if (!marker) return { requirement: req, extras: undefined };
  const items = marker.kind === "and" || marker.kind === "or" ? marker.items : [marker];
  const extras = new Set<string>();
  const kept: Marker[] = [];
  for (const item of items) {
    const extra = isExtraClause(item);
    if (extra !== undefined) extras.add(extra);
    else kept.push(item);
  }
  if (extras.size === 0) return { requirement: req, extras: undefined };
  const { marker: _dropped, ...rest } = req;
  const rebuilt: Marker | undefined = kept.length === 0 ? undefined : kept.length === 1 ? kept[0] : { kind: (marker as { kind: "and" | "or" }).kind, items: kept };
  return { requirement: rebuilt ? { ...rest, marker: rebuilt } : rest, extras };
}
