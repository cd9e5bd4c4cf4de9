// pkg release of a two-variant package whose build does nothing, minus the git commands' time:
// pkg's overhead. Goal: under 0.5 s. Run after `npm run build`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const work = mkdtempSync(join(tmpdir(), "pkg-bench-release-"));
const env = { ...process.env, HOME: join(work, "home"), PKG_SYSTEM_CONFIG: join(work, "none.toml"), PKG_CACHE_DIR: join(work, "cache"), GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
const src = join(work, "src");
const git = (...args) => execFileSync("git", args, { cwd: src, env, stdio: "pipe" });
for (const v of ["1", "2"]) {
  mkdirSync(join(work, "repo", "bar", v), { recursive: true });
  writeFileSync(join(work, "repo", "bar", v, "package.py"), `name = "bar"\nversion = "${v}"\n`);
}
mkdirSync(src, { recursive: true });
mkdirSync(join(work, "rel"));
execFileSync("git", ["init", "-q", "--bare", join(work, "remote.git")]);
const runs = [];
git("init", "-q", "-b", "main");
writeFileSync(join(src, ".gitignore"), "build\n");
git("remote", "add", "origin", join(work, "remote.git"));
for (let i = 0; i < 5; i++) {
  writeFileSync(join(src, "package.py"), `name = "foo"\nversion = "1.${i}"\nbuild_command = "true"\nvariants = [["bar-1"], ["bar-2"]]\n`);
  git("add", ".");
  git("commit", "-qm", `v${i}`);
  git("push", "-q", "-u", "origin", "main");
  const started = performance.now();
  const r = spawnSync(process.execPath, [resolve("dist/pkg.cjs"), "release", "--paths", join(work, "repo"), "-m", "bench"], { cwd: src, env: { ...env, PKG_RELEASE_PACKAGES_PATH: join(work, "rel"), PKG_BENCH_GIT_TIME: "1" }, encoding: "utf8" });
  const total = performance.now() - started;
  if (r.status !== 0) throw new Error(r.stderr);
  const gitMs = Number(/git time: ([\d.]+) ms/.exec(r.stderr)?.[1] ?? 0);
  runs.push({ total, gitMs });
}
runs.sort((a, b) => a.total - b.total);
const median = runs[Math.floor(runs.length / 2)];
console.log(`pkg release (2 variants): ${median.total.toFixed(0)} ms, git ${median.gitMs.toFixed(0)} ms, overhead ${(median.total - median.gitMs).toFixed(0)} ms (goal < 500 ms)`);
rmSync(work, { recursive: true, force: true });
