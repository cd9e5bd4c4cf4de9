#!/usr/bin/env node
// `node bench/solve-scale [cycle|chain] [N...]`: synthetic worst cases for the solver, from src/ (bundled):
// a requirement cycle of N families (p0 -> p1 -> ... -> p0, one version each; fails, explained) and a
// requirement chain of N families (p0 -> ... -> pN-1; solves). Prints the solve, explanation and graph
// times and the peak heap / RSS of each case, each in its own process so the figures do not mix.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleSolverLibrary, root, scratch } from "./lib.js";

const self = fileURLToPath(import.meta.url);

function source(n, cyclic) {
  return {
    searchedPaths: ["/synthetic"],
    getFamily(name) {
      const m = /^p(\d+)$/.exec(name);
      if (!m || Number(m[1]) >= n) return undefined;
      const i = Number(m[1]);
      const next = i + 1 < n ? [`p${i + 1}`] : cyclic ? ["p0"] : [];
      return [{ name, version: "1", format: "rez", file: `/synthetic/${name}/1/package.py`, attributes: { requires: next } }];
    },
  };
}

if (process.argv[2] === "--child") {
  const [, , , bundle, kind, n] = process.argv;
  const lib = await import(pathToFileURL(bundle).href);
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const r = await lib.resolve(["p0"], { source: source(Number(n), kind === "cycle"), warn: () => {} });
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ status: r.status, ms, solveCount: r.solveCount, peakRss: peak, explanation: r.explanation?.length ?? 0 }) + "\n");
  process.exit(0);
}

const kinds = process.argv[2] ? [process.argv[2]] : ["cycle", "chain"];
const sizes = process.argv.length > 3 ? process.argv.slice(3).map(Number) : null;
const bundle = await bundleSolverLibrary(root, join(scratch("pkg-bench-scale-"), "lib.mjs"));
for (const kind of kinds) {
  for (const n of sizes ?? (kind === "cycle" ? [200, 400, 1000] : [1000, 5000])) {
    const run = spawnSync(process.execPath, [self, "--child", bundle, kind, String(n)], { encoding: "utf8" });
    if (run.status !== 0) {
      process.stdout.write(`${kind} ${n}: exit ${run.status} ${run.stderr.split("\n").slice(0, 5).join(" | ")}\n`);
      continue;
    }
    const r = JSON.parse(run.stdout);
    process.stdout.write(`${kind} ${String(n).padStart(5)}: ${r.status} in ${(r.ms / 1000).toFixed(2)} s, ${r.solveCount} steps, peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MB\n`);
  }
}
