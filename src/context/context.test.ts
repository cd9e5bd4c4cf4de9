import { describe, it, expect } from "vitest";
import { mkdtempSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PackageDefinition, PackageValue, PkgRsData } from "../package/index.js";
import type { RexAction } from "../rex/index.js";
import { oneShotPythonRunner } from "../rex/index.js";
import {
  PackageCommandError,
  contextTools,
  contextVariant,
  createResolvedContext,
  diffContexts,
  interpretContext,
  loadResolvedContext,
  parseRxt,
  writeRxt,
} from "./index.js";
import { variantSubpath } from "../package/index.js";
import type { VariantHandle } from "../repository/index.js";
import type { ResolvedContext, ResolvedVariantInput } from "./index.js";

const REPO = "/repos/solver";
const runner = oneShotPythonRunner(fileURLToPath(new URL("../python/worker/rex.py", import.meta.url)));

function def(name: string, version: string, attributes: Record<string, PackageValue> = {}, pkgrs?: PkgRsData, repo = REPO): PackageDefinition {
  const file = version ? `${repo}/${name}/${version}/package.py` : `${repo}/${name}/package.py`;
  return { name, version, format: pkgrs ? "pkg-rs" : "rez", file, attributes, ...(pkgrs ? { pkgrs } : {}) };
}

function variant(d: PackageDefinition, index: number | null = null): ResolvedVariantInput {
  return { name: d.name, version: d.version, index, uri: `${d.file}[${index ?? ""}]`, definition: d };
}

function context(requests: string[], variants: ResolvedVariantInput[], ephemerals: string[] = [], paths = [REPO]): ResolvedContext {
  return createResolvedContext(
    { status: "solved", variants, ephemerals, failureDescription: null },
    { requests, packagePaths: paths, now: 1795305430, rezPath: "/opt/rez", appendSysPath: false },
  );
}

// test_commands.py view: no comments/shebang, no machine-dependent keys
const DROPPED = new Set(["REZ_USED", "REZ_USED_VERSION", "REZ_USED_TIMESTAMP", "REZ_USED_REQUESTED_TIMESTAMP", "REZ_USED_PACKAGES_PATH", "REZ_USED_IMPLICIT_PACKAGES", "PATH"]);
function significant(actions: RexAction[]): RexAction[] {
  return actions.filter((a) => a.type !== "comment" && a.type !== "shebang" && !("key" in a && DROPPED.has(a.key)));
}

const set = (key: string, value: string): RexAction => ({ type: "setenv", key, value });

describe("context interpretation (Rez _execute order)", () => {
  it("pyfoo .dbg-1: system setup, package variables, ephemerals, without Python", async () => {
    const ctx = context(["pyfoo", ".dbg-1"], [variant(def("python", "2.6.8")), variant(def("pyfoo", "3.1.0"))], [".dbg-1"]);
    const r = await interpretContext(ctx, { parentEnviron: {}, pathsep: ":" });
    const envActions = r.actions.filter((a) => a.type !== "comment");
    expect(envActions).toEqual([
      { type: "shebang" },
      set("REZ_USED", "/opt/rez"),
      set("REZ_USED_VERSION", "3.4.0"),
      set("REZ_USED_TIMESTAMP", "1795305430"),
      set("REZ_USED_REQUESTED_TIMESTAMP", "0"),
      { type: "setenv", key: "REZ_USED_REQUEST", value: [{ literal: true, text: "pyfoo .dbg-1" }] },
      set("REZ_USED_IMPLICIT_PACKAGES", ""),
      set("REZ_USED_RESOLVE", "python-2.6.8 pyfoo-3.1.0"),
      set("REZ_USED_PACKAGES_PATH", REPO),
      set("REZ_USED_EPH_RESOLVE", ".dbg-1"),
      set("REZ_PYTHON_VERSION", "2.6.8"),
      set("REZ_PYTHON_MAJOR_VERSION", "2"),
      set("REZ_PYTHON_MINOR_VERSION", "6"),
      set("REZ_PYTHON_PATCH_VERSION", "8"),
      set("REZ_PYTHON_BASE", `${REPO}/python/2.6.8`),
      set("REZ_PYTHON_ROOT", `${REPO}/python/2.6.8`),
      set("REZ_PYFOO_VERSION", "3.1.0"),
      set("REZ_PYFOO_MAJOR_VERSION", "3"),
      set("REZ_PYFOO_MINOR_VERSION", "1"),
      set("REZ_PYFOO_PATCH_VERSION", "0"),
      set("REZ_PYFOO_BASE", `${REPO}/pyfoo/3.1.0`),
      set("REZ_PYFOO_ROOT", `${REPO}/pyfoo/3.1.0`),
      set("REZ_EPH_DBG_REQUEST", "1"),
    ]);
    // headers as Rez writes them
    const comments = r.actions.filter((a) => a.type === "comment").map((a) => (a.type === "comment" ? a.text : ""));
    expect(comments.slice(0, 5)).toEqual(["", "", "#".repeat(80), "system setup", "#".repeat(80)]);
    expect(comments).toContain("variables for package python-2.6.8[]");
    expect(comments).toContain("ephemeral variables");
    expect(comments[comments.length - 2]).toBe("post system setup");
  });

  const commands = (source: string, file: string): PackageValue => ({ kind: "source", source, late: false, file, line: 4 });
  const rextest = def("rextest", "1.3");
  const rextestDef = def("rextest", "1.3", {
    commands: commands(
      `def commands():
    env.REXTEST_ROOT = '{root}'
    env.REXTEST_VERSION = this.version
    env.REXTEST_MAJOR_VERSION = this.version.major
    # prepend to non-existent var
    env.REXTEST_DIRS.prepend('{root}/data')
    alias('rextest', 'foobar')
`,
      rextest.file,
    ),
  });
  const rextest2Def = def("rextest2", "2", {
    requires: ["rextest-1.3"],
    commands: commands(
      `def commands():
    env.REXTEST_DIRS.append('{root}/data2')
    setenv("REXTEST2_REXTEST_VER", '{resolve.rextest.version}')
    env.REXTEST2_REXTEST_BASE = resolve.rextest.base
`,
      `${REPO}/rextest2/2/package.py`,
    ),
  });
  const rextestActions = (root: string): RexAction[] => [
    set("REXTEST_ROOT", root),
    set("REXTEST_VERSION", "1.3"),
    set("REXTEST_MAJOR_VERSION", "1"),
    set("REXTEST_DIRS", `${root}/data`),
    { type: "alias", name: "rextest", command: "foobar" },
  ];
  const pkgVars = (name: string, version: string, major: string, minor: string, root: string): RexAction[] => [
    set(`REZ_${name}_VERSION`, version),
    set(`REZ_${name}_MAJOR_VERSION`, major),
    set(`REZ_${name}_MINOR_VERSION`, minor),
    set(`REZ_${name}_PATCH_VERSION`, ""),
    set(`REZ_${name}_BASE`, root),
    set(`REZ_${name}_ROOT`, root),
  ];

  it("test_commands.py rextest-1.3 (first prepend overrides even with the var in the parent)", async () => {
    const root = `${REPO}/rextest/1.3`;
    const expected = [set("REZ_USED_REQUEST", "rextest-1.3"), set("REZ_USED_RESOLVE", "rextest-1.3"), ...pkgVars("REXTEST", "1.3", "1", "3", root), ...rextestActions(root)];
    for (const parent of [{}, { REXTEST_DIRS: "TEST" }] as Record<string, string>[]) {
      const r = await interpretContext(context(["rextest-1.3"], [variant(rextestDef)]), { parentEnviron: parent, pathsep: ":", runner });
      const got = significant(r.actions).map((a) => (a.type === "setenv" && a.key === "REZ_USED_REQUEST" ? set(a.key, "rextest-1.3") : a));
      expect(got).toEqual(expected);
    }
  });

  it("test_commands.py rextest2-2: environment and resolve bindings flow across packages", async () => {
    const root = `${REPO}/rextest/1.3`;
    const root2 = `${REPO}/rextest2/2`;
    const r = await interpretContext(context(["rextest2-2"], [variant(rextestDef), variant(rextest2Def)]), { parentEnviron: {}, pathsep: ":", runner });
    const got = significant(r.actions).filter((a) => !(a.type === "setenv" && a.key === "REZ_USED_REQUEST"));
    expect(got).toEqual([
      set("REZ_USED_RESOLVE", "rextest-1.3 rextest2-2"),
      ...pkgVars("REXTEST", "1.3", "1", "3", root),
      ...pkgVars("REXTEST2", "2", "2", "", root2),
      ...rextestActions(root),
      { type: "appendenv", key: "REXTEST_DIRS", value: `${root2}/data2` },
      set("REXTEST2_REXTEST_VER", "1.3"),
      set("REXTEST2_REXTEST_BASE", root),
    ]);
    expect(r.environ.REXTEST_DIRS).toBe(`${root}/data:${root2}/data2`);
  });

  it("a failing package raises PackageCommandError naming the package and line", async () => {
    const bad = def("bad", "1.0", { commands: commands("def commands():\n    stop('not on %s', 'this host')\n", `${REPO}/bad/1.0/package.py`) });
    const err = await interpretContext(context(["bad"], [variant(bad)]), { parentEnviron: {}, runner }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageCommandError);
    expect((err as Error).message).toContain(`Error in commands in package '${REPO}/bad/1.0/package.py[]'`);
    expect((err as Error).message).toContain("RexStopError: not on this host");
    expect((err as Error).message).toContain(`${REPO}/bad/1.0/package.py:5`);
  });

  it("system paths are appended at the end", async () => {
    const ctx = { ...context(["python"], [variant(def("python", "2.6.8"))]), appendSysPath: true };
    const r = await interpretContext(ctx, { parentEnviron: { PATH: "/home/u/bin" }, systemPaths: ["/usr/bin", "/bin"], pathsep: ":" });
    expect(r.actions.filter((a) => "key" in a && a.key === "PATH")).toEqual([set("PATH", "/usr/bin"), { type: "appendenv", key: "PATH", value: "/bin" }]);
  });
});

describe("pkg-rs environments in a context", () => {
  const houdini: PkgRsData = {
    envs: [
      {
        name: "default",
        evars: [
          { name: "HFS", value: "/opt/hfs21", action: "set" },
          { name: "PATH", value: "{HFS}/bin", action: "append" },
          { name: "HOUDINI_PATH", value: "{HFS}/houdini;{REDSHIFT_ROOT}/plugin", action: "set" },
        ],
      },
    ],
    apps: [
      { name: "houdini", path: "/opt/hfs21/bin/houdini", env_name: null, args: [], cwd: null, properties: {} },
      { name: "hidden", path: null, env_name: null, args: [], cwd: null, properties: { hidden: "true" } },
    ],
    tags: [],
    icon: null,
  };
  const redshift: PkgRsData = {
    envs: [
      {
        name: "default",
        evars: [
          { name: "REDSHIFT_ROOT", value: "/opt/redshift", action: "set" },
          { name: "PATH", value: "{REDSHIFT_ROOT}/bin", action: "insert" },
          { name: "RS_LIST", value: "{RS_LIST}:extra", action: "set" },
        ],
      },
    ],
    apps: [],
    tags: [],
    icon: null,
  };

  it("insert = prepend, append, set; tokens across packages; inherited PATH extended; stamps", async () => {
    const ctx = context(["houdini"], [variant(def("redshift", "3.5.0-beta", {}, redshift)), variant(def("houdini", "21.0.440", {}, houdini))]);
    const r = await interpretContext(ctx, { parentEnviron: { PATH: "/usr/bin", RS_LIST: "inh" }, pathsep: ":", pkgRsStamp: true });
    const pkgActions = r.actions.filter((a) => a.type !== "comment" && a.type !== "shebang" && !("key" in a && a.key.startsWith("REZ_")));
    expect(pkgActions).toEqual([
      set("REDSHIFT_ROOT", "/opt/redshift"),
      { type: "saferefenv", key: "PATH" },
      { type: "prependenv", key: "PATH", value: "/opt/redshift/bin" },
      set("RS_LIST", "inh:extra"),
      set("PKG_REDSHIFT_ROOT", "/opt/redshift"),
      set("PKG_REDSHIFT_VERSION", "3.5.0-beta"),
      set("PKG_REDSHIFT_MAJOR", "3"),
      set("PKG_REDSHIFT_MINOR", "5"),
      set("PKG_REDSHIFT_PATCH", "0"),
      set("PKG_REDSHIFT_VARIANT", "beta"),
      set("HFS", "/opt/hfs21"),
      { type: "appendenv", key: "PATH", value: "/opt/hfs21/bin" },
      set("HOUDINI_PATH", "/opt/hfs21/houdini;/opt/redshift/plugin"),
      set("PKG_HOUDINI_ROOT", ""),
      set("PKG_HOUDINI_VERSION", "21.0.440"),
      set("PKG_HOUDINI_MAJOR", "21"),
      set("PKG_HOUDINI_MINOR", "0"),
      set("PKG_HOUDINI_PATCH", "440"),
      set("PKG_HOUDINI_VARIANT", ""),
    ]);
    expect(r.environ.PATH).toBe("/opt/redshift/bin:/usr/bin:/opt/hfs21/bin");
    const tools = contextTools(ctx);
    expect(tools.byPackage.get("houdini")?.tools).toEqual(["houdini"]);
    expect(tools.byPackage.has("redshift")).toBe(false);
  });

  it("circular token references are errors", async () => {
    const cyc: PkgRsData = {
      envs: [{ name: "default", evars: [{ name: "A", value: "{B}", action: "set" }, { name: "B", value: "{A}", action: "set" }] }],
      apps: [],
      tags: [],
      icon: null,
    };
    await expect(interpretContext(context(["cyc"], [variant(def("cyc", "1.0.0", {}, cyc))]), { parentEnviron: {} })).rejects.toThrow(/circular reference/);
  });
});

describe("variants", () => {
  it("subpaths: joined requirements, or the sha1 of their list for hashed variants", () => {
    const d = def("foo", "1.0", { variants: [["python-2.7", "maya-2017"], ["python-2.7"]] });
    expect(variantSubpath(d, 0)).toBe("python-2.7/maya-2017");
    const h = def("foo", "1.0", { variants: [["python-2.7"]], hashed_variants: true });
    expect(variantSubpath(h, 0)).toBe("ff5a17a870e473adea6d65972631222d54a381e6");
    const v = contextVariant(variant(d, 0));
    expect(v.root).toBe(`${REPO}/foo/1.0/python-2.7/maya-2017`);
    expect(v.base).toBe(`${REPO}/foo/1.0`);
    expect(v.location).toBe(REPO);
  });

  it("hashed variants use an existing _v shortlink", () => {
    const repo = mkdtempSync(join(tmpdir(), "pkg-ctx-"));
    const base = join(repo, "foo", "1.0");
    mkdirSync(join(base, "ff5a17a870e473adea6d65972631222d54a381e6"), { recursive: true });
    mkdirSync(join(base, "_v"));
    symlinkSync("../ff5a17a870e473adea6d65972631222d54a381e6", join(base, "_v", "a"));
    const h = def("foo", "1.0", { variants: [["python-2.7"]], hashed_variants: true }, undefined, repo);
    expect(contextVariant(variant(h, 0)).root).toBe(join(base, "_v", "a"));
  });
});

describe(".rxt files", () => {
  const pyfoo = () => context(["pyfoo", ".dbg-1"], [variant(def("python", "2.6.8")), variant(def("pyfoo", "3.1.0"))], [".dbg-1"]);
  const finder = async (h: { variables: { name: string; version?: string; index: number | null; location: string } }) =>
    variant(def(h.variables.name, h.variables.version ?? "", {}, undefined, h.variables.location), h.variables.index);

  it("an unversioned package's handle has no version (as Rez writes it)", () => {
    const doc = JSON.parse(writeRxt(context(["nover"], [variant(def("nover", ""))], []))) as { resolved_packages: unknown };
    expect(doc.resolved_packages).toEqual([
      { key: "filesystem.variant", variables: { index: null, location: REPO, name: "nover", repository_type: "filesystem" } },
    ]);
  });

  it("writes Rez's format: sorted keys, 4-space indent, serialize_version 4.9, variant handles", () => {
    const text = writeRxt(pyfoo());
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([...Object.keys(doc)].sort());
    expect(doc.serialize_version).toBe("4.9");
    expect(doc.resolved_packages).toEqual([
      { key: "filesystem.variant", variables: { index: null, location: REPO, name: "python", repository_type: "filesystem", version: "2.6.8" } },
      { key: "filesystem.variant", variables: { index: null, location: REPO, name: "pyfoo", repository_type: "filesystem", version: "3.1.0" } },
    ]);
    expect(doc.resolved_ephemerals).toEqual([".dbg-1"]);
    expect(doc.package_requests).toEqual(["pyfoo", ".dbg-1"]);
    expect(doc.status).toBe("solved");
    expect(text).toContain('\n    "append_sys_path": false,\n');
    expect(String(doc.graph)).toMatch(/^\{'nodes': \[/);
  });

  it("round trips", async () => {
    const a = pyfoo();
    const b = await loadResolvedContext(parseRxt(writeRxt(a)), finder);
    const handles = (JSON.parse(writeRxt(a)) as { resolved_packages: VariantHandle[] }).resolved_packages;
    // a loaded variant keeps the handle it was found by
    expect(b).toEqual({ ...a, graph: (JSON.parse(writeRxt(a)) as { graph: string }).graph, variants: a.variants.map((v, i) => ({ ...v, handle: handles[i] })) });
    expect(writeRxt(b)).toBe(writeRxt(a));
  });

  it("loads a Rez 3 context file (resolved_context-4.8.json)", async () => {
    const rez = `{
    "append_sys_path": true, "arch": "x86_64", "building": false, "caching": false, "created": 1729961872,
    "default_patch_lock": "no_lock", "failure_description": null, "from_cache": false,
    "graph": "{'nodes': [((('fillcolor', '#FFFFAA'), ('fontsize', 10), ('style', 'filled,dashed')), [('_1', 'hello_world')]), ((('fillcolor', '#AAFFAA'), ('fontsize', 10), ('style', 'filled')), [('_2', 'hello_world-1.0[]')])], 'edges': [((('arrowsize', '0.5'),), [('_1', '_2')])]}",
    "host": "arch01", "implicit_packages": [], "load_time": 0.0, "num_loaded_packages": 1, "os": "arch",
    "package_cache_async": true, "package_caching": true, "package_filter": [], "package_orderers": null,
    "package_paths": ["/tmp/rez_selftest_ec71iu0a/packages"], "package_requests": ["hello_world"],
    "parent_suite_path": null, "patch_locks": {}, "platform": "linux", "requested_timestamp": null, "resolved_ephemerals": [],
    "resolved_packages": [{"key": "filesystem.variant", "variables": {"index": null, "location": "/tmp/rez_selftest_ec71iu0a/packages", "name": "hello_world", "repository_type": "filesystem", "version": "1.0"}}],
    "rez_path": "/home/jcmorin/jcmenv/aswf/rez/src/rez", "rez_version": "3.1.1", "serialize_version": "4.8",
    "solve_time": 0.00042057037353515625, "status": "solved", "suite_context_name": null, "timestamp": 1729961872, "user": "jcmorin"
}`;
    const ctx = await loadResolvedContext(parseRxt(rez), finder);
    expect(ctx.variants.map((v) => [v.name, v.version, v.root])).toEqual([["hello_world", "1.0", "/tmp/rez_selftest_ec71iu0a/packages/hello_world/1.0"]]);
    expect(ctx.requests).toEqual(["hello_world"]);
    expect(ctx.testing).toBe(false);
    expect(ctx.rezVersion).toBe("3.1.1");
    const again = JSON.parse(writeRxt(ctx)) as Record<string, unknown>;
    expect(again.graph).toBe((JSON.parse(rez) as Record<string, unknown>).graph);
    expect(again.serialize_version).toBe("4.9");
  });

  it("rejects a damaged file naming the field, and keeps the fields it checked", () => {
    const doc = JSON.parse(writeRxt(pyfoo())) as Record<string, unknown>;
    const damaged = (change: Record<string, unknown>) => JSON.stringify({ ...doc, ...change });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ resolved_packages: 12345 }, /^ctx\.rxt: 'resolved_packages' must be a list of variant handles, not a number \(12345\)$/],
      [{ resolved_packages: [null] }, /'resolved_packages\[0\]' must be a variant handle .*, not null$/],
      [{ resolved_packages: [{ key: "filesystem.variant", variables: [] }] }, /'resolved_packages\[0\]\.variables' must be an object .*, not a list$/],
      [{ resolved_packages: [{ key: "filesystem.variant", variables: { name: "x", location: "/r", index: 1.5 } }] }, /'resolved_packages\[0\]\.variables\.index' must be a variant number/],
      [{ resolved_ephemerals: [".a-1", 2] }, /'resolved_ephemerals\[1\]' must be a string, not a number \(2\)$/],
      [{ requested_timestamp: "now" }, /'requested_timestamp' must be a number or null/],
      [{ failure_description: 1 }, /'failure_description' must be a string or null/],
      [{ package_filter: {} }, /'package_filter' must be a list, not an object$/],
      [{ serialize_version: null }, /'serialize_version' must be a version string/],
    ];
    for (const [change, message] of cases) expect(() => parseRxt(damaged(change), "ctx.rxt"), JSON.stringify(change)).toThrow(message);
    const parsed = parseRxt(writeRxt(pyfoo()), "ctx.rxt");
    expect(parsed.fields.package_requests).toEqual(["pyfoo", ".dbg-1"]);
    expect(parsed.fields.append_sys_path).toBe(false);
    expect(parsed.handles.map((h) => h.variables.name)).toEqual(["python", "pyfoo"]);
  });

  it("names a package that no longer exists", async () => {
    await expect(loadResolvedContext(parseRxt(writeRxt(pyfoo())), async () => undefined, { file: "ctx.rxt" })).rejects.toThrow(
      /ctx.rxt: package python-2.6.8 .*no longer exists/,
    );
  });
});

describe("diff", () => {
  it("added, removed, upgraded, downgraded", () => {
    const a = context(["x"], [variant(def("a", "1.0")), variant(def("b", "2.0")), variant(def("c", "1.0")), variant(def("d", "3"))]);
    const b = context(["x"], [variant(def("a", "1.1")), variant(def("b", "1.9")), variant(def("d", "3")), variant(def("e", "5"))]);
    expect(diffContexts(a, b)).toEqual({
      added: ["e-5"],
      removed: ["c-1.0"],
      upgraded: [{ name: "a", from: "1.0", to: "1.1" }],
      downgraded: [{ name: "b", from: "2.0", to: "1.9" }],
      variant_changed: [],
    });
    expect(() => diffContexts(a, context(["x"], [], [], ["/other"]))).toThrow(/package search paths differ/);
  });
});
