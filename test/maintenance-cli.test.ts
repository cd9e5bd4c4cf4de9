// Black-box tests of `pkg ignore`, `pkg rm`, `pkg cp` and `pkg mv` on real temporary repositories.
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, utimesSync } from "node:fs";
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
