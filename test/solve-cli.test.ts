// Black-box tests of `pkg solve` and `pkg benchmark` on Rez's solver test repository (rez-core.md §3.11),
// written to disk as package.py files, and on a slice of Rez's benchmark repository.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runPkg, writeTree } from "./support/cli.js";

let work: string;
let repo: string;

function pkgPy(name: string, version: string, requires: string[] = [], variants?: string[][]): string {
  const lines = [`name = ${JSON.stringify(name)}`];
  if (version) lines.push(`version = ${JSON.stringify(version)}`);
  if (requires.length) lines.push(`requires = ${JSON.stringify(requires)}`);
  if (variants) lines.push(`variants = ${JSON.stringify(variants)}`);
  return lines.join("\n") + "\n";
}

const mid1 = "test_variant_split_mid1";
const mid2 = "test_variant_split_mid2";
const start = "test_variant_split_start";
const end = "test_variant_split_end";

const packages: Record<string, string> = {
  "nada/package.py": pkgPy("nada", ""),
  "python/2.5.2/package.py": pkgPy("python", "2.5.2"),
  "python/2.6.0/package.py": pkgPy("python", "2.6.0"),
  "python/2.6.8/package.py": pkgPy("python", "2.6.8"),
  "python/2.7.0/package.py": pkgPy("python", "2.7.0"),
  "nopy/2.1/package.py": pkgPy("nopy", "2.1", ["!python-2.5"]),
  "pyfoo/3.0.0/package.py": pkgPy("pyfoo", "3.0.0", ["python-2.5", ".eek-3+"]),
  "pyfoo/3.1.0/package.py": pkgPy("pyfoo", "3.1.0", ["python-2.6"]),
  "pybah/4/package.py": pkgPy("pybah", "4", ["python-2.6", ".eek-1"]),
  "pybah/5/package.py": pkgPy("pybah", "5", ["python-2.5"]),
  "pyodd/1/package.py": pkgPy("pyodd", "1", ["pyfoo"]),
  "pyodd/2/package.py": pkgPy("pyodd", "2", ["pybah"]),
  "bahish/1/package.py": pkgPy("bahish", "1", ["!pybah-4"]),
  "bahish/2/package.py": pkgPy("bahish", "2", ["pybah-5"]),
  "pymum/1/package.py": pkgPy("pymum", "1", ["pydad-1"]),
  "pydad/1/package.py": pkgPy("pydad", "1", ["pyson-1"]),
  "pyson/1/package.py": pkgPy("pyson", "1", ["pymum-1"]),
  "pyvariants/2/package.py": pkgPy("pyvariants", "2", [], [["python-2.7.0"], ["python-2.6.8", "nada"], ["python-2.6.8"], ["nada"]]),
  [`${start}/1.0/package.py`]: pkgPy(start, "1.0", [], [[`${mid1}-1`], [`${mid2}-2`]]),
  [`${start}/2.0/package.py`]: pkgPy(start, "2.0", [], [[`${mid1}-2`], [`${mid2}-2`]]),
  [`${mid1}/1.0/package.py`]: pkgPy(mid1, "1.0", [], [[`${end}-2`], [`${end}-1`]]),
  [`${mid1}/2.0/package.py`]: pkgPy(mid1, "2.0", [], [[`${end}-2`], [`${end}-4`]]),
  [`${mid2}/1.0/package.py`]: pkgPy(mid2, "1.0", [], [[`${end}-3`], [`${end}-1`]]),
  [`${mid2}/2.0/package.py`]: pkgPy(mid2, "2.0", [], [[`${end}-1`], [`${end}-3`]]),
  [`${end}/1.0/package.py`]: pkgPy(end, "1.0", [], [[`!${mid2}`], [`!${start}-2`]]),
  [`${end}/2.0/package.py`]: pkgPy(end, "2.0", [], [[`!${start}`], [`!${mid1}`]]),
  [`${end}/3.0/package.py`]: pkgPy(end, "3.0", [], [[`!${start}`], [`!${mid2}`]]),
  [`${end}/4.0/package.py`]: pkgPy(end, "4.0", [], [[`!${start}`], [`!${mid1}`]]),
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-solve-cli-"));
  repo = join(work, "packages");
  writeTree(repo, packages);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const solve = (...args: string[]) => runPkg(work, ["-r", repo, "solve", "--ni", ...args]);

describe("pkg solve", () => {
  it.each([
    [["python"], ["python-2.7.0[]"]],
    [["pyfoo"], ["python-2.6.8[]", "pyfoo-3.1.0[]"]],
    [["pyfoo-3.0"], ["python-2.5.2[]", "pyfoo-3.0.0[]", ".eek-3+"]],
    [["python", "pyodd"], ["python-2.6.8[]", "pybah-4[]", "pyodd-2[]", ".eek-1"]],
    [["python", "bahish", "pybah"], ["python-2.5.2[]", "pybah-5[]", "bahish-2[]"]],
    [["pyvariants", "python"], ["python-2.7.0[]", "pyvariants-2[0]"]],
    [[start], [`${end}-1.0[1]`, `${mid2}-2.0[0]`, `${start}-1.0[1]`]],
    [["!python", "nada"], ["nada[]"]],
  ])("%j resolves as Rez does", (request, expected) => {
    const run = solve(...request);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual(expected);
  });

  it("a bad option, an unknown command and a missing argument are usage errors: exit 2, pkg's prefix, code and the command's help", () => {
    const cases: [string[], string][] = [
      [["-r", repo, "solve", "--bogus", "x"], "pkg: error: unknown option '--bogus' [PKG0002]\nhint: run 'pkg solve --help' for usage\n"],
      [["-r", repo, "bogus"], "pkg: error: unknown command 'bogus' [PKG0002]\nhint: run 'pkg --help' for usage\n"],
      [["-r", repo, "solve"], "pkg: error: missing required argument 'request' [PKG0002]\nhint: run 'pkg solve --help' for usage\n"],
    ];
    for (const [args, stderr] of cases) {
      const run = runPkg(work, args);
      expect([run.status, run.stdout, run.stderr], args.join(" ")).toEqual([2, "", stderr]);
    }
  });

  it("a reader that stops early (| head) ends pkg quietly, without an EPIPE stack", () => {
    for (const args of [["test", "--help"], ["-r", repo, "list"]]) {
      const run = spawnSync("bash", ["-c", `"$0" "$1" ${args.map((a) => `'${a}'`).join(" ")} | true; echo "status \${PIPESTATUS[0]}" >&2`, process.execPath, cliPath], {
        encoding: "utf8",
        env: isolatedEnv(work),
      });
      expect(run.stderr).not.toContain("EPIPE");
      expect(run.stderr).toContain("status 0");
    }
  });

    it("every help text fits 80 columns (prose wrapped, example lines laid out to fit)", () => {
    const top = runPkg(work, ["--help"]);
    const names = top.stdout.slice(top.stdout.indexOf("Commands:")).split("\n").slice(1).map((l) => /^ {2}([a-z-]+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined && n !== "help");
    expect(names.length).toBeGreaterThan(8);
    for (const args of [["--help"], ...names.map((n) => [n, "--help"])]) {
      const help = runPkg(work, args);
      expect(help.status, args.join(" ")).toBe(0);
      const lines = help.stdout.split("\n");
      const long = lines.filter((line) => line.length > 80);
      expect(long, args.join(" ")).toEqual([]);
      // nor broken mid-line: a prose line that goes on below ends only where the next word would not fit
      const prose = (line: string | undefined): line is string => line !== undefined && /^\S/.test(line) && !/[.:]$/.test(line);
      const early = lines.filter((line, i) => prose(line) && prose(lines[i + 1]) && `${line} ${lines[i + 1]!.split(" ")[0]}`.length <= 80);
      expect(early, args.join(" ")).toEqual([]);
    }
  });

  it("a request that names nothing says what there is: the family's versions, or close family names", () => {
    const missing = solve("pybah-99");
    expect([missing.status, missing.stderr]).toEqual([2, "pkg: error: Package could not be found: pybah-99 [PKG0010]\nhint: versions of pybah: 5, 4\n"]);
    const typo = solve("pyfo");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("hint: did you mean pyfoo?\n");
    const far = solve("zzzzzz");
    expect(far.stderr).not.toContain("hint:");
  });

  it("an output file that cannot be written is bad input (exit 2) naming it and why", () => {
    const run = solve("--fail-graph", join(work, "no-such-folder", "g.dot"), "pybah-4", "pyfoo-3.0");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`pkg: error: cannot write the failure graph ${join(work, "no-such-folder", "g.dot")}: its folder does not exist [PKG0025]`);
    const env = runPkg(work, ["-r", repo, "env", "--ni", "-o", join(work, "no-such-folder", "c.rxt"), "pybah-4", "--", "true"]);
    expect(env.status).toBe(2);
    expect(env.stderr).toContain("cannot write the context file");
    expect(env.stderr).not.toContain("internal error");
  });

  it("honours --variant-select-mode", () => {
    const run = solve("--variant-select-mode", "intersection_priority", "pyvariants", "python", "nada");
    expect(run.stdout.trim().split("\n")).toEqual(["python-2.6.8[]", "nada[]", "pyvariants-2[1]"]);
  });

  it("prints JSON", () => {
    const run = solve("--json", "pyvariants", "python");
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.status).toBe("solved");
    expect(json.failure).toBeNull();
    expect(json.packages).toEqual([
      { name: "python", version: "2.7.0", variant_index: null, uri: join(repo, "python/2.7.0/package.py[]") },
      { name: "pyvariants", version: "2", variant_index: 0, uri: join(repo, "pyvariants/2/package.py[0]") },
    ]);
  });

  it("reports a conflict with Rez's description, then the numbered steps in plain words and a hint, exit 1", () => {
    const run = solve("pybah-4", "pyfoo-3.0");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      [
        "The context failed to resolve:",
        "The following package conflicts occurred: (.eek-1 <--!--> .eek-3+)",
        "",
        "In plain words:",
        "  1. pybah-4 requires .eek-1.",
        "  2. pyfoo-3.0.0 requires .eek-3+.",
        "  3. No version of .eek is both 1 and 3+, so pybah-4 and pyfoo-3.0.0 cannot be used together.",
        "  4. You asked for pybah-4 and pyfoo-3.0, so the request cannot be resolved.",
        "hint: relax one of the requests: pybah-4 or pyfoo-3.0 (e.g. a version of pyfoo that works with .eek-1).",
        "",
      ].join("\n"),
    );
  });

  it("reports a total reduction and a cycle", () => {
    expect(solve("nopy", "python-2.5.2").stderr).toContain(
      "A package was completely reduced: (nopy-2.1[] (dep(!python-2.5) <--!--> python==2.5.2))",
    );
    expect(solve("nopy", "python-2.5.2").stderr).toContain(
      "  1. nopy-2.1 requires !python-2.5, but the only version of python left is python-2.5.2, so no version of nopy is left to use.\n",
    );
    const cycle = solve("pymum-1");
    expect(cycle.status).toBe(1);
    expect(cycle.stderr).toMatch(/A cyclic dependency was detected: (pymum-1|pydad-1|pyson-1) --> /);
    expect(cycle.stderr).toContain("\nhint: the loop closes where pyson-1 requires pymum-1; removing that requirement (or another one in the loop) breaks it.\n");
  });

  it("failure JSON and the failure graph file", () => {
    const graph = join(work, "fail.dot");
    const run = solve("--json", "--fail-graph", graph, "pybah-4", "pyfoo-3.0");
    expect(run.status).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.status).toBe("failed");
    expect(json.packages).toEqual([]);
    expect(json.failure).toBe("The following package conflicts occurred: (.eek-1 <--!--> .eek-3+)");
    // the same plain words as on the terminal, without the "In plain words:" title
    expect(json.explanation).toMatch(/^ {2}1\. pybah-4 requires \.eek-1\.\n/);
    expect(json.explanation).toMatch(/\nhint: relax one of the requests: pybah-4 or pyfoo-3\.0 .*\.$/);
    expect(readFileSync(graph, "utf8")).toMatch(/^digraph/);
  });

  it("--fail-graph FILE means the same in pkg env: the graph is written there, stdout keeps its own data", () => {
    const graph = join(work, "env-fail.dot");
    const env = runPkg(work, ["-r", repo, "env", "--fail-graph", graph, "pybah-4", "pyfoo-3.0", "--", "true"]);
    expect(env.status).toBe(1);
    expect(env.stdout).toBe("");
    expect(env.stderr).toContain("The context failed to resolve:");
    expect(readFileSync(graph, "utf8")).toMatch(/^digraph/);
    const json = runPkg(work, ["-r", repo, "env", "--json", "--fail-graph", join(work, "env-fail-2.dot"), "pybah-4", "pyfoo-3.0"]);
    expect(json.status).toBe(1);
    expect(Object.keys(JSON.parse(json.stdout) as object)).toEqual(["context", "explanation", "environ"]);
    expect(readFileSync(join(work, "env-fail-2.dot"), "utf8")).toMatch(/^digraph/);
    // a resolve that succeeds writes no graph
    const solved = runPkg(work, ["-r", repo, "env", "--fail-graph", join(work, "env-ok.dot"), "pybah-4", "--", "true"]);
    expect(solved.status).toBe(0);
    expect(existsSync(join(work, "env-ok.dot"))).toBe(false);
  });

  it("bad input exits 2 with a clear error", () => {
    const syntax = solve("python-1+<");
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toContain("python-1+<");
    const missing = solve("nonexistent");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("package family not found: nonexistent");
    expect(missing.stderr).toContain(repo);
    const noVersion = solve("python-3");
    expect(noVersion.status).toBe(2);
    expect(noVersion.stderr).toContain("python-3");
  });
});

describe("pkg benchmark", () => {
  it("writes Rez-format results and compares them", () => {
    const requests = join(work, "requests.json");
    writeFileSync(requests, JSON.stringify([["python"], ["pyfoo"], ["pybah-4", "pyfoo-3.0"], ["nonexistent"]]));
    const out = join(work, "bench-out");
    const run = runPkg(work, ["benchmark", "--packages", repo, "--requests", requests, "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const resolves = JSON.parse(readFileSync(join(out, "resolves.json"), "utf8"));
    expect(resolves.map((r: { status: string }) => r.status)).toEqual(["success", "success", "failed", "error"]);
    expect(resolves[1].resolved_packages).toEqual(["python/2.6.8/package.py[]", "pyfoo/3.1.0/package.py[]"]);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary).toMatchObject({ num_success_resolves: 2, num_failed_resolves: 1, num_error_resolves: 1, rez_solver_version: 2 });
    for (const key of ["total_run_time", "median", "mean", "min", "max", "stddev"]) expect(typeof summary[key]).toBe("number");

    const same = runPkg(work, ["benchmark", "--packages", repo, "--requests", requests, "--out", join(work, "again"), "--compare", out]);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain("identical");

    const edited = resolves.map((r: object) => ({ ...r }));
    edited[0].resolved_packages = ["python/2.6.8/package.py[]"];
    writeFileSync(join(work, "edited.json"), JSON.stringify(edited));
    const differ = runPkg(work, ["benchmark", "--packages", repo, "--requests", requests, "--out", join(work, "third"), "--compare", join(work, "edited.json")]);
    expect(differ.status).toBe(1);
    expect(differ.stdout).toContain("differs: request #0 python");
  });

  it("--cold solves each request in a store of its own, with the same results", () => {
    const requests = join(work, "cold-requests.json");
    writeFileSync(requests, JSON.stringify([["python"], ["pyfoo"], ["pybah-4", "pyfoo-3.0"], ["nonexistent"]]));
    const warm = runPkg(work, ["benchmark", "--packages", repo, "--requests", requests, "--out", join(work, "warm-out")]);
    expect(warm.status).toBe(0);
    const cold = runPkg(work, ["benchmark", "--cold", "--iterations", "2", "--packages", repo, "--requests", requests, "--out", join(work, "cold-out"), "--compare", join(work, "warm-out")]);
    expect(cold.stderr).toBe("");
    expect(cold.stdout).toContain("identical");
    expect(cold.status).toBe(0);
  });

  it("unpacks a .tar.gz repository and rejects a damaged one", () => {
    const requests = join(work, "archive-requests.json");
    writeFileSync(requests, JSON.stringify([["pyfoo"]]));
    const archive = join(work, "repo.tar.gz");
    // an archive with one top folder, as Rez's benchmark archive has `packages/`
    const made = spawnSync("tar", ["czf", archive, "-C", join(repo, ".."), basename(repo)]);
    expect(made.status).toBe(0);
    const run = runPkg(work, ["benchmark", "--packages", archive, "--requests", requests, "--out", join(work, "from-archive")]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const resolves = JSON.parse(readFileSync(join(work, "from-archive", "resolves.json"), "utf8"));
    expect(resolves[0].resolved_packages).toEqual(["python/2.6.8/package.py[]", "pyfoo/3.1.0/package.py[]"]);

    const damaged = join(work, "damaged.tar.gz");
    writeFileSync(damaged, readFileSync(archive).subarray(0, 40));
    const bad = runPkg(work, ["benchmark", "--packages", damaged, "--requests", requests, "--out", join(work, "none")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`cannot extract ${damaged}`);
    expect(bad.stderr).toContain("[PKG0025]");
  });
});
