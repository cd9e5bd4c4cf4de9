// Black-box tests of the finding commands (`pkg search`, `pkg view`, `pkg config`, `pkg plugins`, `pkg depends`) on small
// repositories written here, and on Rez's benchmark repository when it is there.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkArchive, haveBenchmarkData, runPkg, writeTree, type CliRun } from "./support/cli.js";

let work: string;
let repo: string;
let local: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-query-cli-"));
  repo = join(work, "repo");
  local = join(work, "local");
  writeTree(repo, {
    "ATM/0.1/package.py": [
      "name = 'ATM'",
      "version = '0.1'",
      "description = 'first line\\nsecond line'",
      "timestamp = 1000",
      "requires = ['pa-1', '~pb']",
      "variants = [['python-2'], ['python-3']]",
      "",
    ].join("\n"),
    "ATM/0.2/package.py": "name = 'ATM'\nversion = '0.2'\ntimestamp = 2000\nrequires = ['pa']\nchangelog = 'fixed it'\n",
    "ATM/0.3/package.py": "name = 'ATM'\nversion = '0.3'\ntimestamp = 3000\n",
    "pa/1.0/package.py": "name = 'pa'\nversion = '1.0'\n",
    "pb/2.0/package.py": "name = 'pb'\nversion = '2.0'\nhas_plugins = True\n",
    "pb_plugin/1.0/package.py": "name = 'pb_plugin'\nversion = '1.0'\nplugin_for = ['pb']\n",
    "broken/1.0/package.py": "name = 'broken'\nversion = '1.0'\nrequires = [\n",
    "broken/2.0/package.py": "name = 'broken'\nversion = '2.0'\n",
  });
  writeTree(join(work, "deps"), {
    "base/1.0/package.py": "name = 'base'\nversion = '1.0'\n",
    "lib/1.0/package.py": "name = 'lib'\nversion = '1.0'\nvariants = [['base-1']]\n",
    "app/1.0/package.py": "name = 'app'\nversion = '1.0'\n",
    "app/2.0/package.py": "name = 'app'\nversion = '2.0'\nrequires = ['lib', '!base-2']\n",
    "old/1.0/package.py": "name = 'old'\nversion = '1.0'\nrequires = ['base']\n",
    "old/2.0/package.py": "name = 'old'\nversion = '2.0'\n",
    "tool/1.0/package.py": "name = 'tool'\nversion = '1.0'\nbuild_requires = ['base']\n",
    "weak/1.0/package.py": "name = 'weak'\nversion = '1.0'\nrequires = ['~lib']\n",
  });
  writeTree(local, { "mine/1.0/package.py": "name = 'mine'\nversion = '1.0'\n" });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const pkg = (args: readonly string[], env: Record<string, string> = {}): CliRun => runPkg(work, ["-r", repo, ...args], env);
const lines = (run: CliRun): string[] => run.stdout.split("\n").filter((l) => l !== "");

describe("pkg search", () => {
  it("lists every family with no pattern, families for a glob matching several", () => {
    expect(lines(pkg(["search"]))).toEqual(["ATM", "broken", "pa", "pb", "pb_plugin"]);
    expect(lines(pkg(["search", "p?"]))).toEqual(["pa", "pb"]);
  });

  it("lists packages for one family or a request (`ATM-0.1+<0.3`, `~ATM-0.2`)", () => {
    expect(lines(pkg(["search", "ATM"]))).toEqual(["ATM-0.1", "ATM-0.2", "ATM-0.3"]);
    expect(lines(pkg(["search", "ATM-0.1+<0.3"]))).toEqual(["ATM-0.1", "ATM-0.2"]);
    // a weak request stands for the versions outside its range, as Rez stores it
    expect(lines(pkg(["search", "~ATM-0.2"]))).toEqual(["ATM-0.1", "ATM-0.3"]);
  });

  it("-t family|package|variant and -l", () => {
    expect(lines(pkg(["search", "-t", "family", "ATM"]))).toEqual(["ATM"]);
    expect(lines(pkg(["search", "--type", "package", "p*"]))).toEqual(["pa-1.0", "pb-2.0", "pb_plugin-1.0"]);
    expect(lines(pkg(["search", "-t", "variant", "ATM"]))).toEqual(["ATM-0.1[0]", "ATM-0.1[1]", "ATM-0.2[]", "ATM-0.3[]"]);
    expect(lines(pkg(["search", "-l", "-t", "package", "*"]))).toEqual(["ATM-0.3", "broken-2.0", "pa-1.0", "pb-2.0", "pb_plugin-1.0"]);
  });

  it("--format: Rez's fields, abbreviations, attribute and item access, unknown fields as written", () => {
    const run = pkg(["search", "-t", "variant", "ATM-0.1", "-f", "{qualified_name} {index} {version.major} {requires} {requires[0]} {num_variants} {nope} {q}"]);
    expect(run.status, run.stderr).toBe(0);
    expect(lines(run)).toEqual(["ATM-0.1[0] 0 0 pa-1 ~pb python-2 pa-1 {num_variants} {nope} ATM-0.1[0]", "ATM-0.1[1] 1 0 pa-1 ~pb python-3 pa-1 {num_variants} {nope} ATM-0.1[1]"]);
    const pkgRun = pkg(["search", "ATM", "-f", "{qualified_name}|{num_variants}|{timestamp}|{index}|{root}|{uri}|{base}"]);
    expect(lines(pkgRun)[0]).toBe(`ATM-0.1|2|1000|{index}|{root}|${join(repo, "ATM", "0.1", "package.py")}|${join(repo, "ATM", "0.1")}`);
    const variant = pkg(["search", "-t", "variant", "ATM-0.1", "-f", "{root}|{uri}"]);
    expect(lines(variant)[1]).toBe(`${join(repo, "ATM", "0.1", "python-3")}|${join(repo, "ATM", "0.1", "package.py")}[1]`);
  });

  it("--format splits at \\n; --no-newlines escapes newlines inside values", () => {
    expect(pkg(["search", "ATM-0.1", "-f", "{name}\\n{description}"]).stdout).toBe("ATM\nfirst line\nsecond line\n");
    expect(pkg(["search", "ATM-0.1", "-f", "{name}: {description}", "--no-newlines"]).stdout).toBe("ATM: first line\\nsecond line\n");
  });

  it("--before / --after: epoch seconds and relative times", () => {
    expect(lines(pkg(["search", "ATM", "--after", "1500"]))).toEqual(["ATM-0.2", "ATM-0.3"]);
    expect(lines(pkg(["search", "ATM", "--before", "2500"]))).toEqual(["ATM-0.1", "ATM-0.2"]);
    expect(lines(pkg(["search", "ATM", "--after", "-1d"]))).toEqual([]);
    expect(lines(pkg(["search", "ATM", "--before", "-0.5h"]))).toEqual(["ATM-0.1", "ATM-0.2", "ATM-0.3"]);
  });

  it("bad or non-overlapping times: a clear error, exit 2", () => {
    for (const bad of ["1d", "2w", "yesterday"]) {
      const run = pkg(["search", "ATM", "--before", bad]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`'${bad}' is an unrecognised time format`);
      expect(run.stderr).toContain("[PKG0041]");
    }
    const overlap = pkg(["search", "ATM", "--after", "2000", "--before", "1000"]);
    expect(overlap.status).toBe(2);
    expect(overlap.stderr).toContain("non-overlapping --before and --after");
  });

  it("nothing matching: Rez's message on stderr, exit 1", () => {
    const none = pkg(["search", "zz*"]);
    expect(none.status).toBe(1);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("No matching family found.");
    const unknown = pkg(["search", "nosuch-1+"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("No matching package found.");
    expect(pkg(["search", "ATM-9"]).status).toBe(1);
  });

  it("a broken package: a warning normally, a result with --validate, the only result with --errors", () => {
    const plain = pkg(["search", "broken"]);
    expect(lines(plain)).toEqual(["broken-2.0"]);
    expect(plain.stderr).toContain("broken/1.0/package.py");
    expect(lines(pkg(["search", "broken", "--nw"]))).toEqual(["broken-2.0"]);
    expect(pkg(["search", "broken", "--no-warnings"]).stderr).toBe("");
    const validated = lines(pkg(["search", "broken", "--validate"]));
    expect(validated[0]).toBe("broken-1.0");
    expect(validated[1]).toMatch(/never closed|syntax/i);
    expect(validated[2]).toBe("broken-2.0");
    const errors = pkg(["search", "-e", "-t", "package"]);
    expect(errors.status).toBe(0);
    expect(lines(errors)[0]).toBe("broken-1.0");
    expect(lines(errors)).toHaveLength(2);
    const clean = pkg(["search", "-e", "ATM"]);
    expect(clean.status).toBe(1);
    expect(clean.stderr).toContain("No matching erroneous package found.");
  });

  it("--paths and --nl/--no-local", () => {
    expect(lines(runPkg(work, ["search", "--paths", local]))).toEqual(["mine-1.0"]);
    const env = { PKG_PACKAGES_PATH: `${repo}:${local}`, PKG_LOCAL_PACKAGES_PATH: local };
    expect(lines(runPkg(work, ["search", "mine"], env))).toEqual(["mine-1.0"]);
    expect(runPkg(work, ["search", "mine", "--nl"], env).status).toBe(1);
    expect(runPkg(work, ["search", "mine", "--no-local"], env).status).toBe(1);
    expect(lines(runPkg(work, ["search", "pa", "--no-local"], env))).toEqual(["pa-1.0"]);
  });

  it("--json: the type and the results; exit 1 and no results when nothing matches", () => {
    const run = pkg(["search", "ATM", "--json"]);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { type: string; results: { qualified_name: string; num_variants: number }[] };
    expect(doc.type).toBe("package");
    expect(doc.results.map((r) => r.qualified_name)).toEqual(["ATM-0.1", "ATM-0.2", "ATM-0.3"]);
    expect(doc.results[0]!.num_variants).toBe(2);
    const none = pkg(["search", "zz*", "--json"]);
    expect(none.status).toBe(1);
    expect(JSON.parse(none.stdout)).toEqual({ type: "family", results: [] });
  });
});

describe("pkg view", () => {
  it("prints URI and CONTENTS (YAML) of the newest package in the range, release fields only with --all", () => {
    const run = pkg(["view", "ATM-0.1+<0.3"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^URI:\n${join(repo, "ATM", "0.2", "package.py")}\n\nCONTENTS:\nname: ATM\n`));
    expect(run.stdout).toContain("\n\nrequires:\n- pa\n\n");
    expect(run.stdout).not.toContain("timestamp");
    expect(run.stdout).not.toContain("changelog");
    const all = pkg(["view", "-a", "ATM-0.2"]).stdout;
    expect(all).toContain("timestamp: 2000");
    expect(all).toContain("changelog: fixed it");
  });

  it("-b leaves the header out; -f py prints package.py text", () => {
    // PyYAML's text, as rez-view prints it: an attribute a block, '1.0' quoted (it would read as a number)
    expect(pkg(["view", "-b", "pa"]).stdout).toBe(`name: pa\n\nversion: '1.0'\n\nbase: ${join(repo, "pa", "1.0")}\n`);
    const py = pkg(["view", "--brief", "--format", "py", "pa"]);
    expect(py.stdout).toContain('name = "pa"');
    expect(py.stdout).toContain('version = "1.0"');
    expect(pkg(["view", "-f", "toml", "pa"]).status).toBe(2);
  });

  it("an unknown family or version: `no matches found`, exit 1", () => {
    for (const request of ["nosuch", "ATM-9"]) {
      const run = pkg(["view", request]);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("no matches found\n");
      expect(run.stderr).not.toBe("");
    }
    const json = pkg(["view", "nosuch", "--json"]);
    expect(json.status).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe("PKG0042");
  });

  it("--json: the definition with its uri", () => {
    const doc = JSON.parse(pkg(["view", "pa", "--json"]).stdout) as { name: string; uri: string; repository: string };
    expect(doc.name).toBe("pa");
    expect(doc.uri).toBe(join(repo, "pa", "1.0", "package.py"));
    expect(doc.repository).toBe(repo);
  });

  it("-c: the package of the current context", () => {
    const rxt = join(work, "atm.rxt");
    const env = pkg(["env", "--ni", "ATM-0.2", "-o", rxt]);
    expect(env.status, env.stderr).toBe(0);
    const run = pkg(["view", "-c", "-b", "pa"], { REZ_RXT_FILE: rxt });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("name: pa");
    const missing = pkg(["view", "-c", "pb"], { REZ_RXT_FILE: rxt });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("Package 'pb' is not in the current context");
    const outside = pkg(["view", "-c", "pa"]);
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain("not in a resolved environment context.");
  });
});

describe("pkg config", () => {
  const config = (args: readonly string[]): CliRun => runPkg(work, ["config", ...args], { PKG_CONFIG: join(work, "config.toml") });
  beforeAll(() => {
    writeTree(work, { "config.toml": `packages_path = ["${repo}"]\nfile_lock_timeout = 30\ncache_packages = false\npackage_filter = [{ excludes = ["ATM-0.1"] }]\n` });
  });

  it("prints the merged configuration as YAML, one setting as Rez prints it", () => {
    const all = config([]);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toContain(`packages_path:\n- ${repo}\n`);
    expect(all.stdout).toContain("file_lock_timeout: 30\n");
    expect(config(["file_lock_timeout"]).stdout).toBe("30\n");
    expect(config(["cache_packages"]).stdout).toBe("False\n");
    expect(config(["packages_path"]).stdout).toBe(`- ${repo}\n`);
    expect(config(["package_filter.0.excludes"]).stdout).toBe("- ATM-0.1\n");
  });

  it("--json: the value, or the configuration with its sources", () => {
    expect(JSON.parse(config(["packages_path", "--json"]).stdout)).toEqual([repo]);
    const doc = JSON.parse(config(["--json"]).stdout) as { config: Record<string, unknown>; sources: Record<string, string> };
    expect(doc.config.file_lock_timeout).toBe(30);
    expect(doc.sources.file_lock_timeout).toBe(join(work, "config.toml"));
    expect(doc.sources.python_executable).toBe("default");
  });

  it("--search-list and --source-list", () => {
    expect(lines(config(["--search-list"]))).toEqual([join(work, "home", ".rezconfig"), join(work, "no-system.toml"), join(work, "config.toml")]);
    expect(lines(config(["--source-list"]))).toEqual([join(work, "config.toml")]);
  });

  it("reads Rez's configuration files named by REZ_CONFIG_FILE, below pkg's own", () => {
    writeTree(work, {
      "studio/rezconfig.py": `import os\npackages_path = ModifyList(prepend=[${JSON.stringify(repo)}])\nfile_lock_timeout = 5\nbuild_directory = "studio-build"\n`,
    });
    const env = { PKG_CONFIG: join(work, "config.toml"), REZ_CONFIG_FILE: join(work, "studio", "rezconfig") };
    const sources = runPkg(work, ["config", "--source-list"], env);
    expect(lines(sources)).toEqual([join(work, "studio", "rezconfig.py"), join(work, "config.toml")]);
    const doc = JSON.parse(runPkg(work, ["config", "--json"], env).stdout) as { config: Record<string, unknown>; sources: Record<string, string> };
    expect(doc.config.build_directory).toBe("studio-build");
    expect(doc.sources.build_directory).toBe(join(work, "studio", "rezconfig.py"));
    expect(doc.config.file_lock_timeout).toBe(30); // pkg's file wins
    // packages_path from the Rez file alone: the solve finds the repository through it
    const solve = runPkg(work, ["solve", "--ni", "pa"], { REZ_CONFIG_FILE: join(work, "studio", "rezconfig") });
    expect(solve.status, solve.stderr).toBe(0);
    expect(solve.stdout).toContain("pa-");
    writeTree(work, { "studio/broken.yaml": "packages_path: [oops\n" });
    const broken = runPkg(work, ["solve", "pa"], { REZ_CONFIG_FILE: join(work, "studio", "broken.yaml") });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(join(work, "studio", "broken.yaml"));
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unknown setting: a clear error, exit 2", () => {
    for (const key of ["nope", "packages_path.x", "file_lock_timeout.a"]) {
      const run = config([key]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`no such setting: '${key}'`);
    }
  });
});

describe("pkg plugins", () => {
  it("lists pkg's shells, build systems and repository types as `rez -i` does", () => {
    const run = runPkg(work, ["plugins"]);
    expect(run.status, run.stderr).toBe(0);
    const table = lines(run);
    expect(table[0]).toMatch(/^PLUGIN TYPE\s+NAME\s+DESCRIPTION\s+STATUS$/);
    expect(table[1]).toMatch(/^-----------\s+----\s+-----------\s+------$/);
    for (const [type, name] of [["build system", "cmake"], ["build system", "custom"], ["build system", "make"], ["package repository", "filesystem"], ["shell", "bash"], ["shell", "zsh"], ["release vcs", "git"], ["release vcs", "stub"], ["release hook", "command"], ["release hook", "emailer"]]) {
      expect(table.some((l) => new RegExp(`^${type}\\s+${name}\\s.*loaded$`).test(l)), `${type} ${name}`).toBe(true);
    }
    const doc = JSON.parse(runPkg(work, ["plugins", "--json"]).stdout) as { plugins: { type: string; name: string }[] };
    expect(doc.plugins).toContainEqual(expect.objectContaining({ type: "package_repository", name: "filesystem" }));
    expect(doc.plugins).toContainEqual(expect.objectContaining({ type: "build_system", name: "cmake" }));
  });

  it("PKG: the packages that are plugins of it (rez-plugins)", () => {
    expect(pkg(["plugins", "pb"]).stdout).toBe("pb_plugin\n");
    const none = pkg(["plugins", "pa"]);
    expect(none.status).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("package 'pa' has no plugins.");
    expect(JSON.parse(pkg(["plugins", "pb", "--json"]).stdout)).toEqual({ package: "pb", plugins: ["pb_plugin"] });
    const unknown = pkg(["plugins", "nosuch"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("package family 'nosuch' not found");
  });
});

describe("pkg depends", () => {
  const depends = (args: readonly string[]): CliRun => runPkg(work, ["-r", join(work, "deps"), "depends", ...args]);

  it("groups the dependents by depth (newest packages, every variant, no conflicts or weak requests)", () => {
    const run = depends(["base"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("#0: base\n#1: lib\n#2: app\n");
    expect(depends(["base", "-q"]).stdout).toBe("base\nlib\napp\n");
    expect(depends(["base", "-d", "1"]).stdout).toBe("#0: base\n#1: lib\n");
    expect(depends(["base", "--depth", "0"]).stdout).toBe("#0: base\n");
    expect(depends(["app"]).stdout).toBe("#0: app\n");
  });

  it("-b counts build_requires; -p is accepted", () => {
    expect(depends(["base", "-b"]).stdout).toBe("#0: base\n#1: lib tool\n#2: app\n");
    expect(depends(["base", "-p"]).status).toBe(0);
  });

  it("--json; an unknown family or a bad depth is an error, exit 2", () => {
    expect(JSON.parse(depends(["base", "--json"]).stdout)).toEqual({ package: "base", levels: [["base"], ["lib"], ["app"]], edges: [["lib", "base"], ["app", "lib"]] });
    const unknown = depends(["nosuch"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("package family 'nosuch' not found");
    expect(depends(["base", "-d", "x"]).status).toBe(2);
  });

  it("--pg/--print-graph: rez-depends' DOT text (pydot's), one blank line after it", () => {
    const dot = [
      "digraph graphname {",
      "base;",
      'lib [fillcolor="#F6F6F6", fontsize=10, style=filled];',
      'app [fillcolor="#F6F6F6", fontsize=10, style=filled];',
      "lib -> base;",
      "app -> lib;",
      "}",
      "",
      "",
    ].join("\n");
    const run = depends(["base", "--pg"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(dot);
    expect(depends(["base", "--print-graph"]).stdout).toBe(dot);
    expect(depends(["app", "--pg"]).stdout).toBe("digraph graphname {\napp;\n}\n\n");
  });

  it("--wg/--write-graph FILE: DOT, SVG or Mermaid by the extension; -g draws an SVG into a temporary file", () => {
    const out = join(work, "graphs");
    mkdirSync(out, { recursive: true });
    expect(depends(["base", "--wg", join(out, "d.dot")]).status).toBe(0);
    expect(readFileSync(join(out, "d.dot"), "utf8")).toBe(depends(["base", "--pg"]).stdout.slice(0, -1));
    const svg = depends(["base", "--write-graph", join(out, "d.svg")]);
    expect(svg.status, svg.stderr).toBe(0);
    const svgText = readFileSync(join(out, "d.svg"), "utf8");
    expect(svgText).toMatch(/^<\?xml/);
    expect(svgText).toContain("<svg");
    for (const name of ["base", "lib", "app"]) expect(svgText).toContain(`>${name}</text>`);
    expect(depends(["base", "--wg", join(out, "d.mmd")]).status).toBe(0);
    const mmd = readFileSync(join(out, "d.mmd"), "utf8");
    expect(mmd).toMatch(/^flowchart TD\n/);
    expect(mmd).toContain('n1["base"]');
    expect(mmd).toContain("n2 --> n1");
    const viewed = depends(["base", "-g"]);
    expect(viewed.status, viewed.stderr).toBe(0);
    const file = viewed.stdout.trim();
    expect(file).toMatch(/\.svg$/);
    expect(readFileSync(file, "utf8")).toContain("<svg");
    rmSync(dirname(file), { recursive: true, force: true });
    const bad = depends(["base", "--wg", join(out, "d.png")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("cannot tell the graph format");
    expect(bad.stderr).toContain("[PKG0065]");
    expect(depends(["base", "--wg", join(work, "nowhere", "d.dot")]).status).toBe(2);
  });

  it("the reverse-dependency index in the cache: an edit, a new version, a broken newest package are seen next time", () => {
    const repo2 = join(work, "deps-edit");
    writeTree(repo2, {
      "base/1.0/package.py": "name = 'base'\nversion = '1.0'\n",
      "mid/1.0/package.py": "name = 'mid'\nversion = '1.0'\nrequires = ['base']\n",
      "top/1.0/package.py": "name = 'top'\nversion = '1.0'\nrequires = ['mid']\n",
      "other/1.0/package.py": "name = 'other'\nversion = '1.0'\n",
    });
    const run = (): string => runPkg(work, ["-r", repo2, "depends", "base", "-q"]).stdout;
    expect(run()).toBe("base\nmid\ntop\n");
    expect(run()).toBe("base\nmid\ntop\n"); // from the index
    // the newest package edited in place (same version): other now depends on base
    writeTree(repo2, { "other/1.0/package.py": "name = 'other'\nversion = '1.0'\nrequires = ['base-1']  # now\n" });
    expect(run()).toBe("base\nmid other\ntop\n");
    // a newer version that drops the requirement
    writeTree(repo2, { "mid/2.0/package.py": "name = 'mid'\nversion = '2.0'\n" });
    expect(run()).toBe("base\nother\n");
    // a broken newest package: the one before it counts, and the rest still answer
    writeTree(repo2, { "mid/2.0/package.py": "name = 'mid'\nversion = '2.0'\nrequires = [\n" });
    expect(run()).toBe("base\nmid other\ntop\n");
    // an empty newest version folder that gets its package file later
    mkdirSync(join(repo2, "mid", "3.0"));
    expect(run()).toBe("base\nmid other\ntop\n");
    writeTree(repo2, { "mid/3.0/package.py": "name = 'mid'\nversion = '3.0'\n" });
    expect(run()).toBe("base\nother\n");
  });
});

const haveData = haveBenchmarkData("searching Rez's benchmark repository");

describe.skipIf(!haveData)("Rez benchmark repository", () => {
  let packages: string;
  beforeAll(() => {
    const dir = join(work, "bench");
    mkdirSync(dir);
    // only the families searched: writing all 18,226 package files takes many seconds on some disks
    expect(spawnSync("tar", ["xzf", benchmarkArchive, "-C", dir, "--wildcards", "./packages/pa*", "./packages/ATM"]).status).toBe(0);
    packages = join(dir, "packages");
  });

  it("search 'pa*' lists families; --type package lists one family's versions", () => {
    const families = runPkg(work, ["-r", packages, "search", "pa*"]);
    expect(families.status).toBe(0);
    expect(lines(families).length).toBeGreaterThan(1);
    expect(lines(families).every((l) => l.startsWith("pa"))).toBe(true);
    const versions = runPkg(work, ["-r", packages, "search", "--type", "package", "ATM"]);
    expect(versions.status, versions.stderr).toBe(0);
    expect(lines(versions).every((l) => l.startsWith("ATM-"))).toBe(true);
  });
});

describe.skipIf(!haveData)("Rez benchmark repository: pkg depends", () => {
  let packages: string;
  beforeAll(() => {
    const dir = join(work, "bench-all");
    mkdirSync(dir);
    expect(spawnSync("tar", ["xzf", benchmarkArchive, "-C", dir]).status).toBe(0);
    packages = join(dir, "packages");
  }, 120_000);

  it("gives Rez 3.4's levels (get_reverse_dependency_tree), cold and from the index", () => {
    for (let run = 0; run < 2; run++) {
      const zither = runPkg(work, ["-r", packages, "depends", "zither"]);
      expect(zither.status, zither.stderr).toBe(0);
      expect(zither.stdout).toBe("#0: zither\n#1: cooking rail\n#2: logistics piccolo\n#3: implement\n");
    }
    const diam = JSON.parse(runPkg(work, ["-r", packages, "depends", "--depth", "2", "diam", "--json"]).stdout) as { levels: string[][] };
    expect(diam.levels.map((l) => l.length)).toEqual([1, 335, 887]);
    expect(diam.levels[1]!.slice(0, 4)).toEqual(["ATM", "accusation", "adapter", "adverb"]);
    expect(diam.levels[2]!.slice(-3)).toEqual(["zombie", "zoo", "zoologist"]);
  }, 120_000);
});
