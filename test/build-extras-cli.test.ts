// Black-box tests of the rest of `pkg build` / `pkg test`: a @late `tests` function, Rez's remaining CMake
// macros (rez_install_context, rez_pip_install, rez_install_doxygen) and byte-compiled python installs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, writeTree, type CliRun } from "./support/cli.js";

let work: string;
let repo: string;
let src: string;

function have(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

function build(dir: string, args: readonly string[] = [], env: Record<string, string> = {}): CliRun {
  return runPkg(work, ["build", "--paths", repo, ...args], env, join(src, dir));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-build-extras-"));
  repo = join(work, "repo");
  src = join(work, "src");
  writeTree(repo, { "python/3.11/package.py": "name = 'python'\nversion = '3.11'\n" });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("a @late tests function", () => {
  it("is evaluated as Rez does (this the package, in_context() False) for pkg test and pre_install tests", () => {
    writeTree(src, {
      "latetests/package.py": [
        "name = 'latetests'",
        "version = '1.0'",
        "build_command = False",
        "",
        "@late()",
        "def tests():",
        "    out = {'unit': 'echo unit of %s in_context=%s' % (this.name, in_context())}",
        "    out['gate'] = {'command': 'test \"$GATE\" = open', 'run_on': ['pre_install']}",
        "    return out",
        "",
      ].join("\n"),
    });
    const prefix = join(work, "late-repo");
    const closed = build("latetests", ["-i", "-p", prefix], { GATE: "shut" });
    expect(closed.status).toBe(1);
    expect(closed.stderr).toContain("Running pre_install tests: gate");
    expect(closed.stderr).toContain("[PKG0040]");
    expect(existsSync(join(prefix, "latetests"))).toBe(false);
    const open = build("latetests", ["-i", "-p", prefix], { GATE: "open" });
    expect(open.stderr).not.toContain("pkg: error");
    expect(open.status).toBe(0);
    expect(open.stderr).toContain("1 succeeded, 0 failed, 0 skipped");
    // the installed package keeps the function, as Rez writes it
    expect(readFileSync(join(prefix, "latetests", "1.0", "package.py"), "utf8")).toContain("@late()\ndef tests():\n");
    const list = runPkg(work, ["test", "--paths", prefix, "latetests", "-l"]);
    expect(list.stdout).toBe("gate\nunit\n");
    const run = runPkg(work, ["test", "--paths", prefix, "latetests"]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("unit of latetests in_context=False\n");
    expect(run.stdout).toContain("1 succeeded, 0 failed, 0 skipped");
  });

  it("one that raises or gives no dict is bad input naming the file and line", () => {
    writeTree(repo, {
      "raising/1.0/package.py": "name = 'raising'\nversion = '1.0'\n\n@late()\ndef tests():\n    return {'x': 1 / 0}\n",
      "listing/1.0/package.py": "name = 'listing'\nversion = '1.0'\n\n@late()\ndef tests():\n    return ['echo']\n",
    });
    const raising = runPkg(work, ["test", "--paths", repo, "raising"]);
    expect(raising.status).toBe(2);
    expect(raising.stderr).toContain(`late-bound 'tests' of package raising-1.0 (${join(repo, "raising", "1.0", "package.py")}:6): ZeroDivisionError: division by zero [PKG0085]`);
    expect(raising.stderr).not.toContain("    at ");
    const listing = runPkg(work, ["test", "--paths", repo, "listing"]);
    expect(listing.status).toBe(2);
    expect(listing.stderr).toContain("the @late 'tests' function of listing returned a list, not a dict of tests [PKG0085]");
  });
});
