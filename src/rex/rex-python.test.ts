// src/python/worker/rex.py, driven through python3 exactly as the worker pool does: Rez's test_rex.py
// expectations, bindings, errors, and agreement with the TypeScript recorder.
import { describe, it, expect } from "vitest";
import { fileURLToPath } from "node:url";
import type { RexAction } from "./actions.js";
import { oneShotPythonRunner, parseRexResponse, runRexWithoutPython } from "./protocol.js";
import type { RexBindings, RexRequest, RexResponse } from "./protocol.js";
import type { RexStep } from "./steps.js";

const script = fileURLToPath(new URL("../python/worker/rex.py", import.meta.url));
const runner = oneShotPythonRunner(script);

function request(steps: RexStep[], extra: Partial<RexRequest> = {}): RexRequest {
  return {
    parent_environ: {},
    parent_variables: [],
    env_var_separators: { CMAKE_MODULE_PATH: ";", DOXYGEN_TAGFILES: " " },
    pathsep: ":",
    shebang: false,
    bindings: {},
    steps,
    ...extra,
  };
}

async function rex(source: string, extra: Partial<RexRequest> = {}): Promise<RexResponse> {
  const steps: RexStep[] = [{ op: "code", attr: "commands", package: null, source, file: "/repo/foo/1.0/package.py", line: 1 }];
  return parseRexResponse(await runner(request(steps, extra)));
}

const withoutSaferef = (actions: RexAction[]) => actions.filter((a) => a.type !== "saferefenv");

const setenv = (key: string, value: string): RexAction => ({ type: "setenv", key, value });
const appendenv = (key: string, value: string): RexAction => ({ type: "appendenv", key, value });
const prependenv = (key: string, value: string): RexAction => ({ type: "prependenv", key, value });

const test3 = `
def commands():
    appendenv("FOO", "test1")
    env.FOO.append("test2")
    env.FOO.append("test3")

    env.BAH.prepend("A")
    prependenv("BAH", "B")
    env.BAH.append("C")
`;

describe("rex.py reproduces Rez test_rex.py", () => {
  it("test_1: every action", async () => {
    const r = await rex(`
def commands():
    shebang()
    setenv("FOO", "foo")
    setenv("BAH", "bah")
    getenv("BAH")
    unsetenv("BAH")
    unsetenv("NOTEXIST")
    prependenv("A", "/tmp")
    prependenv("A", "/data")
    appendenv("B", "/tmp")
    appendenv("B", "/data")
    defined("BAH")
    undefined("BAH")
    defined("NOTEXIST")
    undefined("NOTEXIST")
    alias("thing", "thang")
    info("that's interesting")
    error("oh noes")
    command("runme --with --args")
    source("./script.src")
`);
    expect(r.error).toBeNull();
    expect(r.actions).toEqual([
      { type: "shebang" },
      setenv("FOO", "foo"),
      setenv("BAH", "bah"),
      { type: "unsetenv", key: "BAH" },
      { type: "unsetenv", key: "NOTEXIST" },
      setenv("A", "/tmp"),
      prependenv("A", "/data"),
      setenv("B", "/tmp"),
      appendenv("B", "/data"),
      { type: "alias", name: "thing", command: "thang" },
      { type: "info", message: "that's interesting" },
      { type: "error", message: "oh noes" },
      { type: "command", command: "runme --with --args" },
      { type: "source", path: "./script.src" },
    ]);
    expect(r.environ).toEqual({ FOO: "foo", A: "/data:/tmp", B: "/tmp:/data" });
  });

  it("test_2/test_4: assignments and control flow on tracked values", async () => {
    const r = await rex(`
env.FOO = "foo"
setenv("BAH", "bah")
env.EEK = env.FOO
if env.FOO == "foo":
    env.FOO_VALID = 1
    info("FOO validated")
if env.FOO == env.EEK:
    comment("comparison ok")
`);
    expect(r.actions).toEqual([
      setenv("FOO", "foo"),
      setenv("BAH", "bah"),
      setenv("EEK", "foo"),
      setenv("FOO_VALID", "1"),
      { type: "info", message: "FOO validated" },
      { type: "comment", text: "comparison ok" },
    ]);
  });

  it("test_3: first append/prepend overwrites without parent variables", async () => {
    const r = await rex(test3);
    expect(r.actions).toEqual([
      setenv("FOO", "test1"),
      appendenv("FOO", "test2"),
      appendenv("FOO", "test3"),
      setenv("BAH", "A"),
      prependenv("BAH", "B"),
      appendenv("BAH", "C"),
    ]);
    expect(r.environ).toEqual({ FOO: "test1:test2:test3", BAH: "B:A:C" });
  });

  const test3ParentActions = [
    appendenv("FOO", "test1"),
    appendenv("FOO", "test2"),
    appendenv("FOO", "test3"),
    prependenv("BAH", "A"),
    prependenv("BAH", "B"),
    appendenv("BAH", "C"),
  ];

  it("test_3: parent variables absent from the parent", async () => {
    const r = await rex(test3, { parent_variables: ["FOO", "BAH"] });
    expect(withoutSaferef(r.actions)).toEqual(test3ParentActions);
    expect(r.actions.filter((a) => a.type === "saferefenv")).toEqual([
      { type: "saferefenv", key: "FOO" },
      { type: "saferefenv", key: "BAH" },
    ]);
    expect(r.environ).toEqual({ FOO: ":test1:test2:test3", BAH: "B:A::C" });
  });

  it("test_3: parent variables present in the parent", async () => {
    const r = await rex(test3, { parent_variables: ["FOO", "BAH"], parent_environ: { FOO: "tmp", BAH: "Z" } });
    expect(withoutSaferef(r.actions)).toEqual(test3ParentActions);
    expect(r.environ).toEqual({ FOO: "tmp:test1:test2:test3", BAH: "B:A:Z:C" });
  });

  it("test_3: parent_variables = true treats every variable as a parent variable", async () => {
    const r = await rex(test3, { parent_variables: true, parent_environ: { FOO: "tmp", BAH: "Z" } });
    expect(withoutSaferef(r.actions)).toEqual(test3ParentActions);
  });

  const test5 = `
if defined("EXT") and env.EXT == "alpha":
    env.EXT_FOUND = 1
    env.EXT.append("beta")  # will still overwrite
else:
    env.EXT_FOUND = 0
    if undefined("EXT"):
        info("undefined working as expected")
`;

  it("test_5: control flow on external variables, EXT undefined", async () => {
    const r = await rex(test5);
    expect(r.actions).toEqual([setenv("EXT_FOUND", "0"), { type: "info", message: "undefined working as expected" }]);
    expect(r.environ).toEqual({ EXT_FOUND: "0" });
  });

  it("test_5: control flow on external variables, EXT defined (append still overwrites)", async () => {
    const r = await rex(test5, { parent_environ: { EXT: "alpha" } });
    expect(r.actions).toEqual([setenv("EXT_FOUND", "1"), setenv("EXT", "beta")]);
    expect(r.environ).toEqual({ EXT_FOUND: "1", EXT: "beta" });
  });

  const test6 = `
env.FOO = "foo"
env.DOG = "$FOO"  # this will convert to '\${FOO}'
env.BAH = "\${FOO}"
env.EEK = "\${BAH}"
if env.BAH == "foo" and getenv("EEK") == "foo":
    info("expansions visible in control flow")

if defined("EXT") and getenv("EXT") == "alpha":
    env.FEE = "\${EXT}"
`;

  it("test_6: variable expansion", async () => {
    const base = [
      setenv("FOO", "foo"),
      setenv("DOG", "${FOO}"),
      setenv("BAH", "${FOO}"),
      setenv("EEK", "${BAH}"),
      { type: "info", message: "expansions visible in control flow" } as RexAction,
    ];
    const r1 = await rex(test6);
    expect(r1.actions).toEqual(base);
    expect(r1.environ).toEqual({ FOO: "foo", DOG: "foo", BAH: "foo", EEK: "foo" });
    const r2 = await rex(test6, { parent_environ: { EXT: "alpha" } });
    expect(r2.actions).toEqual([...base, setenv("FEE", "${EXT}")]);
    expect(r2.environ).toEqual({ FOO: "foo", DOG: "foo", BAH: "foo", EEK: "foo", FEE: "alpha" });
  });

  it("test_7: exceptions", async () => {
    const r1 = await rex(`getenv("NOTEXIST")`);
    expect(r1.error?.type).toBe("RexUndefinedVariableError");
    expect(r1.error?.message).toBe("Referenced undefined environment variable: NOTEXIST");
    const r2 = await rex(`info(env.NOTEXIST)`);
    expect(r2.error?.type).toBe("RexUndefinedVariableError");
    const r3 = await rex(`raise Exception("some non rex-specific error")`);
    expect(r3.error?.type).toBe("RexError");
    expect(r3.error?.exception).toBe("Exception");
    expect(r3.error?.message).toBe("some non rex-specific error");
  });

  it("test_8: custom separators", async () => {
    const r = await rex(test3, { env_var_separators: { FOO: ",", BAH: " " } });
    expect(r.environ).toEqual({ FOO: "test1,test2,test3", BAH: "B A C" });
  });

  it("test_9: literal and expandable strings", async () => {
    const r1 = await rex(`
env.A = "hello"
env.FOO = expandable("$A")  # will convert to '\${A}'
env.BAH = expandable("\${A}")
env.EEK = literal("$A")
`);
    expect(r1.actions).toEqual([
      setenv("A", "hello"),
      setenv("FOO", "${A}"),
      setenv("BAH", "${A}"),
      { type: "setenv", key: "EEK", value: [{ literal: true, text: "$A" }] },
    ]);
    expect(r1.environ).toEqual({ A: "hello", FOO: "hello", BAH: "hello", EEK: "$A" });
    const r2 = await rex(`
env.BAH = "omg"
env.FOO.append("$BAH")
env.FOO.append(literal("\${BAH}"))
env.FOO.append(expandable("like, ").l("$SHE said, ").e("$BAH"))
`);
    expect(r2.actions).toEqual([
      setenv("BAH", "omg"),
      setenv("FOO", "${BAH}"),
      { type: "appendenv", key: "FOO", value: [{ literal: true, text: "${BAH}" }] },
      {
        type: "appendenv",
        key: "FOO",
        value: [
          { literal: false, text: "like, " },
          { literal: true, text: "$SHE said, " },
          { literal: false, text: "${BAH}" },
        ],
      },
    ]);
    expect(r2.environ).toEqual({ BAH: "omg", FOO: "omg:${BAH}:like, $SHE said, omg" });
  });

  it("test_10: env __contains__ / keys / get", async () => {
    const r = await rex(
      `
info(str({"A": "A" in env.keys(), "B": "B" in env.keys()}))
info(str({"A": "A" in env, "B": "B" in env}))
info(env.get("B") or "not b")
`,
      { parent_environ: { A: "foo" } },
    );
    expect(r.actions.map((a) => (a.type === "info" ? a.message : ""))).toEqual([
      "{'A': True, 'B': False}",
      "{'A': True, 'B': False}",
      "not b",
    ]);
  });
});

describe("rex.py bindings", () => {
  const fooVariant = {
    name: "foo",
    version: "1.2.3alpha",
    root: "/repo/foo/1.2.3alpha/python-2.7",
    base: "/repo/foo/1.2.3alpha",
    index: 0,
    uri: "/repo/foo/1.2.3alpha/package.py[0]",
    qualified_name: "foo-1.2.3alpha[0]",
    qualified_package_name: "foo-1.2.3alpha",
    attributes: { requires: ["python"], tools: ["fooer"], custom: { nested: "x" } },
  };
  const maya = { ...fooVariant, name: "maya", version: "2020.1", root: "/repo/maya/2020.1", base: "/repo/maya/2020.1", index: null, attributes: {} };
  const bindings: RexBindings = {
    system: { platform: "linux", arch: "x86_64", os: "Ubuntu-22.04" },
    building: false,
    testing: true,
    request: ["foo-1", "maya-2020+"],
    implicits: ["platform-linux"],
    ephemerals: [".dbg-1"],
    resolve: { foo: fooVariant, maya },
  };

  async function inPackage(body: string): Promise<RexResponse> {
    const source = `def commands():\n${body
      .trim()
      .split("\n")
      .map((l) => "    " + l)
      .join("\n")}\n`;
    return parseRexResponse(
      await runner(request([{ op: "code", attr: "commands", package: "foo", source, file: "/repo/foo/1.2.3alpha/package.py", line: 5 }], { bindings })),
    );
  }

  it("formats {root}, {this.x}, {resolve.x.version}, {env.X}, {system.platform}", async () => {
    const r = await inPackage(`
env.PATH.append("{root}/bin")
env.X = "{this.name}-{this.version}:{version.major}:{base}"
env.Y = "{resolve.maya.version} {resolve.maya.root} {system.platform}"
env.Z = "{env.X}!"
env.W = "{this.custom.nested} {this.index}"
info("{nope} $HOME")
`);
    expect(r.error).toBeNull();
    expect(r.actions).toEqual([
      setenv("PATH", "/repo/foo/1.2.3alpha/python-2.7/bin"),
      setenv("X", "foo-1.2.3alpha:1:/repo/foo/1.2.3alpha"),
      setenv("Y", "2020.1 /repo/maya/2020.1 linux"),
      setenv("Z", "foo-1.2.3alpha:1:/repo/foo/1.2.3alpha!"),
      setenv("W", "x 0"),
      // KeyError while formatting leaves the value untouched, `$HOME` included
      { type: "info", message: "{nope} $HOME" },
    ]);
  });

  it("VersionBinding semantics", async () => {
    const r = await inPackage(`
info(repr((version.major, version.minor, version.patch, len(version), version[1], version[:2], str(version), version[5], version.as_tuple())))
`);
    expect(r.actions).toEqual([{ type: "info", message: "(1, 2, '3alpha', 3, 2, (1, 2), '1.2.3alpha', None, (1, 2, '3alpha'))" }]);
  });

  it("request, implicits, ephemerals, building, testing, intersects, resolve membership", async () => {
    const r = await inPackage(`
info(repr([request.foo, request.get("bar", "x"), "maya" in request, implicits.platform, ephemerals.dbg]))
info(repr([building, testing, "maya" in resolve, "bar" in resolve, this.is_variant, this.tools]))
info(repr([intersects(request.maya, "2019+"), intersects(resolve.maya, "2019+"), intersects(resolve.maya, "<=2019")]))
info(repr([intersects(resolve.foo, "1"), intersects(resolve.foo, "0"), intersects(resolve.foo.version, "1.2")]))
info(repr([intersects(ephemerals.get_range("dbg", "0"), "1"), intersects(ephemerals.get("nope", "0"), "1"), intersects(ephemerals.get("nope", "nope-0"), "1")]))
info(repr([intersects(request.get_range("zzz", "0"), "1"), intersects(request.get_range("zzz", "==1.2.3"), "1.2"), intersects(request.get_range("zzz", "==1.2.3"), "1.4")]))
`);
    expect(r.error).toBeNull();
    expect(r.actions.map((a) => (a.type === "info" ? a.message : a.type))).toEqual([
      "['foo-1', 'x', True, 'platform-linux', '.dbg-1']",
      "[False, True, True, False, True, ['fooer']]",
      "[True, True, False]",
      "[True, False, True]",
      "[True, True, False]",
      "[False, True, False]",
    ]);
  });

  it("intersects without a default raises RuntimeError", async () => {
    const r = await inPackage(`intersects(ephemerals.get("foo.bar"), "0")`);
    expect(r.error?.type).toBe("RexError");
    expect(r.error?.exception).toBe("RuntimeError");
  });

  it("stop() reports RexStopError with package, file and line", async () => {
    const r = await inPackage(`
env.A = "1"
stop("cannot use %s here", "foo")
`);
    expect(r.error).toMatchObject({ type: "RexStopError", message: "cannot use foo here", package: "foo", file: "/repo/foo/1.2.3alpha/package.py", line: 7 });
    expect(r.actions).toEqual([setenv("A", "1")]);
  });

  it("errors name the package file and line", async () => {
    const r = await inPackage(`
x = 1
undefined_name_here()
`);
    expect(r.error).toMatchObject({ type: "RexError", exception: "NameError", package: "foo", line: 7 });
    expect(r.error?.traceback).toContain("/repo/foo/1.2.3alpha/package.py");
    expect(r.error?.traceback).not.toContain("rex.py");
  });

  it("a syntax error is reported with its line", async () => {
    const r = await parseRexResponse(
      await runner(request([{ op: "code", attr: "commands", package: null, source: "def commands():\n    env.A = (\n", file: "/p.py", line: 3 }])),
    );
    expect(r.error?.type).toBe("SyntaxError");
    expect(r.error?.line).not.toBeNull();
  });

  it("@late attributes on this are evaluated in context", async () => {
    const lateVariant = {
      ...fooVariant,
      attributes: { tools: { kind: "source", late: true, file: "/p.py", line: 1, source: "@late()\ndef tools():\n    return ['a', 'b'] if testing else ['c']\n" } },
    };
    const r = parseRexResponse(
      await runner(
        request([{ op: "code", attr: "commands", package: "foo", source: "info(' '.join(this.tools))", file: "/p.py", line: 1 }], {
          bindings: { ...bindings, resolve: { foo: lateVariant } },
        }),
      ),
    );
    expect(r.actions).toEqual([{ type: "info", message: "a b" }]);
  });

  it("globals set by one package do not leak into the next; the environment does", async () => {
    const r = parseRexResponse(
      await runner(
        request(
          [
            { op: "code", attr: "commands", package: "foo", source: "def commands():\n    leaked = 1\n    env.PATH.append('{root}/bin')\n", file: "/a.py", line: 1 },
            { op: "code", attr: "commands", package: "maya", source: "def commands():\n    info(str('leaked' in globals()))\n    env.PATH.append('{root}/bin')\n", file: "/b.py", line: 1 },
          ],
          { bindings },
        ),
      ),
    );
    expect(r.actions).toEqual([
      setenv("PATH", "/repo/foo/1.2.3alpha/python-2.7/bin"),
      { type: "info", message: "False" },
      appendenv("PATH", "/repo/maya/2020.1/bin"),
    ]);
  });
});

describe("rex.py and the TypeScript recorder agree on primitive steps", () => {
  const steps: RexStep[] = [
    { op: "setenv", key: "REZ_USED_REQUEST", value: [{ literal: true, text: "foo $X" }] },
    { op: "setenv", key: "REZ_USED_IMPLICIT_PACKAGES", value: [{ literal: true, text: "" }] },
    { op: "setenv", key: "A", value: "$HOME/a" },
    { op: "appendenv", key: "A", value: "${B}" },
    { op: "prependenv", key: "PATH", value: "/opt/bin", raw: true, inherit: true },
    { op: "appendenv", key: "NEW", value: "x", inherit: true },
    { op: "appendenv", key: "CMAKE_MODULE_PATH", value: "m1" },
    { op: "appendenv", key: "CMAKE_MODULE_PATH", value: "m2" },
    { op: "unsetenv", key: "A" },
    { op: "comment", value: "" },
    { op: "alias", key: "foo", value: "foo -l" },
    { op: "info", value: "~/x" },
    { op: "setenv", key: "T", value: "~/tilde" },
    { op: "resetenv", key: "R", value: "r" },
  ];
  it("same actions and environment", async () => {
    const req = request(steps, { parent_environ: { HOME: "/home/u", PATH: "/usr/bin" }, shebang: true });
    const py = parseRexResponse(await runner(req));
    const ts = runRexWithoutPython(req);
    expect(py.error).toBeNull();
    expect(ts.actions).toEqual(py.actions);
    expect(ts.environ).toEqual(py.environ);
    expect(py.environ.PATH).toBe("/opt/bin:/usr/bin");
    expect(py.environ.T).toBe("/home/u/tilde");
  });
});
