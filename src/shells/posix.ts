import { join as joinPath } from "node:path";
import { ENV_VAR_NAME, literal } from "../rex/index.js";
import type { RexAction, RexString } from "../rex/index.js";
import { SAFE_WORD, escapeRuns, lineAction, splitExpandable } from "./base.js";
import type { EscapeContext } from "./base.js";
import type { InteractiveStartup, SetupCheck, ShellName, StartupRequest } from "./types.js";
import { UnixShell } from "./unix.js";

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
export class ShShell extends UnixShell {
  readonly name: string = "sh";
  readonly fileExtension = "sh";
  readonly defaultPrompt: string = ">";
  override readonly noRcArgs: readonly string[] = ["--noprofile"];
  /** PS1 with `$REZ_ENV_PROMPT` in bold in front of the stored prompt, in the shell's prompt escapes. */
  protected readonly boundPrompt: string = "\\[\\e[1m\\]$REZ_ENV_PROMPT\\[\\e[0m\\] $REZ_STORED_PROMPT_SH";

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

  // ---- start-up

  protected sourceIfExists(path: string): RexAction {
    const q = this.quote(path);
    return lineAction(`if [ -f ${q} ]; then . ${q}; fi`);
  }

  setupCheck(variable: string, failure: RexAction): SetupCheck {
    return {
      mark: `${variable}=1`,
      verify: [lineAction(`if [ -z "\${${variable}-}" ]; then`), failure, lineAction("exit 1"), lineAction("fi"), lineAction(`unset ${variable}`)],
    };
  }

  promptActions(): RexAction[] {
    return [
      lineAction(`if [ -z "$REZ_STORED_PROMPT_SH" ]; then export REZ_STORED_PROMPT_SH="$PS1"; fi`),
      lineAction(`export PS1="${this.boundPrompt}"`),
    ];
  }

  // $ENV: an interactive sh sources the file it names; ours sources the user's ~/.profile and $ENV.
  interactiveStartup(request: StartupRequest): InteractiveStartup {
    const rc = joinPath(request.tmpDir, `ENV.${this.fileExtension}`);
    const userFiles = [this.sourceIfExists(joinPath(request.home, ".profile"))];
    if (request.env.ENV) userFiles.push(this.sourceIfExists(request.env.ENV));
    return {
      before: [{ type: "setenv", key: "ENV", value: literal(rc) }],
      args: ["-i"],
      files: [{ path: rc, content: request.startupScript(userFiles, [{ type: "unsetenv", key: "ENV" }]) }],
    };
  }
}

export class BashShell extends ShShell {
  override readonly name: ShellName = "bash";
  override readonly noRcArgs: readonly string[] = ["--norc"];
  override readonly rcFile: string = ".bashrc";

  protected override aliasLine(name: string, command: string): string {
    return `function ${name}() { ${command} "$@"; };export -f ${name};`;
  }

  // bash reads $BASH_ENV before the wrapper, so before the context: sourced again after it, then unset.
  protected override commandStartupFiles(request: StartupRequest): RexAction[] {
    const bashEnv = request.env.BASH_ENV;
    const path = bashEnv !== undefined && bashEnv.startsWith("~") ? request.home + bashEnv.slice(1) : bashEnv;
    return [...(path ? [this.sourceIfExists(path)] : []), { type: "unsetenv", key: "BASH_ENV" }];
  }

  // --rcfile: bash reads our file instead of ~/.bashrc.
  override interactiveStartup(request: StartupRequest): InteractiveStartup {
    const rc = joinPath(request.tmpDir, `rcfile.${this.fileExtension}`);
    const userRc = request.rcfile ?? joinPath(request.home, this.rcFile);
    return { before: [], args: ["--rcfile", rc, "-i"], files: [{ path: rc, content: request.startupScript([this.sourceIfExists(userRc)]) }] };
  }
}

/** zsh: sh syntax. Unlike Rez, `%` is not doubled: in a value it is not special and would arrive doubled. */
export class ZshShell extends ShShell {
  override readonly name: ShellName = "zsh";
  override readonly defaultPrompt: string = "%";
  // PS1 goes through prompt expansion, where a lone `%` starts an escape (`%{` would swallow the bold's end).
  override promptLiteral(prompt: string): string {
    return prompt.replace(/%/g, "%%");
  }
  override readonly noRcArgs: readonly string[] = ["--no-rcs"];
  protected override readonly scriptNoRcArgs: readonly string[] = ["--no-rcs"];
  protected override readonly boundPrompt: string = "%{%B%}$REZ_ENV_PROMPT%{%b%} $REZ_STORED_PROMPT_SH";

  protected override commandStartupFiles(request: StartupRequest): RexAction[] {
    return request.norc ? [] : [".zprofile", ".zlogin", ".zshrc", ".zshenv"].map((f) => this.sourceIfExists(joinPath(request.home, f)));
  }

  // $ZDOTDIR: zsh reads .zshenv and .zshrc from there; ours source the user's and restore ZDOTDIR.
  override interactiveStartup(request: StartupRequest): InteractiveStartup {
    const { env, norc } = request;
    const realDir = env.ZDOTDIR ?? request.home;
    const dot = joinPath(request.tmpDir, "zdotdir");
    const restore: RexAction =
      env.ZDOTDIR !== undefined ? { type: "setenv", key: "ZDOTDIR", value: literal(env.ZDOTDIR) } : { type: "unsetenv", key: "ZDOTDIR" };
    return {
      before: [{ type: "setenv", key: "ZDOTDIR", value: literal(dot) }],
      args: ["-i"],
      files: [
        { path: joinPath(dot, ".zshenv"), content: this.render(norc ? [] : [this.sourceIfExists(joinPath(realDir, ".zshenv"))]) },
        { path: joinPath(dot, ".zshrc"), content: request.startupScript([this.sourceIfExists(joinPath(realDir, ".zshrc"))], [restore]) },
      ],
    };
  }
}
