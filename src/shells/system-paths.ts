// Rez's `get_syspaths`: the PATH a shell starts with when PATH is unset, plus Python's os.defpath
// (`/bin:/usr/bin`). Finding it costs a process, so it is kept per shell executable in a sealed cache file.
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { readSealedFile, writeSealedFile } from "../cache/index.js";
import { findExecutable } from "./base.js";
import type { ShellRenderer } from "./types.js";

const DEFAULT_PATHS = ["/bin", "/usr/bin"];
const MARKER = "__PATHS_";

export interface SystemPathsOptions {
  /** pkg's cache folder; the result is kept in `<cacheDir>/syspaths/<shell>.json`. */
  readonly cacheDir?: string;
  /** The environment to look the shell up in and to start it with (without PATH). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The system paths of `shell` (none for a shell without a probe, e.g. on Windows, whose PATH is the system's). */
export function detectSystemPaths(shell: ShellRenderer, options: SystemPathsOptions = {}): string[] {
  const probe = shell.systemPathsProbe(MARKER);
  if (probe === undefined) return [];
  const env = options.env ?? process.env;
  const exe = findExecutable(shell.executableName, env.PATH);
  if (exe === undefined) return [...DEFAULT_PATHS];
  let stamp = "";
  try {
    stamp = String(statSync(exe).mtimeMs);
  } catch {
    // keep empty
  }
  const cacheFile = options.cacheDir ? join(options.cacheDir, "syspaths", `${shell.name}.json`) : undefined;
  if (cacheFile) {
    const sealed = readSealedFile(cacheFile);
    try {
      const cached = sealed.status === "ok" ? (JSON.parse(sealed.payload.toString("utf8")) as Partial<{ exe: string; stamp: string; paths: string[] }>) : undefined;
      if (cached?.exe === exe && cached.stamp === stamp && Array.isArray(cached.paths) && cached.paths.every((p) => typeof p === "string")) return cached.paths;
    } catch {
      // detect
    }
  }
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && k !== "PATH") childEnv[k] = v;
  const r = spawnSync(exe, [...probe], { env: childEnv, encoding: "utf8", timeout: 5000 });
  let paths: string[] = [];
  if (r.status === 0) {
    const line = r.stdout.split("\n").find((l) => l.split(/\s+/).includes(MARKER));
    if (line) paths = (line.trim().split(/\s+/).pop() ?? "").split(":");
    if (line && line.trim() === MARKER) paths = [];
  }
  for (const p of DEFAULT_PATHS) if (!paths.includes(p)) paths.push(p);
  paths = paths.filter((p) => p !== "");
  if (cacheFile) {
    try {
      writeSealedFile(cacheFile, JSON.stringify({ exe, stamp, paths }), { mkdir: true });
    } catch {
      // cache is optional
    }
  }
  return paths;
}
