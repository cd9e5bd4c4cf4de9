// Finding the Python and pip an import uses (reference §5.2): a `python` package resolved from the
// repositories (its interpreter, with the environment of the resolve), else the system python3. What an
// interpreter's version is asked once and kept in pkg's cache, keyed by the interpreter file's path, size
// and time, so an import that needs no pip starts no Python at all. Its pip's version is asked each time
// pip is needed (pip runs then anyway, and may have been upgraded).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { PkgError } from "../errors/index.js";
import { runChild } from "../context/index.js";
import type { Reporter } from "../report/index.js";

export interface PythonInterpreter {
  readonly executable: string;
  /** The environment to run it in (a resolved context's, or pkg's own). */
  readonly env: Readonly<Record<string, string>>;
  /** `3.11.7` */
  readonly pythonVersion: string;
  /** Undefined when pip cannot be imported. */
  readonly pipVersion: string | undefined;
  /** `package` when it came from a resolved python package (with its uri), `system` otherwise. */
  readonly source: "package" | "system";
  readonly uri?: string;
}

/** A resolved python package: its version and the environment a resolve of it gives. */
export interface PythonPackageEnvironment {
  readonly version: string;
  readonly uri: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface FindPythonOptions {
  /** `3.11` or undefined for the latest python package. */
  readonly pythonVersion?: string;
  /** Resolves `python[-X.Y]` in the repositories; undefined when there is none. */
  readonly resolvePython?: (request: string) => Promise<PythonPackageEnvironment | undefined>;
  /** The system interpreter (`python3`). */
  readonly systemPython: string;
  readonly cacheDir?: string;
  readonly reporter: Reporter;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The first `name` on PATH, as an absolute path. */
export function which(name: string, path: string | undefined): string | undefined {
  if (isAbsolute(name) || name.includes("/")) {
    try {
      return statSync(name).isFile() ? name : undefined;
    } catch {
      return undefined;
    }
  }
  for (const dir of (path ?? "").split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      const s = statSync(file);
      if (s.isFile() && (s.mode & 0o111) !== 0) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

const QUERY = "import sys\ntry:\n    import pip\n    p = pip.__version__\nexcept Exception:\n    p = ''\nsys.stdout.write('%d.%d.%d %s\\n%s' % (sys.version_info[0], sys.version_info[1], sys.version_info[2], p, sys.executable))";

interface CachedQuery {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly pythonVersion: string;
  readonly pipVersion: string;
}

function run(executable: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(executable, [...args], { env: env as NodeJS.ProcessEnv, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 127) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) || (error && code === 127 ? error.message : "") });
    });
  });
}

/** The interpreter's version and its pip's (asked once per interpreter file, then read from the cache). */
export async function queryInterpreter(
  executable: string,
  env: Readonly<Record<string, string | undefined>>,
  cacheDir: string | undefined,
  withPip: boolean,
): Promise<{ pythonVersion: string; pipVersion: string | undefined; executable?: string }> {
  let real = executable;
  let size = -1;
  let mtimeMs = -1;
  try {
    real = realpathSync(executable);
    const s = statSync(real);
    size = s.size;
    mtimeMs = s.mtimeMs;
  } catch {
    // asked below, which reports it
  }
  const cacheFile = cacheDir ? join(cacheDir, "pip", `python-${createHash("sha1").update(`${executable}\0${real}`).digest("hex").slice(0, 20)}.json`) : undefined;
  if (cacheFile && size >= 0 && !withPip) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, "utf8")) as CachedQuery;
      if (cached.file === real && cached.size === size && cached.mtimeMs === mtimeMs) return { pythonVersion: cached.pythonVersion, pipVersion: undefined };
    } catch {
      // no cache yet
    }
  }
  const result = await run(executable, ["-E", "-s", "-c", QUERY], env);
  const [first, interpreter = ""] = result.stdout.trim().split("\n");
  const m = /^(\d+\.\d+\.\d+) ?(\S*)$/.exec(first ?? "");
  if (result.code !== 0 || !m) {
    throw new PkgError("PKG0045", `cannot ask ${executable} for its version (exit ${result.code}): ${result.stderr.trim().split("\n").at(-1) ?? ""}`, {
      hint: "check that python3 runs, or set python_executable",
    });
  }
  const answer = { pythonVersion: m[1]!, pipVersion: m[2] || undefined, ...(interpreter.trim() ? { executable: interpreter.trim() } : {}) };
  if (cacheFile && size >= 0) {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ file: real, size, mtimeMs, pythonVersion: answer.pythonVersion, pipVersion: answer.pipVersion ?? "" } satisfies CachedQuery));
      renameSync(tmp, cacheFile);
    } catch {
      // a cache that cannot be written is only slower
    }
  }
  return answer;
}

function pipIsRecent(version: string | undefined): boolean {
  if (version === undefined) return false;
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? "0");
  return major >= 19;
}

/**
 * The python (and pip) for an import: the `python-X.Y` package of the repositories when one resolves and
 * its interpreter has pip ≥ 19, otherwise the system python3 (with Rez's warnings). `needPip`: a missing
 * or old pip is an error (otherwise only the version matters).
 */
export async function findPython(options: FindPythonOptions, needPip: boolean): Promise<PythonInterpreter> {
  const env = options.env ?? process.env;
  const request = options.pythonVersion ? `python-${options.pythonVersion}` : "python";
  const resolved = options.resolvePython ? await options.resolvePython(request) : undefined;
  if (!resolved) options.reporter.warn(`Found no python rez package (${request}).`);
  if (resolved) {
    const [major, minor] = resolved.version.split(".");
    const exe = [`python${major}.${minor}`, `python${major}`, "python"].map((n) => which(n, resolved.env.PATH)).find((f) => f !== undefined);
    // the package's version is the target (as rez-pip takes it); its interpreter is needed only for pip
    if (!needPip) return { executable: exe ?? "", env: resolved.env, pythonVersion: resolved.version, pipVersion: undefined, source: "package", uri: resolved.uri };
    if (exe) {
      const q = await queryInterpreter(exe, resolved.env, options.cacheDir, true);
      if (pipIsRecent(q.pipVersion)) {
        options.reporter.info(`Found pip-${q.pipVersion} inside ${resolved.uri}. Will use it via ${exe}`);
        return { executable: exe, env: resolved.env, pythonVersion: resolved.version, pipVersion: q.pipVersion, source: "package", uri: resolved.uri };
      }
    }
  }
  const system = which(options.systemPython, env.PATH);
  if (!system) {
    throw new PkgError("PKG0045", `no python: ${resolved ? `the package ${resolved.uri} has no interpreter with pip ≥ 19 on its PATH, and ` : ""}${options.systemPython} is not on PATH`, {
      hint: "install python3 and pip (python3-pip), or add a python package with pip to the repositories",
    });
  }
  const systemEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const q = await queryInterpreter(system, systemEnv, options.cacheDir, needPip);
  if (needPip) {
    if (!pipIsRecent(q.pipVersion)) {
      throw new PkgError("PKG0045", q.pipVersion ? `pip>=19 is required, ${system} has pip ${q.pipVersion}` : `${system} has no pip (python3 -m pip fails)`, {
        hint: "install pip: `python3 -m ensurepip --upgrade`, or the python3-pip system package",
      });
    }
    options.reporter.warn("Found no pip in any python and/or pip rez packages!");
    options.reporter.warn(`Falling back to the system python: pip: ${q.pipVersion}, python: ${q.pythonVersion} (${system})`);
  }
  // pip runs in the interpreter itself (sys.executable), not through a wrapper such as a pyenv shim
  const executable = needPip && q.executable && isAbsolute(q.executable) ? q.executable : system;
  return { executable, env: systemEnv, pythonVersion: q.pythonVersion, pipVersion: q.pipVersion, source: "system" };
}

export interface PipRun {
  readonly code: number;
  readonly output: string;
}

/**
 * `python -m pip <args>` in the interpreter's environment, output collected (and passed on when `echo`).
 * A signal sent to pkg meanwhile goes to pip, and pkg waits for it (so its temporary folders are removed).
 */
export async function runPip(python: PythonInterpreter, args: readonly string[], echo?: (text: string) => void): Promise<PipRun> {
  let output = "";
  const take = (chunk: Buffer): void => {
    const text = chunk.toString("utf8");
    output += text;
    echo?.(text);
  };
  const code = await runChild({
    program: python.executable,
    args: ["-m", "pip", ...args],
    env: { ...python.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" },
    output: { stdout: take, stderr: take },
    stdin: "ignore",
  });
  return { code, output };
}
