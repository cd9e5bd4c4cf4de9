import { CshShell, TcshShell } from "./csh.js";
import { FishShell } from "./fish.js";
import { BashShell, ShShell, ZshShell } from "./posix.js";
import type { ShellName, ShellRenderer } from "./types.js";
import { CmdShell, PowerShellShell } from "./windows.js";

const shells: Readonly<Record<ShellName, ShellRenderer>> = {
  bash: new BashShell(),
  zsh: new ZshShell(),
  sh: new ShShell(),
  csh: new CshShell(),
  tcsh: new TcshShell(),
  fish: new FishShell(),
  cmd: new CmdShell(),
  powershell: new PowerShellShell("powershell"),
  pwsh: new PowerShellShell("pwsh"),
};

export const shellNames: readonly ShellName[] = Object.keys(shells) as ShellName[];

/**
 * The shell whose rules (list separator, system paths, the values it can carry) an environment printed as
 * JSON follows: JSON has no syntax of its own, and these are Rez's on Linux.
 */
export const jsonFormatShellName: ShellName = "bash";

export function isShellName(name: string): name is ShellName {
  return Object.prototype.hasOwnProperty.call(shells, name);
}

/** The renderer of a shell; throws listing the known shells. */
export function getShell(name: string): ShellRenderer {
  if (!isShellName(name)) throw new Error(`Unknown shell '${name}'. Known shells: ${shellNames.join(", ")}`);
  return shells[name];
}

/** The shell to use by default on this machine: `$SHELL`'s basename if known, else bash (cmd on Windows). */
export function defaultShellName(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): ShellName {
  if (platform === "win32") return "cmd";
  const base = (env.SHELL ?? "").split("/").pop() ?? "";
  return isShellName(base) ? base : "bash";
}
