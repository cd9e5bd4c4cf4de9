import { join as joinPath } from "node:path";
import { literal } from "../rex/index.js";
import type { RexAction, RexString } from "../rex/index.js";
import { SAFE_WORD, escapeRuns, lineAction, splitExpandable } from "./base.js";
import type { EscapeContext } from "./base.js";
import type { InteractiveStartup, SetupCheck, ShellName, StartupRequest } from "./types.js";
import { UnixShell } from "./unix.js";

/**
 * Single-quoted csh word. Even in single quotes csh applies history substitution to `!` (also in
 * scripts) and ends the word at a newline, so both are backslash-escaped; other bytes are literal.
 */
export function cshLiteral(text: string): string {
  return "'" + text.replace(/'/g, `'\\''`).replace(/!/g, "\\!").replace(/\n/g, "\\\n") + "'";
}

// Text that can sit inside csh double quotes unchanged.
const CSH_DQ_SAFE = /^[^"$`!\n\\']*$/;

/** `$NAME`/`${NAME}` live (double-quoted), everything else literal (single-quoted where needed). */
export function cshExpandable(text: string): string {
  const pieces: { dq: boolean; text: string }[] = [];
  for (const seg of splitExpandable(text)) {
    if (seg.kind === "ref") pieces.push({ dq: true, text: `\${${seg.name}}` });
    else if (CSH_DQ_SAFE.test(seg.text)) pieces.push({ dq: true, text: seg.text });
    else pieces.push({ dq: false, text: cshLiteral(seg.text) });
  }
  if (pieces.length === 0) return '""';
  let out = "";
  let open = false;
  for (const p of pieces) {
    if (p.dq && !open) {
      out += '"';
      open = true;
    } else if (!p.dq && open) {
      out += '"';
      open = false;
    }
    out += p.text;
  }
  return open ? out + '"' : out;
}

export class CshShell extends UnixShell {
  readonly name: ShellName = "csh";
  readonly fileExtension = "csh";
  readonly defaultPrompt = ">";
  override readonly noRcArgs: readonly string[] = ["-f"];
  protected override readonly lastCommandStatus: string = "$status";
  protected override readonly scriptNoRcArgs: readonly string[] = ["-f"];

  escape(value: RexString, _ctx: EscapeContext): string {
    return escapeRuns(value, cshLiteral, cshExpandable);
  }

  quote(arg: string): string {
    return arg !== "" && SAFE_WORD.test(arg) ? arg : cshLiteral(arg);
  }

  join(argv: readonly string[]): string {
    return argv.map((a) => this.quote(a)).join(" ");
  }

  keyToken(key: string): string {
    return `\${${key}}`;
  }

  // A shell variable stands in for each unset one for the line, and is removed after it.
  protected override undefinedReferenceGuards(names: readonly string[]): { before: string[]; after: string[] } | undefined {
    if (names.length === 0) return undefined;
    return {
      before: names.map((n) => `if (! $?${n}) set __pkg_unset_${n} ${n}=""`),
      after: names.map((n) => `if ($?__pkg_unset_${n}) unset ${n} __pkg_unset_${n}`),
    };
  }

  override valueProblem(name: string, value: string): string | undefined {
    const bytes = Buffer.byteLength(value);
    if (bytes <= CSH_MAX_WORD) return undefined;
    return `the value of ${name} is ${bytes} bytes; csh stops at words over ${CSH_MAX_WORD} bytes ("Word too long"): use tcsh or another shell`;
  }

  protected override saferefenvLine(key: string): string {
    return `if (!($?${key})) setenv ${key}`;
  }
  protected setenvLine(key: string, escaped: string): string {
    return `setenv ${key} ${escaped}`;
  }
  protected unsetenvLine(key: string): string {
    return `unsetenv ${key}`;
  }
  // csh aliases get their arguments appended; the command is kept as written.
  protected aliasLine(name: string, command: string): string {
    return `alias ${name} ${cshLiteral(command)};`;
  }
  // printf is no csh builtin, and the context may already have replaced PATH: /bin/sh's printf
  // does the printing (tcsh's echo reads backslashes and -n).
  protected infoLine(escaped: string): string {
    return `/bin/sh -c 'printf "%s\\n" "$1"' sh ${escaped}`;
  }
  // csh cannot redirect stdout alone to stderr (`1>&2` writes a file named 2, and /dev/stderr
  // cannot be opened when stderr is a socket), so a POSIX sh does the printing.
  protected errorLine(escaped: string): string {
    return `/bin/sh -c 'printf "%s\\n" "$1" 1>&2' sh ${escaped}`;
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
    return lineAction(`if (-f ${q}) source ${q}`);
  }

  /** Sources the user's own startup file (csh reads only ~/.cshrc). */
  protected userRcActions(home: string): RexAction[] {
    return [this.sourceIfExists(joinPath(home, ".cshrc"))];
  }

  setupCheck(variable: string, failure: RexAction): SetupCheck {
    return {
      mark: `set ${variable}`,
      verify: [lineAction(`if (! $?${variable}) then`), failure, lineAction("exit 1"), lineAction("endif"), lineAction(`unset ${variable}`)],
    };
  }

  // As Rez: the prompt to keep comes from the environment (csh's own `prompt` is a shell variable),
  // and is stored with the double quotes around it.
  promptActions(env: Readonly<Record<string, string>>): RexAction[] {
    const stored = env.REZ_STORED_PROMPT_CSH;
    const current = stored || env.prompt || "[%m %c]%# ";
    return [
      ...(stored ? [] : [{ type: "setenv", key: "REZ_STORED_PROMPT_CSH", value: literal(`"${current}"`) } satisfies RexAction]),
      lineAction(`set prompt="$REZ_ENV_PROMPT "${this.quote(current)}`),
    ];
  }

  protected override commandStartupFiles(request: StartupRequest): RexAction[] {
    return request.norc ? [] : [".tcshrc", ".cshrc", ".login", ".cshdirs"].map((f) => this.sourceIfExists(joinPath(request.home, f)));
  }

  // $HOME: csh reads ~/.cshrc (tcsh ~/.tcshrc first); ours restore HOME and source the user's.
  interactiveStartup(request: StartupRequest): InteractiveStartup {
    const { home } = request;
    const fakeHome = joinPath(request.tmpDir, "home");
    const content = this.render([
      { type: "setenv", key: "HOME", value: literal(home) },
      lineAction(`set home=${this.quote(home)}`),
      lineAction(request.startupScript(this.userRcActions(home)).trimEnd()),
    ]);
    return {
      before: [{ type: "setenv", key: "HOME", value: literal(fakeHome) }],
      args: ["-i"],
      files: [
        { path: joinPath(fakeHome, ".tcshrc"), content },
        { path: joinPath(fakeHome, ".cshrc"), content },
      ],
    };
  }
}

/** The longest word BSD csh reads or makes by expansion; a longer one stops it with "Word too long". */
export const CSH_MAX_WORD = 8187;

export class TcshShell extends CshShell {
  override readonly name: ShellName = "tcsh";

  override valueProblem(): string | undefined {
    return undefined;
  }

  // tcsh reads ~/.tcshrc, and ~/.cshrc only when there is none.
  protected override userRcActions(home: string): RexAction[] {
    const tcshrc = this.quote(joinPath(home, ".tcshrc"));
    const cshrc = this.quote(joinPath(home, ".cshrc"));
    return [
      lineAction(`if (-f ${tcshrc}) then`),
      lineAction(`source ${tcshrc}`),
      lineAction(`else if (-f ${cshrc}) then`),
      lineAction(`source ${cshrc}`),
      lineAction(`endif`),
    ];
  }
}
