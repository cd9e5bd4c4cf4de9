import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { RexAction } from "../rex/index.js";
import { literal } from "../rex/index.js";
import { findExecutable } from "./base.js";
import { getShell } from "./registry.js";
import type { ShellName, ShellRenderer } from "./types.js";

export interface ShellInvocationRequest {
  readonly shell: ShellName | ShellRenderer;
  /** The context's code, rendered for the same shell (file style). */
  readonly contextCode: string;
  /**
   * What to run after the context is sourced: a line of shell code, or an argv list quoted with the
   * shell's `join` (so `$VAR` in arguments expands in the new environment, as in Rez). `undefined`
   * starts an interactive shell; `""` runs nothing and exits.
   */
  readonly command?: string | readonly string[];
  /**
   * Run an argv command in place of the shell (`exec`), so that a signal sent to the shell's process reaches
   * the command itself. Only for programs: an alias or function of the context needs the shell.
   */
  readonly exec?: boolean;
  /** Directory for the generated files (the caller creates and removes it). */
  readonly tmpDir: string;
  /** Appended to `REZ_ENV_PROMPT` (default: the shell's, e.g. `>`); `false` leaves the prompt alone. */
  readonly prompt?: string | false;
  /** Don't source the user's startup files. */
  readonly norc?: boolean;
  /** bash only: a custom startup file instead of `~/.bashrc`. */
  readonly rcfile?: string;
  /** No welcome message. */
  readonly quiet?: boolean;
  /** Welcome message of an interactive shell. */
  readonly message?: string;
  /** Source the context before the user's startup files (Rez `package_commands_sourced_first`, default true). */
  readonly packageCommandsSourcedFirst?: boolean;
  /** Environment the shell starts from (default: this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of the shell program (default: found on PATH). */
  readonly executable?: string;
}

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export interface ShellInvocation {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Files to write before spawning (see `writeInvocationFiles`). */
  readonly files: readonly GeneratedFile[];
}

export const defaultShellMessage = "You are now in a pkg-configured environment.";

const cmd = (command: string): RexAction => ({ type: "command", command });
const src = (path: string): RexAction => ({ type: "source", path: literal(path) });

/** How the shell reads its startup files in an interactive session, and the code that re-creates that. */
interface Startup {
  /** Lines run in the wrapper before the interactive shell starts. */
  readonly before: RexAction[];
  /** Arguments of the interactive shell. */
  readonly args: string[];
}

/**
 * The wrapper script and files that source a context and then run a command or an interactive shell,
 * with the argv and environment to spawn. Pure: nothing is written.
 */
export function buildShellInvocation(request: ShellInvocationRequest): ShellInvocation {
  const shell = typeof request.shell === "string" ? getShell(request.shell) : request.shell;
  const baseEnv = request.env ?? process.env;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
  const exe = request.executable ?? findExecutable(shell.executableName, env.PATH) ?? shell.executableName;
  const home = env.HOME ?? homedir();
  const ext = shell.fileExtension;
  const tmp = request.tmpDir;
  const files: GeneratedFile[] = [];
  const contextFile = join(tmp, `context.${ext}`);
  const check = setupCheck(shell);
  files.push({ path: contextFile, content: request.contextCode + (check ? check.mark + "\n" : "") });
  // The context, then a check that all of it ran: a shell that stops a sourced file half-way (tcsh at
  // an error) must not go on to the command with half an environment.
  const sourceContext = (): RexAction[] => [src(contextFile), ...(check ? check.verify : [])];
  const first = request.packageCommandsSourcedFirst ?? true;
  const interactive = request.command === undefined;
  const render = (actions: RexAction[]): string => shell.render(actions, { parentEnviron: env, homeDir: home, executable: exe });

  const welcome: RexAction[] =
    request.quiet || !interactive
      ? []
      : [
          { type: "info", message: "" },
          { type: "info", message: literal(request.message ?? defaultShellMessage) },
          { type: "info", message: "" },
        ];

  /** Context, user startup files (as shell code that checks they exist), context, prompt, welcome. */
  const startupScript = (userFiles: RexAction[], extra: RexAction[] = []): string =>
    render([
      ...(first ? sourceContext() : []),
      ...(request.norc ? [] : userFiles),
      ...(first ? [] : sourceContext()),
      ...extra,
      ...promptActions(shell, env),
      ...welcome,
    ]);

  const wrapper: RexAction[] = [];
  if (request.prompt !== false) {
    const prompt = request.prompt ?? shell.defaultPrompt;
    wrapper.push({ type: "saferefenv", key: "REZ_ENV_PROMPT" });
    wrapper.push({
      type: "setenv",
      key: "REZ_ENV_PROMPT",
      value: [
        { literal: false, text: "${REZ_ENV_PROMPT}" },
        { literal: true, text: prompt },
      ],
    });
  }

  let argv: string[];
  const wrapperFile = join(tmp, `rez-shell.${ext}`);

  if (!interactive || shell.family === "cmd" || shell.family === "powershell") {
    wrapper.push(...sourceContext());
    if (!interactive && (shell.family === "posix" || shell.family === "csh")) {
      // Rez's command mode also reads the shell's startup files and binds the prompt (exported PS1).
      wrapper.push(...commandStartup(shell, request.norc ?? false, env, home));
      if (request.prompt !== false) wrapper.push(...promptActions(shell, env));
    }
    if (interactive) wrapper.push(...promptActions(shell, env), ...welcome);
    const command = request.command;
    if (command !== undefined && command !== "") {
      const replaces = request.exec === true && typeof command !== "string" && shell.family !== "cmd" && shell.family !== "powershell";
      wrapper.push(cmd(typeof command === "string" ? command : (replaces ? "exec " : "") + shell.join(command)));
    }
    if (shell.family === "cmd") {
      if (!interactive) wrapper.push(cmd("exit %errorlevel%"));
      argv = [exe, "/Q", interactive ? "/K" : "/C", `call ${wrapperFile}`];
    } else if (shell.family === "powershell") {
      wrapper.push(
        cmd(
          "$_rez_shell_command_status = $?\n" +
            "if ((Test-Path variable:LASTEXITCODE) -and $LASTEXITCODE) {\n  exit $LASTEXITCODE\n}\n" +
            "if (! $_rez_shell_command_status) {\n  exit 1\n}",
        ),
      );
      argv = [exe, ...(interactive ? ["-NoExit"] : []), "-NoLogo", "-File", wrapperFile];
    } else {
      wrapper.push(cmd(shell.family === "csh" || shell.family === "fish" ? "exit $status" : "exit $?"));
      // As Rez, the shell reads its own start files (.zshenv, .tcshrc) even with norc; only fish skips them.
      argv = [exe, ...(shell.family === "fish" ? scriptFlags(shell, request.norc ?? false) : []), wrapperFile];
    }
    files.push({ path: wrapperFile, content: render(wrapper) });
    return { argv, env, files };
  }

  const startup = interactiveStartup(shell, { request, home, env, tmp, files, startupScript });
  wrapper.push(...startup.before);
  wrapper.push(cmd([shell.quote(exe), ...startup.args.map((a) => shell.quote(a))].join(" ")));
  wrapper.push(cmd(shell.family === "csh" || shell.family === "fish" ? "exit $status" : "exit $?"));
  files.push({ path: wrapperFile, content: render(wrapper) });
  // The wrapper itself skips the user's startup files: the interactive shell reads them.
  argv = [exe, ...scriptFlags(shell, true), wrapperFile];
  return { argv, env, files };
}

const SETUP_FAILED = "pkg: the environment setup stopped before its end (the shell's message is above); nothing was run";
const SOURCED_MARK = "__pkg_context_sourced";

/** The last line of a context file, and the wrapper's check after sourcing it that the line ran. */
function setupCheck(shell: ShellRenderer): { mark: string; verify: RexAction[] } | undefined {
  const fail: RexAction = { type: "error", message: literal(SETUP_FAILED) };
  switch (shell.family) {
    case "posix":
      return {
        mark: `${SOURCED_MARK}=1`,
        verify: [cmd(`if [ -z "\${${SOURCED_MARK}-}" ]; then`), fail, cmd("exit 1"), cmd("fi"), cmd(`unset ${SOURCED_MARK}`)],
      };
    case "csh":
      return {
        mark: `set ${SOURCED_MARK}`,
        verify: [cmd(`if (! $?${SOURCED_MARK}) then`), fail, cmd("exit 1"), cmd("endif"), cmd(`unset ${SOURCED_MARK}`)],
      };
    case "fish":
      return {
        mark: `set -g ${SOURCED_MARK} 1`,
        verify: [cmd(`if not set -q ${SOURCED_MARK}`), fail, cmd("exit 1"), cmd("end"), cmd(`set -e ${SOURCED_MARK}`)],
      };
    default:
      return undefined;
  }
}

/** Flags for running the wrapper script itself without the user's startup files. */
function scriptFlags(shell: ShellRenderer, norc: boolean): string[] {
  if (!norc) return [];
  if (shell.family === "csh") return ["-f"];
  if (shell.family === "fish") return ["--no-config"];
  if (shell.name === "zsh") return ["--no-rcs"];
  return [];
}

/** An existing-file guard around `source`, in the shell's syntax. */
function sourceIfExists(shell: ShellRenderer, path: string): RexAction {
  const q = shell.quote(path);
  switch (shell.family) {
    case "csh":
      return cmd(`if (-f ${q}) source ${q}`);
    case "fish":
      return cmd(`test -f ${q}; and source ${q}`);
    default:
      return cmd(`if [ -f ${q} ]; then . ${q}; fi`);
  }
}

/**
 * Rez's `get_startup_sequence` for a command: bash sources `$BASH_ENV` again after the context and
 * unsets it; zsh and csh source the user's startup files; sh reads none.
 */
function commandStartup(shell: ShellRenderer, norc: boolean, env: Readonly<Record<string, string>>, home: string): RexAction[] {
  const user = (name: string): string => join(home, name);
  switch (shell.name) {
    case "bash": {
      const bashEnv = env.BASH_ENV;
      const path = bashEnv !== undefined && bashEnv.startsWith("~") ? home + bashEnv.slice(1) : bashEnv;
      return [...(path ? [sourceIfExists(shell, path)] : []), { type: "unsetenv", key: "BASH_ENV" }];
    }
    case "zsh":
      return norc ? [] : [".zprofile", ".zlogin", ".zshrc", ".zshenv"].map((f) => sourceIfExists(shell, user(f)));
    case "csh":
    case "tcsh":
      return norc ? [] : [".tcshrc", ".cshrc", ".login", ".cshdirs"].map((f) => sourceIfExists(shell, user(f)));
    default:
      return [];
  }
}

/** Rez's prompt binding (`_bind_interactive_rez`), prefix style. */
function promptActions(shell: ShellRenderer, env: Readonly<Record<string, string>>): RexAction[] {
  switch (shell.name) {
    case "bash":
    case "sh":
      return [
        cmd(`if [ -z "$REZ_STORED_PROMPT_SH" ]; then export REZ_STORED_PROMPT_SH="$PS1"; fi`),
        cmd(`export PS1="\\[\\e[1m\\]$REZ_ENV_PROMPT\\[\\e[0m\\] $REZ_STORED_PROMPT_SH"`),
      ];
    case "zsh":
      return [
        cmd(`if [ -z "$REZ_STORED_PROMPT_SH" ]; then export REZ_STORED_PROMPT_SH="$PS1"; fi`),
        cmd(`export PS1="%{%B%}$REZ_ENV_PROMPT%{%b%} $REZ_STORED_PROMPT_SH"`),
      ];
    case "csh":
    case "tcsh": {
      // As Rez: the prompt to keep comes from the environment (csh's own `prompt` is a shell
      // variable), and is stored with the double quotes around it.
      const stored = env.REZ_STORED_PROMPT_CSH;
      const current = stored || env.prompt || "[%m %c]%# ";
      return [
        ...(stored ? [] : [{ type: "setenv", key: "REZ_STORED_PROMPT_CSH", value: literal(`"${current}"`) } satisfies RexAction]),
        cmd(`set prompt="$REZ_ENV_PROMPT "${shell.quote(current)}`),
      ];
    }
    case "fish":
      return [
        cmd(
          "if functions -q fish_prompt; and not functions -q __pkg_stored_fish_prompt; " +
            "functions -c fish_prompt __pkg_stored_fish_prompt; end",
        ),
        cmd(
          "function fish_prompt; printf '%s ' \"$REZ_ENV_PROMPT\"; " +
            "functions -q __pkg_stored_fish_prompt; and __pkg_stored_fish_prompt; end",
        ),
      ];
    case "cmd":
      return [cmd("set PROMPT=%REZ_ENV_PROMPT% %PROMPT%")];
    case "powershell":
    case "pwsh":
      return [cmd(`Function prompt {"$Env:REZ_ENV_PROMPT"}`)];
  }
}

interface StartupContext {
  readonly request: ShellInvocationRequest;
  readonly home: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tmp: string;
  readonly files: GeneratedFile[];
  readonly startupScript: (userFiles: RexAction[], extra?: RexAction[]) => string;
}

/** Per-shell startup-file hijack (Rez §5.4): the interactive shell reads our file, which reads the user's. */
function interactiveStartup(shell: ShellRenderer, c: StartupContext): Startup {
  const { request, home, env, tmp, files, startupScript } = c;
  const user = (name: string): string => join(home, name);
  switch (shell.name) {
    case "bash": {
      // --rcfile: bash reads our file instead of ~/.bashrc.
      const rc = join(tmp, "rcfile.sh");
      files.push({ path: rc, content: startupScript([sourceIfExists(shell, request.rcfile ?? user(".bashrc"))]) });
      return { before: [], args: ["--rcfile", rc, "-i"] };
    }
    case "sh": {
      // $ENV: an interactive sh sources the file it names.
      const rc = join(tmp, "ENV.sh");
      const userFiles = [sourceIfExists(shell, user(".profile"))];
      if (env.ENV) userFiles.push(sourceIfExists(shell, env.ENV));
      files.push({ path: rc, content: startupScript(userFiles, [{ type: "unsetenv", key: "ENV" }]) });
      return { before: [{ type: "setenv", key: "ENV", value: literal(rc) }], args: ["-i"] };
    }
    case "zsh": {
      // $ZDOTDIR: zsh reads .zshenv and .zshrc from there; ours source the user's and restore ZDOTDIR.
      const realDir = env.ZDOTDIR ?? home;
      const dot = join(tmp, "zdotdir");
      const restore: RexAction =
        env.ZDOTDIR !== undefined
          ? { type: "setenv", key: "ZDOTDIR", value: literal(env.ZDOTDIR) }
          : { type: "unsetenv", key: "ZDOTDIR" };
      files.push({
        path: join(dot, ".zshenv"),
        content: shell.render(request.norc ? [] : [sourceIfExists(shell, join(realDir, ".zshenv"))]),
      });
      files.push({
        path: join(dot, ".zshrc"),
        content: startupScript([sourceIfExists(shell, join(realDir, ".zshrc"))], [restore]),
      });
      return { before: [{ type: "setenv", key: "ZDOTDIR", value: literal(dot) }], args: ["-i"] };
    }
    case "csh":
    case "tcsh": {
      // $HOME: csh reads ~/.cshrc (tcsh ~/.tcshrc first); ours restore HOME and source the user's.
      const fakeHome = join(tmp, "home");
      const restoreHome: RexAction[] = [
        { type: "setenv", key: "HOME", value: literal(home) },
        cmd(`set home=${shell.quote(home)}`),
      ];
      const userRc =
        shell.name === "tcsh"
          ? [
              cmd(`if (-f ${shell.quote(user(".tcshrc"))}) then`),
              cmd(`source ${shell.quote(user(".tcshrc"))}`),
              cmd(`else if (-f ${shell.quote(user(".cshrc"))}) then`),
              cmd(`source ${shell.quote(user(".cshrc"))}`),
              cmd(`endif`),
            ]
          : [sourceIfExists(shell, user(".cshrc"))];
      const content = shell.render([
        ...restoreHome,
        { type: "command", command: startupScript(userRc).trimEnd() },
      ]);
      files.push({ path: join(fakeHome, ".tcshrc"), content });
      files.push({ path: join(fakeHome, ".cshrc"), content });
      return { before: [{ type: "setenv", key: "HOME", value: literal(fakeHome) }], args: ["-i"] };
    }
    case "fish": {
      // fish has no rcfile switch: the context is sourced by an init command, after the user's config.
      const rc = join(tmp, "rcfile.fish");
      files.push({ path: rc, content: startupScript([], []) });
      return { before: [], args: [...(request.norc ? ["--no-config"] : []), "-i", "-C", `source ${shell.quote(rc)}`] };
    }
    default:
      throw new Error(`No interactive startup for shell '${shell.name}'`);
  }
}

/** Write the generated files (creating directories). */
export function writeInvocationFiles(invocation: ShellInvocation): void {
  for (const f of invocation.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
}
