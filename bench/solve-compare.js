#!/usr/bin/env node
// `node bench/solve-compare [REV]`: the solver of git revision REV (default HEAD) against the working tree,
// on the 188 requests of Rez's benchmark with the families loaded, in alternating processes.
//
// On a shared machine the time of one pass drifts by a third from minute to minute, far more than most
// changes gain. Each process therefore reports the sum over requests of each request's fastest pass, and
// the two sides take turns, so both meet the same conditions; compare the rows, not single figures.
//
//   PKG_BENCH_ROUNDS=4      processes per side
//   PKG_BENCH_RUNS=5        timed passes per process
//   PKG_BENCH_DATA=dir      Rez's benchmark data (default: shared/ beside the repository)
//   PKG_BENCH_PACKAGES=dir  an already extracted repository (skips extraction)
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { againstRez, benchmarkPackages, benchmarkRequests, bundleSolverLibrary, expectedResolves, median, root, runs, scratch } from "./lib.js";

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === "--child") {
  // One side: load the families (untimed pass, checking the results), then the timed passes.
  const [, , , bundle, packages] = process.argv;
  const lib = await import(pathToFileURL(bundle).href);
  const requests = benchmarkRequests();
  const expected = expectedResolves();
  const loader = lib.createPackageLoader();
  const store = new lib.FamilyStore(lib.openRepositories({ paths: [packages], loader }));
  const options = { source: store, addImplicitPackages: false, warn: () => {} };
  let identical = 0;
  for (let i = 0; i < requests.length; i++) {
    const r = await lib.resolve(requests[i], options);
    if (againstRez(r, expected[i], packages).identical) identical++;
  }
  const fastest = requests.map(() => Infinity);
  for (let pass = 0; pass < runs; pass++) {
    for (let i = 0; i < requests.length; i++) {
      const t0 = performance.now();
      await lib.resolve(requests[i], options);
      fastest[i] = Math.min(fastest[i], performance.now() - t0);
    }
  }
  await loader.close();
  process.stdout.write(JSON.stringify({ identical, total: fastest.reduce((a, b) => a + b, 0) }) + "\n");
  process.exit(0);
}

const rev = process.argv[2] ?? "HEAD";
const rounds = Number(process.env.PKG_BENCH_ROUNDS ?? 4);
const work = scratch("pkg-bench-compare-");
const packages = benchmarkPackages();

// REV's src/ (git archive), and the working tree's, each bundled on its own.
const revDir = join(work, "rev");
mkdirSync(revDir);
const archive = spawnSync("sh", ["-c", `git -C "${root}" archive "${rev}" src | tar -x -C "${revDir}"`], { stdio: "inherit" });
if (archive.status !== 0) {
  process.stderr.write(`cannot read src/ of revision ${rev}\n`);
  process.exit(2);
}
const sides = [
  { name: rev, bundle: await bundleSolverLibrary(revDir, join(work, "rev.mjs")), totals: [] },
  { name: "working tree", bundle: await bundleSolverLibrary(root, join(work, "tree.mjs")), totals: [] },
];

const out = (line = "") => process.stdout.write(line + "\n");
out(`solver of ${rev} against the working tree: ${rounds} processes each, ${runs} timed passes per process`);
out("sum over the 188 requests of each request's fastest pass, in ms:");
for (let round = 0; round < rounds; round++) {
  const cells = [];
  for (const side of round % 2 ? [...sides].reverse() : sides) {
    const run = spawnSync(process.execPath, [self, "--child", side.bundle, packages], { encoding: "utf8" });
    if (run.status !== 0) {
      process.stderr.write(`${side.name}: ${run.stderr}\n`);
      process.exit(1);
    }
    const { identical, total } = JSON.parse(run.stdout);
    if (identical !== 188) out(`  ${side.name}: only ${identical}/188 identical to Rez`);
    side.totals.push(total);
    cells.push(`${side.name} ${total.toFixed(0)}`);
  }
  out(`  round ${round + 1}: ${cells.join("   ")}`);
}
// each round's two processes ran back to back: their ratio is steadier than either side's figures
const ratios = sides[1].totals.map((t, i) => t / sides[0].totals[i]);
const fastest = sides.map((s) => Math.min(...s.totals));
out(`fastest process: ${sides[0].name} ${fastest[0].toFixed(0)} ms, working tree ${fastest[1].toFixed(0)} ms`);
out(`working tree / ${sides[0].name}, median over rounds: ${median(ratios).toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(" ")})`);
