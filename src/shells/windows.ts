import { rexParts, rexText } from "../rex/index.js";
import type { RexAction, RexString } from "../rex/index.js";
import { BaseShell, lineAction, splitExpandable } from "./base.js";
import type { EscapeContext } from "./base.js";
import { ShellValueError } from "./errors.js";
import type { ShellName } from "./types.js";

/**
 * Start-up of cmd.exe and PowerShell: no system paths of their own, no startup file to hijack (the wrapper
 * sources the context and stays on as the interactive shell), and no `exec`.
 */
abstract class WindowsShell extends BaseShell {
  systemPathsProbe(): undefined {
    return undefined;
  }
  setupCheck(): undefined {
    return undefined;
  }
  commandStartup(): RexAction[] {
    return [];
  }
  interactiveStartup(): undefined {
    return undefined;
  }
  argvCommand(argv: readonly string[]): string {
    return this.join(argv);
  }
}

// Rez's cmd escaper: `&<>|` and a lone `^` get a `^` in front (http://ss64.com/nt/syntax-esc.html).
const CMD_SPECIAL = /(?<!\^)[&<>]|(?<!\^)\^(?![&<>^])|\|/g;

function cmdEscape(text: string): string {
  return text.replace(CMD_SPECIAL, (m) => "^" + m);
}

/** Python's `subprocess.list2cmdline` for one argument (MS C runtime rules). */
export function windowsArg(arg: string, forceQuotes = false): string {
  const needQuote = forceQuotes || arg === "" || /[ \t]/.test(arg);
  let out = needQuote ? '"' : "";
  let slashes = 0;
  for (const c of arg) {
    if (c === "\\") slashes++;
    else if (c === '"') {
      out += "\\".repeat(slashes * 2) + '\\"';
      slashes = 0;
    } else {
      out += "\\".repeat(slashes) + c;
      slashes = 0;
    }
  }
  return needQuote ? out + "\\".repeat(slashes * 2) + '"' : out + "\\".repeat(slashes);
}

/**
 * One argument of a batch-file command line, arriving byte for byte: the MS C runtime quoting of
 * {@link windowsArg}, then `%` doubled and, wherever cmd.exe's own quote state (toggled by every `"`)
 * is outside quotes, `&|<>^()` caret-escaped. A newline cannot be carried on a batch line.
 */
export function cmdArg(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new ShellValueError("cmd", `cmd.exe cannot pass an argument with a line break: ${JSON.stringify(arg)}`);
  const quoted = windowsArg(arg, /[&|<>^()%!,;=]/.test(arg));
  let out = "";
  let inQuotes = false;
  for (const c of quoted) {
    if (c === '"') inQuotes = !inQuotes;
    if (c === "%") out += "%%";
    else if (!inQuotes && /[&|<>^()]/.test(c)) out += "^" + c;
    else out += c;
  }
  return out;
}

/** Rewrite `$X` / `${X}` references into the shell's token form. */
function convertTokens(text: string, token: (key: string) => string): string {
  return splitExpandable(text)
    .map((s) => (s.kind === "ref" ? token(s.name) : s.text))
    .join("");
}

/** cmd.exe batch syntax. References are expanded while rendering (as Rez: `expand_env_vars`). */
export class CmdShell extends WindowsShell {
  readonly name: ShellName = "cmd";
  readonly fileExtension = "bat";
  readonly defaultPrompt = "$G";
  override readonly expandsEnvVars = true;
  protected override readonly commentPrefix = "REM";
  protected override readonly evalJoiner = "&& ";
  protected override readonly evalStripsSemicolons = false;

  override pathSeparator(): string {
    return ";";
  }

  override normalizePath(path: string): string {
    return path.replace(/\//g, "\\");
  }

  override valueProblem(name: string, value: string): string | undefined {
    return /[\r\n]/.test(value) ? `the value of ${name} has a line break; in a batch file the text after it would run as a command` : undefined;
  }

  escape(value: RexString, _ctx: EscapeContext): string {
    const text = rexText(value);
    if (/[\r\n]/.test(text)) throw new ShellValueError("cmd", `cmd: a value with a line break cannot be written to a batch file: ${JSON.stringify(text)}`);
    return rexParts(value)
      .map((p) => (p.literal ? cmdEscape(p.text).replace(/%([A-Za-z0-9_]+)%/g, "%%$1%%") : cmdEscape(p.text)))
      .join("");
  }

  protected override escapeMessage(line: RexString, ctx: EscapeContext): string {
    return convertTokens(this.escape(line, ctx), (k) => this.keyToken(k));
  }

  quote(arg: string): string {
    return cmdArg(arg);
  }

  join(argv: readonly string[]): string {
    return argv.map(cmdArg).join(" ");
  }

  keyToken(key: string): string {
    return `%${key}%`;
  }

  protected setenvLine(key: string, escaped: string): string {
    return `set ${key}=${escaped}`;
  }
  protected unsetenvLine(key: string): string {
    return `set ${key}=`;
  }
  protected aliasLine(name: string, command: string): string {
    return `doskey ${name}=${command} $*`;
  }
  protected infoLine(escaped: string): string {
    return escaped === "" ? "echo." : `echo ${escaped}`;
  }
  protected errorLine(escaped: string): string {
    return `echo "${escaped}" 1>&2`;
  }
  protected sourceLine(path: RexString): string {
    return `call ${rexParts(path)
      .map((p) => p.text)
      .join("")}`;
  }
  protected commentLine(text: string): string {
    return `REM ${text}`;
  }
  protected shebangLine(): undefined {
    return undefined;
  }

  // ---- start-up

  promptActions(): RexAction[] {
    return [lineAction("set PROMPT=%REZ_ENV_PROMPT% %PROMPT%")];
  }
  // An interactive cmd (/K) stays on after the wrapper; its own exit ends it.
  exitActions(interactive: boolean): RexAction[] {
    return interactive ? [] : [lineAction("exit %errorlevel%")];
  }
  scriptArgs(path: string, options: { readonly interactive: boolean }): string[] {
    return ["/Q", options.interactive ? "/K" : "/C", `call ${path}`];
  }
}

/** Windows PowerShell 5 (`powershell`) and PowerShell 6+ (`pwsh`). References are expanded while rendering. */
export class PowerShellShell extends WindowsShell {
  readonly fileExtension = "ps1";
  readonly defaultPrompt = "> $ ";
  override readonly expandsEnvVars = true;
  protected override readonly evalJoiner = "&& ";
  protected override readonly evalStripsSemicolons = false;

  constructor(readonly name: ShellName) {
    super();
  }

  override pathSeparator(platform: NodeJS.Platform = process.platform): string {
    return this.name === "powershell" || platform === "win32" ? ";" : ":";
  }

  override normalizePath(path: string, platform: NodeJS.Platform): string {
    return platform === "win32" ? path.replace(/\//g, "\\") : path;
  }

  // Backticks are escaped too (Rez does not), so a literal backtick arrives unchanged.
  escape(value: RexString, _ctx: EscapeContext): string {
    return rexParts(value)
      .map((p) => {
        let t = p.text.replace(/`/g, "``");
        if (p.literal) t = t.replace(/\$/g, "`$");
        return t.replace(/"/g, '`"').replace(/'/g, "`'");
      })
      .join("");
  }

  protected override escapeMessage(line: RexString, ctx: EscapeContext): string {
    return convertTokens(this.escape(line, ctx), (k) => this.keyToken(k));
  }

  quote(arg: string): string {
    return "'" + arg.replace(/'/g, "''") + "'";
  }

  // Single quotes: nothing inside expands, so every argument arrives as given.
  join(argv: readonly string[]): string {
    return "& " + argv.map((a) => (a !== "" && /^[\w@%+=:,./-]+$/.test(a) ? a : this.quote(a))).join(" ");
  }

  keyToken(key: string): string {
    return `\${Env:${key}}`;
  }

  protected setenvLine(key: string, escaped: string): string {
    return `Set-Item -Path "Env:${key}" -Value "${escaped}"`;
  }
  protected override prependLine(key: string, escaped: string, sep: string): string {
    return `Set-Item -Path "Env:${key}" -Value ("${escaped}${sep}" + (Get-ChildItem -ErrorAction SilentlyContinue "Env:${key}").Value)`;
  }
  protected override appendLine(key: string, escaped: string, sep: string): string {
    return `Set-Item -Path "Env:${key}" -Value ((Get-ChildItem -ErrorAction SilentlyContinue "Env:${key}").Value + "${sep}${escaped}")`;
  }
  protected unsetenvLine(key: string): string {
    return `Remove-Item -ErrorAction SilentlyContinue "Env:${key}"`;
  }
  protected aliasLine(name: string, command: string): string {
    return `function ${name}() { ${command} @args }`;
  }
  protected infoLine(escaped: string): string {
    return `Write-Host ${escaped}`;
  }
  protected errorLine(escaped: string): string {
    return `Write-Error "${escaped}"`;
  }
  protected sourceLine(path: RexString): string {
    return `. "${rexParts(path)
      .map((p) => p.text)
      .join("")}"`;
  }
  protected commentLine(text: string): string {
    return `# ${text}`;
  }
  protected shebangLine(): undefined {
    return undefined;
  }

  // ---- start-up

  promptActions(): RexAction[] {
    return [lineAction(`Function prompt {"$Env:REZ_ENV_PROMPT"}`)];
  }
  // A native program's failure shows in $LASTEXITCODE, a cmdlet's only in $?.
  exitActions(): RexAction[] {
    return [
      lineAction(
        "$_rez_shell_command_status = $?\n" +
          "if ((Test-Path variable:LASTEXITCODE) -and $LASTEXITCODE) {\n  exit $LASTEXITCODE\n}\n" +
          "if (! $_rez_shell_command_status) {\n  exit 1\n}",
      ),
    ];
  }
  scriptArgs(path: string, options: { readonly interactive: boolean }): string[] {
    return [...(options.interactive ? ["-NoExit"] : []), "-NoLogo", "-File", path];
  }
}
