import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPackageLoader, loadPackageYamlText, tryLoadDeclarative } from "./package-loader.js";
import type { PackageLoader } from "./package-loader.js";

const dir = mkdtempSync(join(tmpdir(), "pkg-loader-"));
const loader: PackageLoader = createPackageLoader();
afterAll(async () => {
  await loader.close();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function file(text: string, name = "package.py"): string {
  const d = join(dir, String(counter++));
  mkdirSync(d, { recursive: true });
  const f = join(d, name);
  writeFileSync(f, text);
  return f;
}

describe("declarative fast path", () => {
  it("takes identity from the caller and keeps attributes", () => {
    const r = tryLoadDeclarative("/r/foo/2.0/package.py", "name = 'foo'\nversion = '1.0'\nrequires = ['bar-1+<2', '~baz']\n", { name: "foo", version: "2.0" });
    expect(r?.warnings).toEqual([]);
    expect(r?.definition).toEqual({
      name: "foo",
      version: "2.0",
      format: "rez",
      file: "/r/foo/2.0/package.py",
      attributes: { name: "foo", version: "1.0", requires: ["bar-1+<2", "~baz"] },
    });
  });

  it("returns undefined when Python is needed", () => {
    expect(tryLoadDeclarative("/f", "import os\n")).toBeUndefined();
  });

  it("dedents and strips description like Rez", () => {
    const r = tryLoadDeclarative("/f", `name = 'a'\ndescription = """\n    Hello\n      world\n    """\n`);
    expect(r?.definition?.attributes.description).toBe("Hello\n  world");
  });

  const bad: [string, string, number | undefined, RegExp][] = [
    ["bad requires string", "name = 'a'\n\nrequires = ['foo-1..2..']\n", 3, /invalid requirement 'foo-1\.\.2\.\.' in 'requires'/],
    ["requires not a list", "name = 'a'\nrequires = 'foo'\n", 2, /'requires' must be a list/],
    ["variants not lists", "name = 'a'\nvariants = ['python-2']\n", 2, /'variants\[0\]' must be a list/],
    ["timestamp not int", "name = 'a'\ntimestamp = '12'\n", 2, /'timestamp' must be an int/],
    ["tools not strings", "name = 'a'\ntools = [1]\n", 2, /'tools' must be a list of strings/],
    ["description not str", "name = 'a'\ndescription = ['x']\n", 2, /'description' must be a string/],
    ["late commands", "name = 'a'\n@late()\ndef commands():\n    pass\n", 2, /cannot be late-bound/],
  ];
  for (const [label, text, line, message] of bad) {
    it(`warns for ${label}`, () => {
      const r = tryLoadDeclarative("/r/a/1/package.py", text, { name: "a", version: "1" });
      expect(r?.definition).toBeUndefined();
      expect(r?.warnings).toHaveLength(1);
      expect(r?.warnings[0]).toMatchObject({ file: "/r/a/1/package.py", line });
      expect(r?.warnings[0].message).toMatch(message);
    });
  }
});

describe("package.yaml", () => {
  it("maps attributes; a commands string becomes source code", () => {
    const r = loadPackageYamlText("/r/y/1.0/package.yaml", "name: y\nversion: '1.0'\nrequires:\n  - python-2.7+\nhas_plugins: yes\nflag: n\ncommands: |\n  env.PATH.append('{root}/bin')\n", { name: "y", version: "1.0" });
    expect(r.warnings).toEqual([]);
    expect(r.definition?.attributes).toEqual({
      name: "y",
      version: "1.0",
      requires: ["python-2.7+"],
      has_plugins: true,
      flag: "n",
      // the line of the code's first line: below `commands: |`
      commands: { kind: "source", source: "env.PATH.append('{root}/bin')\n", late: false, file: "/r/y/1.0/package.yaml", line: 8 },
    });
    const inline = loadPackageYamlText("/r/y/1.0/package.yaml", "name: y\ncommands: env.A = 'a'\n", { name: "y", version: "1.0" });
    expect(inline.definition?.attributes.commands).toMatchObject({ source: "env.A = 'a'", line: 2 });
  });

  it("warns with a line for broken YAML and for a non-mapping", () => {
    const r = loadPackageYamlText("/f.yaml", "name: a\nrequires: [a\n");
    expect(r.definition).toBeUndefined();
    expect(r.warnings[0].message).toMatch(/YAML/);
    expect(loadPackageYamlText("/f.yaml", "- a\n").warnings[0].message).toMatch(/mapping/);
  });

  it("loads through the loader by extension", async () => {
    const f = file("name: z\nrequires: [foo]\n", "package.yaml");
    const r = await loader.load(f, { name: "z", version: "" });
    expect(r.definition).toMatchObject({ name: "z", version: "", attributes: { requires: ["foo"] } });
  });
});

describe("package.py through the Python worker", () => {
  it("runs @early, keeps @late / commands / preprocess as source, builds config from scope()", async () => {
    const f = file(`# -*- coding: utf-8 -*-
import os
name = "foo"
requires = ["bar-1+"]

@early()
def description():
    return "needs %d things" % len(this.requires)

@early()
def variants():
    return [["python-%s" % v] for v in ("2.7", "3.9")]

with scope("config") as config:
    config.release_hooks = ["emailer"]
    config.plugins.release_hook.emailer.recipients = ["a@b"]

@late()
def tools():
    return ["x"]

def commands():
    env.PATH.append("{root}/bin")

def _helper():
    return 1

def preprocess(this, data):
    data["x"] = 1
`);
    const r = await loader.load(f, { name: "foo", version: "1.0" });
    expect(r.warnings).toEqual([]);
    const a = r.definition?.attributes ?? {};
    expect(Object.keys(a)).toEqual(["name", "requires", "description", "variants", "config", "tools", "commands", "preprocess"]);
    expect(a.description).toBe("needs 1 things");
    expect(a.variants).toEqual([["python-2.7"], ["python-3.9"]]);
    expect(a.config).toEqual({ release_hooks: ["emailer"], plugins: { release_hook: { emailer: { recipients: ["a@b"] } } } });
    expect(a.tools).toEqual({ kind: "source", source: '@late()\ndef tools():\n    return ["x"]', late: true, file: f, line: 18 });
    expect(a.commands).toMatchObject({ source: 'def commands():\n    env.PATH.append("{root}/bin")', late: false, line: 22 });
    expect(a.preprocess).toMatchObject({ late: false, line: 28 });
  });

  it("reports a syntax error with its line", async () => {
    const f = file("name = 'a'\nimport os\nrequires = [\n  'a',\n  ]]\n");
    const r = await loader.load(f, { name: "a", version: "1" });
    expect(r.definition).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ file: f, line: 5 });
    expect(r.warnings[0].message).toMatch(/SyntaxError/);
  });

  it("reports an exception with the line inside the package file", async () => {
    const f = file("import os\nname = 'a'\n\ndef f():\n    raise ValueError('boom')\n\nx = f()\n");
    const r = await loader.load(f, { name: "a", version: "1" });
    expect(r.warnings[0]).toMatchObject({ file: f, line: 5 });
    expect(r.warnings[0].message).toMatch(/ValueError: boom/);
  });

  it("reports an exception inside @early", async () => {
    const f = file("name = 'a'\n@early()\ndef version():\n    return this.nope\n");
    const r = await loader.load(f, { name: "a", version: "1" });
    expect(r.warnings[0]).toMatchObject({ line: 4 });
    expect(r.warnings[0].message).toMatch(/No such package attribute 'nope'/);
  });

  it("validates what the worker returns (bad requirement from code)", async () => {
    const f = file("import os\nname = 'a'\nrequires = ['foo' + '-1..']\n");
    const r = await loader.load(f, { name: "a", version: "1" });
    expect(r.definition).toBeUndefined();
    expect(r.warnings[0]).toMatchObject({ line: 3 });
    expect(r.warnings[0].message).toMatch(/invalid requirement/);
  });

  it("warns about values that are not plain data, converts tuples and sets", async () => {
    const f = file("import os\nname = 'a'\nt = (1, 2)\ns = {'b', 'a'}\nobj = object()\n");
    const r = await loader.load(f, { name: "a", version: "1" });
    expect(r.definition?.attributes).toMatchObject({ t: [1, 2], s: ["a", "b"] });
    expect(r.definition?.attributes.obj).toBeUndefined();
    expect(r.warnings.map((w) => w.message).join()).toMatch(/'obj' is not plain data/);
  });
});

describe("pkg-rs package.py", () => {
  const styles: [string, string][] = [
    ["direct", ""],
    ["namespace", "import pkg\nPackage, Env, Evar, App = pkg.Package, pkg.Env, pkg.Evar, pkg.App\n"],
    ["explicit", "from pkg import Package, Env, Evar, App\n"],
  ];
  for (const [style, header] of styles) {
    it(`loads the ${style} import style with in-place list mutation`, async () => {
      const f = file(`${header}
from pathlib import Path
import sys

def get_package():
    p = Package("maya", "2024.1.0")
    p.reqs.append("python@>=3.9")
    p.add_req("ocio@2")
    env = Env("default")
    env.evars.append(Evar("PATH", "/opt/maya/bin"))
    env.add(Evar("MAYA_ROOT", str(Path("/opt/maya")), "set"))
    p.envs.append(env)
    app = App("maya").with_path("/opt/maya/bin/maya")
    app.args.append("-prompt")
    app.properties["icon"] = "maya.png"
    p.add_app(app)
    p.add_tag("dcc")
    p.add_tag("dcc")
    return p
`);
      const r = await loader.load(f);
      expect(r.warnings).toEqual([]);
      expect(r.definition).toEqual({
        name: "maya",
        version: "2024.1.0",
        format: "pkg-rs",
        file: f,
        attributes: { requires: ["python@>=3.9", "ocio@2"] },
        pkgrs: {
          envs: [
            {
              name: "default",
              evars: [
                { name: "PATH", value: "/opt/maya/bin", action: "append" },
                { name: "MAYA_ROOT", value: "/opt/maya", action: "set" },
              ],
            },
          ],
          apps: [{ name: "maya", path: "/opt/maya/bin/maya", env_name: null, args: ["-prompt"], cwd: null, properties: { icon: "maya.png" } }],
          tags: ["dcc"],
          icon: null,
        },
      });
    });
  }

  it("uses the directory identity when given, accepts a dict, isolates sys.path and pkg", async () => {
    const f = file(`import sys\nsys.path.insert(0, "/nowhere")\ndef get_package():\n    return {"base": "tool", "version": "1.0.0", "reqs": ["a@1"], "envs": [{"name": "default", "evars": [{"name": "X", "value": "1"}]}]}\n`);
    const r = await loader.load(f, { name: "tool", version: "1.0.0" });
    expect(r.definition?.pkgrs?.envs[0].evars[0].action).toBe("append");
    const g = file(`import sys\ndef get_package():\n    p = Package("p", "1.0.0")\n    p.reqs = ["/nowhere" in sys.path and "leak" or "clean"]\n    return p\n`);
    expect((await loader.load(g)).definition?.attributes.requires).toEqual(["clean"]);
  });

  it("reports errors like pkg-rs does", async () => {
    const none = await loader.load(file("def get_package():\n    return None\n"));
    expect(none.warnings[0].message).toMatch(/get_package\(\) must return Package or dict, got: NoneType/);
    const raising = await loader.load(file("def get_package():\n    x = 1\n    raise RuntimeError('nope')\n"));
    expect(raising.warnings[0]).toMatchObject({ line: 3 });
    expect(raising.warnings[0].message).toMatch(/get_package\(\) error.*RuntimeError: nope/);
    const badAction = await loader.load(file("def get_package():\n    Evar('A', 'b', 'prepend')\n"));
    expect(badAction.warnings[0].message).toMatch(/invalid action 'prepend'/);
  });
});

describe("without python", () => {
  it("warns only for the files that need it", async () => {
    const noPython = createPackageLoader({ python: "/nonexistent/python3" });
    try {
      const plain = await noPython.load(file("name = 'a'\n"), { name: "a", version: "1" });
      expect(plain.warnings).toEqual([]);
      expect(plain.definition?.name).toBe("a");
      const code = file("import os\nname = 'b'\n");
      const [r1, r2] = await Promise.all([noPython.load(code, { name: "b", version: "1" }), noPython.load(code, { name: "b", version: "1" })]);
      for (const r of [r1, r2]) {
        expect(r.definition).toBeUndefined();
        expect(r.warnings).toHaveLength(1);
        expect(r.warnings[0].message).toMatch(/needs Python \(statement 'import' at line 1\).*\/nonexistent\/python3.*PKG_PYTHON/);
      }
    } finally {
      await noPython.close();
    }
  });
});

describe("toolsets", () => {
  it("parses every table as a toolset package", async () => {
    const f = file(`[maya-anim]\nversion = "2.0.0"\ndescription = "Maya animation"\nrequires = ["maya", "python@>=3.9"]\ntags = ["dcc", "toolset"]\n\n[bare]\n\n[broken]\nrequires = "maya"\n`, "maya.toml");
    const r = await loader.loadToolsets(f);
    expect(r.definitions).toEqual([
      {
        name: "maya-anim",
        version: "2.0.0",
        format: "toolset",
        file: f,
        attributes: { requires: ["maya", "python@>=3.9"], description: "Maya animation" },
        pkgrs: { envs: [], apps: [], tags: ["dcc", "toolset"], icon: null },
      },
      { name: "bare", version: "1.0.0", format: "toolset", file: f, attributes: { requires: [] }, pkgrs: { envs: [], apps: [], tags: ["toolset"], icon: null } },
    ]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].message).toMatch(/toolset 'broken' skipped/);
  });

  it("warns with a line on a TOML error", async () => {
    const r = await loader.loadToolsets(file(`[a]\nrequires = [\n`, "bad.toml"));
    expect(r.definitions).toEqual([]);
    expect(r.warnings[0].line).toBeGreaterThan(0);
  });
});

describe("fingerprint", () => {
  it("is stable and non-empty", () => {
    expect(loader.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(createPackageLoader().fingerprint).toBe(loader.fingerprint);
  });
});

describe("encodings and pkg-rs requirement checks", () => {
  it("sends a latin-1 file with a coding line to Python", async () => {
    const d = join(dir, "latin1");
    mkdirSync(d);
    const f = join(d, "package.py");
    writeFileSync(f, Buffer.concat([Buffer.from("# -*- coding: latin-1 -*-\nname = 'a'\ndescription = '"), Buffer.from([0xe9]), Buffer.from("t\u00e9'\n".replace("\u00e9", "")), Buffer.from("\n")]));
    const r = await loader.load(f, { name: "a", version: "1" });
    expect(r.warnings).toEqual([]);
    expect(r.definition?.attributes.description).toBe("\u00e9t");
  });

  it("warns for an invalid pkg-rs requirement", async () => {
    const r = await loader.load(file('def get_package():\n    p = Package("a", "1.0.0")\n    p.add_req("bad name@1")\n    return p\n'));
    expect(r.definition).toBeUndefined();
    expect(r.warnings[0].message).toMatch(/invalid requirement 'bad name@1'/);
  });
});

describe("functions kept as source by the declarative reader", () => {
  it("have their syntax checked at load, with the file's lines; loads asked for together are checked together", async () => {
    const bad = file("name = 'a'\nversion = '1'\n\ndef commands():\n    env.A.append('x'\n");
    const late = file("name = 'b'\nversion = '1'\n@late()\ndef tools():\n    return [\n");
    const good = file("name = 'c'\nversion = '1'\n\ndef commands():\n    env.C = 'c'\n\n@late()\ndef tools():\n    return ['c']\n");
    const [a, b, c] = await Promise.all([loader.load(bad), loader.load(late), loader.load(good)]);
    expect(a.definition).toBeUndefined();
    expect(a.warnings).toEqual([{ file: bad, line: 5, message: "syntax error in commands(): SyntaxError: '(' was never closed; package skipped" }]);
    expect(a.transient).toBeUndefined();
    expect(b.warnings).toEqual([{ file: late, line: 5, message: "syntax error in @late tools(): SyntaxError: '[' was never closed; package skipped" }]);
    expect(c.warnings).toEqual([]);
    expect(c.definition?.attributes.commands).toMatchObject({ kind: "source", line: 4 });
  });

  it("without Python the definition is kept, marked not to be cached", async () => {
    const noPython = createPackageLoader({ python: "/nonexistent/python3" });
    try {
      const r = await noPython.load(file("name = 'a'\nversion = '1'\n\ndef commands():\n    env.A.append('x'\n"));
      expect(r.definition?.name).toBe("a");
      expect(r.transient).toBe(true);
    } finally {
      await noPython.close();
    }
  });
});
