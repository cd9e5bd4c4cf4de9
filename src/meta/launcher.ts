// pkg's own command inside a resolved environment (Rez's rez_tools_visibility). A folder holding only a `pkg`
// launcher that runs this very node and script, so the environment's PATH gains nothing else and the
// command works whatever node the environment's PATH finds, or whether it finds one at all.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** POSIX single quotes: the launcher's paths are data, never shell syntax. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** cmd.exe double quotes; `%` doubled so no variable is expanded. */
function cmdQuoted(text: string): string {
  return `"${text.replace(/%/g, "%%")}"`;
}

export interface LauncherTarget {
  /** The node executable (process.execPath). */
  readonly node: string;
  /** pkg's script (the bundle). */
  readonly script: string;
}

/**
 * The folder of a `pkg` launcher for `target` under `cacheDir`, written the first time (to a temporary name,
 * then renamed). One folder per node and script, so two installs of pkg never share one.
 */
export function pkgLauncherFolder(cacheDir: string, target: LauncherTarget): string {
  const key = createHash("sha1").update(`${target.node}\0${target.script}`).digest("hex").slice(0, 16);
  const folder = join(cacheDir, "tools", key);
  const posix = join(folder, "pkg");
  if (existsSync(posix)) return folder;
  mkdirSync(folder, { recursive: true });
  const files: [string, string][] = [
    [join(folder, "pkg.cmd"), `@${cmdQuoted(target.node)} ${cmdQuoted(target.script)} %*\r\n`],
    // last: its presence says the folder is complete
    [posix, `#!/bin/sh\nexec ${shellQuoted(target.node)} ${shellQuoted(target.script)} "$@"\n`],
  ];
  for (const [file, text] of files) {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text, { mode: 0o755 });
    chmodSync(temp, 0o755);
    renameSync(temp, file);
  }
  return folder;
}
