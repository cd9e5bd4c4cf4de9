// Shared by the bench/ scripts: the built CLI, Rez's benchmark data, whole-process timing and result tables.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const cli = join(root, "dist", "pkg.cjs");

/** Rez's benchmark data: PKG_BENCH_DATA, else shared/ beside the repository (as in CI). */
export const dataDir =
  process.env.PKG_BENCH_DATA ??
  join(root, "..", "shared", "data", "rez-benchmark");

export const runs = Number(process.env.PKG_BENCH_RUNS ?? 5);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/. */
export function ensureBuilt() {
  if (existsSync(cli) && statSync(cli).mtimeMs >= newestSource(join(root, "src"))) return;
  process.stderr.write("building dist/ ...\n");
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/** A temporary folder removed at exit. */
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The benchmark repository: PKG_BENCH_PACKAGES, or the archive extracted into a temporary folder. */
export function benchmarkPackages() {
  if (process.env.PKG_BENCH_PACKAGES) return process.env.PKG_BENCH_PACKAGES;
  const dir = scratch("pkg-bench-packages-");
  const tar = spawnSync("tar", ["xzf", join(dataDir, "packages.tar.gz"), "-C", dir], { stdio: "inherit" });
  if (tar.status !== 0) process.exit(1);
  return join(dir, "packages");
}

export function benchmarkRequests() {
  return JSON.parse(readFileSync(join(dataDir, "requests.json"), "utf8"));
}

export function expectedResolves() {
  return JSON.parse(readFileSync(join(dataDir, "expected_resolves.json"), "utf8"));
}

/**
 * A library resolve next to Rez's expected resolve of the same request: its status and packages in the
 * benchmark's terms (uris relative to the repository `packages`), and whether they are identical.
 */
export function againstRez(result, expected, packages) {
  const status = result.status === "solved" ? "success" : result.status === "failed" ? "failed" : "error";
  const uris = result.variants.map((v) => relative(packages, v.uri));
  return { status, uris, identical: status === expected.status && JSON.stringify(uris) === JSON.stringify(expected.resolved_packages) };
}

/** Runs a command to completion; wall seconds and its output. Exits the bench if the command fails. */
export function timeProcess(command, args, env = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    process.stderr.write(`${command} ${args.slice(0, 6).join(" ")} ... failed (${result.status}):\n${result.stderr}\n`);
    process.exit(1);
  }
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const seconds = (s) => (s < 1 ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms` : `${s.toFixed(2)} s`);

/** Prints one row per measure: pkg's figure, the reference's (Rez) and their ratio (how many times faster pkg is), the goal. */
export function printTable(rows, { reference = "Rez" } = {}) {
  process.stdout.write(`${"measure".padEnd(34)}${"pkg".padStart(11)}${reference.padStart(12)}${"ratio".padStart(9)}${"goal".padStart(11)}  ok\n`);
  for (const { name, value, ref, goal, format = seconds } of rows) {
    const ratio = ref ? `${(ref / value).toFixed(ref / value < 10 ? 1 : 0)}x` : "";
    const ok = goal === undefined ? "" : value < goal ? "yes" : "NO";
    process.stdout.write(
      `${name.padEnd(34)}${format(value).padStart(11)}${(ref ? format(ref) : "").padStart(12)}${ratio.padStart(9)}${(goal === undefined ? "" : `< ${format(goal)}`).padStart(11)}  ${ok}\n`,
    );
  }
}

export function machineNote() {
  return `(load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on this machine; node -e 0 takes ${seconds(median(Array.from({ length: 5 }, () => timeProcess(process.execPath, ["-e", "0"]).seconds)))})`;
}

/**
 * Bundles the solver library (resolve, FamilyStore, openRepositories, createPackageLoader) from a source tree
 * (`dir` holds src/; dependencies come from this checkout's node_modules) into `outfile`, an ES module.
 */
export async function bundleSolverLibrary(dir, outfile) {
  await build({
    stdin: {
      contents: [
        `export { resolve, FamilyStore } from "./src/solver/index.ts";`,
        `export { openRepositories } from "./src/repository/index.ts";`,
        `export { createPackageLoader } from "./src/package/index.ts";`,
      ].join("\n"),
      resolveDir: dir,
      loader: "ts",
    },
    nodePaths: [join(root, "node_modules")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "error",
    banner: { js: `import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);` },
  });
  return outfile;
}
