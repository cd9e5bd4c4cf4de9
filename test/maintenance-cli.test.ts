// Black-box tests of `pkg ignore`, `pkg rm`, `pkg cp` and `pkg mv` on real temporary repositories.
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { runPkg, writeTree, type CliRun } from "./support/cli.js";

const roots: string[] = [];
let work: string;

function pkg(args: string[]): CliRun {
  return runPkg(work, args);
}

/** A fresh work folder per test: repositories the test writes, and pkg's cache. */
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-maint-cli-"));
  roots.push(work);
});

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function repo(name: string, files: Record<string, string>): string {
  const path = join(work, name);
  writeTree(path, files);
  return path;
}

const FOO = {
  "foo/1.0.0/package.py": "name = 'foo'\nversion = '1.0.0'\n",
  "foo/1.1.0/package.py": "name = 'foo'\nversion = '1.1.0'\n",
};

function json(run: CliRun): unknown {
  return JSON.parse(run.stdout);
}

function tree(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = prefix + entry.name;
      if (entry.isSymbolicLink()) out.push(`${rel} -> ${readlinkSync(join(dir, entry.name))}`);
      else if (entry.isDirectory()) {
        out.push(`${rel}/`);
        walk(join(dir, entry.name), `${rel}/`);
      } else out.push(rel);
    }
  };
  walk(root, "");
  return out;
}

describe("pkg ignore", () => {
  it("hides a version from solves and listings at once, and shows it again with -u", () => {
    const r = repo("repo", FOO);
    // warm the definition and resolve caches first
    expect(pkg(["-r", r, "solve", "foo"]).stdout).toContain("foo-1.1.0");
    expect(pkg(["-r", r, "list"]).stdout).toBe("foo-1.0.0\nfoo-1.1.0\n");
    const run = pkg(["ignore", "foo-1.1.0", r]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("Package is now ignored and will not be visible to resolves\n");
    expect(existsSync(join(r, "foo", ".ignore1.1.0"))).toBe(true);
    const solved = pkg(["-r", r, "solve", "foo"]);
    expect(solved.stdout).toContain("foo-1.0.0");
    expect(solved.stdout).not.toContain("foo-1.1.0");
    expect(pkg(["-r", r, "list"]).stdout).toBe("foo-1.0.0\n");
    const again = pkg(["ignore", "foo-1.1.0", r]);
    expect([again.status, again.stdout]).toEqual([0, "No action taken - package was already ignored\n"]);
    const back = pkg(["ignore", "-u", "foo-1.1.0", r]);
    expect([back.status, back.stdout]).toEqual([0, "Package is now visible to resolves once more\n"]);
    expect(pkg(["-r", r, "solve", "foo"]).stdout).toContain("foo-1.1.0");
    const visible = pkg(["ignore", "--unignore", "foo-1.1.0", r]);
    expect([visible.status, visible.stdout]).toEqual([0, "No action taken - package was already visible\n"]);
  });

  it("fails with exit 1 for a package that is not there, unless --allow-missing", () => {
    const r = repo("repo", FOO);
    const missing = pkg(["ignore", "foo-9", r]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("Package not found");
    expect(existsSync(join(r, "foo", ".ignore9"))).toBe(false);
    const allowed = pkg(["ignore", "--allow-missing", "bar-2", r]);
    expect(allowed.status).toBe(0);
    expect(existsSync(join(r, "bar", ".ignore2"))).toBe(true);
    expect(pkg(["ignore", "-u", "nope-1", r]).status).toBe(1);
  });

  it("without a repository lists the repositories holding the package and changes nothing", () => {
    const a = repo("a", FOO);
    const b = repo("b", { "foo/1.0.0/package.py": "name = 'foo'\nversion = '1.0.0'\n" });
    const run = pkg(["-r", a, "-r", b, "ignore", "foo-1.1.0"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`No action taken. Run again, and set PATH to one of:\n${a}\n`);
    expect(pkg(["-r", a, "-r", b, "ignore", "foo-7"]).status).toBe(1);
    expect(tree(a)).not.toContain("foo/.ignore1.1.0");
  });

  it("--json, and bad input exits 2", () => {
    const r = repo("repo", FOO);
    expect(json(pkg(["ignore", "foo-1.0.0", r, "--json"]))).toEqual({ package: "foo-1.0.0", action: "ignore", changed: true, repository: r });
    const unversioned = pkg(["ignore", "foo", r]);
    expect(unversioned.status).toBe(2);
    expect(unversioned.stderr).toContain("not an exact package");
    expect(pkg(["ignore", "foo-1..0", r]).status).toBe(2);
    expect(pkg(["ignore"]).status).toBe(2);
  });
});

describe("pkg rm", () => {
  it("-p removes one version (also an ignored one) and its tag", () => {
    const r = repo("repo", { ...FOO, "foo/.ignore1.0.0": "" });
    const run = pkg(["rm", "-p", "foo-1.0.0", r]);
    expect([run.status, run.stdout]).toEqual([0, "Package removed.\n"]);
    expect(tree(join(r, "foo"))).toEqual(["1.1.0/", "1.1.0/package.py"]);
    const again = pkg(["rm", "--package", "foo-1.0.0", r]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("Package not found");
    expect(json(pkg(["rm", "-p", "foo-1.1.0", r, "--json"]))).toEqual({ removed: [{ name: "foo", version: "1.1.0", repository: r }], dryRun: false });
  });

  it("-f removes only an empty family; --force-family any", () => {
    const r = repo("repo", { ...FOO, "empty/.ignore1.0": "" });
    const full = pkg(["rm", "-f", "foo", r]);
    expect(full.status).toBe(1);
    expect(full.stderr).toContain("non-empty package family");
    expect(existsSync(join(r, "foo", "1.0.0", "package.py"))).toBe(true);
    expect(pkg(["rm", "-f", "empty", r]).stdout).toBe("Package family removed.\n");
    expect(existsSync(join(r, "empty"))).toBe(false);
    expect(pkg(["rm", "-f", "foo", "--force-family", r]).status).toBe(0);
    expect(tree(r).filter((p) => !p.startsWith("."))).toEqual([]);
    expect(pkg(["rm", "-f", "nope", r]).status).toBe(1);
  });

  it("--ignored-since removes versions ignored that many days ago; --dry-run only counts", () => {
    const r = repo("repo", FOO);
    expect(pkg(["ignore", "foo-1.0.0", r]).status).toBe(0);
    expect(pkg(["rm", "--ignored-since", "1", r]).stdout).toBe("No packages were removed.\n");
    const dry = pkg(["rm", "-i", "0", "--dry-run", "-v", r]);
    expect(dry.stdout).toBe("1 packages would be removed.\n");
    expect(dry.stderr).toContain(`Would remove foo-1.0.0 from ${r}`);
    expect(existsSync(join(r, "foo", "1.0.0"))).toBe(true);
    // without PATH: every repository of the packages path
    const run = pkg(["-r", r, "rm", "-i", "0"]);
    expect([run.status, run.stdout]).toEqual([0, "1 packages were removed.\n"]);
    expect(tree(join(r, "foo"))).toEqual(["1.1.0/", "1.1.0/package.py"]);
  });

  it("bad input exits 2 with a clear message", () => {
    const r = repo("repo", FOO);
    for (const args of [["rm", r], ["rm", "-p", "foo-1.0.0"], ["rm", "-p", "foo-1.0.0", "--dry-run", r], ["rm", "-i", "x", r], ["rm", "-p", "foo", r], ["rm", "-f", "foo-1", r], ["rm", "--force-family", r]]) {
      const run = pkg(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/pkg: error: .+/);
    }
    expect(tree(join(r, "foo"))).toHaveLength(4);
  });
});

const TOOL = {
  "tool/1.0/package.py": "name = 'tool'\nversion = '1.0'\ntimestamp = 1000\n",
  "tool/1.0/bin/tool": "#!/bin/sh\n",
  "tool/1.0/data.txt": "data\n",
};
const VARIANTS = {
  "lib/2.0/.rez/include/helpers.py": "X = 1\n",
  "lib/2.0/package.py": "name = 'lib'\nversion = '2.0'\nvariants = [['python-3.10'], ['python-3.11']]\n",
  "lib/2.0/python-3.10/lib.py": "310\n",
  "lib/2.0/python-3.11/lib.py": "311\n",
};
/** The destination must hold some package (or --allow-empty). */
const SEED = { "seed/1/package.py": "name = 'seed'\nversion = '1'\n" };

describe("pkg cp", () => {
  it("copies a package with its payload, a new timestamp, as Rez writes it", () => {
    const src = repo("src", TOOL);
    const dst = repo("dst", SEED);
    const run = pkg(["-r", src, "cp", "tool-1.0", "--dest-path", dst]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Copied ${src}/tool/1.0/package.py to ${dst}/tool/1.0/package.py\n`);
    expect(tree(join(dst, "tool"))).toEqual(["1.0/", "1.0/bin/", "1.0/bin/tool", "1.0/data.txt", "1.0/package.py"]);
    const written = readFileSync(join(dst, "tool", "1.0", "package.py"), "utf8");
    expect(written).toContain("name = 'tool'");
    expect(written).not.toContain("timestamp = 1000");
    expect(tree(dst).filter((p) => p.startsWith(".pkg-copy"))).toEqual([]);
    expect(pkg(["-r", dst, "list", "tool"]).stdout).toBe("tool-1.0\n");
    // again: the target exists
    const again = pkg(["-r", src, "cp", "tool", "--dest-path", dst]);
    expect([again.status, again.stdout]).toEqual([0, `Target package already exists: ${dst}/tool/1.0/package.py. Use 'overwrite' to replace it.\n`]);
    expect(pkg(["-r", src, "cp", "tool", "--dest-path", dst, "--overwrite"]).status).toBe(0);
    const dst2 = repo("dst2", SEED);
    expect(pkg(["-r", src, "cp", "tool", "--dest-path", dst2, "-k"]).status).toBe(0);
    expect(readFileSync(join(dst2, "tool", "1.0", "package.py"), "utf8")).toContain("timestamp = 1000");
  });

  it("copies a pkg-rs style package as its package.py (get_package() has no serialised form), and refuses to rename it", () => {
    const text = [
      "from pkg import Package, Env, Evar",
      "from pathlib import Path",
      "",
      "def get_package():",
      "    p = Package('prs', '1.0.0')",
      "    env = Env('default')",
      "    env.add(Evar('PRS_HOME', str(Path(__file__).parent), 'set'))",
      "    p.add_env(env)",
      "    return p",
      "",
    ].join("\n");
    const src = repo("src-prs", { "prs/1.0.0/package.py": text, "prs/1.0.0/bin/prs": "#!/bin/sh\n" });
    const dst = repo("dst-prs", SEED);
    const run = pkg(["-r", src, "cp", "prs", "--dest-path", dst]);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dst, "prs", "1.0.0", "package.py"), "utf8")).toBe(text);
    expect(tree(join(dst, "prs"))).toEqual(["1.0.0/", "1.0.0/bin/", "1.0.0/bin/prs", "1.0.0/package.py"]);
    const env = pkg(["--paths", dst, "env", "prs", "--", "sh", "-c", "printf %s \"$PRS_HOME\""]);
    expect([env.status, env.stdout]).toEqual([0, join(dst, "prs", "1.0.0")]);
    const renamed = pkg(["-r", src, "cp", "prs", "--dest-path", dst, "--rename", "other"]);
    expect(renamed.status).toBe(1);
    expect(renamed.stderr).toContain("pkg-rs style package");
    expect(renamed.stderr).toContain("[PKG0044]");
    expect(existsSync(join(dst, "other"))).toBe(false);
  });

  it("--nl / --no-local leave the local packages path out of the search for PKG", () => {
    const local = repo("local", TOOL);
    const dst = repo("dst-nl", SEED);
    const env = { PKG_PACKAGES_PATH: local, PKG_LOCAL_PACKAGES_PATH: local };
    for (const flag of ["--nl", "--no-local"]) {
      const run = runPkg(work, ["cp", "tool", flag, "--dest-path", dst], env);
      expect([run.status, run.stderr.includes("No matching packages found.")]).toEqual([1, true]);
    }
    expect(runPkg(work, ["cp", "tool", "--dest-path", dst], env).status).toBe(0);
  });

  it("a staging folder left by a copy that was killed (its process gone) is swept by the next copy", () => {
    const src = repo("src-stale", TOOL);
    const dst = repo("dst-stale", { ...SEED, ".pkg-copy.999999999.1/bin/tool": "half" });
    const run = pkg(["-r", src, "cp", "tool-1.0", "--dest-path", dst]);
    expect(run.status, run.stderr).toBe(0);
    expect(tree(dst).filter((p) => p.startsWith(".pkg-copy"))).toEqual([]);
  });

  it("copies chosen variants (negative indices), skips existing ones, --json and --dry-run", () => {
    const src = repo("src", VARIANTS);
    const dst = repo("dst", SEED);
    const dry = pkg(["-r", src, "cp", "lib", "--dest-path", dst, "--variants", "-1", "--dry-run"]);
    expect(dry.stdout).toBe(`1 variants would be copied:\n  ${src}/lib/2.0/package.py[1] -> ${dst}/lib/2.0/?\n`);
    expect(existsSync(join(dst, "lib"))).toBe(false);
    const one = pkg(["-r", src, "cp", "lib", "--dest-path", dst, "--variants", "-1"]);
    expect(one.stdout).toBe(`1 variants were copied:\n  ${src}/lib/2.0/package.py[1] -> ${dst}/lib/2.0/package.py[0]\n`);
    expect(tree(join(dst, "lib"))).toEqual(["2.0/", "2.0/.rez/", "2.0/.rez/include/", "2.0/.rez/include/helpers.py", "2.0/package.py", "2.0/python-3.11/", "2.0/python-3.11/lib.py"]);
    const all = pkg(["-r", src, "cp", "lib-2.0", "--dest-path", dst, "--json"]);
    expect(json(all)).toEqual({
      copied: [{ source: `${src}/lib/2.0/package.py[0]`, destination: `${dst}/lib/2.0/package.py[0]` }],
      // the existing variant as it was found, before the copy put variant 0 in front of it
      skipped: [{ source: `${src}/lib/2.0/package.py[1]`, destination: `${dst}/lib/2.0/package.py[0]` }],
      dryRun: false,
    });
    expect(tree(join(dst, "lib", "2.0"))).toEqual([".rez/", ".rez/include/", ".rez/include/helpers.py", "package.py", "python-3.10/", "python-3.10/lib.py", "python-3.11/", "python-3.11/lib.py"]);
    const bad = pkg(["-r", src, "cp", "lib", "--dest-path", dst, "--variants", "5"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("does not have the variant 5");
  });

  it("hashed variants get a shortlink; --variant-uri copies one variant", () => {
    const hash = "b821b6f8a3d04be07cae976a50d84283e2a305ef";
    const src = repo("src", { "h/1/package.py": "name = 'h'\nversion = '1'\nhashed_variants = True\nvariants = [['python-3.10']]\n" });
    writeTree(src, { [`h/1/${hash}/x.txt`]: "x\n" });
    const dst = repo("dst", SEED);
    const run = pkg(["cp", "--variant-uri", `${src}/h/1/package.py[0]`, "--dest-path", dst]);
    expect(run.status, run.stderr).toBe(0);
    expect(readlinkSync(join(dst, "h", "1", "_v", "a"))).toBe(`../${hash}`);
    expect(readFileSync(join(dst, "h", "1", hash, "x.txt"), "utf8")).toBe("x\n");
    expect(pkg(["cp", "--variant-uri", `${src}/h/1/package.py[3]`, "--dest-path", dst]).status).toBe(1);
  });

  it("--rename/--reversion into the same repository, --shallow links the payload", () => {
    const src = repo("src", TOOL);
    const renamed = pkg(["-r", src, "cp", "tool", "--rename", "tool2", "--reversion", "2.0"]);
    expect(renamed.status, renamed.stderr).toBe(0);
    expect(readFileSync(join(src, "tool2", "2.0", "package.py"), "utf8")).toMatch(/name = 'tool2'[\s\S]*version = '2.0'/);
    expect(readFileSync(join(src, "tool2", "2.0", "data.txt"), "utf8")).toBe("data\n");
    const dst = repo("dst", SEED);
    expect(pkg(["-r", src, "cp", "tool-1.0", "--dest-path", dst, "--shallow"]).status).toBe(0);
    expect(lstatSync(join(dst, "tool", "1.0", "data.txt")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dst, "tool", "1.0", "data.txt"))).toBe(join(src, "tool", "1.0", "data.txt"));
  });

  it("refuses what Rez refuses (exit 1) and bad input (exit 2)", () => {
    const src = repo("src", { ...TOOL, "fixed/1/package.py": "name = 'fixed'\nversion = '1'\nrelocatable = False\n", "tool/2.0/package.py": "name = 'tool'\nversion = '2.0'\n" });
    const empty = join(work, "empty");
    const dst = repo("dst", SEED);
    const cases: [string[], number, string][] = [
      [["cp", "tool-1.0", "--dest-path", empty], 1, "EMPTY repository"],
      [["cp", "tool", "--dest-path", dst], 1, "More than one package matches"],
      [["cp", "nope", "--dest-path", dst], 1, "No matching packages found"],
      [["cp", "fixed", "--dest-path", dst], 1, "non-relocatable"],
      [["cp", "tool-1.0", "--dest-path", src], 1, "over itself"],
      [["cp", "tool-1.0"], 2, "--dest-path must be specified"],
      [["cp", "--dest-path", dst], 2, "Expected PKG"],
      [["cp", "tool-1.0", "--variant-uri", "x", "--dest-path", dst], 2, "not both"],
      [["cp", "tool-1.0", "--dest-path", dst, "--variants", "x"], 2, "variant indices"],
    ];
    for (const [args, status, message] of cases) {
      const run = pkg(["-r", src, ...args]);
      expect(run.status, args.join(" ")).toBe(status);
      expect(run.stderr, args.join(" ")).toContain(message);
    }
    expect(pkg(["-r", src, "cp", "fixed", "--dest-path", dst, "--force"]).status).toBe(0);
    expect(pkg(["-r", src, "cp", "tool-1.0", "--dest-path", empty, "--allow-empty"]).status).toBe(0);
    expect(existsSync(join(empty, "tool", "1.0", "data.txt"))).toBe(true);
  });

  it("a failed copy leaves the destination as it was", () => {
    const src = repo("src", TOOL);
    symlinkSync(join(work, "nowhere"), join(src, "tool", "1.0", "dangling"));
    const dst = repo("dst", SEED);
    const before = tree(dst);
    const run = pkg(["-r", src, "cp", "tool-1.0", "--dest-path", dst, "--follow-symlinks"]);
    expect(run.status).not.toBe(0);
    expect(tree(dst)).toEqual(before);
    // without --follow-symlinks the link is copied as a link
    expect(pkg(["-r", src, "cp", "tool-1.0", "--dest-path", dst]).status).toBe(0);
    expect(readlinkSync(join(dst, "tool", "1.0", "dangling"))).toBe(join(work, "nowhere"));
  });
});

describe("pkg mv", () => {
  it("moves a package: in the destination, ignored (not deleted) in the source", () => {
    const src = repo("src", { ...TOOL, ...VARIANTS });
    const dst = repo("dst", SEED);
    const run = pkg(["mv", "lib-2.0", src, "--dest-path", dst, "-v"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Ignored lib-2.0 in");
    expect(tree(join(dst, "lib"))).toEqual(["2.0/", "2.0/.rez/", "2.0/.rez/include/", "2.0/.rez/include/helpers.py", "2.0/package.py", "2.0/python-3.10/", "2.0/python-3.10/lib.py", "2.0/python-3.11/", "2.0/python-3.11/lib.py"]);
    expect(existsSync(join(src, "lib", ".ignore2.0"))).toBe(true);
    expect(existsSync(join(src, "lib", "2.0", "python-3.10", "lib.py"))).toBe(true);
    expect(pkg(["-r", src, "-r", dst, "list", "lib"]).stdout).toBe("lib-2.0\n");
    expect(pkg(["-r", src, "list", "lib"]).stdout).toBe("");
    const moved = json(pkg(["mv", "tool-1.0", src, "--dest-path", dst, "--json", "-k"])) as { moved: boolean; to: string };
    expect([moved.moved, moved.to]).toEqual([true, dst]);
    expect(readFileSync(join(dst, "tool", "1.0", "package.py"), "utf8")).toContain("timestamp = 1000");
  });

  it("refuses a package already at the destination and one not there (exit 1); lists where it is without PATH", () => {
    const src = repo("src", TOOL);
    const dst = repo("dst", { ...SEED, "tool/1.0/package.py": "name = 'tool'\nversion = '1.0'\n" });
    const there = pkg(["mv", "tool-1.0", src, "--dest-path", dst]);
    expect(there.status).toBe(1);
    expect(there.stderr).toContain("already exists at destination");
    expect(existsSync(join(src, "tool", ".ignore1.0"))).toBe(false);
    expect(pkg(["mv", "tool-9", src, "--dest-path", dst]).status).toBe(1);
    const where = pkg(["-r", src, "mv", "tool-1.0", "--dest-path", dst]);
    expect([where.status, where.stdout]).toEqual([0, `No action taken. Run again, and set PATH to one of:\n${src}\n`]);
    expect(pkg(["mv", "tool-1.0", src]).status).toBe(2);
  });

  it("a failed move leaves the package in the source, visible, and nothing in the destination", () => {
    const src = repo("src", TOOL);
    symlinkSync(join(work, "nowhere"), join(src, "tool", "1.0", "dangling"));
    // a destination folder that cannot take the payload: a file where the family folder goes
    const dst = repo("dst", { ...SEED, "tool/1.0": "not a folder\n" });
    const run = pkg(["mv", "tool-1.0", src, "--dest-path", dst]);
    expect(run.status).not.toBe(0);
    expect(pkg(["-r", src, "list", "tool"]).stdout).toBe("tool-1.0\n");
    expect(existsSync(join(src, "tool", ".ignore1.0"))).toBe(false);
    expect(tree(join(dst, "tool"))).toEqual(["1.0"]);
  });
});
