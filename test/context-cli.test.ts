// Black-box tests of rez-context's flags on `pkg context`: request and resolve lists, URIs, source order,
// environment formats and styles, an empty parent environment, stdin, and resolve diffs (--diff, --fetch).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runPkg, writeTree } from "./support/cli.js";

let work: string;
let repo: string;

function pkg(args: readonly string[]) {
  return runPkg(work, ["-r", repo, ...args], { PKG_STANDARD_SYSTEM_PATHS: "/usr/bin:/bin" });
}

function definePackage(name: string, version: string, requires: readonly string[] = [], commands = "") {
  writeTree(repo, {
    [`${name}/${version}/package.py`]:
      `name = ${JSON.stringify(name)}\nversion = ${JSON.stringify(version)}\nrequires = ${JSON.stringify(requires)}\n` +
      (commands ? `def commands():\n${commands}\n` : ""),
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-context-"));
  repo = join(work, "repo");
  for (const v of ["1.0", "1.1", "1.5"]) definePackage("foo", v, [], '    env.FOO_HOME = "{root}"\n    env.GREETING = "caf\\u00e9"');
  definePackage("bar", "1", ["foo-1.0"]);
  definePackage("baz", "2");
  expect(pkg(["env", "-o", join(work, "old.rxt"), "foo-1.0", "bar"]).status).toBe(0);
  expect(pkg(["env", "-o", join(work, "new.rxt"), "foo-1.5", "baz"]).status).toBe(0);
  expect(pkg(["env", "-o", join(work, "latest.rxt"), "foo"]).status).toBe(0);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("pkg context (rez-context's flags)", () => {
  it("prints only the request, or only the resolve, one item per line when piped", () => {
    const old = join(work, "old.rxt");
    expect(pkg(["context", old, "--req"]).stdout).toBe("foo-1.0\nbar\n");
    expect(pkg(["context", old, "--print-request"]).stdout).toBe("foo-1.0\nbar\n");
    expect(pkg(["context", old, "--res"]).stdout).toBe("foo-1.0\nbar-1\n");
    expect(pkg(["context", old, "--print-resolve", "--su"]).stdout).toBe(`${join(repo, "foo/1.0/package.py")}[]\n${join(repo, "bar/1/package.py")}[]\n`);
  });

  it("lists resolved packages by name, or in source order with --so, with URIs with --su", () => {
    const old = join(work, "old.rxt");
    const summary = (args: string[]) => pkg(["context", old, ...args]).stdout.split("resolved packages:\n")[1]!.trimEnd().split("\n");
    expect(summary([])).toEqual([`bar-1    ${join(repo, "bar/1")}`, `foo-1.0  ${join(repo, "foo/1.0")}`]);
    expect(summary(["--so"]).map((l) => l.split(" ")[0])).toEqual(["foo-1.0", "bar-1"]);
    expect(summary(["--su"])).toEqual([`bar-1    ${join(repo, "bar/1/package.py")}[]`, `foo-1.0  ${join(repo, "foo/1.0/package.py")}[]`]);
  });

  it("interprets as a table, as Rez's JSON, in eval style, and in an empty parent environment", () => {
    const latest = join(work, "latest.rxt");
    const table = pkg(["context", latest, "-i", "-f", "table"]).stdout;
    const widest = Math.max(...table.trimEnd().split("\n").map((line) => line.indexOf(" ")));
    expect(table.split("\n")).toContain(`FOO_HOME${" ".repeat(widest - "FOO_HOME".length + 2)}${join(repo, "foo/1.5")}`);
    const json = pkg(["context", latest, "--interpret", "--format", "json"]).stdout;
    expect(json).toContain('\n    "GREETING": "caf\\u00e9",\n');
    const keys = Object.keys(JSON.parse(json) as object);
    // -f dict is Python's pformat of the same variables, as rez-context prints it
    const dict = pkg(["context", latest, "-i", "-f", "dict"]).stdout;
    const python = spawnSync("python3", ["-c", "import json, sys, pprint; print(pprint.pformat(json.load(sys.stdin)))"], { input: json, encoding: "utf8" });
    if (python.status === 0) expect(dict).toBe(python.stdout);
    expect(dict).toMatch(/^\{'FOO_HOME': '/);
    expect(keys).toEqual([...keys].sort());
    const script = pkg(["context", latest, "-i", "-f", "bash", "-s", "eval"]).stdout;
    expect(script.trimEnd().split("\n")).toHaveLength(1);
    const evaluated = spawnSync("bash", ["-c", `eval "$1"; printf '%s|%s' "$FOO_HOME" "$GREETING"`, "bash", script], { encoding: "utf8" });
    expect(evaluated.stdout).toBe(`${join(repo, "foo/1.5")}|café`);
    const bare = JSON.parse(runPkg(work, ["-r", repo, "context", latest, "-i", "-f", "json", "--no-env"], { PKG_STANDARD_SYSTEM_PATHS: "/usr/bin:/bin", LEAKED: "yes", PATH: `/leaked/bin:${process.env.PATH ?? ""}` }).stdout) as Record<string, string>;
    expect(bare.PATH).not.toContain("/leaked/bin");
    expect(pkg(["context", latest, "-f", "json"]).stderr).toContain("--format needs --interpret");
    expect(pkg(["context", latest, "-i", "-f", "dos"]).status).toBe(2);
  });

  it("reads the context from stdin with '-'", () => {
    const run = spawnSync(process.execPath, [cliPath, "-r", repo, "context", "-", "--res"], {
      input: readFileSync(join(work, "old.rxt")),
      encoding: "utf8",
      env: isolatedEnv(work),
    });
    expect(run.stdout).toBe("foo-1.0\nbar-1\n");
  });

  it("--diff prints Rez's columns: versions between, added and removed packages; nothing for the same resolve", () => {
    const out = pkg(["context", join(work, "old.rxt"), "--diff", join(work, "new.rxt")]);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(
      "old.rxt  new.rxt  \n" + "-------  -------  \n" + "foo-1.0  foo-1.5  (+2 versions)\n" + "-        baz-2    \n" + "bar-1    -        \n",
    );
    const back = pkg(["context", join(work, "new.rxt"), "--diff", join(work, "old.rxt")]).stdout;
    expect(back).toContain("foo-1.5  foo-1.0  (-2 versions)\n");
    expect(pkg(["context", join(work, "old.rxt"), "--diff", join(work, "old.rxt")]).stdout).toBe("");
    const missing = pkg(["context", join(work, "old.rxt"), "--diff", join(work, "none.rxt")]);
    expect(missing.status).toBe(pkg(["context", join(work, "none.rxt")]).status);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain("none.rxt");
  });

  it("--fetch resolves the request again and shows what changed since", () => {
    const latest = join(work, "latest.rxt");
    expect(pkg(["context", latest, "--fetch"]).stdout).toBe("");
    definePackage("foo", "2.0");
    try {
      expect(pkg(["context", latest, "--fetch"]).stdout).toBe("current  updated  \n-------  -------  \nfoo-1.5  foo-2.0  (+1 versions)\n");
    } finally {
      rmSync(join(repo, "foo", "2.0"), { recursive: true, force: true });
    }
  });
});
