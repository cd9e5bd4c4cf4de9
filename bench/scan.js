#!/usr/bin/env node
// `node bench/scan`: whole-process timings of pkg scan / pkg info on Rez's benchmark repository
// (1,266 families, 18,226 packages), cold and warm cache, plus peak memory, against the goals.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist", "pkg.cjs");
const archive = process.env.PKG_BENCH_ARCHIVE ?? "/work/shared/data/rez-benchmark/packages.tar.gz";
const runs = Number(process.env.PKG_BENCH_RUNS ?? 5);
const infoFamily = process.env.PKG_BENCH_FAMILY ?? "ATM";

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(cli) || statSync(cli).mtimeMs < newestSource(join(root, "src"))) {
  process.stderr.write("building dist/pkg.cjs ...\n");
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const work = mkdtempSync(join(tmpdir(), "pkg-bench-scan-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const extract = spawnSync("tar", ["xzf", archive, "-C", work], { stdio: "inherit" });
if (extract.status !== 0) process.exit(1);
const packages = join(work, "packages");

let cacheCounter = 0;
const freshCache = () => join(work, `cache-${++cacheCounter}`);
const baseEnv = {
  ...process.env,
  XDG_CONFIG_HOME: join(work, "config"),
  PKG_SYSTEM_CONFIG: join(work, "no-system-config.toml"),
  PKG_REPORT_RESOURCES: "1",
};
delete baseEnv.PKG_CONFIG;

function run(args, cacheDir) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, "-r", packages, ...args], {
    env: { ...baseEnv, PKG_CACHE_DIR: cacheDir },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    process.stderr.write(`pkg ${args.join(" ")} failed (${result.status}):\n${result.stderr}\n`);
    process.exit(1);
  }
  const rss = Number(/pkg-resources: maxRSS=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024;
  return { seconds, rss, stdout: result.stdout };
}

function time(command, args) {
  const start = process.hrtime.bigint();
  spawnSync(command, args);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = { coldScan: [], warmScan: [], coldInfo: [], warmInfo: [], rss: [] };
// Cold runs write a thousand cache files; flush them so their write-back does not slow the runs that follow.
const settle = () => spawnSync("sync");
const warmCache = freshCache();
run(["scan"], warmCache);
settle();
for (let i = 0; i < runs; i++) {
  const warm = run(["scan"], warmCache);
  results.warmScan.push(warm.seconds);
  results.rss.push(warm.rss);
  results.warmInfo.push(run(["info", infoFamily], warmCache).seconds);
  results.coldInfo.push(run(["info", infoFamily], freshCache()).seconds);
}
for (let i = 0; i < runs; i++) {
  const cold = run(["scan"], freshCache());
  results.coldScan.push(cold.seconds);
  results.rss.push(cold.rss);
  settle();
}
const listed = JSON.parse(run(["list", "--json"], warmCache).stdout);
const families = new Set(listed.map((p) => p.name)).size;
const nodeStartup = median(Array.from({ length: runs }, () => time(process.execPath, ["-e", "0"])));

const rows = [
  ["cold pkg scan", median(results.coldScan), 3, "s"],
  ["warm pkg scan", median(results.warmScan), 0.3, "s"],
  [`pkg info ${infoFamily} (cold)`, median(results.coldInfo), 0.15, "s"],
  [`pkg info ${infoFamily} (warm)`, median(results.warmInfo), 0.15, "s"],
  ["peak memory (max RSS)", Math.max(...results.rss), 300, "MB"],
];
const fmt = (value, unit) => (unit === "s" ? `${value.toFixed(3)} s` : `${value.toFixed(0)} MB`);
process.stdout.write(`pkg scan benchmark: ${listed.length} packages in ${families} families, median of ${runs} runs\n\n`);
process.stdout.write(`${"measure".padEnd(26)}${"result".padStart(12)}${"goal".padStart(12)}${"ratio".padStart(8)}  ok\n`);
for (const [name, value, goal, unit] of rows) {
  process.stdout.write(
    `${name.padEnd(26)}${fmt(value, unit).padStart(12)}${`< ${fmt(goal, unit)}`.padStart(12)}${(value / goal).toFixed(2).padStart(8)}  ${value < goal ? "yes" : "NO"}\n`,
  );
}
process.stdout.write(`\n(node -e 0 on this machine: ${nodeStartup.toFixed(3)} s; load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" ")})\n`);
