// Black-box tests of the resolve graphs: `pkg graph`, `pkg context` graph options and `pkg env --fail-graph`,
// whose DOT text is compared with what Rez 3.4 printed for the same repository (its solver graph, its
// rez-context --print-graph of a context file, and its dependency graph).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, writeTree, type CliRun } from "./support/cli.js";

let work: string;
let repo: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-graph-cli-"));
  repo = join(work, "repo");
  writeTree(repo, {
    "foo/1.0/package.py": "name = 'foo'\nversion = '1.0'\nrequires = ['bar-1+', '~baz-1']\nvariants = [['python-3']]\n",
    "python/3/package.py": "name = 'python'\nversion = '3'\n",
    "bar/2.0/package.py": "name = 'bar'\nversion = '2.0'\nrequires = ['!baz-2']\n",
    "bar/1.0/package.py": "name = 'bar'\nversion = '1.0'\n",
    "baz/1.0/package.py": "name = 'baz'\nversion = '1.0'\n",
    "baz/2.0/package.py": "name = 'baz'\nversion = '2.0'\n",
  });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const pkg = (args: readonly string[]): CliRun => runPkg(work, ["-r", repo, ...args]);

const node = (id: number, label: string, fill: string, style: string): string => `_${id} [label="${label}", fontsize="10", fillcolor="${fill}", style="${style}"];`;
const REQUEST = "#FFFFAA";
const SOLVED = "#AAFFAA";
const OTHER = "#F6F6F6";

// Rez 3.4: ResolvedContext(["foo", "baz-1"]).graph(as_dot=True)
const SOLVED_DOT = [
  "digraph g {",
  node(1, "foo", REQUEST, "filled,dashed"),
  node(2, "baz-1", REQUEST, "filled,dashed"),
  node(3, "bar-2.0[]", SOLVED, "filled"),
  node(4, "python-3[]", SOLVED, "filled"),
  node(5, "foo-1.0[0]", SOLVED, "filled"),
  node(6, "baz-1.0[]", SOLVED, "filled"),
  node(7, "!baz-2", OTHER, "filled,dashed"),
  node(8, "bar-1+", OTHER, "filled,dashed"),
  node(9, "~baz-1", OTHER, "filled,dashed"),
  node(10, "python-3", OTHER, "filled,dashed"),
  ...["_1 -> _5", "_2 -> _6", "_3 -> _7", "_5 -> _8", "_5 -> _9", "_5 -> _10", "_7 -> _6", "_8 -> _3", "_9 -> _6", "_10 -> _4"].map((e) => `${e} [arrowsize="0.5"];`),
  "}",
].join("\n");

// Rez 3.4: ResolvedContext(["bar-2", "baz-2"]).graph(as_dot=True), a failed resolve
const FAILED_DOT = [
  "digraph g {",
  node(1, "bar-2", REQUEST, "filled,dashed"),
  node(2, "baz-2", REQUEST, "filled,dashed"),
  node(3, "bar-2.0[]", SOLVED, "filled"),
  node(4, "baz-2.0[]", SOLVED, "filled"),
  node(5, "!baz-2", OTHER, "filled,dashed"),
  '_1 -> _3 [arrowsize="0.5"];',
  '_2 -> _4 [arrowsize="0.5"];',
  '_3 -> _5 [arrowsize="0.5"];',
  '_5 -> _4 [arrowsize="1", style="bold", color="red", fontcolor="red", label="CONFLICT"];',
  "}",
].join("\n");

// Rez 3.4: rez-context --print-graph of the context file of the solved resolve (its graph read back from the
// compacted form: attributes sorted, the label last)
const CONTEXT_DOT = SOLVED_DOT.split("\n")
  .map((line) => line.replace(/^(_\d+) \[label="([^"]*)", fontsize="10", fillcolor="([^"]*)", style="([^"]*)"\];$/, '$1 [fillcolor="$3", fontsize="10", style="$4", label="$2"];'))
  .join("\n");

describe("pkg graph", () => {
  it("prints Rez's resolve graph as DOT", () => {
    const run = pkg(["graph", "--ni", "foo", "baz-1"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${SOLVED_DOT}\n`);
  });

  it("a failed resolve: the failure graph with its red CONFLICT edge, exit 1", () => {
    const run = pkg(["graph", "--ni", "bar-2", "baz-2"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(`${FAILED_DOT}\n`);
    expect(run.stderr).toContain("the resolve failed");
  });

  it("--format mermaid; -o FILE as .dot, .svg, .mmd; --view", () => {
    const mermaid = pkg(["graph", "--ni", "--format", "mermaid", "bar-2", "baz-2"]).stdout;
    expect(mermaid).toMatch(/^flowchart TD\n/);
    expect(mermaid).toContain('  n5["!baz-2"]');
    expect(mermaid).toContain('  n5 -->|"CONFLICT"| n4');
    expect(mermaid).toContain("  linkStyle 3 stroke:red");
    const out = join(work, "out");
    mkdirSync(out, { recursive: true });
    for (const [name, check] of [
      ["g.dot", (t: string) => expect(t).toBe(`${SOLVED_DOT}\n`)],
      ["g.svg", (t: string) => expect(t).toMatch(/<svg[\s\S]*>foo&#45;1\.0\[0\]<\/text>[\s\S]*<\/svg>/)],
      ["g.mmd", (t: string) => expect(t).toMatch(/^flowchart TD\n/)],
    ] as const) {
      const run = pkg(["graph", "--ni", "-o", join(out, name), "foo", "baz-1"]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe("");
      check(readFileSync(join(out, name), "utf8"));
    }
    const viewed = pkg(["graph", "--ni", "--view", "foo"]);
    expect(viewed.status, viewed.stderr).toBe(0);
    expect(readFileSync(viewed.stdout.trim(), "utf8")).toContain("<svg");
    rmSync(dirname(viewed.stdout.trim()), { recursive: true, force: true });
    const bad = pkg(["graph", "--ni", "-o", join(out, "g.txt"), "foo"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("[PKG0065]");
    const unknown = pkg(["graph", "--ni", "nosuch"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe("");
  });
});

describe("pkg context graphs and pkg env --fail-graph", () => {
  it("the context file keeps Rez's solver graph (compacted): -p/--pg print it as rez-context does, also after a cached resolve", () => {
    for (const name of ["first.rxt", "cached.rxt"]) {
      const rxt = join(work, name);
      const env = pkg(["env", "--ni", "foo", "baz-1", "-o", rxt]);
      expect(env.status, env.stderr).toBe(0);
      expect(readFileSync(rxt, "utf8")).toContain("'edges': [((('arrowsize', '0.5'),), [('_1', '_5'), ('_2', '_6'), ('_3', '_7')");
      for (const flag of ["-p", "--pg", "--print-graph", "-g", "--graph"]) {
        const run = pkg(["context", rxt, flag]);
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toBe(`${CONTEXT_DOT}\n`);
      }
    }
  });

  it("-d/--dependency-graph, --pp/--prune-package, -w/--wg FILE", () => {
    const rxt = join(work, "first.rxt");
    // Rez's get_dependency_graph (its edges come from a set, in no order: pkg sorts them)
    expect(pkg(["context", rxt, "-d"]).stdout).toBe(
      [
        "digraph g {",
        'bar [fontsize="10", fillcolor="#AAFFAA", style="filled", label="bar-2.0"];',
        'python [fontsize="10", fillcolor="#AAFFAA", style="filled", label="python-3"];',
        'foo [fontsize="10", fillcolor="#AAFFAA", style="filled", label="foo-1.0"];',
        'baz [fontsize="10", fillcolor="#AAFFAA", style="filled", label="baz-1.0"];',
        "foo -> bar ;",
        "foo -> python ;",
        "}",
        "",
      ].join("\n"),
    );
    const pruned = pkg(["context", rxt, "--pg", "--pp", "python"]).stdout;
    expect(pruned.split("\n").filter((l) => l.includes("->"))).toEqual(['_1 -> _5 [arrowsize="0.5"];', '_5 -> _10 [arrowsize="0.5"];', '_10 -> _4 [arrowsize="0.5"];']);
    expect(pkg(["context", rxt, "--pg", "--prune-package", "nosuch"]).stderr).toContain("The package 'nosuch' does not appear in the graph.");
    const file = join(work, "ctx.svg");
    expect(pkg(["context", rxt, "-w", file]).status).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("<svg");
    expect(pkg(["context", rxt, "--wg", join(work, "ctx.mmd")]).status).toBe(0);
    expect(readFileSync(join(work, "ctx.mmd"), "utf8")).toMatch(/^flowchart TD\n/);
  });

  it("a context file without a graph: Rez's message, exit 1", () => {
    const rxt = join(work, "first.rxt");
    const doc = JSON.parse(readFileSync(rxt, "utf8")) as Record<string, unknown>;
    writeTree(work, { "nograph.rxt": JSON.stringify({ ...doc, graph: null }) });
    const run = pkg(["context", join(work, "nograph.rxt"), "--pg"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("The context does not contain a graph.");
  });

  it("an older context file whose graph is plain DOT: printed as it is, pruned, drawn, kept compacted when written again", () => {
    const doc = JSON.parse(readFileSync(join(work, "first.rxt"), "utf8")) as Record<string, unknown>;
    const rxt = join(work, "dot-graph.rxt");
    writeTree(work, { "dot-graph.rxt": JSON.stringify({ ...doc, serialize_version: "4.0", graph: SOLVED_DOT }) });
    for (const flag of ["-p", "--pg", "-g"]) {
      const run = pkg(["context", rxt, flag]);
      expect(run.status, run.stderr).toBe(0);
      // Rez's graph(as_dot=True) gives an old context's DOT text back unchanged
      expect(run.stdout).toBe(`${SOLVED_DOT}\n`);
    }
    const pruned = pkg(["context", rxt, "--pg", "--pp", "python"]);
    expect(pruned.status, pruned.stderr).toBe(0);
    expect(pruned.stdout.split("\n").filter((l) => l.includes("->"))).toEqual(['_1 -> _5 [arrowsize="0.5"];', '_5 -> _10 [arrowsize="0.5"];', '_10 -> _4 [arrowsize="0.5"];']);
    expect(pruned.stdout).toContain('_10 [label="python-3", fontsize="10", fillcolor="#F6F6F6", style="filled,dashed"];');
    for (const name of ["old.svg", "old.mmd", "old.dot"]) {
      const run = pkg(["context", rxt, "-w", join(work, name)]);
      expect(run.status, run.stderr).toBe(0);
    }
    expect(readFileSync(join(work, "old.svg"), "utf8")).toContain("<svg");
    expect(readFileSync(join(work, "old.mmd"), "utf8")).toContain('n5["foo-1.0[0]"]');
    expect(readFileSync(join(work, "old.dot"), "utf8")).toBe(`${SOLVED_DOT}\n`);
    const viewed = pkg(["context", rxt, "--view-graph"]);
    expect(readFileSync(viewed.stdout.trim(), "utf8")).toContain("<svg");
    // the context written again (REZ_RXT_FILE of `pkg env --input`) holds the compacted form, as Rez's to_dict writes
    const again = pkg(["env", "--input", rxt, "-c", 'cat "$REZ_RXT_FILE"']);
    expect(again.status, again.stderr).toBe(0);
    const graph = (JSON.parse(again.stdout) as { graph: string }).graph;
    expect(graph).toMatch(/^\{'nodes': \[\(\(\('fillcolor', '#FFFFAA'\), \('fontsize', '10'\), \('style', 'filled,dashed'\)\), \[\('_1', 'foo'\), \('_2', 'baz-1'\)\]\)/);
    writeTree(work, { "again.rxt": JSON.stringify({ ...doc, graph }) });
    expect(pkg(["context", join(work, "again.rxt"), "-p"]).stdout).toBe(`${CONTEXT_DOT}\n`);
  });

  it("a context whose graph does not read: one clear error naming the file, exit 1", () => {
    const doc = JSON.parse(readFileSync(join(work, "first.rxt"), "utf8")) as Record<string, unknown>;
    for (const graph of ["digraph g {\n_1 -> ;\n}", "{'nodes': ["]) {
      writeTree(work, { "bad-graph.rxt": JSON.stringify({ ...doc, graph }) });
      const run = pkg(["context", join(work, "bad-graph.rxt"), "-p"]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${join(work, "bad-graph.rxt")}: the context's graph does not read:`);
      expect(run.stderr).toContain("[PKG0016]");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("pkg env --fail-graph FILE draws the same failure graph", () => {
    const file = join(work, "failed.dot");
    const run = pkg(["env", "--ni", "--fail-graph", file, "bar-2", "baz-2"]);
    expect(run.status).toBe(1);
    expect(readFileSync(file, "utf8").trimEnd()).toBe(FAILED_DOT);
  });
});
