#!/usr/bin/env node
// `node bench/query`: whole-process times of the finding commands on Rez's benchmark repository (1,266
// families, 18,226 packages) with a warm definition cache — search, depends, completion's family list —
// and `pkg search --errors --type package` (every package loaded and validated) cold and warm, against
// Rez 3.4.0's figures on a 2-core machine and the goals of issue 13.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { benchmarkPackages, cli, ensureBuilt, machineNote, median, printTable, runs, scratch } from "./lib.js";

ensureBuilt();
const packages = benchmarkPackages();
const work = scratch("pkg-bench-query-");

let caches = 0;
const freshCache = () => join(work, `cache-${++caches}`);
const env = (cacheDir) => ({
  ...process.env,
  XDG_CONFIG_HOME: join(work, "config"),
  PKG_SYSTEM_CONFIG: join(work, "no-system-config.toml"),
  PKG_CONFIG: "",
  PKG_CACHE_DIR: cacheDir,
});

/** Seconds of one whole `pkg ARGS` process; exit 0 or 1 (nothing found) are answers, anything else stops the bench. */
function pkg(args, cacheDir) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, "-r", packages, ...args], { env: env(cacheDir), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0 && run.status !== 1) {
    process.stderr.write(`pkg ${args.join(" ")} failed (${run.status}):\n${run.stderr}\n`);
    process.exit(1);
  }
  return { seconds, stdout: run.stdout };
}

const settle = () => spawnSync("sync");
const warm = freshCache();
pkg(["search", "--errors", "--type", "package"], warm); // fills the definition cache
pkg(["depends", "zither"], warm); // and the reverse-dependency index
settle();

const measures = [
  { name: "pkg search 'pa*'", args: ["search", "pa*"], ref: 0.35, goal: 0.1 },
  { name: "pkg search --type package ATM", args: ["search", "--type", "package", "ATM"], ref: 0.35, goal: 0.1 },
  { name: "pkg depends zither", args: ["depends", "zither"], ref: 3.8, goal: 0.15 },
  { name: "pkg depends --depth 2 diam", args: ["depends", "--depth", "2", "diam"], ref: 3.8, goal: 0.15 },
  { name: "pkg depends wave", args: ["depends", "wave"], ref: 6.9, goal: 0.15 },
  { name: "pkg completion --families", args: ["completion", "--families"] },
  { name: "search --errors -t package (warm)", args: ["search", "--errors", "--type", "package"], ref: 41 },
];
const rows = [];
for (const m of measures) {
  const times = Array.from({ length: runs }, () => pkg(m.args, warm).seconds);
  rows.push({ name: m.name, value: median(times), ...(m.ref ? { ref: m.ref } : {}), ...(m.goal ? { goal: m.goal } : {}) });
}
const cold = [];
for (let i = 0; i < Math.min(runs, 3); i++) {
  cold.push(pkg(["search", "--errors", "--type", "package"], freshCache()).seconds);
  settle();
}
rows.push({ name: "search --errors -t package (cold)", value: median(cold), ref: 41, goal: 1.5 });
const node = Array.from({ length: runs }, () => {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ["-e", "0"]);
  return Number(process.hrtime.bigint() - start) / 1e9;
});
rows.push({ name: "(node -e 0, for scale)", value: median(node) });

process.stdout.write(`pkg query benchmark: whole-process median of ${runs} runs (cold: of ${cold.length}), warm definition cache unless said\n\n`);
printTable(rows);
process.stdout.write(`\n${machineNote()}\n`);
