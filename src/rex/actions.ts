// The recorded Rex action model: what the Python Rex worker sends back and what pkg-rs Env data
// turns into. Everything here is plain JSON so it can cross process boundaries unchanged.

/** One run of a value: literal text arrives byte-for-byte, expandable text keeps `$VAR`/`${VAR}` live. */
export interface RexStringPart {
  readonly literal: boolean;
  readonly text: string;
}

/** A value that may mix literal and expandable parts. A plain string is entirely expandable (Rez's default). */
export type RexString = string | readonly RexStringPart[];

/** `setenv(K, V)`: overwrite. */
export interface SetenvAction {
  readonly type: "setenv";
  readonly key: string;
  readonly value: RexString;
}

/** `unsetenv(K)`. */
export interface UnsetenvAction {
  readonly type: "unsetenv";
  readonly key: string;
}

/** `resetenv(K, V)`: a synonym of setenv in every shell. */
export interface ResetenvAction {
  readonly type: "resetenv";
  readonly key: string;
  readonly value: RexString;
  readonly friends?: readonly string[];
}

/** Add to the front of a separator-joined variable that is already defined in this context (or adopted from the parent). */
export interface PrependenvAction {
  readonly type: "prependenv";
  readonly key: string;
  readonly value: RexString;
}

/** Add to the end of a separator-joined variable that is already defined in this context (or adopted from the parent). */
export interface AppendenvAction {
  readonly type: "appendenv";
  readonly key: string;
  readonly value: RexString;
}

/**
 * Rez's `_saferefenv`: the variable's value is inherited from the parent environment (possibly unset),
 * and later actions reference it. Shells that fail on undefined references (csh) define it as empty;
 * shells that expand at render time adopt the parent value.
 */
export interface SaferefenvAction {
  readonly type: "saferefenv";
  readonly key: string;
}

/** `alias(name, command)`: a command wrapper that forwards its arguments. */
export interface AliasAction {
  readonly type: "alias";
  readonly name: string;
  readonly command: string;
}

/** `info(message)`: a line on stdout. */
export interface InfoAction {
  readonly type: "info";
  readonly message: RexString;
}

/** `error(message)`: a line on stderr. */
export interface ErrorAction {
  readonly type: "error";
  readonly message: RexString;
}

/**
 * `command(cmd)`: a raw line of shell code, or an argument list whose program (first item) is written
 * raw and whose arguments are quoted.
 */
export interface CommandAction {
  readonly type: "command";
  readonly command: string | readonly RexString[];
}

/** `source(path)`: run a script of the target shell in the current shell. */
export interface SourceAction {
  readonly type: "source";
  readonly path: RexString;
}

/** `comment(text)`. */
export interface CommentAction {
  readonly type: "comment";
  readonly text: string;
}

/** `shebang()`: the `#!` line of the shell. */
export interface ShebangAction {
  readonly type: "shebang";
}

export type RexAction =
  | SetenvAction
  | UnsetenvAction
  | ResetenvAction
  | PrependenvAction
  | AppendenvAction
  | SaferefenvAction
  | AliasAction
  | InfoAction
  | ErrorAction
  | CommandAction
  | SourceAction
  | CommentAction
  | ShebangAction;

export type RexActionType = RexAction["type"];

export const rexActionTypes: readonly RexActionType[] = [
  "setenv",
  "unsetenv",
  "resetenv",
  "prependenv",
  "appendenv",
  "saferefenv",
  "alias",
  "info",
  "error",
  "command",
  "source",
  "comment",
  "shebang",
];

/** A literal value (Rez `literal(s)`). */
export function literal(text: string): RexStringPart[] {
  return [{ literal: true, text }];
}

/** An expandable value (Rez `expandable(s)`). */
export function expandable(text: string): RexStringPart[] {
  return [{ literal: false, text }];
}

/** The parts of a value, adjacent runs of the same kind merged, empty runs dropped (an empty value has no parts). */
export function rexParts(value: RexString): RexStringPart[] {
  const input: readonly RexStringPart[] = typeof value === "string" ? expandable(value) : value;
  const out: RexStringPart[] = [];
  for (const part of input) {
    if (part.text === "") continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.literal === part.literal) {
      out[out.length - 1] = { literal: last.literal, text: last.text + part.text };
    } else {
      out.push({ literal: part.literal, text: part.text });
    }
  }
  return out;
}

/** Concatenate values keeping each run's kind. */
export function rexConcat(...values: readonly RexString[]): RexStringPart[] {
  return rexParts(values.flatMap((v) => rexParts(v)));
}

/** Join values with an expandable separator (Rez `EscapedString.join`). */
export function rexJoin(separator: string, values: readonly RexString[]): RexStringPart[] {
  const pieces: RexString[] = [];
  values.forEach((v, i) => {
    if (i > 0) pieces.push(separator);
    pieces.push(v);
  });
  return rexConcat(...pieces);
}

/** The plain text of a value, without escaping (Rez `str(EscapedString)`). */
export function rexText(value: RexString): string {
  return typeof value === "string" ? value : value.map((p) => p.text).join("");
}

/** Split a value on a delimiter, keeping each run's kind. */
export function rexSplit(value: RexString, delimiter: string): RexStringPart[][] {
  const result: RexStringPart[][] = [[]];
  for (const part of rexParts(value)) {
    const pieces = part.text.split(delimiter);
    pieces.forEach((piece, i) => {
      if (i > 0) result.push([]);
      if (piece !== "") result[result.length - 1]!.push({ literal: part.literal, text: piece });
    });
  }
  return result;
}

/** Apply `fn` to the expandable parts only (Rez `EscapedString.formatted`). */
export function rexMapExpandable(value: RexString, fn: (text: string) => string): RexStringPart[] {
  return rexParts(rexParts(value).map((p) => (p.literal ? p : { literal: false, text: fn(p.text) })));
}

function isRexStringPart(v: unknown): v is RexStringPart {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as { literal?: unknown }).literal === "boolean" &&
    typeof (v as { text?: unknown }).text === "string"
  );
}

function isRexString(v: unknown): v is RexString {
  return typeof v === "string" || (Array.isArray(v) && v.every(isRexStringPart));
}

/** Validate untrusted JSON (e.g. from the Python worker) as a list of actions; throws naming the bad entry. */
export function parseRexActions(json: unknown): RexAction[] {
  if (!Array.isArray(json)) throw new Error("Rex actions: expected a JSON array");
  return json.map((entry, i) => parseRexAction(entry, i));
}

function parseRexAction(entry: unknown, index: number): RexAction {
  const fail = (why: string): never => {
    throw new Error(`Rex action #${index}: ${why}: ${JSON.stringify(entry)}`);
  };
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail("not an object");
  const o = entry as Record<string, unknown>;
  const str = (k: string): string => (typeof o[k] === "string" ? (o[k] as string) : fail(`'${k}' must be a string`));
  const rs = (k: string): RexString => (isRexString(o[k]) ? (o[k] as RexString) : fail(`'${k}' must be a Rex string`));
  switch (o.type) {
    case "setenv":
      return { type: "setenv", key: str("key"), value: rs("value") };
    case "resetenv": {
      const friends = o.friends;
      if (friends !== undefined && !(Array.isArray(friends) && friends.every((f) => typeof f === "string"))) {
        fail("'friends' must be a list of strings");
      }
      return friends === undefined
        ? { type: "resetenv", key: str("key"), value: rs("value") }
        : { type: "resetenv", key: str("key"), value: rs("value"), friends: friends as string[] };
    }
    case "prependenv":
      return { type: "prependenv", key: str("key"), value: rs("value") };
    case "appendenv":
      return { type: "appendenv", key: str("key"), value: rs("value") };
    case "unsetenv":
      return { type: "unsetenv", key: str("key") };
    case "saferefenv":
      return { type: "saferefenv", key: str("key") };
    case "alias":
      return { type: "alias", name: str("name"), command: str("command") };
    case "info":
      return { type: "info", message: rs("message") };
    case "error":
      return { type: "error", message: rs("message") };
    case "command": {
      const c = o.command;
      if (typeof c === "string") return { type: "command", command: c };
      if (Array.isArray(c) && c.length > 0 && c.every(isRexString)) return { type: "command", command: c as RexString[] };
      return fail("'command' must be a string or a non-empty list");
    }
    case "source":
      return { type: "source", path: rs("path") };
    case "comment":
      return { type: "comment", text: str("text") };
    case "shebang":
      return { type: "shebang" };
    default:
      return fail("unknown type");
  }
}
