import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDeclarativePython } from "./declarative-python.js";
import type { PackageValue } from "./definition.js";
import { benchmarkArchive, haveBenchmarkData } from "../../test/support/cli.js";

function attrs(text: string): { [key: string]: PackageValue } {
  const r = readDeclarativePython(text, "/p/package.py");
  if (r.kind !== "ok") throw new Error(`needs python: ${r.reason} at ${r.line}`);
  return r.attributes;
}

describe("readDeclarativePython: literals", () => {
  const cases: [string, string, PackageValue][] = [
    ["single quotes", `x = 'a'`, "a"],
    ["double quotes", `x = "a b"`, "a b"],
    ["triple double", `x = """a\n  b"""`, "a\n  b"],
    ["triple single with quotes", `x = '''it's "q"'''`, `it's "q"`],
    ["raw", `x = r'a\\nb\\'c'`, "a\\nb\\'c"],
    ["unicode prefix", `x = u'é'`, "é"],
    ["escapes", `x = "a\\tb\\n\\\\\\x41\\u00e9\\U0001F600\\101\\q"`, "a\tb\n\\Aé😀A\\q"],
    ["line continuation in string", `x = "a\\\nb"`, "ab"],
    ["implicit concatenation", `x = ("a"\n  'b' r"\\c")`, "ab\\c"],
    ["concatenation on one line", `x = "a" "b"`, "ab"],
    ["int", `x = 42`, 42],
    ["negative int", `x = -7`, -7],
    ["underscores", `x = 1_000`, 1000],
    ["hex", `x = 0xff`, 255],
    ["octal and binary", `x = [0o17, 0b101]`, [15, 5]],
    ["float", `x = 1.5e3`, 1500],
    ["dot float", `x = .25`, 0.25],
    ["bools and None", `x = [True, False, None]`, [true, false, null]],
    ["empty list", `x = []`, []],
    ["tuple", `x = ('a', 'b')`, ["a", "b"]],
    ["one-tuple", `x = ('a',)`, ["a"]],
    ["parenthesised value", `x = ('a')`, "a"],
    ["empty tuple", `x = ()`, []],
    ["bare tuple", `x = 'a', 'b'`, ["a", "b"]],
    ["nested", `x = {"a": [1, (2, 3)], 'b': {"c": None}}`, { a: [1, [2, 3]], b: { c: null } }],
    ["multi-line list with comments", `x = [\n  'a',  # first\n  # middle\n  'b',\n]`, ["a", "b"]],
    ["backslash continuation", `x = \\\n  'a'`, "a"],
    ["trailing comment", `x = 1  # one`, 1],
    ["dict keeps last duplicate", `x = {'a': 1, 'a': 2}`, { a: 2 }],
  ];
  for (const [label, text, expected] of cases) {
    it(label, () => {
      expect(attrs(text).x).toEqual(expected);
    });
  }

  it("keeps attribute order, last assignment wins, skips docstrings, comments, coding lines and dunders", () => {
    const a = attrs(`# -*- coding: utf-8 -*-\n"""Module docstring."""\n\nname = 'foo'\n__doc__ = 'x'\nversion = "1.0"\nname = 'bar'\n`);
    expect(Object.keys(a)).toEqual(["name", "version"]);
    expect(a.name).toBe("bar");
  });

  it("handles CRLF and a BOM", () => {
    expect(attrs("\ufeffname = 'a'\r\nrequires = [\r\n 'b',\r\n]\r\n")).toEqual({ name: "a", requires: ["b"] });
  });

  it("reports the line of each attribute", () => {
    const r = readDeclarativePython("# c\nname = 'a'\n\nrequires = [\n 'b']\ndef commands():\n    pass\n", "f");
    expect(r.kind === "ok" && r.lines).toEqual({ name: 2, requires: 4, commands: 6 });
  });
});

describe("readDeclarativePython: functions", () => {
  it("captures commands as source with its line; drops helpers", () => {
    const text = `name = 'a'\n\ndef helper():\n    return 1\n\ndef commands():\n    env.PATH.append("{root}/bin")\n    s = """\nx\n"""\n    # trailing comment\n\n# top comment\nversion = '1'\n`;
    const a = attrs(text);
    expect(Object.keys(a)).toEqual(["name", "commands", "version"]);
    expect(a.commands).toEqual({
      kind: "source",
      source: `def commands():\n    env.PATH.append("{root}/bin")\n    s = """\nx\n"""`,
      late: false,
      file: "/p/package.py",
      line: 6,
    });
  });

  it("captures @late() with decorators, @include, preprocess, one-line bodies", () => {
    const text = `@late()\n@include('utils')\ndef tools():\n    return utils.tools()\n\n@include("a", "b")\ndef commands(): env.X = 1\n\ndef preprocess(this, data):\n    data['x'] = 1\n`;
    const a = attrs(text);
    expect(a.tools).toMatchObject({ late: true, line: 1, source: `@late()\n@include('utils')\ndef tools():\n    return utils.tools()` });
    expect(a.commands).toMatchObject({ late: false, line: 6, source: `@include("a", "b")\ndef commands(): env.X = 1` });
    expect(a.preprocess).toMatchObject({ late: false, line: 9 });
  });

  it("keeps a function whose header spans lines and whose body has brackets at column 0", () => {
    const a = attrs(`def commands(\n):\n    x = [\n1,\n]\n    env.A = x\nname = 'n'\n`);
    expect((a.commands as { source: string }).source).toBe(`def commands(\n):\n    x = [\n1,\n]\n    env.A = x`);
    expect(a.name).toBe("n");
  });
});

describe("readDeclarativePython: needs python", () => {
  const cases: [string, string][] = [
    ["import", `import os\nname = 'a'`],
    ["from import", `from rez import x`],
    ["expression", `x = 1 + 2`],
    ["method call", `x = "a".upper()`],
    ["format", `x = "%s" % 1`],
    ["name reference", `x = y`],
    ["f-string", `x = f"{a}"`],
    ["bytes", `x = b"a"`],
    ["if", `if True:\n    x = 1`],
    ["with scope", `with scope("config") as config:\n    config.x = 1`],
    ["call statement", `print("x")`],
    ["early", `@early()\ndef version():\n    return "1"`],
    ["other decorator", `@staticmethod\ndef commands():\n    pass`],
    ["pkg-rs", `def get_package():\n    return Package("a", "1")`],
    ["set literal", `x = {1, 2}`],
    ["comprehension", `x = [a for a in b]`],
    ["augmented", `x = [1]\nx += [2]`],
    ["chained", `a = b = 1`],
    ["semicolon", `a = 1; b = 2`],
    ["indented", `a = 1\n  b = 2`],
    ["unterminated", `a = "x`],
    ["syntax error", `a = [1,`],
    ["complex number", `a = 1j`],
    ["huge int", `a = 123456789012345678901234567890`],
    ["class", `class A:\n    pass`],
    ["keyword as a name", `class = 1`],
  ];
  for (const [label, text] of cases) {
    it(label, () => {
      expect(readDeclarativePython(text, "f").kind).toBe("needs-python");
    });
  }
  it("says why and where", () => {
    expect(readDeclarativePython("name = 'a'\n\nimport os\n", "f")).toEqual({ kind: "needs-python", reason: "statement 'import'", line: 3 });
  });
});

describe.skipIf(!haveBenchmarkData("reading Rez's benchmark repository without Python"))("readDeclarativePython on Rez's benchmark repository", () => {
  const dir = mkdtempSync(join(tmpdir(), "pkg-rezbench-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads every file without Python and agrees with python3 ast.literal_eval on a sample", () => {
    execFileSync("tar", ["xzf", benchmarkArchive, "-C", dir]);
    const root = join(dir, "packages");
    const files: string[] = [];
    for (const family of readdirSync(root)) {
      for (const version of readdirSync(join(root, family))) files.push(join(root, family, version, "package.py"));
    }
    expect(files.length).toBe(18226);
    const results = files.map((f) => readDeclarativePython(readFileSync(f, "utf8"), f));
    const failed = results.filter((r) => r.kind !== "ok");
    expect(failed).toEqual([]);

    const sample = files.filter((_f, i) => i % Math.floor(files.length / 300) === 0).slice(0, 300);
    const listFile = join(dir, "sample.json");
    writeFileSync(listFile, JSON.stringify(sample));
    const script = `
import ast, json, sys
out = []
for path in json.load(open(sys.argv[1])):
    tree = ast.parse(open(path).read(), path)
    attrs = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                attrs[t.id] = ast.literal_eval(node.value)
    out.append(attrs)
print(json.dumps(out))
`;
    const expected = JSON.parse(execFileSync("python3", ["-c", script, listFile], { maxBuffer: 1 << 26 }).toString()) as unknown[];
    const actual = sample.map((f) => {
      const r = readDeclarativePython(readFileSync(f, "utf8"), f);
      return r.kind === "ok" ? r.attributes : undefined;
    });
    expect(actual).toEqual(expected);
  });
});
