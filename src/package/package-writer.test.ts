import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDeclarativePython } from "./declarative-python.js";
import type { PackageDefinition } from "./definition.js";
import { createPackageLoader, tryLoadDeclarative } from "./package-loader.js";
import { pythonStringLiteral, writePackagePy } from "./package-writer.js";

const FILE = "/r/foo/1.2.0/package.py";

const definition: PackageDefinition = {
  name: "foo",
  version: "1.2.0",
  format: "rez",
  file: FILE,
  attributes: {
    custom_key: { a: [1, 2.5, null, true], "b-c": "it's" },
    timestamp: 1600129484,
    variants: [["python-2.7", "maya-2017"], ["python-3.9"]],
    requires: ["bar-1+<2", "~baz"],
    description: "A long description that goes over forty characters,\n  with a second line.",
    name: "ignored",
    tools: ["foo", "bar"],
    config: { release_hooks: ["emailer"], nested: { x: 1 } },
    commands: { kind: "source", source: 'def commands():\n    env.PATH.append("{root}/bin")', late: false, file: FILE, line: 20 },
    help: { kind: "source", source: "@late()\ndef help():\n    return 'x'", late: true, file: FILE, line: 30 },
    format_version: 2,
    uuid: "abc\\def\n",
  },
};

describe("writePackagePy", () => {
  it("writes Rez's key order and style", () => {
    expect(writePackagePy(definition)).toBe(`# -*- coding: utf-8 -*-

name = 'foo'

version = '1.2.0'

description = \\
    """
    A long description that goes over forty characters,
      with a second line.
    """

tools = [
    'foo',
    'bar'
]

requires = [
    'bar-1+<2',
    '~baz'
]

variants = [
    ['python-2.7', 'maya-2017'],
    ['python-3.9']
]

def commands():
    env.PATH.append("{root}/bin")

@late()
def help():
    return 'x'

with scope('config') as config:
    config.release_hooks = ['emailer']
    config.nested = {'x': 1}

uuid = 'abc\\\\def\\n'

timestamp = 1600129484

custom_key = {'a': [1, 2.5, None, True], 'b-c': "it's"}

format_version = 2
`);
  });

  it("quotes strings like Python's repr", () => {
    expect(pythonStringLiteral(`a'b`)).toBe(`"a'b"`);
    expect(pythonStringLiteral(`a'b"c`)).toBe(`'a\\'b"c'`);
    expect(pythonStringLiteral("\t\x01é")).toBe("'\\t\\x01é'");
  });

  it("turns a package.yaml command block into a function", () => {
    const text = writePackagePy({ ...definition, attributes: { commands: { kind: "source", source: "env.A = 1\nenv.B = 2\n", late: false, file: FILE, line: 1 } } });
    expect(text).toContain("def commands():\n    env.A = 1\n    env.B = 2\n");
  });

  it("refuses keys that are not identifiers", () => {
    expect(() => writePackagePy({ ...definition, attributes: { "my-key": 1 } })).toThrow(/my-key/);
  });
});

describe("round trip", () => {
  const dir = mkdtempSync(join(tmpdir(), "pkg-writer-"));
  const loader = createPackageLoader();
  afterAll(async () => {
    await loader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function expected(file: string): PackageDefinition {
    const attrs: Record<string, unknown> = { ...definition.attributes, name: "foo", version: "1.2.0" };
    for (const key of ["commands", "help"]) {
      const code = attrs[key] as { line: number };
      attrs[key] = { ...code, file, line: expect.any(Number) };
    }
    return { ...definition, file, attributes: attrs as PackageDefinition["attributes"] };
  }

  it("reads back identically through the TypeScript reader", () => {
    const file = join(dir, "a.py");
    const text = writePackagePy(definition);
    expect(readDeclarativePython(text, file).kind).toBe("needs-python"); // `with scope(...)`
    const withoutConfig: PackageDefinition = { ...definition, attributes: { ...definition.attributes, config: undefined as never } };
    delete (withoutConfig.attributes as Record<string, unknown>).config;
    const r = tryLoadDeclarative(file, writePackagePy(withoutConfig), { name: "foo", version: "1.2.0" });
    const want = expected(file);
    delete (want.attributes as Record<string, unknown>).config;
    expect(r?.warnings).toEqual([]);
    expect(r?.definition).toEqual(want);
  });

  it("reads back identically through the Python worker", async () => {
    const file = join(dir, "b.py");
    writeFileSync(file, writePackagePy(definition));
    const r = await loader.load(file, { name: "foo", version: "1.2.0" });
    expect(r.warnings).toEqual([]);
    expect(r.definition).toEqual(expected(file));
  });
});

describe("writing late functions", () => {
  it("adds @late() when the source lacks it", () => {
    const text = writePackagePy({ ...definition, attributes: { tools: { kind: "source", source: "def tools():\n    return []", late: true, file: FILE, line: 1 } } });
    expect(text).toContain("@late()\ndef tools():\n    return []\n");
  });
});
