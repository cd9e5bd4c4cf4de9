// Rez's ResolvedContext.execute_shell: save the context where the shell can find it ($REZ_RXT_FILE),
// interpret it, render its code for the shell, and run a command or an interactive shell in it. `pkg env`,
// `pkg context --interpret` and the coming build scripts, suites and GUI all start environments here.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RexAction, RexStep } from "../rex/index.js";
import { buildShellInvocation, checkShellValues, writeInvocationFiles } from "../shells/index.js";
import type { ShellRenderer } from "../shells/index.js";
import { runChild } from "./child.js";
import type { ChildOutput } from "./child.js";
import { interpretContext } from "./interpret.js";
import type { InterpretOptions } from "./interpret.js";
import type { ResolvedContext } from "./resolved-context.js";

export interface ExecuteShellOptions {
  readonly shell: ShellRenderer;
  /** Shell code, or a program and its arguments (each passed byte for byte); none: an interactive shell. */
  readonly command?: string | readonly string[];
  /** Don't read the user's startup files. */
  readonly norc?: boolean;
  /** A startup file in place of the shell's own (`ShellRenderer.rcFile`; a shell without one ignores it). */
  readonly rcfile?: string;
  /** No welcome message in an interactive shell. */
  readonly quiet?: boolean;
  /** The context as `.rxt` text, saved for the shell as $REZ_RXT_FILE. */
  readonly rxtText: string;
  /** The environment the shell starts from and the context applies on top of. */
  readonly parentEnviron: Readonly<Record<string, string>>;
  /** How to interpret the context (the variables this function sets itself aside). */
  readonly interpret: Omit<InterpretOptions, "parentEnviron" | "pathsep" | "leadingVariables">;
  /** Called once the context's code is made, before the shell runs (to let Python workers go). */
  readonly onInterpreted?: () => void;
  /** The shell's working folder (default: pkg's). */
  readonly cwd?: string;
  /** Rez's `actions_callback`: steps right after REZ_RXT_FILE / REZ_CONTEXT_FILE. */
  readonly callbackSteps?: readonly RexStep[];
  /** Rez's `post_actions_callback`: steps after the whole context. */
  readonly postSteps?: readonly RexStep[];
  /** Capture the shell's output (default: it writes to pkg's stdout and stderr). */
  readonly output?: ChildOutput;
  readonly stdin?: "inherit" | "ignore";
  /** Appended to the prompt of an interactive shell (`BUILD>`); default the shell's. */
  readonly prompt?: string;
  /** A context file to point REZ_RXT_FILE at instead of a temporary copy of `rxtText` (a build's build.rxt). */
  readonly rxtFile?: string;
  /** Words run before the shell itself (Rez's pre_command: a terminal emulator, a wrapper such as strace). */
  readonly preCommand?: readonly string[];
  /** The shell in a session of its own (Rez's start_new_session). */
  readonly newSession?: boolean;
  /** Keep the generated files when the shell ends (a detached terminal may read them after pkg returns). */
  readonly keepFiles?: boolean;
}

function definesAlias(actions: readonly RexAction[], name: string | undefined): boolean {
  return actions.some((a) => a.type === "alias" && a.name === name);
}

/** One run of a shell in an interpreted environment. */
export interface ShellRunOptions {
  readonly command?: string | readonly string[];
  readonly norc?: boolean;
  readonly rcfile?: string;
  readonly quiet?: boolean;
  readonly prompt?: string;
  readonly cwd?: string;
  readonly output?: ChildOutput;
  readonly stdin?: "inherit" | "ignore";
  readonly preCommand?: readonly string[];
  readonly newSession?: boolean;
}

/** A context interpreted once for a shell, to run one or more commands in (a build runs several). */
export interface ShellEnvironment {
  /** The variables after the context's actions (expanded). */
  readonly environ: Readonly<Record<string, string>>;
  readonly actions: readonly RexAction[];
  /** Resolves to the shell's exit status. One run at a time (they share the generated files). */
  run(options: ShellRunOptions): Promise<number>;
  /** Removes the temporary files; the environment cannot run anything afterwards. */
  close(): void;
}

export type ShellEnvironmentOptions = Omit<ExecuteShellOptions, "command" | "norc" | "rcfile" | "quiet" | "prompt" | "cwd" | "output" | "stdin" | "preCommand" | "newSession" | "keepFiles">;

/** Interprets the context for the shell (saving it where the shell finds it) without running anything yet. */
export async function openShellEnvironment(context: ResolvedContext, options: ShellEnvironmentOptions): Promise<ShellEnvironment> {
  const { shell, parentEnviron } = options;
  const tmp = mkdtempSync(join(tmpdir(), "pkg_context_"));
  try {
    let rxtFile = options.rxtFile;
    if (rxtFile === undefined) {
      rxtFile = join(tmp, "context.rxt");
      writeFileSync(rxtFile, options.rxtText);
    }
    const contextFile = join(tmp, `context.${shell.fileExtension}`);
    const response = await interpretContext(context, {
      ...options.interpret,
      parentEnviron,
      pathsep: shell.pathSeparator(),
      leadingVariables: [
        ["REZ_RXT_FILE", rxtFile],
        ["REZ_CONTEXT_FILE", contextFile],
      ],
      ...(options.callbackSteps ? { callbackSteps: options.callbackSteps } : {}),
      ...(options.postSteps ? { postSteps: options.postSteps } : {}),
    });
    checkShellValues(shell, response.environ);
    options.onInterpreted?.();
    const contextCode = shell.render(response.actions, { parentEnviron });
    return {
      environ: response.environ,
      actions: response.actions,
      run: async (run: ShellRunOptions): Promise<number> => {
        const { command } = run;
        const invocation = buildShellInvocation({
          shell,
          contextCode,
          tmpDir: tmp,
          env: {
            ...parentEnviron,
            REZ_SHELL_INIT_TIMESTAMP: String(Math.floor(Date.now() / 1000)),
            REZ_SHELL_INTERACTIVE: command === undefined ? "1" : "0",
          },
          ...(command !== undefined ? { command } : {}),
          ...(Array.isArray(command) && !definesAlias(response.actions, command[0]) && !shell.instantBuiltins.has(command[0] ?? "") ? { exec: true } : {}),
          ...(run.norc ? { norc: true } : {}),
          ...(run.rcfile ? { rcfile: run.rcfile } : {}),
          ...(run.quiet ? { quiet: true } : {}),
          ...(run.prompt !== undefined ? { prompt: run.prompt } : {}),
        });
        writeInvocationFiles(invocation);
        const [program, ...args] = [...(run.preCommand ?? []), ...invocation.argv];
        if (program === undefined) throw new Error("empty shell invocation");
        return runChild({
          program,
          args,
          env: invocation.env,
          ...(run.cwd !== undefined ? { cwd: run.cwd } : {}),
          ...(run.output ? { output: run.output } : {}),
          ...(run.stdin ? { stdin: run.stdin } : {}),
          ...(run.newSession ? { newSession: true } : {}),
        });
      },
      close: () => rmSync(tmp, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs the shell in the context and resolves to its exit status. The temporary context folder is removed
 * when the shell ends, whatever happens; signals sent to pkg meanwhile are passed on to the shell.
 */
export async function executeShell(context: ResolvedContext, options: ExecuteShellOptions): Promise<number> {
  const environment = await openShellEnvironment(context, options);
  try {
    return await environment.run({
      ...(options.command !== undefined ? { command: options.command } : {}),
      ...(options.norc ? { norc: true } : {}),
      ...(options.rcfile ? { rcfile: options.rcfile } : {}),
      // as Rez's execute_shell: without pkg's own command on PATH the shell starts without the welcome message
      ...(options.quiet || options.interpret.toolsVisibility === "never" ? { quiet: true } : {}),
      ...(options.prompt !== undefined ? { prompt: options.prompt } : {}),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.output ? { output: options.output } : {}),
      ...(options.stdin ? { stdin: options.stdin } : {}),
      ...(options.preCommand?.length ? { preCommand: options.preCommand } : {}),
      ...(options.newSession ? { newSession: true } : {}),
    });
  } finally {
    if (!options.keepFiles) environment.close();
  }
}
