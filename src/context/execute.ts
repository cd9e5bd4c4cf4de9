// Rez's ResolvedContext.execute_shell: save the context where the shell can find it ($REZ_RXT_FILE),
// interpret it, render its code for the shell, and run a command or an interactive shell in it. `pkg env`,
// `pkg context --interpret` and the coming build scripts, suites and GUI all start environments here.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RexAction } from "../rex/index.js";
import { buildShellInvocation, checkShellValues, writeInvocationFiles } from "../shells/index.js";
import type { ShellRenderer } from "../shells/index.js";
import { runChild } from "./child.js";
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
}

function definesAlias(actions: readonly RexAction[], name: string | undefined): boolean {
  return actions.some((a) => a.type === "alias" && a.name === name);
}

/**
 * Runs the shell in the context and resolves to its exit status. The temporary context folder is removed
 * when the shell ends, whatever happens; signals sent to pkg meanwhile are passed on to the shell.
 */
export async function executeShell(context: ResolvedContext, options: ExecuteShellOptions): Promise<number> {
  const { shell, command, parentEnviron } = options;
  const tmp = mkdtempSync(join(tmpdir(), "pkg_context_"));
  try {
    const rxtFile = join(tmp, "context.rxt");
    writeFileSync(rxtFile, options.rxtText);
    const contextFile = join(tmp, `context.${shell.fileExtension}`);
    const response = await interpretContext(context, {
      ...options.interpret,
      parentEnviron,
      pathsep: shell.pathSeparator(),
      leadingVariables: [
        ["REZ_RXT_FILE", rxtFile],
        ["REZ_CONTEXT_FILE", contextFile],
      ],
    });
    checkShellValues(shell, response.environ);
    options.onInterpreted?.();
    const invocation = buildShellInvocation({
      shell,
      contextCode: shell.render(response.actions, { parentEnviron }),
      tmpDir: tmp,
      env: {
        ...parentEnviron,
        REZ_SHELL_INIT_TIMESTAMP: String(Math.floor(Date.now() / 1000)),
        REZ_SHELL_INTERACTIVE: command === undefined ? "1" : "0",
      },
      ...(command !== undefined ? { command } : {}),
      ...(Array.isArray(command) && !definesAlias(response.actions, command[0]) && !shell.instantBuiltins.has(command[0] ?? "") ? { exec: true } : {}),
      ...(options.norc ? { norc: true } : {}),
      ...(options.rcfile ? { rcfile: options.rcfile } : {}),
      ...(options.quiet ? { quiet: true } : {}),
    });
    writeInvocationFiles(invocation);
    const [program, ...args] = invocation.argv;
    if (program === undefined) throw new Error("empty shell invocation");
    return await runChild({ program, args, env: invocation.env });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
