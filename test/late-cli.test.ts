// Black-box tests of @late requirements during a resolve (rez-core.md §4.4): `pkg solve`, `pkg solve -b`
// and `pkg env -b` evaluate a late `requires` in context, with `building` from -b; a broken late function
// is an error naming the package, file and line; no Python starts when nothing is late.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, writeTree } from "./support/cli.js";

let work: string;
let repo: string;
let plainRepo: string;

const lateFoo = `name = "foo"
version = "1.0"

@late()
def requires():
    return ["floob"] if in_context() and building else ["hello"]

variants = [["python-2.7"], ["python-3.9"]]

def commands():
    env.FOO_REQUIRES = " ".join(str(r) for r in this.requires)
`;

const broken = `name = "broken"
version = "2.0"

@late()
def requires():
    helper = 1
    return undefined_name + helper
`;

const notAList = `name = "notalist"
version = "1.0"

@late()
def requires():
    return "hello"
`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-late-cli-"));
  repo = join(work, "repo");
  plainRepo = join(work, "plain");
  writeTree(repo, {
    "floob/1.0/package.py": 'name = "floob"\nversion = "1.0"\n',
    "hello/1.0/package.py": 'name = "hello"\nversion = "1.0"\n',
    "python/2.7/package.py": 'name = "python"\nversion = "2.7"\n',
    "python/3.9/package.py": 'name = "python"\nversion = "3.9"\n',
    "foo/1.0/package.py": lateFoo,
    "broken/2.0/package.py": broken,
    "notalist/1.0/package.py": notAList,
  });
  writeTree(plainRepo, {
    "hello/1.0/package.py": 'name = "hello"\nversion = "1.0"\nrequires = ["python-3"]\n',
    "python/3.9/package.py": 'name = "python"\nversion = "3.9"\n',
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("late requires in a resolve", () => {
  it("pkg solve: not building, the late requires gives hello", () => {
    const r = runPkg(work, ["solve", "--ni", "--paths", repo, "foo"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("hello-1.0[]\npython-3.9[]\nfoo-1.0[1]\n");
  });

  it("pkg solve -b: building flows into the late function, which gives floob", () => {
    const r = runPkg(work, ["solve", "--ni", "-b", "--paths", repo, "foo", "python-2"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("python-2.7[]\nfloob-1.0[]\nfoo-1.0[0]\n");
  });

  it("pkg solve --json lists the late requirement too", () => {
    const r = runPkg(work, ["solve", "--ni", "--json", "--paths", repo, "foo"]);
    expect(r.status).toBe(0);
    const names = (JSON.parse(r.stdout) as { packages: { name: string }[] }).packages.map((p) => p.name);
    expect(names).toEqual(["hello", "python", "foo"]);
  });

  it("pkg env -b ... -- env: the environment of the build resolve (and this.requires agrees in commands)", () => {
    const r = runPkg(work, ["env", "--ni", "-b", "--paths", repo, "foo", "--", "env"]);
    expect(r.status).toBe(0);
    const env = Object.fromEntries(r.stdout.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    expect(env.REZ_USED_RESOLVE).toBe("floob-1.0 python-3.9 foo-1.0");
    // Rez: a variant's requires are the package's, then the variant's (PackageRequest objects)
    expect(env.FOO_REQUIRES).toBe("floob python-3.9");
  });

  it("pkg env without -b resolves hello", () => {
    const r = runPkg(work, ["env", "--ni", "--paths", repo, "foo", "--", "env"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("REZ_USED_RESOLVE=hello-1.0 python-3.9 foo-1.0\n");
    expect(r.stdout).toContain("FOO_REQUIRES=hello python-3.9\n");
  });
});

describe("broken late functions", () => {
  it("pkg solve: exit 2 and an error naming package, file and line", () => {
    const r = runPkg(work, ["solve", "--ni", "--paths", repo, "broken"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const file = join(repo, "broken", "2.0", "package.py");
    expect(r.stderr).toBe(`pkg: error: late-bound 'requires' of package broken-2.0 (${file}:7): NameError: name 'undefined_name' is not defined [PKG0011]\n`);
  });

  it("pkg solve: a return value that is not a list of requirements (Rez's late_requires_schema)", () => {
    const r = runPkg(work, ["solve", "--ni", "--paths", repo, "notalist"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`late-bound 'requires' of package notalist-1.0 (${join(repo, "notalist", "1.0", "package.py")}:4)`);
    expect(r.stderr).toContain("must return a list of requirement strings, not str: 'hello'");
  });

  it("pkg env: the same message; exit 1 as for any resolve that does not succeed", () => {
    const r = runPkg(work, ["env", "--ni", "--paths", repo, "broken", "--", "true"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("late-bound 'requires' of package broken-2.0");
    expect(r.stderr).toContain("NameError: name 'undefined_name' is not defined");
  });
});

describe("no Python without late attributes", () => {
  const noPython = { PKG_PYTHON: "/nonexistent/python3" };

  it("resolves a repository with no late attributes with no usable Python at all", () => {
    const r = runPkg(work, ["solve", "--ni", "--paths", plainRepo, "hello"], noPython);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("python-3.9[]\nhello-1.0[]\n");
  });

  it("a late attribute without a usable Python is a clear resolve error", () => {
    const r = runPkg(work, ["solve", "--ni", "--paths", repo, "foo"], noPython);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/late-bound 'requires' of package foo-1\.0 .*cannot run Python/);
  });
});
