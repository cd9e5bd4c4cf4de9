import type { RexAction } from "../rex/index.js";

/** The shells pkg ships (see the registry); a plugin of its own may carry any other name. */
export type ShellName = "bash" | "zsh" | "sh" | "csh" | "tcsh" | "fish" | "cmd" | "powershell" | "pwsh";

/** `file`: one action per line; `eval`: comments dropped, one line joined for `eval "$(…)"`. */
export type OutputStyle = "file" | "eval";

export interface RenderOptions {
  readonly style?: OutputStyle;
  /** Per-variable separators (Rez `env_var_separators`); default Rez's (`CMAKE_MODULE_PATH: ";"`, `DOXYGEN_TAGFILES: " "`). */
  readonly envVarSeparators?: Readonly<Record<string, string>>;
  /** Default separator; defaults to the shell's own for `platform`. */
  readonly pathSeparator?: string;
  /** fnmatch patterns of path-like variables whose expandable parts are path-normalised (default `["*PATH"]`). */
  readonly pathedEnvVars?: readonly string[];
  /** Parent environment, for shells that expand references while rendering (cmd, powershell, pwsh). */
  readonly parentEnviron?: Readonly<Record<string, string | undefined>>;
  /** Home directory for a leading `~` in expandable parts (default: the current user's). */
  readonly homeDir?: string;
  /** Path written by `shebang` (default: the shell found on PATH). */
  readonly executable?: string;
  /** Target platform, for separators and Windows path normalisation (default: this process's). */
  readonly platform?: NodeJS.Platform;
}

/** A file the invocation writes before the shell starts (the wrapper script, startup files). */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** What a shell's start-up is given by the invocation that composes it. */
export interface StartupRequest {
  /** The environment the shell starts from. */
  readonly env: Readonly<Record<string, string>>;
  /** The user's home folder. */
  readonly home: string;
  /** Folder for the generated startup files. */
  readonly tmpDir: string;
  /** Don't source the user's startup files. */
  readonly norc: boolean;
  /** A startup file in place of the shell's own {@link ShellRenderer.rcFile}. */
  readonly rcfile?: string;
  /** Bind `REZ_ENV_PROMPT` into the prompt (off when the caller leaves the prompt alone). */
  readonly prompt: boolean;
  /**
   * The text of a startup file that sets the session up: the context and the user's startup files
   * `userFiles` (left out with norc) in the configured order, then `extra`, the prompt and the welcome.
   */
  readonly startupScript: (userFiles: readonly RexAction[], extra?: readonly RexAction[]) => string;
}

/** Rez's startup-file hijack: how an interactive shell is made to read a generated file that reads the user's. */
export interface InteractiveStartup {
  /** Actions of the wrapper before it starts the interactive shell (e.g. pointing `$ENV` at a generated file). */
  readonly before: readonly RexAction[];
  /** Arguments of the interactive shell. */
  readonly args: readonly string[];
  readonly files: readonly GeneratedFile[];
}

/** The last line of a context file, and the actions that check after sourcing it that the line ran. */
export interface SetupCheck {
  readonly mark: string;
  readonly verify: readonly RexAction[];
}

export interface ShellRenderer {
  readonly name: string;
  /** Program name looked up on PATH. */
  readonly executableName: string;
  readonly fileExtension: string;
  /** True if `$VAR` references are resolved while rendering instead of by the shell (cmd, PowerShell). */
  readonly expandsEnvVars: boolean;
  /**
   * Commands the shell runs itself and at once (`true`, `echo`, …): `exec` would only make it search PATH
   * for a program of that name, and there is nothing to pass a signal to.
   */
  readonly instantBuiltins: ReadonlySet<string>;
  /** Arguments that start the shell without reading the user's startup files (for `-c` probes). */
  readonly noRcArgs: readonly string[];
  /** The user's startup file (in the home folder) that an `rcfile` replaces; undefined: the shell takes no rcfile. */
  readonly rcFile: string | undefined;
  /** Text added to `REZ_ENV_PROMPT` in a spawned shell. */
  readonly defaultPrompt: string;
  /** The prompt text as it is stored in `REZ_ENV_PROMPT`, which the shell's prompt expands (zsh: `%` doubled). */
  promptLiteral(prompt: string): string;
  /** Default list separator of path-like variables on `platform`. */
  pathSeparator(platform?: NodeJS.Platform): string;
  /** Shell code for a list of actions. */
  render(actions: readonly RexAction[], options?: RenderOptions): string;
  /** One argument quoted so it arrives byte-for-byte. */
  quote(arg: string): string;
  /**
   * A command line for `-- cmd args`: every argument arrives byte for byte, `$VAR` included. Rez keeps
   * `$VAR` live there, which pastes a package's value into the command line as code.
   */
  join(argv: readonly string[]): string;
  /** Why this shell cannot carry `value`, the final value of variable `name`; undefined when it can. */
  valueProblem(name: string, value: string): string | undefined;
  /** The shell's reference to a variable, e.g. `${K}`, `%K%`, `${Env:K}`. */
  keyToken(key: string): string;

  // ---- start-up: what the invocation composes into a wrapper script and the argv that runs it

  /**
   * Arguments that make the shell print `marker` and then its `$PATH` (started with no PATH and no user
   * startup files), for Rez's system paths; undefined: the shell has none of its own (Windows' PATH is the system's).
   */
  systemPathsProbe(marker: string): readonly string[] | undefined;
  /**
   * The line to end a context file with, setting `variable`, and the check after sourcing it that `variable`
   * is set, else `failure` and exit 1; undefined: the shell never stops a sourced file half-way.
   */
  setupCheck(variable: string, failure: RexAction): SetupCheck | undefined;
  /** Rez's prompt binding: code that shows `$REZ_ENV_PROMPT` in front of the prompt the user had. */
  promptActions(env: Readonly<Record<string, string>>): RexAction[];
  /** Rez's start-up sequence for a command: what runs after the context and before the command (the user's startup files, the prompt). */
  commandStartup(request: StartupRequest): RexAction[];
  /**
   * The start-up of an interactive shell, which the wrapper then starts; undefined: the wrapper sources the
   * context itself and stays on as the interactive shell ({@link scriptArgs} with `interactive`).
   */
  interactiveStartup(request: StartupRequest): InteractiveStartup | undefined;
  /** The line that runs `argv`; `replace`: in place of the shell (`exec`) where the shell can do that. */
  argvCommand(argv: readonly string[], replace: boolean): string;
  /** The wrapper's last lines: leave with the status of the last command. */
  exitActions(interactive: boolean): RexAction[];
  /**
   * The arguments, after the program, that run the wrapper script `path`. `interactive`: the wrapper starts
   * the interactive session (and so must not read the user's startup files itself).
   */
  scriptArgs(path: string, options: { readonly interactive: boolean; readonly norc: boolean }): string[];
}
