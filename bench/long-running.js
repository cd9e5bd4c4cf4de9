#!/usr/bin/env node
// `node bench/long-running`: a long-running process (a GUI server, a farm service) resolving Rez's 188
// benchmark requests 20 times through one shared FamilyStore (what such a process keeps warm). Prints the
// heap in use (after a full GC) after pass 2 and after pass 20, and their ratio: the goal is at most 1.2x,
// i.e. memory that stops growing once the families are loaded.
//
//   PKG_BENCH_PASSES=20     passes
//   PKG_BENCH_PUBLIC=1      also through the public `resolve` with the repository set as source: each
//                           resolve builds its solver packages again (~0.25 s a request), so this row
//                           takes minutes a pass and runs 3 passes unless PKG_BENCH_PASSES says otherwise
//   PKG_BENCH_DATA=dir      Rez's benchmark data (default: shared/ beside the repository)
//   PKG_BENCH_PACKAGES=dir  an already extracted repository (skips extraction)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { benchmarkPackages, benchmarkRequests, bundleSolverLibrary, machineNote, root, scratch } from "./lib.js";

// A full GC before each reading needs --expose-gc: run again with it.
if (typeof globalThis.gc !== "function") {
  const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const passes = Number(process.env.PKG_BENCH_PASSES ?? 20);
const requests = benchmarkRequests();
const work = scratch("pkg-bench-long-");
const lib = await import(pathToFileURL(await bundleSolverLibrary(root, join(work, "lib.mjs"))).href);
const packages = benchmarkPackages();

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function heapNow() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function run(label, source, passes) {
  let second = NaN;
  let last = NaN;
  const start = performance.now();
  for (let pass = 1; pass <= passes; pass++) {
    for (const request of requests) await lib.resolve(request, { source, addImplicitPackages: false, warn: () => {} });
    if (pass === 2) second = heapNow();
    if (pass === passes) last = pass === 2 ? second : heapNow();
  }
  const ratio = last / second;
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(
    `${label.padEnd(34)} pass 2: ${mb(second).padStart(9)}   pass ${passes}: ${mb(last).padStart(9)}   ratio ${ratio.toFixed(2)}x ` +
      `(goal <= 1.20x: ${ratio <= 1.2 ? "yes" : "NO"})   ${seconds.toFixed(1)} s\n`,
  );
}

process.stdout.write(`${requests.length} requests, passes in one process, heap used after a full GC\n\n`);
const loader = lib.createPackageLoader();
const set = lib.openRepositories({ paths: [packages], loader });
await run("one shared FamilyStore", new lib.FamilyStore(set), passes);
if (process.env.PKG_BENCH_PUBLIC) await run("resolve(request, { source: set })", set, Number(process.env.PKG_BENCH_PASSES ?? 3));
await loader.close();
process.stdout.write(`\n${machineNote()}\n`);
