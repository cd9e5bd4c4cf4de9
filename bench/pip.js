#!/usr/bin/env node
// `node bench/pip`: pkg pip's whole-process time. (1) Importing a wheel with five dependencies from a local
// folder (`pkg pip -i top -e --no-index --find-links DIR`) next to `pip install --target` of the same wheels
// (the least any importer that uses pip must do; goal: pkg at most 1.2x that). (2) `pkg pip -i --no-deps
// <local wheel>`, which starts no pip at all (goal: under 0.3 s). The wheels are written by the tests'
// wheel writer (test/support/wheels.ts), each with 40 modules. Needs python3 with pip; nothing reaches the network.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { cli, ensureBuilt, machineNote, median, printTable, root, runs, scratch, timeProcess } from "./lib.js";

ensureBuilt();
if (spawnSync("python3", ["-m", "pip", "--version"]).status !== 0) {
  process.stdout.write("skipping bench/pip: python3 -m pip is not available\n");
  process.exit(0);
}
const work = scratch("pkg-bench-pip-");
const env = {
  HOME: join(work, "home"),
  PKG_CACHE_DIR: join(work, "cache"),
  XDG_CONFIG_HOME: join(work, "config"),
  PKG_SYSTEM_CONFIG: join(work, "none.toml"),
  PIP_DISABLE_PIP_VERSION_CHECK: "1",
  PIP_NO_CACHE_DIR: "1",
};

// the tests' wheel writer, bundled for plain node
const writer = join(work, "wheels.mjs");
await build({ entryPoints: [join(root, "test", "support", "wheels.ts")], bundle: true, platform: "node", format: "esm", outfile: writer, logLevel: "warning" });
const { writeWheel } = await import(pathToFileURL(writer).href);

const wheels = join(work, "wheels");
const modules = (pkg) => Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${pkg}/mod${i}.py`, `# module ${i} of ${pkg}\nVALUE = ${i}\n` + "x = 1\n".repeat(50)]));
const deps = ["dep-one", "dep-two", "dep-three", "dep-four", "dep-five"];
for (const [i, name] of deps.entries()) writeWheel(wheels, { name, version: `1.${i}.0`, files: { [`${name.replace(/-/g, "_")}/__init__.py`]: "", ...modules(name.replace(/-/g, "_")) } });
const top = writeWheel(wheels, {
  name: "top-pkg",
  version: "2.0.0",
  files: { "top_pkg/__init__.py": "def main():\n    print('top')\n", ...modules("top_pkg") },
  scripts: { "top-tool": "top_pkg:main" },
  requires: deps.map((d) => `${d}>=1.0`),
});

let n = 0;
const fresh = () => join(work, `out${++n}`);
const pkgImport = () => {
  const repo = fresh();
  return timeProcess(process.execPath, [cli, "pip", "-i", "-p", repo, "top-pkg", "-e", "--no-index", "--find-links", wheels], env).seconds;
};
const pipTarget = () => {
  const target = fresh();
  return timeProcess("python3", ["-m", "pip", "install", "--quiet", "--no-compile", `--target=${target}`, "--no-index", "--find-links", wheels, "top-pkg"], env).seconds;
};
const noDeps = () => {
  const repo = fresh();
  return timeProcess(process.execPath, [cli, "pip", "-i", "-p", repo, "--no-deps", top], env).seconds;
};

// first runs: warm the file cache and pkg's python version cache
pkgImport();
pipTarget();
noDeps();
const pkgTimes = [];
const pipTimes = [];
const noDepsTimes = [];
for (let i = 0; i < runs; i++) {
  pkgTimes.push(pkgImport());
  pipTimes.push(pipTarget());
  noDepsTimes.push(noDeps());
}
rmSync(join(work, "home"), { recursive: true, force: true });
const pkgTime = median(pkgTimes);
const pipTime = median(pipTimes);

process.stdout.write(`pkg pip, whole-process, median of ${runs} runs (a wheel with five dependencies, 40 modules each, from a local folder)\n\n`);
printTable(
  [
    { name: "pkg pip -i top-pkg (6 packages)", value: pkgTime, ref: pipTime, goal: pipTime * 1.2 },
    { name: "pip install --target (same wheels)", value: pipTime },
    { name: "pkg pip -i --no-deps <wheel file>", value: median(noDepsTimes), goal: 0.3 },
  ],
  { reference: "pip" },
);
process.stdout.write(`\n(ratio: pip install --target's time over pkg's; goal for the import: at most 1.2x pip's time)\n${machineNote()}\n`);
