import { ENV_VAR_NAME } from "../rex/index.js";
import type { RexString } from "../rex/index.js";
import { BaseShell, SAFE_WORD, escapeRuns, splitExpandable } from "./base.js";
import type { EscapeContext } from "./base.js";
import type { ShellFamily, ShellName } from "./types.js";

/** Single-quoted: every byte literal (newlines included). */
export function posixLiteral(text: string): string {
  return "'" + text.replace(/'/g, `'"'"'`) + "'";
}

/** Double-quoted: `$NAME`/`${NAME}` stay live, every other byte literal. */
export function posixExpandable(text: string): string {
  let out = '"';
  for (const seg of splitExpandable(text)) {
    out += seg.kind === "ref" ? `\${${seg.name}}` : seg.text.replace(/[\\"$`]/g, "\\$&");
  }
  return out + '"';
}

/** sh: POSIX syntax; no native append/prepend (a joined setenv is written instead). */
export class ShShell extends BaseShell {
  readonly name: ShellName = "sh";
  readonly family: ShellFamily = "posix";
  readonly fileExtension = "sh";
  readonly defaultPrompt: string = ">";
  override readonly noRcArgs: readonly string[] = ["--noprofile"];

  escape(value: RexString, _ctx: EscapeContext): string {
    return escapeRuns(value, posixLiteral, posixExpandable);
  }

  quote(arg: string): string {
    return arg !== "" && SAFE_WORD.test(arg) ? arg : posixLiteral(arg);
  }

  join(argv: readonly string[]): string {
    return argv.map((a) => this.quote(a)).join(" ");
  }

  keyToken(key: string): string {
    return `\${${key}}`;
  }

  protected setenvLine(key: string, escaped: string): string {
    return `export ${key}=${escaped}`;
  }
  protected unsetenvLine(key: string): string {
    return `unset ${key}`;
  }
  protected aliasLine(name: string, command: string): string {
    return `${name}() { ${command} "$@"; };`;
  }
  // dash (sh) defines functions only with variable-style names; bash and zsh take `.`, `+`, `-` too.
  protected override invalidName(kind: "variable" | "alias", name: string): string | undefined {
    const reason = super.invalidName(kind, name);
    if (reason !== undefined || kind === "variable" || this.name !== "sh" || ENV_VAR_NAME.test(name)) return reason;
    return `alias name ${JSON.stringify(name)} cannot be a function name in sh: use letters, digits and '_' (or another shell)`;
  }
  // printf, not echo: dash's and zsh's echo interpret backslashes and `-n`.
  protected infoLine(escaped: string): string {
    return `printf '%s\\n' ${escaped}`;
  }
  protected errorLine(escaped: string): string {
    return `printf '%s\\n' ${escaped} 1>&2`;
  }
  protected sourceLine(path: RexString, ctx: EscapeContext): string {
    return `. ${this.escape(path, ctx)}`;
  }
  protected commentLine(text: string): string {
    return `# ${text}`;
  }
  protected shebangLine(executable: string): string {
    return `#!${executable}`;
  }
}

export class BashShell extends ShShell {
  override readonly name: ShellName = "bash";
  override readonly noRcArgs: readonly string[] = ["--norc"];

  protected override aliasLine(name: string, command: string): string {
    return `function ${name}() { ${command} "$@"; };export -f ${name};`;
  }
}

/** zsh: sh syntax. Unlike Rez, `%` is not doubled: in a value it is not special and would arrive doubled. */
export class ZshShell extends ShShell {
  override readonly name: ShellName = "zsh";
  override readonly defaultPrompt: string = "%";
  override readonly noRcArgs: readonly string[] = ["--no-rcs"];
}
