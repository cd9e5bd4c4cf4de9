import { accessSync, constants, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join as joinPath } from "node:path";
import { fnmatch } from "../glob/index.js";
import { DEFAULT_ENV_VAR_SEPARATORS, expandEnvVars, invalidNameReason, rexConcat, rexJoin, rexMapExpandable, rexParts, rexSplit, rexText } from "../rex/index.js";
import type { RexAction, RexString, RexStringPart } from "../rex/index.js";
import { ShellValueError } from "./errors.js";
import type { InteractiveStartup, OutputStyle, RenderOptions, SetupCheck, ShellRenderer, StartupRequest } from "./types.js";

/** A piece of expandable text: plain text, or a reference to a variable. */
export type ExpandableSegment = { readonly kind: "text"; readonly text: string } | { readonly kind: "ref"; readonly name: string };

const REF_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Split expandable text into text and `$NAME`/`${NAME}` references. Anything else (a lone `$`,
 * `${a:-b}`, backticks, `$(…)`) is text, so it arrives literally in every shell.
 */
export function splitExpandable(text: string): ExpandableSegment[] {
  const out: ExpandableSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(REF_RE)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ kind: "text", text: text.slice(last, at) });
    out.push({ kind: "ref", name: m[1] ?? m[2] ?? "" });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: text.slice(last) });
  return out;
}

/** A line of shell code as an action. */
export function lineAction(command: string): RexAction {
  return { type: "command", command };
}

/** Builtins of every POSIX-like shell, csh and fish that finish at once. */
const INSTANT_BUILTINS: ReadonlySet<string> = new Set(["true", "false", ":", "echo", "printf", "test", "[", "pwd"]);

/** Characters that never need quoting in any POSIX-like shell argument. */
export const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A program on PATH (or a path to one): the first executable file of that name. */
export function findExecutable(name: string, pathValue: string | undefined = process.env.PATH, pathsep = delimiter): string | undefined {
  if (name.includes("/")) return isExecutableFile(name) ? name : undefined;
  for (const dir of (pathValue ?? "").split(pathsep)) {
    if (!dir) continue;
    const candidate = joinPath(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Quotes each run of a value with the shell's literal or expandable rule; `empty` stands for an empty value. */
export function escapeRuns(value: RexString, literal: (text: string) => string, expandable: (text: string) => string, empty = "''"): string {
  const parts = rexParts(value);
  if (parts.length === 0) return empty;
  return parts.map((p) => (p.literal ? literal(p.text) : expandable(p.text))).join("");
}

/** Everything an escape function may need besides the value. */
export interface EscapeContext {
  readonly isPath: boolean;
  readonly pathSeparator: string;
  readonly platform: NodeJS.Platform;
}

interface RenderState {
  readonly options: RenderOptions;
  readonly platform: NodeJS.Platform;
  readonly pathSeparator: string;
  readonly home: string;
  readonly tracked: Map<string, string>;
  readonly parent: Readonly<Record<string, string | undefined>>;
  /** Variables known to be set at this point of the script: the parent's, then the script's own. */
  readonly defined: Set<string>;
}

/** Throws {@link ShellValueError} for the first variable of `environ` that `shell` cannot carry. */
export function checkShellValues(shell: ShellRenderer, environ: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(environ)) {
    const problem = shell.valueProblem(name, value);
    if (problem !== undefined) throw new ShellValueError(shell.name, `${shell.name}: ${problem}`);
  }
}

/** Shared rendering loop; each shell supplies its syntax. */
export abstract class BaseShell implements ShellRenderer {
  abstract readonly name: string;
  abstract readonly fileExtension: string;
  abstract readonly defaultPrompt: string;
  promptLiteral(prompt: string): string {
    return prompt;
  }
  readonly expandsEnvVars: boolean = false;
  readonly noRcArgs: readonly string[] = [];
  readonly rcFile: string | undefined = undefined;
  readonly instantBuiltins: ReadonlySet<string> = INSTANT_BUILTINS;
  /** Lines starting with this are dropped in eval style. */
  protected readonly commentPrefix: string = "#";
  protected readonly evalJoiner: string = ";";
  protected readonly evalStripsSemicolons: boolean = true;

  get executableName(): string {
    return this.name;
  }

  pathSeparator(_platform: NodeJS.Platform = process.platform): string {
    return ":";
  }

  // ---- syntax supplied by each shell

  /** Escape a value for use as one word. */
  abstract escape(value: RexString, ctx: EscapeContext): string;
  abstract quote(arg: string): string;
  abstract join(argv: readonly string[]): string;
  abstract keyToken(key: string): string;
  protected abstract setenvLine(key: string, escaped: string): string;
  protected abstract unsetenvLine(key: string): string;
  protected abstract aliasLine(name: string, command: string): string;
  protected abstract infoLine(escaped: string): string;
  protected abstract errorLine(escaped: string): string;
  protected abstract sourceLine(path: RexString, ctx: EscapeContext): string;
  protected abstract commentLine(text: string): string;
  protected abstract shebangLine(executable: string): string | undefined;

  // ---- start-up supplied by each shell (see ShellRenderer)

  abstract systemPathsProbe(marker: string): readonly string[] | undefined;
  abstract setupCheck(variable: string, failure: RexAction): SetupCheck | undefined;
  abstract promptActions(env: Readonly<Record<string, string>>): RexAction[];
  abstract commandStartup(request: StartupRequest): RexAction[];
  abstract interactiveStartup(request: StartupRequest): InteractiveStartup | undefined;
  abstract argvCommand(argv: readonly string[], replace: boolean): string;
  abstract exitActions(interactive: boolean): RexAction[];
  abstract scriptArgs(path: string, options: { readonly interactive: boolean; readonly norc: boolean }): string[];
  /** Native append/prepend (`undefined`: fall back to setenv of a joined value). */
  protected appendLine(_key: string, _escaped: string, _sep: string): string | undefined {
    return undefined;
  }
  protected prependLine(_key: string, _escaped: string, _sep: string): string | undefined {
    return undefined;
  }
  protected saferefenvLine(_key: string): string | undefined {
    return undefined;
  }
  /**
   * Lines around one that references variables not known to be set (`undefined`: none needed). Only csh
   * has it: it stops a script at a reference to an unset variable, where the other shells expand it to "".
   * Shells without it never look for references.
   */
  protected undefinedReferenceGuards?(names: readonly string[]): { before: string[]; after: string[] } | undefined;
  /** Escape one line of an info/error message. */
  protected escapeMessage(line: RexString, ctx: EscapeContext): string {
    return this.escape(line, ctx);
  }
  valueProblem(_name: string, _value: string): string | undefined {
    return undefined;
  }
  normalizePath(path: string, _platform: NodeJS.Platform): string {
    return path;
  }

  protected normalizePaths(value: RexString, ctx: EscapeContext): RexStringPart[] {
    return rexMapExpandable(value, (t) =>
      t
        .split(ctx.pathSeparator)
        .map((p) => this.normalizePath(p, ctx.platform))
        .join(ctx.pathSeparator),
    );
  }

  // ---- rendering

  render(actions: readonly RexAction[], options: RenderOptions = {}): string {
    const platform = options.platform ?? process.platform;
    const state: RenderState = {
      options,
      platform,
      pathSeparator: options.pathSeparator ?? this.pathSeparator(platform),
      home: options.homeDir ?? homedir(),
      tracked: new Map(),
      parent: options.parentEnviron ?? {},
      defined: this.undefinedReferenceGuards
        ? new Set(Object.entries(options.parentEnviron ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [k])))
        : new Set(),
    };
    const lines: string[] = [];
    for (const action of actions) this.renderAction(action, state, lines);
    return this.output(lines, options.style ?? "file");
  }

  protected output(lines: readonly string[], style: OutputStyle): string {
    if (style === "file") return lines.join("\n") + "\n";
    return lines
      .filter((l) => !l.startsWith(this.commentPrefix))
      .map((l) => (this.evalStripsSemicolons ? l.trimEnd().replace(/;+$/, "") : l.trimEnd()))
      .join(this.evalJoiner);
  }

  private ctx(state: RenderState, key?: string): EscapeContext {
    const patterns = state.options.pathedEnvVars ?? ["*PATH"];
    return {
      isPath: key !== undefined && patterns.some((p) => fnmatch(key, p)),
      pathSeparator: state.pathSeparator,
      platform: state.platform,
    };
  }

  private separator(state: RenderState, key: string): string {
    return (state.options.envVarSeparators ?? DEFAULT_ENV_VAR_SEPARATORS)[key] ?? state.pathSeparator;
  }

  /** `~` at the start of an expandable part becomes the home directory (Rez `expanduser`). */
  private expandUser(value: RexString, state: RenderState): RexStringPart[] {
    return rexMapExpandable(value, (t) => (t === "~" || t.startsWith("~/") ? state.home + t.slice(1) : t));
  }

  /** Value as seen by a shell that expands while rendering: references resolved from tracked, then parent env. */
  private expandValue(value: RexString, state: RenderState): RexStringPart[] {
    return rexMapExpandable(value, (t) => expandEnvVars(expandEnvVars(t, (k) => state.tracked.get(k)), (k) => state.parent[k]));
  }

  private escapeValue(value: RexString, state: RenderState, key: string): string {
    const ctx = this.ctx(state, key);
    let v = this.expandUser(value, state);
    if (ctx.isPath) v = this.normalizePaths(v, ctx);
    return this.escape(v, ctx);
  }

  /** A name this shell cannot define, or undefined. Names are never quoted, so every one is checked here too. */
  protected invalidName(kind: "variable" | "alias", name: string): string | undefined {
    return invalidNameReason(kind, name);
  }

  private checkName(kind: "variable" | "alias", name: string): void {
    const reason = this.invalidName(kind, name);
    if (reason !== undefined) throw new ShellValueError(this.name, `${this.name}: ${reason}`);
  }

  /** References in the expandable parts of `values` to variables not known to be set. */
  private undefinedReferences(values: readonly RexString[], state: RenderState): string[] {
    const names = new Set<string>();
    for (const value of values) {
      for (const part of rexParts(value)) {
        if (part.literal || !part.text.includes("$")) continue;
        for (const seg of splitExpandable(part.text)) if (seg.kind === "ref" && !state.defined.has(seg.name)) names.add(seg.name);
      }
    }
    return [...names];
  }

  private renderAction(action: RexAction, state: RenderState, lines: string[]): void {
    if (action.type === "alias") this.checkName("alias", action.name);
    else if ("key" in action) this.checkName("variable", action.key);
    if (!this.undefinedReferenceGuards) {
      this.renderActionLines(action, state, lines);
      return;
    }
    const values =
      "value" in action ? [action.value] : "message" in action ? [action.message] : action.type === "source" ? [action.path] : [];
    const guards = values.length > 0 ? this.undefinedReferenceGuards(this.undefinedReferences(values, state)) : undefined;
    if (guards !== undefined) lines.push(...guards.before);
    this.renderActionLines(action, state, lines);
    if (guards !== undefined) lines.push(...guards.after);
    if (action.type === "unsetenv") state.defined.delete(action.key);
    else if ("key" in action) state.defined.add(action.key);
  }

  private renderActionLines(action: RexAction, state: RenderState, lines: string[]): void {
    switch (action.type) {
      case "setenv":
      case "resetenv": {
        const value = this.expandsEnvVars ? this.expandValue(action.value, state) : rexParts(action.value);
        if (this.expandsEnvVars) state.tracked.set(action.key, rexText(value));
        lines.push(this.setenvLine(action.key, this.escapeValue(value, state, action.key)));
        return;
      }
      case "unsetenv":
        state.tracked.delete(action.key);
        lines.push(this.unsetenvLine(action.key));
        return;
      case "saferefenv": {
        if (!state.tracked.has(action.key)) state.tracked.set(action.key, state.parent[action.key] ?? "");
        const line = this.saferefenvLine(action.key);
        if (line !== undefined) lines.push(line);
        return;
      }
      case "appendenv":
      case "prependenv":
        this.renderPend(action.type === "appendenv", action.key, action.value, state, lines);
        return;
      case "alias":
        lines.push(this.aliasLine(action.name, action.command));
        return;
      case "info":
      case "error":
        for (const line of rexSplit(action.message, "\n")) {
          const escaped = this.escapeMessage(this.expandUser(line, state), this.ctx(state));
          lines.push(action.type === "info" ? this.infoLine(escaped) : this.errorLine(escaped));
        }
        return;
      case "command":
        if (typeof action.command === "string") lines.push(action.command);
        else {
          const [program, ...args] = action.command;
          const ctx = this.ctx(state);
          lines.push([rexText(program ?? ""), ...args.map((a) => this.escape(this.expandUser(a, state), ctx))].join(" "));
        }
        return;
      case "source":
        lines.push(this.sourceLine(this.expandUser(action.path, state), this.ctx(state)));
        return;
      case "comment":
        for (const line of action.text.split("\n")) lines.push(this.commentLine(line));
        return;
      case "shebang": {
        const exe = state.options.executable ?? findExecutable(this.executableName) ?? `/usr/bin/env ${this.executableName}`;
        const line = this.shebangLine(exe);
        if (line !== undefined) lines.push(line);
        return;
      }
    }
  }

  private renderPend(append: boolean, key: string, value: RexString, state: RenderState, lines: string[]): void {
    const sep = this.separator(state, key);
    if (this.expandsEnvVars) {
      const v = this.expandValue(value, state);
      const existing = state.tracked.get(key) ?? state.parent[key];
      const valueText = rexText(v);
      state.tracked.set(
        key,
        existing === undefined ? valueText : append ? existing + sep + valueText : valueText + sep + existing,
      );
      const escaped = this.escapeValue(v, state, key);
      const native = append ? this.appendLine(key, escaped, sep) : this.prependLine(key, escaped, sep);
      if (native !== undefined) {
        lines.push(native);
        return;
      }
      const parts: RexString[] = existing === undefined ? [] : existing.split(sep);
      const joined = rexJoin(sep, append ? [...parts, v] : [v, ...parts]);
      lines.push(this.setenvLine(key, this.escapeValue(joined, state, key)));
      return;
    }
    const v = this.expandUser(value, state);
    const escaped = this.escapeValue(v, state, key);
    const native = append ? this.appendLine(key, escaped, sep) : this.prependLine(key, escaped, sep);
    if (native !== undefined) {
      lines.push(native);
      return;
    }
    // Rez: setenv of the value joined with the variable's own (generic) reference, e.g. "${K}:v".
    const ref = `\${${key}}`;
    const joined = append ? rexConcat(ref + sep, v) : rexConcat(v, sep + ref);
    lines.push(this.setenvLine(key, this.escapeValue(joined, state, key)));
  }
}

export { rexParts, rexText };
