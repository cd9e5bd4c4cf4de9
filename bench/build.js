#!/usr/bin/env node
// `node bench/build`: pkg build's overhead. (1) The whole-process time of `pkg build -i` for a two-variant
// package whose build command does nothing, next to the same build commands run directly in bash: pkg's
// overhead per variant (goal: at most 60 ms; Rez 3.4.0 takes about 1 s per variant on a 2-core machine).
// (2) `-j 2` against `-j 1` for four variants of a CPU-bound make build.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, ensureBuilt, machineNote, median, printTable, runs, scratch, seconds, timeProcess } from "./lib.js";

ensureBuilt();
const work = scratch("pkg-bench-build-");
const repo = join(work, "repo");
const env = {
  HOME: join(work, "home"),
  PKG_CACHE_DIR: join(work, "cache"),
  XDG_CONFIG_HOME: join(work, "config"),
  PKG_SYSTEM_CONFIG: join(work, "none.toml"),
};

function write(path, text) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

write(join(repo, "python", "3.10", "package.py"), "name = 'python'\nversion = '3.10'\n");
write(join(repo, "python", "3.11", "package.py"), "name = 'python'\nversion = '3.11'\n");
write(join(repo, "python", "3.12", "package.py"), "name = 'python'\nversion = '3.12'\n");
write(join(repo, "python", "3.13", "package.py"), "name = 'python'\nversion = '3.13'\n");

// (1) a build command that does nothing
const noop = join(work, "src", "noop");
write(join(noop, "package.py"), "name = 'noop'\nversion = '1.0'\nvariants = [['python-3.10'], ['python-3.11']]\nbuild_command = 'true'\n");
const one = join(work, "src", "one");
write(join(one, "package.py"), "name = 'one'\nversion = '1.0'\nvariants = [['python-3.10']]\nbuild_command = 'true'\n");
const prefix = join(work, "installed");
const buildArgs = [cli, "build", "-i", "-p", prefix, "--paths", repo];
const inNoop = (args, cwd = noop) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(`pkg build failed:\n${result.stderr}\n`);
    process.exit(1);
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
};
inNoop(buildArgs); // first run: fills the caches
const pkgBuild = median(Array.from({ length: runs }, () => inNoop(buildArgs)));
inNoop(buildArgs, one);
const pkgBuildOne = median(Array.from({ length: runs }, () => inNoop(buildArgs, one)));
// the same build commands run directly: one bash per variant, as pkg runs them
const direct = median(Array.from({ length: runs }, () => timeProcess("bash", ["-c", "bash -c true; bash -c true"]).seconds));
const node = median(Array.from({ length: runs }, () => timeProcess(process.execPath, ["-e", "0"]).seconds));
const perVariant = (pkgBuild - direct) / 2;

// (2) a CPU-bound make build, four variants
const cpu = join(work, "src", "cpu");
write(join(cpu, "package.py"), "name = 'cpu'\nversion = '1.0'\nvariants = [['python-3.10'], ['python-3.11'], ['python-3.12'], ['python-3.13']]\n");
write(
  join(cpu, "Makefile"),
  "all:\n\t@i=0; while [ $$i -lt 400000 ]; do i=$$((i+1)); done; echo done $(REZ_BUILD_VARIANT_INDEX)\ninstall: all\n",
);
const make = spawnSync("sh", ["-c", "command -v make"]).status === 0;
let j1;
let j2;
if (make) {
  const inCpu = (jobs) => {
    rmSync(join(cpu, "build"), { recursive: true, force: true });
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [cli, "build", "--paths", repo, "-j", String(jobs)], { cwd: cpu, env: { ...process.env, ...env }, encoding: "utf8" });
    if (result.status !== 0) {
      process.stderr.write(`pkg build -j ${jobs} failed:\n${result.stderr}\n`);
      process.exit(1);
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  inCpu(1);
  j1 = median(Array.from({ length: 3 }, () => inCpu(1)));
  j2 = median(Array.from({ length: 3 }, () => inCpu(2)));
}

process.stdout.write(`pkg build, whole-process, median of ${runs} runs (warm caches)\n\n`);
printTable([
  { name: "pkg build -i, 2 no-op variants", value: pkgBuild },
  { name: "the build commands alone", value: direct },
  { name: "overhead per variant", value: perVariant, ref: 1.0, goal: 0.06 },
  { name: "pkg build -i, 1 no-op variant", value: pkgBuildOne },
  { name: "cost of one more variant", value: Math.max(0, pkgBuild - pkgBuildOne) },
  ...(make ? [{ name: "make, 4 variants, -j 1", value: j1 }, { name: "make, 4 variants, -j 2", value: j2, ref: j1 }] : []),
], { reference: "Rez/-j 1" });
process.stdout.write(
  `\n(overhead = (pkg build - commands alone) / 2; the Rez column is Rez 3.4.0's ~1 s per variant on a 2-core machine;` +
    ` pkg's own start-up, node -e 0: ${seconds(node)}, is part of the overhead)\n`,
);
if (!make) process.stdout.write("(make is not installed: the -j rows are left out)\n");
process.stdout.write(`${machineNote()}\n`);
