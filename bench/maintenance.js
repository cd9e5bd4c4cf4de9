// Whole-process times of the maintenance commands on a small package (pkg cp, pkg rm, pkg ignore; Rez 3.4.0
// takes about 0.3-0.5 s each here; goal under 0.12 s), and of `pkg env` of a 30-package request with every
// variant in the payload cache against none cached. Run after `npm run build` (or it builds first).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, ensureBuilt, machineNote, median, printTable, runs, scratch, timeProcess } from "./lib.js";

ensureBuilt();
const work = scratch("pkg-bench-maintenance-");
const env = {
  HOME: join(work, "home"),
  XDG_CONFIG_HOME: join(work, "home", ".config"),
  PKG_SYSTEM_CONFIG: join(work, "none.toml"),
  PKG_CACHE_DIR: join(work, "cache"),
  TMPDIR: join(work, "tmp"),
};
mkdirSync(env.TMPDIR, { recursive: true });

function write(root, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const SMALL = {
  "tool/1.0/package.py": "name = 'tool'\nversion = '1.0'\ndef commands():\n    env.PATH.prepend('{root}/bin')\n",
  "tool/1.0/bin/tool": "#!/bin/sh\necho tool\n",
  "tool/1.0/data.txt": "data\n",
};
const SEED = { "seed/1.0/package.py": "name = 'seed'\nversion = '1.0'\n" };

const pkg = (args, extra = {}) => timeProcess(process.execPath, [cli, ...args], { ...env, ...extra }).seconds;
/** The median of `runs` timings of `make(i)`, after one untimed warm-up run (the definition cache). */
function measure(make) {
  make(-1);
  return median(Array.from({ length: runs }, (_, i) => make(i)));
}

// pkg cp: the small package into a fresh destination each time
const src = join(work, "src");
write(src, SMALL);
const cp = measure((i) => {
  const dest = join(work, `dest-${i}`);
  write(dest, SEED);
  return pkg(["cp", "tool-1.0", "-r", src, "--dest-path", dest]);
});

// pkg rm -p: a copy of the package in its own repository each time
const rm = measure((i) => {
  const repo = join(work, `rm-${i}`);
  write(repo, SMALL);
  return pkg(["rm", "-p", "tool-1.0", repo]);
});

// pkg ignore: hide the version, then show it again (both change the repository)
const ignore = measure(() => pkg(["ignore", "tool-1.0", src]) + 0 * pkg(["ignore", "-u", "tool-1.0", src]));

// pkg env of 30 packages, each with a small payload, cached or not
const many = join(work, "many");
const names = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, "0")}`);
for (const name of names) {
  const files = { [`${name}/1.0/package.py`]: `name = '${name}'\nversion = '1.0'\ncachable = True\ndef commands():\n    env.PATH.prepend('{root}/bin')\n    env.${name.toUpperCase()}_DATA = '{root}/share'\n` };
  for (let f = 0; f < 20; f++) files[`${name}/1.0/share/f${f}.txt`] = "x".repeat(200);
  files[`${name}/1.0/bin/${name}`] = "#!/bin/sh\n";
  write(many, files);
}
const cacheDir = join(work, "payload-cache");
mkdirSync(cacheDir);
const cacheEnv = { PKG_CACHE_PACKAGES_PATH: cacheDir, PKG_PACKAGE_CACHE_SAME_DEVICE: "1" };
const envArgs = ["-r", many, "env", ...names, "-c", "true"];
const uncached = measure(() => pkg(["-r", many, "env", "--no-pkg-cache", ...names, "-c", "true"], cacheEnv));
const fill = pkg(["-r", many, "env", "--pkg-cache-mode", "sync", ...names, "-c", "true"], cacheEnv);
const cached = measure(() => pkg(envArgs, cacheEnv));
const out = timeProcess(process.execPath, [cli, "-r", many, "env", names[0], "-c", "echo $REZ_P00_ROOT"], { ...env, ...cacheEnv }).stdout.trim();
if (!out.startsWith(cacheDir)) throw new Error(`the cached environment does not use the cache: ${out}`);

printTable([
  { name: "pkg cp (small package)", value: cp, ref: 0.4, goal: 0.12 },
  { name: "pkg rm -p (small package)", value: rm, ref: 0.4, goal: 0.12 },
  { name: "pkg ignore (small package)", value: ignore, ref: 0.4, goal: 0.12 },
  { name: "pkg env 30 packages, none cached", value: uncached },
  { name: "pkg env 30 packages, all cached", value: cached, ref: uncached },
  { name: "pkg env 30 packages, copying all", value: fill },
]);
console.log(`(Rez 3.4.0: about 0.3-0.5 s for rez-cp, rez-rm, rez-pkg-ignore, shown as 0.4 s; the cached row's reference is the uncached one)`);
console.log(`median of ${runs} runs ${machineNote()}`);
