#!/usr/bin/env node
// `node bench/scan`: whole-process times of `pkg scan` and `pkg info` on Rez's benchmark repository
// (1,266 families, 18,226 packages), cold and warm definition cache, and peak memory, against the goals.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { benchmarkPackages, cli, ensureBuilt, machineNote, median, printTable, runs, scratch, timeProcess } from "./lib.js";

ensureBuilt();
const packages = benchmarkPackages();
const work = scratch("pkg-bench-scan-");
const infoFamily = process.env.PKG_BENCH_FAMILY ?? "ATM";

let caches = 0;
const freshCache = () => join(work, `cache-${++caches}`);
const env = (cacheDir) => ({
  XDG_CONFIG_HOME: join(work, "config"),
  PKG_SYSTEM_CONFIG: join(work, "no-system-config.toml"),
  PKG_CONFIG: "",
  PKG_REPORT_RESOURCES: "1",
  PKG_CACHE_DIR: cacheDir,
});

function pkg(args, cacheDir) {
  const run = timeProcess(process.execPath, [cli, "-r", packages, ...args], env(cacheDir));
  const rss = Number(/pkg-resources: maxRSS=(\d+)/.exec(run.stderr)?.[1] ?? 0) / 1024;
  return { ...run, rss };
}

// Cold runs write a thousand cache files; flush them so their write-back does not slow the runs that follow.
const settle = () => spawnSync("sync");
const results = { coldScan: [], warmScan: [], coldInfo: [], warmInfo: [], rss: [] };
const warmCache = freshCache();
pkg(["scan"], warmCache);
settle();
// Warm runs first, each kind in a row: a cold run's cache writes are still being flushed after it ends.
for (let i = 0; i < runs; i++) {
  const warm = pkg(["scan"], warmCache);
  results.warmScan.push(warm.seconds);
  results.rss.push(warm.rss);
}
for (let i = 0; i < runs; i++) results.warmInfo.push(pkg(["info", infoFamily], warmCache).seconds);
for (let i = 0; i < runs; i++) {
  results.coldInfo.push(pkg(["info", infoFamily], freshCache()).seconds);
  settle();
}
for (let i = 0; i < runs; i++) {
  const cold = pkg(["scan"], freshCache());
  results.coldScan.push(cold.seconds);
  results.rss.push(cold.rss);
  settle();
}
const listed = JSON.parse(pkg(["list", "--json"], warmCache).stdout);
const families = new Set(listed.map((p) => p.name)).size;

process.stdout.write(`pkg scan benchmark: ${listed.length} packages in ${families} families, whole-process median of ${runs} runs\n\n`);
printTable(
  [
    { name: "cold pkg scan (empty cache)", value: median(results.coldScan), goal: 3 },
    { name: "warm pkg scan", value: median(results.warmScan), goal: 0.3 },
    { name: `pkg info ${infoFamily} (cold)`, value: median(results.coldInfo), goal: 0.15 },
    { name: `pkg info ${infoFamily} (warm)`, value: median(results.warmInfo), goal: 0.15 },
    { name: "peak memory (max RSS)", value: Math.max(...results.rss), goal: 300, format: (mb) => `${mb.toFixed(0)} MB` },
  ],
  { reference: "" },
);
process.stdout.write(`\n${machineNote()}\n`);
