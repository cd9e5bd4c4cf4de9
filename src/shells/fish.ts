import { join as joinPath } from "node:path";
import type { RexAction, RexString } from "../rex/index.js";
import { SAFE_WORD, escapeRuns, lineAction, splitExpandable } from "./base.js";
import type { EscapeContext } from "./base.js";
import type { InteractiveStartup, SetupCheck, ShellName, StartupRequest } from "./types.js";
import { UnixShell } from "./unix.js";

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
export class FishShell extends UnixShell {
  readonly name: ShellName = "fish";
  readonly fileExtension = "fish";
  readonly defaultPrompt = ">";
  override readonly noRcArgs: readonly string[] = ["--no-config"];
  protected override readonly lastCommandStatus: string = "$status";
  protected override readonly scriptNoRcArgs: readonly string[] = ["--no-config"];

  // fish's PATH is a list, which echo prints space-separated: join it as the other shells print it.
  override systemPathsProbe(marker: string): readonly string[] {
    return [...this.noRcArgs, "-c", `echo ${marker} (string join : $PATH)`];
  }

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

  // ---- start-up

  protected sourceIfExists(path: string): RexAction {
    const q = this.quote(path);
    return lineAction(`test -f ${q}; and source ${q}`);
  }

  setupCheck(variable: string, failure: RexAction): SetupCheck {
    return {
      mark: `set -g ${variable} 1`,
      verify: [lineAction(`if not set -q ${variable}`), failure, lineAction("exit 1"), lineAction("end"), lineAction(`set -e ${variable}`)],
    };
  }

  // The user's fish_prompt is kept under another name and called after REZ_ENV_PROMPT.
  promptActions(): RexAction[] {
    return [
      lineAction(
        "if functions -q fish_prompt; and not functions -q __pkg_stored_fish_prompt; " +
          "functions -c fish_prompt __pkg_stored_fish_prompt; end",
      ),
      lineAction(
        "function fish_prompt; printf '%s ' \"$REZ_ENV_PROMPT\"; " +
          "functions -q __pkg_stored_fish_prompt; and __pkg_stored_fish_prompt; end",
      ),
    ];
  }

  // fish's prompt is a function, which only an interactive fish calls; its config it reads itself, for a script too.
  override commandStartup(): RexAction[] {
    return [];
  }

  // fish has no rcfile switch: the context is sourced by an init command, after the user's config.
  interactiveStartup(request: StartupRequest): InteractiveStartup {
    const rc = joinPath(request.tmpDir, `rcfile.${this.fileExtension}`);
    return {
      before: [],
      args: [...(request.norc ? this.noRcArgs : []), "-i", "-C", `source ${this.quote(rc)}`],
      files: [{ path: rc, content: request.startupScript([], []) }],
    };
  }

  // Unlike the other shells, fish skips its config for a command's wrapper too with norc.
  override scriptArgs(path: string, options: { readonly interactive: boolean; readonly norc: boolean }): string[] {
    return [...(options.interactive || options.norc ? this.scriptNoRcArgs : []), path];
  }
}
