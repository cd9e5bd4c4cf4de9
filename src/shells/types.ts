import type { RexAction } from "../rex/index.js";

export type ShellName = "bash" | "zsh" | "sh" | "csh" | "tcsh" | "fish" | "cmd" | "powershell" | "pwsh";

/** Which startup / spawning logic a shell uses. */
export type ShellFamily = "posix" | "csh" | "fish" | "cmd" | "powershell";

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

export interface ShellRenderer {
  readonly name: ShellName;
  readonly family: ShellFamily;
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
  /** Text added to `REZ_ENV_PROMPT` in a spawned shell. */
  readonly defaultPrompt: string;
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
}
