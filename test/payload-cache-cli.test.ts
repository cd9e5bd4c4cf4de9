// Black-box tests of `pkg cache` and of environments using the payload cache (cache_packages_path), on
// real temporary repositories with payloads.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runPkg, writeTree, type CliRun } from "./support/cli.js";

const roots: string[] = [];
let work: string;
let repo: string;
let cache: string;

/** The settings every run gets: the cache, a temp dir outside the repositories, and caching on one disk allowed. */
function cacheEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PKG_CACHE_PACKAGES_PATH: cache, TMPDIR: join(work, "tmp"), PKG_PACKAGE_CACHE_SAME_DEVICE: "1", ...extra };
}

function pkg(args: string[], extra: Record<string, string> = {}): CliRun {
  return runPkg(work, args, cacheEnv(extra));
}

const FOO = {
  "foo/1.0.0/package.py": "name = 'foo'\nversion = '1.0.0'\ncachable = True\ndef commands():\n    env.PATH.append('{root}/bin')\n    env.FOO_THIS = this.root\n    env.FOO_RESOLVE = resolve.foo.root\n",
  "foo/1.0.0/bin/foo-tool": "#!/bin/sh\necho foo\n",
  "foo/1.0.0/data/a.txt": "a\n",
  "bar/2.0/package.py": "name = 'bar'\nversion = '2.0'\ncachable = True\nrequires = ['foo']\nvariants = [['foo-1']]\n",
  "bar/2.0/foo-1/lib/bar.txt": "bar\n",
  "plain/1.0/package.py": "name = 'plain'\nversion = '1.0'\n",
  "plain/1.0/file.txt": "plain\n",
  "never/1.0/package.py": "name = 'never'\nversion = '1.0'\ncachable = False\n",
  "never/1.0/file.txt": "never\n",
};

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-pcache-cli-"));
  roots.push(work);
  repo = join(work, "repo");
  cache = join(work, "pcache");
  writeTree(repo, FOO);
  chmodSync(join(repo, "foo", "1.0.0", "bin", "foo-tool"), 0o755);
  mkdirSync(cache);
  mkdirSync(join(work, "tmp"));
});

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function uri(name: string, version: string, index?: number): string {
  return `${repo}/${name}/${version}/package.py${index === undefined ? "" : `[${index}]`}`;
}

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
      else out.push(prefix + e.name);
    }
  };
  if (existsSync(root)) walk(root, "");
  return out;
}

/** The cached payload folders (`<name>/<version>/<hash>/<inc>`) and their json files. */
function cacheTree(): string[] {
  return files(cache).filter((f) => !f.startsWith(".sys/"));
}

function listing(run: CliRun): { status: string; package: string; variant_uri: string; orig_path: string | null; cache_path: string | null }[] {
  return JSON.parse(run.stdout) as never;
}

describe("pkg cache", () => {
  it("needs a cache folder: DIR or cache_packages_path (exit 2)", () => {
    const none = runPkg(work, ["cache"], { TMPDIR: join(work, "tmp") });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("PKG0080");
    expect(none.stderr).toContain("cache_packages_path");
    const notDir = pkg(["cache", join(repo, "foo", "1.0.0", "package.py")]);
    expect(notDir.status).toBe(2);
    expect(notDir.stderr).toContain("Not a directory");
  });

  it("lists nothing in an empty cache, then what --add-variants copied, in Rez's columns", () => {
    const empty = pkg(["cache"]);
    expect([empty.status, empty.stdout]).toEqual([0, ""]);
    expect(empty.stderr).toContain("No cached packages.");
    const add = pkg(["cache", "--add-variants", uri("foo", "1.0.0"), uri("bar", "2.0", 0)]);
    expect(add.status).toBe(0);
    expect(add.stderr).toContain(`Adding variant '${uri("foo", "1.0.0")}' to package cache at ${cache}:`);
    expect(add.stderr).toContain("Successfully cached to: ");
    const tree = cacheTree();
    expect(tree.filter((f) => f.startsWith("foo/")).map((f) => f.replace(/^foo\/1\.0\.0\/[0-9a-f]{4}\//, ""))).toEqual(["a/bin/foo-tool", "a/data/a.txt", "a/package.py", "a.json"]);
    expect(tree.filter((f) => f.startsWith("bar/")).map((f) => f.replace(/^bar\/2\.0\/[0-9a-f]{4}\//, ""))).toEqual(["a/lib/bar.txt", "a.json"]);
    const barJson = JSON.parse(readFileSync(join(cache, tree.find((f) => f.startsWith("bar/") && f.endsWith(".json"))!), "utf8")) as unknown;
    expect(barJson).toEqual({ handle: { key: "filesystem.variant", variables: { index: 0, location: repo, name: "bar", repository_type: "filesystem", version: "2.0" } }, data: ["foo-1"] });

    const list = pkg(["cache"]);
    expect(list.status).toBe(0);
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    // columns padded to the widest cell, two spaces apart
    expect(lines[0]).toMatch(new RegExp(`^cached  bar-2\\.0    ${uri("bar", "2.0", 0).replace(/[[\]./]/g, "\\$&")}   ${cache}/bar/2\\.0/[0-9a-f]{4}/a$`));
    expect(lines[1]).toMatch(/^cached  foo-1\.0\.0  .*foo\/1\.0\.0\/package\.py\[\]  .*\/a$/);
    const cols = pkg(["cache", "-c", "package", "orig_path"]);
    expect(cols.stdout).toBe(`bar-2.0    ${repo}/bar/2.0/foo-1\nfoo-1.0.0  ${repo}/foo/1.0.0\n`);
    const bad = pkg(["cache", "-c", "size"]);
    expect(bad.status).toBe(2);
    const json = listing(pkg(["cache", "--json"]));
    expect(json.map((e) => [e.status, e.package, e.variant_uri, e.orig_path])).toEqual([
      ["cached", "bar-2.0", uri("bar", "2.0", 0), `${repo}/bar/2.0/foo-1`],
      ["cached", "foo-1.0.0", `${uri("foo", "1.0.0")}[]`, `${repo}/foo/1.0.0`],
    ]);
    expect(json[1]!.cache_path).toMatch(new RegExp(`^${cache}/foo/1\\.0\\.0/[0-9a-f]{4}/a$`));

    const again = pkg(["cache", "-a", uri("foo", "1.0.0"), "--json"]);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual([{ uri: uri("foo", "1.0.0"), status: "found", cache_path: json[1]!.cache_path }]);
    expect(pkg(["cache", "-a", uri("foo", "1.0.0")]).stderr).toContain(`Already exists: ${json[1]!.cache_path}`);
  });

  it("refuses what may not be cached (exit 1) unless --force: not cachable, cachable = False, local, same device, unknown", () => {
    const plain = pkg(["cache", "-a", uri("plain", "1.0")]);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain("PKG0081");
    expect(plain.stderr).toContain("Not cached - package is not cachable");
    // default_cachable makes packages that do not say cachable
    expect(pkg(["cache", "-a", uri("plain", "1.0")], { PKG_DEFAULT_CACHABLE: "1" }).status).toBe(0);
    const never = pkg(["cache", "-a", uri("never", "1.0")], { PKG_DEFAULT_CACHABLE: "1" });
    expect(never.status).toBe(1);
    expect(never.stderr).toContain("not cachable");
    expect(pkg(["cache", "-a", uri("never", "1.0"), "--force"]).status).toBe(0);
    const local = pkg(["cache", "-a", uri("foo", "1.0.0")], { PKG_LOCAL_PACKAGES_PATH: repo });
    expect(local.status).toBe(1);
    expect(local.stderr).toContain("Not cached - package is local");
    const sameDevice = pkg(["cache", "-a", uri("foo", "1.0.0")], { PKG_PACKAGE_CACHE_SAME_DEVICE: "0" });
    expect(sameDevice.status).toBe(1);
    expect(sameDevice.stderr).toContain("is on same device as cache");
    const temp = pkg(["cache", "-a", uri("foo", "1.0.0")], { TMPDIR: work });
    expect(temp.status).toBe(1);
    expect(temp.stderr).toContain("is in temp repository");
    expect(pkg(["cache", "-a", uri("foo", "1.0.0")], { PKG_LOCAL_PACKAGES_PATH: repo, PKG_PACKAGE_CACHE_LOCAL: "1" }).status).toBe(0);
    for (const unknown of [uri("foo", "9.9"), uri("bar", "2.0", 4), uri("bar", "2.0"), join(work, "nowhere")]) {
      const run = pkg(["cache", "-a", unknown]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`No such variant: ${unknown}`);
    }
  });

  it("takes one action at a time (exit 2)", () => {
    const run = pkg(["cache", "--clean", "--logs"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("give one of");
  });

  it("--remove-variants moves the payload aside; --clean deletes it", () => {
    expect(pkg(["cache", "-a", uri("foo", "1.0.0")]).status).toBe(0);
    const removed = pkg(["cache", "-r", uri("foo", "1.0.0")]);
    expect(removed.status).toBe(0);
    expect(removed.stderr).toContain("Variant successfully removed");
    expect(cacheTree()).toEqual([]);
    expect(readdirSync(join(cache, ".sys", "to_delete"))).toEqual([expect.stringMatching(/^foo-1\.0\.0-[0-9a-f]{32}$/)]);
    const missing = pkg(["cache", "--remove-variants", uri("foo", "1.0.0"), "--json"]);
    expect([missing.status, JSON.parse(missing.stdout)]).toEqual([0, [{ uri: uri("foo", "1.0.0"), status: "not_found" }]]);
    expect(pkg(["cache", "-r", uri("foo", "1.0.0")]).stderr).toContain("No such variant found in cache");
    const clean = pkg(["cache", "--clean", "--json"]);
    expect(clean.status).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ removed: [], deleted: [expect.stringContaining(join(cache, ".sys", "to_delete", "foo-1.0.0-"))] });
    expect(readdirSync(join(cache, ".sys", "to_delete"))).toEqual([]);
  });

  it("--clean removes variants unused for package_cache_max_variant_days (0: never), and says so in the log", () => {
    expect(pkg(["cache", "-a", uri("foo", "1.0.0"), uri("bar", "2.0", 0)]).status).toBe(0);
    const fooJson = cacheTree().find((f) => f.startsWith("foo/") && f.endsWith(".json"))!;
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(join(cache, fooJson), old, old);
    expect(pkg(["cache", "--clean"], { PKG_PACKAGE_CACHE_MAX_VARIANT_DAYS: "0" }).status).toBe(0);
    expect(cacheTree()).toContain(fooJson);
    const clean = pkg(["cache", "--clean"]);
    expect(clean.status).toBe(0);
    expect(clean.stderr).toContain(`Removed unused variant ${uri("foo", "1.0.0")}[] from cache`);
    expect(cacheTree().some((f) => f.startsWith("foo/"))).toBe(false);
    expect(cacheTree().some((f) => f.startsWith("bar/"))).toBe(true);
    const logs = pkg(["cache", "--logs"]);
    expect(logs.status).toBe(0);
    expect(logs.stdout).toMatch(/^pkg-cache \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} PID-\d+ INFO Removed unused variant /m);
    const json = JSON.parse(pkg(["cache", "--logs", "--json"]).stdout) as { file: string; lines: string[] }[];
    expect(json[0]!.file).toMatch(/\.sys\/log\/\d{4}-\d\d-\d\d\.log$/);
  });

  it("using a cached variant touches its json file (its last use, for --clean)", () => {
    expect(pkg(["cache", "-a", uri("foo", "1.0.0")]).status).toBe(0);
    const fooJson = join(cache, cacheTree().find((f) => f.endsWith(".json"))!);
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(fooJson, old, old);
    expect(pkg(["-r", repo, "env", "foo", "-c", "true"]).status).toBe(0);
    expect(pkg(["cache", "--clean"]).stderr).not.toContain("Removed unused variant");
  });

  it("a copy that fails leaves no payload, only a stalled entry that --clean removes; environments use the original", () => {
    execFileSync("mkfifo", [join(repo, "foo", "1.0.0", "data", "pipe")]);
    const add = pkg(["cache", "-a", uri("foo", "1.0.0")]);
    expect(add.status).toBe(1);
    expect(add.stderr).toContain("PKG0083");
    // the marker stays (the copy is not made again and again), the payload folder is gone
    expect(cacheTree().map((f) => f.replace(/^foo\/1\.0\.0\/[0-9a-f]{4}\//, ""))).toEqual([".copying-a", "a.json"]);
    expect(listing(pkg(["cache", "--json"])).map((e) => e.status)).toEqual(["stalled"]);
    expect(pkg(["cache"]).stdout).toMatch(/^stalled  foo-1\.0\.0  /);
    // not copied again and again: the stalled entry stays until a clean
    const again = pkg(["cache", "-a", uri("foo", "1.0.0")]);
    expect(again.stderr).toContain("has stalled");
    const env = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT"]);
    expect([env.status, env.stdout]).toEqual([0, `${repo}/foo/1.0.0\n`]);
    const clean = pkg(["cache", "--clean"]);
    expect(clean.stderr).toContain("Removed stalled variant");
    expect(cacheTree()).toEqual([]);
  });

  it("a full disk (a 1 MiB tmpfs) stops the copy: the partial payload is removed, the environment uses the original", () => {
    const small = join(work, "small");
    mkdirSync(small);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", small], { stdio: "pipe" });
    } catch {
      console.log("skipping the full-disk test: cannot mount a tmpfs here (needs root)");
      return;
    }
    try {
      writeFileSync(join(repo, "foo", "1.0.0", "data", "big"), Buffer.alloc(2_000_000, 7));
      const full = { PKG_CACHE_PACKAGES_PATH: small, PKG_PACKAGE_CACHE_SPACE_BUFFER: "0", PKG_PACKAGE_CACHE_USED_THRESHOLD: "100" };
      const env = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT"], full);
      expect([env.status, env.stdout]).toEqual([0, `${repo}/foo/1.0.0\n`]);
      expect(env.stderr).toContain("ENOSPC");
      expect(listing(pkg(["cache", "--json"], full)).map((e) => e.status)).toEqual(["stalled"]);
      expect(files(small).filter((f) => !f.startsWith(".sys/")).map((f) => f.replace(/^foo\/1\.0\.0\/[0-9a-f]{4}\//, ""))).toEqual([".copying-a", "a.json"]);
      expect(pkg(["cache", "--clean"], full).status).toBe(0);
      expect(files(small).filter((f) => !f.startsWith(".sys/"))).toEqual([]);
    } finally {
      execFileSync("umount", [small]);
    }
  });

  it("skips variants when the disk is near full (package_cache_space_buffer), and environments still work", () => {
    const huge = String(Number.MAX_SAFE_INTEGER);
    const add = pkg(["cache", "-a", uri("foo", "1.0.0")], { PKG_PACKAGE_CACHE_SPACE_BUFFER: huge });
    expect(add.status).toBe(0);
    expect(add.stderr).toContain("Cache no longer accepting new variant due to size limit");
    expect(cacheTree()).toEqual([]);
    const env = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT"], { PKG_PACKAGE_CACHE_SPACE_BUFFER: huge });
    expect([env.status, env.stdout]).toEqual([0, `${repo}/foo/1.0.0\n`]);
    // above package_cache_used_threshold each variant must fit and leave the buffer: a 0% threshold checks every one
    expect(pkg(["cache", "-a", uri("foo", "1.0.0")], { PKG_PACKAGE_CACHE_USED_THRESHOLD: "0", PKG_PACKAGE_CACHE_SPACE_BUFFER: "1" }).stderr).toContain("Successfully cached");
  });

  it("--daemon copies the pending variants", () => {
    const handle = { key: "filesystem.variant", variables: { index: null, location: repo, name: "foo", repository_type: "filesystem", version: "1.0.0" } };
    mkdirSync(join(cache, ".sys", "pending"), { recursive: true });
    writeFileSync(join(cache, ".sys", "pending", "foo-1.0.0-0123456789abcdef0123456789abcdef.json"), JSON.stringify(handle));
    expect(listing(pkg(["cache", "--json"])).map((e) => [e.status, e.package, e.cache_path])).toEqual([["pending", "foo-1.0.0", null]]);
    const daemon = pkg(["cache", "--daemon", cache]);
    expect(daemon.status).toBe(0);
    expect(readdirSync(join(cache, ".sys", "pending"))).toEqual([]);
    expect(listing(pkg(["cache", "--json"])).map((e) => e.status)).toEqual(["cached"]);
    expect(pkg(["cache", "--logs"]).stdout).toContain(`Started caching of variant ${uri("foo", "1.0.0")}[]...`);
  });
});

describe("environments with the payload cache", () => {
  const show = "echo $REZ_FOO_ROOT; echo $REZ_FOO_ORIG_ROOT; echo $FOO_THIS; echo $FOO_RESOLVE; foo-tool";

  it("sync: the variants are copied first; {root}, this.root, resolve.foo.root and REZ_FOO_ROOT point into the cache", () => {
    const run = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "bar", "-c", `${show}; echo $REZ_BAR_ROOT; cat $REZ_BAR_ROOT/lib/bar.txt`]);
    expect(run.status).toBe(0);
    const [root, orig, thisRoot, resolveRoot, tool, barRoot, barText] = run.stdout.trimEnd().split("\n");
    expect(root).toMatch(new RegExp(`^${cache}/foo/1\\.0\\.0/[0-9a-f]{4}/a$`));
    expect([orig, thisRoot, resolveRoot, tool]).toEqual([`${repo}/foo/1.0.0`, root, root, "foo"]);
    expect(barRoot).toMatch(new RegExp(`^${cache}/bar/2\\.0/[0-9a-f]{4}/a$`));
    expect(barText).toBe("bar");
    const printed = pkg(["-r", repo, "env", "foo", "--print", "--format", "json"]);
    const environ = JSON.parse(printed.stdout) as Record<string, string>;
    expect([environ.REZ_FOO_ROOT, environ.REZ_FOO_ORIG_ROOT]).toEqual([root, `${repo}/foo/1.0.0`]);
    expect(environ.PATH!.split(":")).toContain(`${root}/bin`);
    // inside the environment, pkg context and pkg status mark the package cached, at its cached root
    const inside = pkg(["-r", repo, "env", "foo", "-c", "pkg context; pkg status"]);
    expect(inside.stdout.match(/^foo-1\.0\.0 .*$/gm)).toEqual([`foo-1.0.0  ${root}  (cached)`, `foo-1.0.0  ${root}  (cached)`]);
  });

  it("--no-pkg-cache uses the originals and caches nothing; read_package_cache / write_package_cache", () => {
    const off = pkg(["-r", repo, "env", "--no-pkg-cache", "--pkg-cache-mode", "sync", "foo", "-c", show]);
    expect(off.stdout).toBe(`${repo}/foo/1.0.0\n\n${repo}/foo/1.0.0\n${repo}/foo/1.0.0\nfoo\n`);
    expect(cacheTree()).toEqual([]);
    const noWrite = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT"], { PKG_WRITE_PACKAGE_CACHE: "0" });
    expect(noWrite.stdout).toBe(`${repo}/foo/1.0.0\n`);
    expect(cacheTree()).toEqual([]);
    expect(pkg(["cache", "-a", uri("foo", "1.0.0")]).status).toBe(0);
    expect(pkg(["-r", repo, "env", "foo", "-c", "echo $REZ_FOO_ROOT"], { PKG_READ_PACKAGE_CACHE: "0" }).stdout).toBe(`${repo}/foo/1.0.0\n`);
    expect(pkg(["-r", repo, "env", "foo", "-c", "echo $REZ_FOO_ROOT"]).stdout).toContain(cache);
    // the choice is kept in the context file, as Rez's package_caching: an environment of it uses the originals
    const rxt = join(work, "nocache.rxt");
    expect(pkg(["-r", repo, "env", "--no-pkg-cache", "-o", rxt, "foo"]).status).toBe(0);
    expect(JSON.parse(readFileSync(rxt, "utf8")).package_caching).toBe(false);
    expect(pkg(["-r", repo, "env", "-i", rxt, "-c", "echo $REZ_FOO_ROOT"]).stdout).toBe(`${repo}/foo/1.0.0\n`);
  });

  it("skips packages that are not cachable and local packages (unless package_cache_local)", () => {
    const run = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "plain", "never", "foo", "-c", "echo $REZ_PLAIN_ROOT $REZ_NEVER_ROOT $REZ_FOO_ROOT"], { PKG_DEFAULT_CACHABLE: "1" });
    const [plainRoot, neverRoot, fooRoot] = run.stdout.trim().split(" ");
    expect(plainRoot).toContain(cache);
    expect(neverRoot).toBe(`${repo}/never/1.0`);
    expect(fooRoot).toContain(cache);
    rmSync(cache, { recursive: true });
    mkdirSync(cache);
    const local = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT"], { PKG_LOCAL_PACKAGES_PATH: repo });
    expect(local.stdout).toBe(`${repo}/foo/1.0.0\n`);
    const sameDevice = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT"], { PKG_PACKAGE_CACHE_SAME_DEVICE: "0" });
    expect(sameDevice.stdout).toBe(`${repo}/foo/1.0.0\n`);
    expect(cacheTree()).toEqual([]);
  });

  it("build environments use the cache only with package_cache_during_build; test environments always", () => {
    const dev = join(work, "dev");
    writeTree(dev, { "package.py": "name = 'dev'\nversion = '1.0'\nrequires = ['foo']\nbuild_command = 'echo BUILD_ROOT=$REZ_FOO_ROOT'\ntests = {'t': 'echo TEST_ROOT=$REZ_FOO_ROOT'}\n" });
    const sync = cacheEnv({ PKG_PACKAGE_CACHE_ASYNC: "0" });
    const build = (extra: Record<string, string>): string => {
      const run = runPkg(work, ["build", "--paths", repo], { ...sync, ...extra }, dev);
      return run.stdout + run.stderr;
    };
    expect(build({})).toContain(`BUILD_ROOT=${repo}/foo/1.0.0\n`);
    expect(cacheTree()).toEqual([]);
    expect(build({ PKG_PACKAGE_CACHE_DURING_BUILD: "1" })).toMatch(new RegExp(`BUILD_ROOT=${cache}/foo/1\\.0\\.0/[0-9a-f]{4}/a\n`));
    rmSync(cache, { recursive: true });
    mkdirSync(cache);
    expect(runPkg(work, ["build", "--paths", repo, "--install", "--prefix", repo], sync, dev).status).toBe(0);
    const test = runPkg(work, ["test", "--paths", repo, "dev"], sync);
    expect(test.stdout + test.stderr).toMatch(new RegExp(`TEST_ROOT=${cache}/foo/1\\.0\\.0/[0-9a-f]{4}/a\n`));
  });

  it("a cache folder that does not exist only costs a warning", () => {
    const run = pkg(["-r", repo, "env", "foo", "-c", "echo $REZ_FOO_ROOT"], { PKG_CACHE_PACKAGES_PATH: join(work, "missing") });
    expect([run.status, run.stdout]).toEqual([0, `${repo}/foo/1.0.0\n`]);
    expect(run.stderr).toContain(`Package caching disabled (dir ${join(work, "missing")} does not exist)`);
  });

  it("async (the default): the environment starts from the originals and a detached process fills the cache", async () => {
    const first = pkg(["-r", repo, "env", "foo", "-c", "echo $REZ_FOO_ROOT"]);
    expect([first.status, first.stdout]).toEqual([0, `${repo}/foo/1.0.0\n`]);
    // the copier runs on its own: wait (generously) for it to finish
    for (let i = 0; i < 100 && !listing(pkg(["cache", "--json"])).some((e) => e.status === "cached"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(listing(pkg(["cache", "--json"])).map((e) => e.status)).toEqual(["cached"]);
    expect(pkg(["cache", "--logs"]).stdout).toContain("Cached variant to ");
    const second = pkg(["-r", repo, "env", "foo", "-c", "echo $REZ_FOO_ROOT"]);
    expect(second.stdout).toContain(`${cache}/foo/1.0.0/`);
    // package_cache_async = false waits, as --pkg-cache-mode sync does
    const sync = pkg(["-r", repo, "env", "bar", "-c", "echo $REZ_BAR_ROOT"], { PKG_PACKAGE_CACHE_ASYNC: "0" });
    expect(sync.stdout).toContain(`${cache}/bar/2.0/`);
  });
});

/** Starts `pkg ARGS` without waiting; resolves to its exit status and output. */
function startPkg(args: readonly string[], extra: Record<string, string> = {}): { child: ReturnType<typeof spawn>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: work, env: { ...isolatedEnv(work), ...cacheEnv(extra) } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
  return { child, done };
}

/** A payload of many small files, so that a kill lands in the middle of copying it. */
function bigPayload(base: string, count: number): void {
  const tree: Record<string, string> = {};
  for (let i = 0; i < count; i++) tree[`data/d${i % 10}/f${i}.txt`] = `file ${i}\n`.repeat(20);
  writeTree(base, tree);
}

describe("safety", () => {
  it("kill -9 at random moments of pkg cp and pkg cache --add-variants leaves every repository and the cache consistent", async () => {
    const COUNT = 150;
    bigPayload(join(repo, "foo", "1.0.0"), COUNT);
    const dest = join(work, "dest");
    writeTree(dest, { "other/1.0/package.py": "name = 'other'\nversion = '1.0'\n" });
    const expected = files(join(repo, "foo", "1.0.0"));
    /** Kills `pkg ARGS` at a random moment; on odd runs, once `started()` says its copy has begun. */
    const killAt = async (args: readonly string[], run: number, started: () => boolean): Promise<void> => {
      const { child, done } = startPkg(args);
      let exited = false;
      void done.then(() => (exited = true));
      if (run % 2 === 1) {
        for (let i = 0; i < 600 && !exited && !started(); i++) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, Math.random() * 40));
      } else await new Promise((r) => setTimeout(r, 40 + Math.random() * 700));
      child.kill("SIGKILL");
      await done;
    };
    const copyStarted = (): boolean => readdirSync(dest).some((n) => n.startsWith(".pkg-copy."));
    const cacheStarted = (): boolean => existsSync(join(cache, "foo")) && files(join(cache, "foo")).some((f) => f.includes("/.incoming-"));
    for (let run = 0; run < 20; run++) {
      await killAt(["cp", "foo-1.0.0", "-r", repo, "--dest-path", dest, "--overwrite"], run, copyStarted);
      // the destination has the package whole, or not at all
      const copied = files(join(dest, "foo"));
      if (copied.includes("1.0.0/package.py")) expect(copied.filter((f) => f.startsWith("1.0.0/")).map((f) => f.slice(6))).toEqual(expected);
      else expect(copied.filter((f) => f.startsWith("1.0.0/"))).toEqual([]);
      // each run copies afresh: what an earlier one cached is dropped
      rmSync(join(cache, "foo"), { recursive: true, force: true });
      await killAt(["cache", "-a", uri("foo", "1.0.0")], run, cacheStarted);
      // a cached variant is whole; anything else is not offered as cached
      for (const e of listing(pkg(["cache", "--json"]))) {
        if (e.status === "cached") expect(files(e.cache_path!)).toEqual(expected);
        else expect(["copying", "stalled"]).toContain(e.status);
      }
    }
    // afterwards: the source is untouched, a copy and a cached variant can be made, and resolves work
    expect(files(join(repo, "foo", "1.0.0"))).toEqual(expected);
    expect(pkg(["cp", "foo-1.0.0", "-r", repo, "--dest-path", dest, "--overwrite"]).status).toBe(0);
    expect(files(join(dest, "foo", "1.0.0"))).toEqual(expected);
    expect(readdirSync(dest).filter((n) => n.startsWith(".pkg-copy"))).toEqual([]);
    const env = pkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT; ls -R $REZ_FOO_ROOT/data | grep -c txt"]);
    expect(env.status).toBe(0);
    const [root, count] = env.stdout.trim().split("\n");
    expect(root).toContain(cache);
    expect(Number(count)).toBe(COUNT + 1);
    expect(pkg(["-r", dest, "env", "--no-pkg-cache", "foo", "-c", "ls -R $REZ_FOO_ROOT/data | grep -c txt"]).stdout.trim()).toBe(String(COUNT + 1));
    // --clean leaves only whole variants and no temporaries
    expect(pkg(["cache", "--clean"]).status).toBe(0);
    expect(listing(pkg(["cache", "--json"])).map((e) => e.status)).toEqual(["cached"]);
    expect(cacheTree().filter((f) => f.includes(".incoming-") || f.includes(".copying-"))).toEqual([]);
  }, 60_000);

  it("8 processes resolving at once with the payload cache on make one copy, and each gets a working environment", async () => {
    bigPayload(join(repo, "foo", "1.0.0"), 300);
    const runs = Array.from({ length: 8 }, () => startPkg(["-r", repo, "env", "--pkg-cache-mode", "sync", "foo", "-c", "echo $REZ_FOO_ROOT; ls -R $REZ_FOO_ROOT/data | grep -c txt; foo-tool"]).done);
    const results = await Promise.all(runs);
    const cachedRoots = new Set<string>();
    for (const r of results) {
      expect(r.status).toBe(0);
      const [root, count, tool] = r.stdout.trim().split("\n");
      expect([count, tool]).toEqual(["301", "foo"]);
      if (root!.startsWith(cache)) cachedRoots.add(root!);
      else expect(root).toBe(`${repo}/foo/1.0.0`);
    }
    expect(cachedRoots.size).toBe(1);
    const hashDir = join(cache, "foo", "1.0.0", readdirSync(join(cache, "foo", "1.0.0"))[0]!);
    expect(readdirSync(hashDir).sort()).toEqual(["a", "a.json"]);
  }, 60_000);
});
