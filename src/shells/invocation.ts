import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { RexAction } from "../rex/index.js";
import { literal } from "../rex/index.js";
import { findExecutable } from "./base.js";
import { getShell } from "./registry.js";
import type { GeneratedFile, ShellName, ShellRenderer, StartupRequest } from "./types.js";

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
  /** A startup file in place of the shell's own (`ShellRenderer.rcFile`; shells without one ignore it). */
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

export interface ShellInvocation {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Files to write before spawning (see `writeInvocationFiles`). */
  readonly files: readonly GeneratedFile[];
}

export const defaultShellMessage = "You are now in a pkg-configured environment.";

const SETUP_FAILED = "pkg: the environment setup stopped before its end (the shell's message is above); nothing was run";
const SOURCED_MARK = "__pkg_context_sourced";

const line = (command: string): RexAction => ({ type: "command", command });
const src = (path: string): RexAction => ({ type: "source", path: literal(path) });

/**
 * The wrapper script and files that source a context and then run a command or an interactive shell,
 * with the argv and environment to spawn. Pure: nothing is written. Every step that differs between
 * shells is the shell's own (see the start-up methods of ShellRenderer); this only puts them in order.
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
  const norc = request.norc ?? false;
  const files: GeneratedFile[] = [];
  const contextFile = join(tmp, `context.${ext}`);
  const check = shell.setupCheck(SOURCED_MARK, { type: "error", message: literal(SETUP_FAILED) });
  files.push({ path: contextFile, content: request.contextCode + (check ? check.mark + "\n" : "") });
  // The context, then a check that all of it ran: a shell that stops a sourced file half-way (at an
  // error) must not go on to the command with half an environment.
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
  const startupScript = (userFiles: readonly RexAction[], extra: readonly RexAction[] = []): string =>
    render([
      ...(first ? sourceContext() : []),
      ...(norc ? [] : userFiles),
      ...(first ? [] : sourceContext()),
      ...extra,
      ...shell.promptActions(env),
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
        { literal: true, text: shell.promptLiteral(prompt) },
      ],
    });
  }

  const startup: StartupRequest = {
    env,
    home,
    tmpDir: tmp,
    norc,
    ...(request.rcfile !== undefined ? { rcfile: request.rcfile } : {}),
    prompt: request.prompt !== false,
    startupScript,
  };
  const hijack = interactive ? shell.interactiveStartup(startup) : undefined;
  if (hijack === undefined) {
    wrapper.push(...sourceContext());
    if (interactive) wrapper.push(...shell.promptActions(env), ...welcome);
    else wrapper.push(...shell.commandStartup(startup));
    const command = request.command;
    if (command !== undefined && command !== "") {
      wrapper.push(line(typeof command === "string" ? command : shell.argvCommand(command, request.exec === true)));
    }
  } else {
    // The wrapper only starts the interactive shell, which reads the generated startup files.
    files.push(...hijack.files);
    wrapper.push(...hijack.before);
    wrapper.push(line([shell.quote(exe), ...hijack.args.map((a) => shell.quote(a))].join(" ")));
  }
  wrapper.push(...shell.exitActions(interactive));
  const wrapperFile = join(tmp, `rez-shell.${ext}`);
  files.push({ path: wrapperFile, content: render(wrapper) });
  return { argv: [exe, ...shell.scriptArgs(wrapperFile, { interactive, norc })], env, files };
}

/** Write the generated files (creating directories). */
export function writeInvocationFiles(invocation: ShellInvocation): void {
  for (const f of invocation.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
}
