// Shared by the black-box tests: run the built CLI in an isolated environment, write repositories to disk.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const cliPath = resolve("dist/pkg.cjs");

let sharedCli: string | undefined;
/**
 * The built CLI where another user (tests run as `nobody` under root) can run it: a copy of dist/ in a
 * world-readable temporary folder, since the clone may sit in a private one (`mktemp -d` makes 0700).
 */
export function cliPathForAnyUser(): string {
  if (sharedCli) return sharedCli;
  const dir = mkdtempSync(join(tmpdir(), "pkg-cli-"));
  chmodSync(dir, 0o755);
  cpSync(dirname(cliPath), join(dir, "dist"), { recursive: true });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  sharedCli = join(dir, "dist", "pkg.cjs");
  return sharedCli;
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Writes `{relative path: text}` under root, creating folders. */
export function writeTree(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Who to run the CLI as so that permission bits count: undefined when the tests do not run as root (they
 * already count), the ids of `nobody` under root (which ignores them), null when there is no such user.
 */
export function unprivilegedUser(): UserIds | undefined | null {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(spawnSync("id", [flag, "nobody"], { encoding: "utf8" }).stdout.trim() || NaN);
  const uid = id("-u");
  const gid = id("-g");
  return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
}

/** The environment of a pkg run whose HOME, configuration and cache are inside `work`. */
export function isolatedEnv(work: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: join(work, "home"),
    XDG_CONFIG_HOME: join(work, "home", ".config"),
    PKG_SYSTEM_CONFIG: join(work, "no-system.toml"),
    PKG_CACHE_DIR: join(work, "cache"),
  };
}

export interface RunOptions {
  /** Run under other ids (`work` must then be reachable by that user). */
  readonly user?: UserIds;
  /** A generous bound for tests of hangs: a hang then fails the test instead of blocking the run. */
  readonly timeoutMs?: number;
  /** What the command reads on stdin (default: nothing, stdin closed at once). */
  readonly input?: string;
}

/** Runs `pkg ARGS` with HOME, configuration and cache inside `work`, so the user's setup never leaks in. */
export function runPkg(work: string, args: readonly string[], env: Readonly<Record<string, string>> = {}, cwd = work, options: RunOptions = {}): CliRun {
  if (!existsSync(cliPath)) throw new Error("build first: npm run build");
  const { user, timeoutMs, input } = options;
  const result = spawnSync(process.execPath, [user ? cliPathForAnyUser() : cliPath, ...args], {
    cwd,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    ...(timeoutMs !== undefined ? { timeout: timeoutMs, killSignal: "SIGKILL" as const } : {}),
    ...(input !== undefined ? { input } : {}),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...isolatedEnv(work), ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Rez's benchmark data: PKG_BENCH_DATA, else shared/ beside the repository (as in CI). */
export const benchmarkDataDir = process.env.PKG_BENCH_DATA ?? resolve("..", "shared", "data", "rez-benchmark");
export const benchmarkArchive = join(benchmarkDataDir, "packages.tar.gz");

/** Whether Rez's benchmark data is there; when it is not, says so in one line naming `what` is skipped. */
export function haveBenchmarkData(what: string): boolean {
  if (existsSync(benchmarkArchive)) return true;
  console.log(`skipping ${what}: no Rez benchmark data at ${benchmarkDataDir} (set PKG_BENCH_DATA to its folder)`);
  return false;
}
