#!/usr/bin/env node
// `node bench/env`: whole-process times of `pkg env --ni <request> -- true` on Rez's benchmark repository for
// request #0 (33 packages) and #172 (386 packages), cold (empty caches) and warm, with Rez's figures beside them
// (rez-env's own, when it is on PATH; else Rez 3.4.0's on a 2-core machine like this one).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { benchmarkPackages, benchmarkRequests, cli, ensureBuilt, machineNote, median, printTable, runs, scratch, timeProcess } from "./lib.js";

ensureBuilt();
const packages = benchmarkPackages();
const requests = benchmarkRequests();
const work = scratch("pkg-bench-env-");
const rezEnv = spawnSync("sh", ["-c", "command -v rez-env"], { encoding: "utf8" }).stdout.trim();
const REZ_FIGURES = { 0: 0.27, 172: 10 };
const GOALS = { 0: 0.1, 172: 0.3 };

const rows = [];
for (const index of [0, 172]) {
  const request = requests[index];
  const cache = join(work, `cache-${index}`);
  const env = { PKG_CACHE_DIR: cache, XDG_CONFIG_HOME: join(work, "config"), PKG_SYSTEM_CONFIG: join(work, "none.toml") };
  const args = [cli, "-r", packages, "env", "--ni", ...request, "--", "true"];
  const cold = timeProcess(process.execPath, args, env).seconds;
  const warm = median(Array.from({ length: runs }, () => timeProcess(process.execPath, args, env).seconds));
  const count = timeProcess(process.execPath, [cli, "-r", packages, "solve", "--ni", ...request], env).stdout.trim().split("\n").length;
  let rezCold;
  let rezWarm = REZ_FIGURES[index];
  if (rezEnv) {
    const rezArgs = ["--ni", "--paths", packages, ...request, "--", "true"];
    rezCold = timeProcess(rezEnv, rezArgs).seconds;
    rezWarm = median(Array.from({ length: 3 }, () => timeProcess(rezEnv, rezArgs).seconds));
  }
  rows.push({ name: `#${index} (${count} packages) cold`, value: cold, ...(rezCold ? { ref: rezCold } : {}) });
  rows.push({ name: `#${index} (${count} packages) warm`, value: warm, ref: rezWarm, goal: GOALS[index] });
}
process.stdout.write(`pkg env --ni <request> -- true, whole-process, warm = median of ${runs} runs\n\n`);
printTable(rows, { reference: rezEnv ? "rez-env" : "Rez 3.4.0" });
if (!rezEnv) process.stdout.write("\n(rez-env is not on PATH: the Rez column is Rez 3.4.0 measured on a 2-core machine like this one)\n");
process.stdout.write(`${machineNote()}\n`);
