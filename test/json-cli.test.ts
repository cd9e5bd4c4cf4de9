// Black-box tests of `--json` (docs/json.md): every command that prints data gives one JSON document on
// stdout with its documented top-level fields; warnings go into it, not to stderr; an error is the
// document {"error": {code, message, hint}} with the exit status the command always had.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, writeTree, type CliRun } from "./support/cli.js";

let work: string;
let repo: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-json-cli-"));
  repo = join(work, "repo");
  writeTree(repo, {
    "foo/1.0/package.py": 'name = "foo"\nversion = "1.0"\nrequires = ["bar"]\ntools = ["footool"]\n\ndef commands():\n    env.FOO = "{root}"\n    env.PATH.prepend("{root}/bin")\n',
    "foo/1.0/bin/footool": "#!/bin/sh\necho footool\n",
    "bar/1.0/package.py": 'name = "bar"\nversion = "1.0"\n',
    "bar/2.0/package.py": 'name = "bar"\nversion = "2.0"\n',
    // loads with a warning (file and line) whenever its family is read
    "shaky/1.0/package.py": 'name = "shaky"\nversion = "1.0"\n',
    "shaky/2.0/package.py": 'name = "shaky"\nversion = "2.0"\nx = (\n',
  });
  chmodSync(join(repo, "foo", "1.0", "bin", "footool"), 0o755);
  runPkg(work, ["-r", repo, "env", "--ni", "foo", "-o", join(work, "foo.rxt")]);
  runPkg(work, ["-r", repo, "env", "--ni", "bar-1", "-o", join(work, "bar.rxt")]);
  writeFileSync(join(work, "requests.json"), JSON.stringify([["foo"], ["bar-1"]]));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const pkg = (args: readonly string[], env: Record<string, string> = {}): CliRun =>
  runPkg(work, args, { PKG_STANDARD_SYSTEM_PATHS: "/usr/bin:/bin", ...env }, work, { timeoutMs: 120_000 });

/** Runs with --json and parses stdout, which must be exactly one JSON document. */
function json(args: readonly string[], status = 0, env: Record<string, string> = {}): Record<string, unknown> {
  const run = pkg(args, env);
  expect(run.status, run.stderr).toBe(status);
  expect(run.stdout.trimEnd().endsWith("}") || run.stdout.trimEnd().endsWith("]"), run.stdout).toBe(true);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const keys = (doc: unknown): string[] => Object.keys(doc as object).sort();

describe("every command's --json document has its documented top-level fields", () => {
  it("list: a list of {name, version, uri}", () => {
    const doc = json(["-r", repo, "list", "--json", "bar"]) as unknown as Record<string, unknown>[];
    expect(doc.map(keys)).toEqual([["name", "uri", "version"], ["name", "uri", "version"]]);
  });

  it("info: the definition, its uri and repository", () => {
    const doc = json(["-r", repo, "info", "bar", "--json"]);
    expect(keys(doc)).toEqual(expect.arrayContaining(["name", "version", "format", "file", "attributes", "uri", "repository"]));
    expect(doc.repository).toBe(repo);
  });

  it("search: type and results; view: the definition; depends: package, levels, edges", () => {
    const search = json(["-r", repo, "search", "bar", "--json"]);
    expect(keys(search)).toEqual(["results", "type"]);
    expect((search.results as Record<string, unknown>[]).map(keys)[0]).toEqual(["error", "name", "num_variants", "qualified_name", "timestamp", "type", "uri", "version"]);
    expect(keys(json(["-r", repo, "view", "bar", "--json"]))).toEqual(expect.arrayContaining(["name", "version", "attributes", "uri", "repository"]));
    expect(keys(json(["-r", repo, "depends", "bar", "--json"]))).toEqual(["edges", "levels", "package"]);
  });

  it("config: the configuration, sources and files; plugins: a list of plugins", () => {
    expect(keys(json(["config", "--json"]))).toEqual(["config", "files", "sources"]);
    expect(keys(json(["plugins", "--json"]))).toEqual(["plugins"]);
  });

  it("scan: families, packages, paths, warnings", () => {
    expect(keys(json(["-r", repo, "scan", "--json"]))).toEqual(["families", "packages", "paths", "warnings"]);
  });

  it("solve: status, packages, ephemerals, failure, explanation", () => {
    expect(keys(json(["-r", repo, "solve", "--ni", "--json", "foo"]))).toEqual(["ephemerals", "explanation", "failure", "packages", "status"]);
  });

  it("env: context, explanation, environ (with --print); nothing is run", () => {
    const doc = json(["-r", repo, "env", "--ni", "foo", "--json"]);
    expect(keys(doc)).toEqual(["context", "environ", "explanation"]);
    expect(doc.environ).toBeNull();
    expect((doc.context as { status: string }).status).toBe("solved");
    const printed = json(["-r", repo, "env", "--ni", "foo", "--json", "--print"]);
    expect((printed.environ as Record<string, string>).FOO).toBe(join(repo, "foo", "1.0"));
  });

  it("run: package, app, command, cwd; nothing is launched", () => {
    const doc = json(["-r", repo, "run", "--ni", "foo", "footool", "--json", "--", "x"]);
    expect(doc).toEqual({ package: "foo", app: "footool", command: [join(repo, "foo", "1.0", "bin", "footool"), "x"], cwd: work });
  });

  it("context, status and diff", () => {
    const context = json(["context", join(work, "foo.rxt"), "--json"]);
    expect(keys(context)).toEqual(["ephemerals", "failure_description", "implicit_packages", "package_paths", "requests", "resolved_packages", "status", "timestamp"]);
    expect(keys(json(["status", "--json"], 0, { REZ_RXT_FILE: join(work, "foo.rxt") }))).toEqual(["context_file", "requests", "resolved"]);
    expect(json(["status", "--json"], 1)).toEqual({ error: { code: "PKG0024", message: "not in a resolved environment (REZ_RXT_FILE is not set)", hint: "run inside `pkg env`" } });
    expect(keys(json(["diff", join(work, "foo.rxt"), join(work, "bar.rxt"), "--json"]))).toEqual(["added", "downgraded", "removed", "upgraded", "variant_changed"]);
  });

  it("interpret: environ", () => {
    expect(json(["interpret", "--no-env", "-c", 'env.A = "1"', "--json"])).toEqual({ environ: { A: "1" } });
  });

  it("benchmark: requests, out, summary, comparison", () => {
    const out = join(work, "bench");
    const first = json(["benchmark", "--packages", repo, "--requests", join(work, "requests.json"), "--out", out, "--json"]);
    expect(keys(first)).toEqual(["comparison", "out", "requests", "summary"]);
    expect(first.requests).toBe(2);
    expect(first.comparison).toBeNull();
    expect((first.summary as { num_success_resolves: number }).num_success_resolves).toBe(2);
    const again = json(["benchmark", "--packages", repo, "--requests", join(work, "requests.json"), "--out", join(work, "bench2"), "--compare", out, "--json"]);
    expect(again.comparison).toEqual({ against: out, identical: true, differences: [] });
  });
});

describe("warnings with --json", () => {
  it("are in the document, not on stderr", () => {
    const config = join(work, "odd.toml");
    writeFileSync(config, "no_such_setting = 1\n");
    const run = pkg(["-r", repo, "solve", "--ni", "--json", "shaky"], { PKG_CONFIG: config });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const doc = JSON.parse(run.stdout) as { packages: { name: string; version: string }[]; warnings: { file?: string; line?: number; message: string }[] };
    expect(doc.packages.map((p) => `${p.name}-${p.version}`)).toEqual(["shaky-1.0"]);
    expect(doc.warnings).toEqual([
      { message: expect.stringContaining("no_such_setting") },
      { file: join(repo, "shaky", "2.0", "package.py"), line: expect.any(Number), message: expect.stringContaining("SyntaxError") },
    ]);
  });

  it("stay on stderr as text without it, exactly as before", () => {
    const run = pkg(["-r", repo, "solve", "--ni", "shaky"]);
    expect(run.stdout).toBe("shaky-1.0[]\n");
    expect(run.stderr).toMatch(new RegExp(`^pkg: warning: ${join(repo, "shaky", "2.0", "package.py").replace(/[\\/.]/g, "\\$&")}:\\d+: .*SyntaxError`));
  });

  it("are left out of a clean run's document", () => {
    expect(json(["-r", repo, "solve", "--ni", "--json", "bar"]).warnings).toBeUndefined();
  });
});

describe("errors with --json", () => {
  const error = (run: CliRun) => (JSON.parse(run.stdout) as { error: { code: string; message: string; hint: string | null } }).error;

  it("a bad request is the error object on stdout, exit 2", () => {
    for (const request of ["foo-1+<", "nonexistent"]) {
      const run = pkg(["-r", repo, "solve", "--ni", "--json", request]);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe("");
      const e = error(run);
      expect(Object.keys(e).sort()).toEqual(["code", "hint", "message"]);
      expect(e.code).toBe(request === "nonexistent" ? "PKG0006" : "PKG0004");
      expect(e.message).toContain(request === "nonexistent" ? "package family not found: nonexistent" : "foo-1+<");
    }
    const info = pkg(["-r", repo, "info", "nope", "--json"]);
    expect([info.status, error(info).code]).toEqual([2, "PKG0006"]);
    expect(error(info).hint).toContain("-r/--repo");
    const env = pkg(["-r", repo, "env", "--ni", "nonexistent", "--json"]);
    expect([env.status, error(env).code]).toEqual([2, "PKG0006"]);
  });

  it("a bad option or an option value is one too", () => {
    const unknown = pkg(["-r", repo, "solve", "--json", "--bogus", "foo"]);
    expect([unknown.status, unknown.stderr, error(unknown).code]).toEqual([2, "", "PKG0002"]);
    expect(error(unknown).message).toContain("--bogus");
    const value = pkg(["-r", repo, "solve", "--json", "--max-fails", "many", "foo"]);
    expect([value.status, error(value).code]).toEqual([2, "PKG0002"]);
    const runs = pkg(["-r", repo, "env", "--ni", "foo", "--json", "--", "true"]);
    expect([runs.status, error(runs).code]).toEqual([2, "PKG0002"]);
  });

  it("a failed resolve keeps its result document and exit 1", () => {
    const run = pkg(["-r", repo, "solve", "--ni", "--json", "bar-1", "bar-2"]);
    expect(run.status).toBe(1);
    const explanation = ["  1. You asked for bar-1 and bar-2.", "  2. No version of bar is both 1 and 2, so the request cannot be resolved.", "hint: keep only one of bar-1 and bar-2."].join("\n");
    expect(JSON.parse(run.stdout) as { status: string; explanation: string }).toMatchObject({ status: "failed", explanation });
    const env = pkg(["-r", repo, "env", "--ni", "bar-1", "bar-2", "--json"]);
    expect(env.status).toBe(1);
    expect(JSON.parse(env.stdout) as { context: { status: string }; explanation: string }).toMatchObject({ context: { status: "failed" }, explanation });
  });

  it("a failing command's other errors too, with its exit status", () => {
    const rex = pkg(["interpret", "--no-env", "-c", 'stop("no")', "--json"]);
    expect([rex.status, error(rex).code]).toEqual([1, "PKG0028"]);
    const missing = pkg(["context", join(work, "missing.rxt"), "--json"]);
    expect([missing.status, error(missing).code]).toEqual([1, "PKG0016"]);
  });
});
