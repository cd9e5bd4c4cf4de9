import type { RexString } from "../rex/index.js";
import { BaseShell, SAFE_WORD, escapeRuns, splitExpandable } from "./base.js";
import type { EscapeContext } from "./base.js";
import type { ShellFamily, ShellName } from "./types.js";

/** Single-quoted fish word: only `\` and `'` are escaped there. */
export function fishLiteral(text: string): string {
  return "'" + text.replace(/[\\']/g, "\\$&") + "'";
}

/**
 * Double-quoted fish word: `$NAME` live (fish has no `${NAME}`), `\`, `"` and `$` escaped. A reference
 * followed by a name character or `[` (fish's index syntax) is closed off with `""`.
 */
export function fishExpandable(text: string): string {
  let out = '"';
  let afterRef = false;
  for (const seg of splitExpandable(text)) {
    if (seg.kind === "ref") {
      out += "$" + seg.name;
      afterRef = true;
      continue;
    }
    if (afterRef && /^[A-Za-z0-9_[]/.test(seg.text)) out += '""';
    out += seg.text.replace(/[\\"$]/g, "\\$&");
    afterRef = false;
  }
  return out + '"';
}

/** fish (not a Rez shell): `set -gx`, `set -e`, functions for aliases. Path variables (`*PATH`) join on `:` when quoted. */
export class FishShell extends BaseShell {
  readonly name: ShellName = "fish";
  readonly family: ShellFamily = "fish";
  readonly fileExtension = "fish";
  readonly defaultPrompt = ">";
  override readonly noRcArgs: readonly string[] = ["--no-config"];

  escape(value: RexString, _ctx: EscapeContext): string {
    return escapeRuns(value, fishLiteral, fishExpandable);
  }

  quote(arg: string): string {
    return arg !== "" && SAFE_WORD.test(arg) && !arg.includes("%") ? arg : fishLiteral(arg);
  }

  join(argv: readonly string[]): string {
    return argv.map((a) => this.quote(a)).join(" ");
  }

  keyToken(key: string): string {
    return `$${key}`;
  }

  protected setenvLine(key: string, escaped: string): string {
    return `set -gx ${key} ${escaped}`;
  }
  protected unsetenvLine(key: string): string {
    return `set -e ${key}`;
  }
  // Like fish's own `alias`: a function calling itself by name would recurse, so it calls the command.
  // References come out of formatting as `${NAME}`, which fish rejects: `$NAME`, closed off with `""` before a name character.
  protected aliasLine(name: string, command: string): string {
    const first = command.trim().split(/\s+/)[0];
    const code = command.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}(?=([A-Za-z0-9_[])?)/g, (_m, ref: string, next: string | undefined) => (next ? `$${ref}""` : `$${ref}`));
    const body = first === name ? `command ${code}` : code;
    return `function ${name}; ${body} $argv; end`;
  }
  protected infoLine(escaped: string): string {
    return `printf '%s\\n' ${escaped}`;
  }
  protected errorLine(escaped: string): string {
    return `printf '%s\\n' ${escaped} >&2`;
  }
  protected sourceLine(path: RexString, ctx: EscapeContext): string {
    return `source ${this.escape(path, ctx)}`;
  }
  protected commentLine(text: string): string {
    return `# ${text}`;
  }
  protected shebangLine(executable: string): string {
    return `#!${executable}`;
  }
}
