// Start-up shared by the shells that run on Unix (sh, bash, zsh, csh, tcsh, fish), after Rez's UnixShell:
// the wrapper script sources the context and runs the command, or hijacks a startup file of an
// interactive shell it then starts.
import type { RexAction } from "../rex/index.js";
import { BaseShell, lineAction } from "./base.js";
import type { InteractiveStartup, StartupRequest } from "./types.js";

export abstract class UnixShell extends BaseShell {
  /** Rez's `last_command_status`: the reference to the status of the last command. */
  protected readonly lastCommandStatus: string = "$?";
  /**
   * Arguments that keep the shell from reading the user's startup files when it runs a script. Empty where
   * a script reads none anyway (bash reads only `$BASH_ENV`, which no argument turns off).
   */
  protected readonly scriptNoRcArgs: readonly string[] = [];

  /** Code that sources `path` if that file exists. */
  protected abstract sourceIfExists(path: string): RexAction;
  /** The user's startup files a command sources after the context (Rez's `get_startup_sequence`). */
  protected commandStartupFiles(_request: StartupRequest): RexAction[] {
    return [];
  }

  abstract override interactiveStartup(request: StartupRequest): InteractiveStartup;

  systemPathsProbe(marker: string): readonly string[] {
    return [...this.noRcArgs, "-c", `echo ${marker} $PATH`];
  }

  // As Rez: a command reads the user's startup files too, and sees the prompt (an exported PS1) bound.
  commandStartup(request: StartupRequest): RexAction[] {
    return [...this.commandStartupFiles(request), ...(request.prompt ? this.promptActions(request.env) : [])];
  }

  // `exec`: a signal sent to the shell's process then reaches the command itself.
  argvCommand(argv: readonly string[], replace: boolean): string {
    return (replace ? "exec " : "") + this.join(argv);
  }

  exitActions(_interactive: boolean): RexAction[] {
    return [lineAction(`exit ${this.lastCommandStatus}`)];
  }

  // As Rez, the shell reads its own start files (.zshenv, .tcshrc) before a command's wrapper even with norc.
  scriptArgs(path: string, options: { readonly interactive: boolean; readonly norc: boolean }): string[] {
    return [...(options.interactive ? this.scriptNoRcArgs : []), path];
  }
}
