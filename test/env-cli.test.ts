// Black-box tests of pkg env / run / context / status / diff / interpret on real temporary repositories.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runPkg } from "./support/cli.js";

const CLI = join(dirname(new URL(import.meta.url).pathname), "..", "dist", "pkg.cjs");
let tmp: string;
let repo: string;
let cache: string;

function write(path: string, text: string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (mode !== undefined) chmodSync(path, mode);
}

const SYS = "/usr/bin:/bin";

/** The folder holding the `pkg` launcher that environments put on PATH (rez_tools_visibility). */
function toolsDir(): string {
  const root = join(cache, "pkg", "tools");
  const found = readdirSync(root);
  expect(found).toHaveLength(1);
  return join(root, found[0]!);
}
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: tmp,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    SHELL: "/bin/bash",
    XDG_CACHE_HOME: cache,
    XDG_CONFIG_HOME: join(tmp, "config"),
    PKG_STANDARD_SYSTEM_PATHS: SYS,
    ...(process.env.PKG_PYTHON ? { PKG_PYTHON: process.env.PKG_PYTHON } : {}),
    ...extra,
  };
}

function pkg(args: string[], extra: Record<string, string> = {}, cwd?: string) {
  const r = runPkg(tmp, args, { PKG_CACHE_DIR: join(cache, "pkg"), ...baseEnv(extra) }, cwd ?? tmp);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function runPkgWithInput(args: string[], input: string) {
  return spawnSync(process.execPath, [join(dirname(new URL(import.meta.url).pathname), "..", "dist", "pkg.cjs"), ...args], {
    cwd: tmp,
    input,
    encoding: "utf8",
    env: { ...isolatedEnv(tmp), PKG_CACHE_DIR: join(cache, "pkg"), ...baseEnv() },
  });
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").pop() ?? "";
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, i))) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "pkg-env-cli-"));
  repo = join(tmp, "repo");
  cache = join(tmp, "cache");
  write(
    join(repo, "foo", "1.2.3", "package.py"),
    `name = "foo"
version = "1.2.3"
tools = ["footool"]
requires = ["bar"]
custom = "hello"

@late()
def late_value():
    return "late-" + this.name

def pre_commands():
    env.FOO_PRE = "pre"

def commands():
    env.FOO_ROOT = "{root}"
    env.PATH.prepend("{root}/bin")
    env.FOOPATH.append("{root}/a")
    env.FOOPATH.append("$HOME/b")
    setenv("FOO_VERSION_MAJOR", this.version.major)
    env.FOO_BAR_VERSION = "{resolve.bar.version}"
    env.FOO_LIT = literal("$NOT_EXPANDED")
    env.FOO_REF = "\${FOO_ROOT}/ref"
    env.FOO_CUSTOM = this.custom
    env.FOO_LATE = this.late_value
    if "dbg" in ephemerals:
        env.FOO_DBG = ephemerals.get_range("dbg", "0")
    if intersects(resolve.bar, "2"):
        env.FOO_BAR_IS_2 = "yes"
    if building:
        env.FOO_BUILDING = "1"
    if defined("FOO_ROOT") and not undefined("FOO_ROOT"):
        env.FOO_DEFINED = "1"
    alias("fooalias", "echo hi")
    info("foo info")
    env.FOO_SYSTEM = system.platform

def post_commands():
    env.FOO_POST = env.FOO_PRE.value() + "-post"
`,
  );
  write(join(repo, "foo", "1.2.3", "bin", "footool"), "#!/bin/sh\necho footool $FOO_ROOT \"$@\"\n", 0o755);
  write(
    join(repo, "bar", "2.0", "package.py"),
    `name = "bar"
version = "2.0"
variants = [["baz-1"], ["baz-2"]]

def commands():
    env.BAR_ROOT = "{root}"
    env.FOOPATH.prepend("{root}/bar")
`,
  );
  write(join(repo, "baz", "1.0", "package.py"), `name = "baz"\nversion = "1.0"\n`);
  write(join(repo, "baz", "2.1", "package.py"), `name = "baz"\nversion = "2.1"\n`);
  write(
    join(repo, "broken", "1.0", "package.py"),
    `name = "broken"
version = "1.0"

def commands():
    env.OK = "1"
    x = 1 / 0
`,
  );
  write(
    join(repo, "stopper", "1.0", "package.py"),
    `name = "stopper"
version = "1.0"

def commands():
    stop("stopped because %s", "reasons")
`,
  );
  write(
    join(repo, "erring", "1.0", "package.py"),
    `name = "erring"
version = "1.0"

def commands():
    error("something is off")
    env.ERRING = "still here"
`,
  );
  write(join(repo, "data", "1.0", "package.py"), `name = "data"\nversion = "1.0"\nrequires = ["baz-1"]\n`);
  write(
    join(repo, "tool", "3.0.0", "package.py"),
    `from pkg import Package, Env, Evar, App

def get_package():
    p = Package("tool", "3.0.0")
    env = Env("default")
    env.add(Evar("TOOL_ROOT", "/opt/tool", "set"))
    env.add(Evar("PATH", "{TOOL_ROOT}/bin", "insert"))
    env.add(Evar("TOOL_PLUGINS", "{TOOL_ROOT}/plugins", "append"))
    p.add_env(env)
    alt = Env("alt")
    alt.add(Evar("TOOL_MODE", "alt", "set"))
    p.add_env(alt)
    app = App("showenv").with_path("/usr/bin/env").with_env("alt").with_cwd("${tmp}")
    app.args.append("--")
    p.add_app(app)
    return p
`,
  );
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("pkg env -- env (bash): the environment Rez gives", () => {
  it("sets REZ_* and package variables variable for variable", () => {
    const r = pkg(["-r", repo, "env", "--ni", "foo", ".dbg-1", "--", "env"], { FOOPATH: "/parent", HOME: tmp });
    expect(r.out.split("\n")[0]).toBe("foo info"); // info() echoes to stdout, as in Rez
    expect(r.code).toBe(0);
    const env = parseEnv(r.out);
    const foo = join(repo, "foo", "1.2.3");
    const bar = join(repo, "bar", "2.0");
    const barRoot = join(bar, "baz-2");
    const baz = join(repo, "baz", "2.1");
    // Variables Rez sets whose values are per run
    expect(env.REZ_USED_TIMESTAMP).toMatch(/^\d+$/);
    expect(env.REZ_SHELL_INIT_TIMESTAMP).toMatch(/^\d+$/);
    expect(env.REZ_RXT_FILE).toMatch(/context\.rxt$/);
    expect(env.REZ_CONTEXT_FILE).toMatch(/context\.sh$/);
    expect(env.REZ_USED).toBeTruthy();
    const expected: Record<string, string> = {
      REZ_USED_VERSION: "3.4.0",
      REZ_USED_REQUESTED_TIMESTAMP: "0",
      REZ_USED_REQUEST: "foo .dbg-1",
      REZ_USED_IMPLICIT_PACKAGES: "",
      REZ_USED_RESOLVE: "baz-2.1 bar-2.0 foo-1.2.3",
      REZ_USED_PACKAGES_PATH: repo,
      REZ_USED_EPH_RESOLVE: ".dbg-1",
      REZ_BAZ_VERSION: "2.1",
      REZ_BAZ_MAJOR_VERSION: "2",
      REZ_BAZ_MINOR_VERSION: "1",
      REZ_BAZ_PATCH_VERSION: "",
      REZ_BAZ_BASE: baz,
      REZ_BAZ_ROOT: baz,
      REZ_BAR_VERSION: "2.0",
      REZ_BAR_MAJOR_VERSION: "2",
      REZ_BAR_MINOR_VERSION: "0",
      REZ_BAR_PATCH_VERSION: "",
      REZ_BAR_BASE: bar,
      REZ_BAR_ROOT: barRoot,
      REZ_FOO_VERSION: "1.2.3",
      REZ_FOO_MAJOR_VERSION: "1",
      REZ_FOO_MINOR_VERSION: "2",
      REZ_FOO_PATCH_VERSION: "3",
      REZ_FOO_BASE: foo,
      REZ_FOO_ROOT: foo,
      REZ_EPH_DBG_REQUEST: "1",
      REZ_SHELL_INTERACTIVE: "0",
      REZ_ENV_PROMPT: ">",
      REZ_STORED_PROMPT_SH: "", // Rez binds the prompt in command mode too
      FOO_PRE: "pre",
      FOO_ROOT: foo,
      // first prepend of PATH (not a parent variable) replaces it; system paths are appended last
      PATH: `${foo}/bin:${SYS}:${toolsDir()}`,
      // bar prepends first (replacing the inherited /parent), foo appends after it
      FOOPATH: `${barRoot}/bar:${foo}/a:${tmp}/b`,
      FOO_VERSION_MAJOR: "1",
      FOO_BAR_VERSION: "2.0",
      FOO_LIT: "$NOT_EXPANDED",
      FOO_REF: `${foo}/ref`,
      FOO_CUSTOM: "hello",
      FOO_LATE: "late-foo",
      FOO_DBG: "1",
      FOO_BAR_IS_2: "yes",
      FOO_DEFINED: "1",
      FOO_SYSTEM: process.platform,
      BAR_ROOT: barRoot,
      FOO_POST: "pre-post",
    };
    const got: Record<string, string | undefined> = {};
    for (const k of Object.keys(expected)) got[k] = env[k];
    expect(got).toEqual(expected);
    const perRun = new Set(["REZ_USED_TIMESTAMP", "REZ_SHELL_INIT_TIMESTAMP", "REZ_RXT_FILE", "REZ_CONTEXT_FILE", "REZ_USED"]);
    const extraRez = Object.keys(env).filter((k) => k.startsWith("REZ_") && !(k in expected) && !perRun.has(k));
    expect(extraRez).toEqual([]);
    expect(env.FOO_BUILDING).toBeUndefined();
  });

  it("parent_variables: the first append extends the inherited value", () => {
    const r = pkg(["-r", repo, "env", "--ni", "foo", "--", "env"], { FOOPATH: "/parent", REZ_PARENT_VARIABLES: "FOOPATH" });
    const env = parseEnv(r.out);
    const barRoot = join(repo, "bar", "2.0", "baz-2");
    expect(env.FOOPATH).toBe(`${barRoot}/bar:/parent:${join(repo, "foo", "1.2.3")}/a:${tmp}/b`);
  });

  it("implicit packages are added unless --ni", () => {
    const r = pkg(["-r", repo, "env", "baz", "--", "env"]);
    expect(r.code).toBe(0);
    const env = parseEnv(r.out);
    expect(env.REZ_USED_IMPLICIT_PACKAGES).toMatch(/^~platform==\S+ ~arch==\S+ ~os==\S+$/);
    expect(env.REZ_USED_REQUEST).toBe("baz");
  });

  it("chooses variants by request and exits with the command's status", () => {
    const r = pkg(["-r", repo, "env", "--ni", "bar", "baz-1", "--", "sh", "-c", 'echo "$BAR_ROOT"; exit 7']);
    expect(r.code).toBe(7);
    expect(r.out.trim()).toBe(join(repo, "bar", "2.0", "baz-1"));
  });

  it("an interactive shell is preceded by the resolve summary, as rez-env does; -q leaves it out", () => {
    const run = (quiet: boolean) =>
      spawnSync(process.execPath, [CLI, "-r", repo, "env", "--ni", ...(quiet ? ["-q"] : []), "--shell", "bash", "--norc", "foo"], {
        input: "echo INSIDE=$FOO_ROOT\nexit\n",
        encoding: "utf8",
        env: { PKG_CACHE_DIR: join(cache, "pkg"), ...baseEnv() },
      });
    const loud = run(false);
    expect(loud.status).toBe(0);
    expect(loud.stdout).toContain(`INSIDE=${join(repo, "foo", "1.2.3")}`);
    expect(loud.stderr).toMatch(/^resolved by .+@.+, on [A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \d{4}, using pkg \d+\.\d+\.\d+\S* \(Rez v[\d.]+ compatible\)\n/);
    expect(loud.stderr).toMatch(/\nresolved packages:\n(.*\n)*foo-1\.2\.3 /);
    const quiet = run(true);
    expect(quiet.stderr).not.toContain("resolved packages:");
  });

  it("--print with -o saves the context and prints; -n with --print/--format, or --format alone, is refused", () => {
    const file = join(tmp, "printed.rxt");
    const both = pkg(["-r", repo, "env", "--ni", "--print", "-o", file, "foo"]);
    expect(both.code).toBe(0);
    expect(both.out).toContain("FOO_ROOT");
    expect(JSON.parse(readFileSync(file, "utf8")).package_requests).toEqual(["foo"]);
    for (const args of [["-n", "--print"], ["-n", "--format", "json"], ["--format", "json"]]) {
      const refused = pkg(["-r", repo, "env", "--ni", ...args, "foo", "--", "true"]);
      expect(refused.code, args.join(" ")).toBe(2);
      expect(refused.err).toContain("[PKG0002]");
    }
  });

  it("-c runs shell code; tools are on PATH", () => {
    const r = pkg(["-r", repo, "env", "--ni", "foo", "-c", "footool x"]);
    expect(r.code).toBe(0);
    expect(lastLine(r.out)).toBe(`footool ${join(repo, "foo", "1.2.3")} x`);
  });

  it("runs in other shells too", () => {
    for (const shell of ["sh", "zsh", "tcsh", "fish"]) {
      const which = spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
      if (!which) continue;
      const r = pkg(["-r", repo, "env", "--ni", "--shell", shell, "foo", "--", "printenv", "FOOPATH"]);
      expect(r.code, `${shell}: ${r.err}`).toBe(0);
      expect(lastLine(r.out)).toBe(`${join(repo, "bar", "2.0", "baz-2")}/bar:${join(repo, "foo", "1.2.3")}/a:${tmp}/b`);
    }
  });
});

describe("pkg env --print", () => {
  it("prints scripts for several shells and JSON", () => {
    const bash = pkg(["-r", repo, "env", "--ni", "baz", "--print", "--format", "bash"]);
    expect(bash.code).toBe(0);
    expect(bash.out).toContain(`export REZ_BAZ_ROOT="${join(repo, "baz", "2.1")}"`);
    expect(bash.out).toContain("# system setup");
    const tcsh = pkg(["-r", repo, "env", "--ni", "baz", "--print", "--format", "tcsh"]);
    expect(tcsh.out).toContain(`setenv REZ_BAZ_VERSION "2.1"`);
    const fish = pkg(["-r", repo, "env", "--ni", "baz", "--print", "--format", "fish"]);
    expect(fish.code).toBe(0);
    expect(fish.out).toContain("REZ_BAZ_VERSION");
    const pwsh = pkg(["-r", repo, "env", "--ni", "baz", "--print", "--format", "pwsh"]);
    expect(pwsh.out).toContain(`Set-Item -Path "Env:REZ_BAZ_VERSION" -Value "2.1"`);
    const cmd = pkg(["-r", repo, "env", "--ni", "baz", "--print", "--format", "cmd"]);
    expect(cmd.out).toContain("set REZ_BAZ_VERSION=2.1");
    const json = pkg(["-r", repo, "env", "--ni", "foo", "--print", "--format", "json"]);
    const vars = JSON.parse(json.out) as Record<string, string>;
    expect(vars.FOO_ROOT).toBe(join(repo, "foo", "1.2.3"));
    expect(vars.PATH).toBe(`${join(repo, "foo", "1.2.3")}/bin:${SYS}:${toolsDir()}`);
  });

  it("bash output sourced by bash gives the same variables", () => {
    const script = pkg(["-r", repo, "env", "--ni", "foo", "--print", "--format", "bash"]).out;
    write(join(tmp, "ctx.sh"), script);
    const r = spawnSync("bash", ["-c", `. ${join(tmp, "ctx.sh")}; printenv FOO_REF`], { env: baseEnv(), encoding: "utf8" });
    expect(lastLine(r.stdout)).toBe(`${join(repo, "foo", "1.2.3")}/ref`);
  });

  it("-n resolves and shows the result without running anything", () => {
    const r = pkg(["-r", repo, "env", "--ni", "foo", "-n"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("resolved packages:");
    expect(r.out).toMatch(/foo-1\.2\.3\s+\S+foo\/1\.2\.3/);
  });
});

describe("bad input exits 2 from env, run and solve alike", () => {
  const badRequests: [string, string, string][] = [
    ["an unknown family", "nosuchfamily", "PKG0006"],
    ["an unparsable request", "foo-1+<<", "PKG0004"],
  ];
  const commands: [string, (request: string) => string[]][] = [
    ["env", (request) => ["-r", repo, "env", "--ni", request, "--", "true"]],
    ["env -o", (request) => ["-r", repo, "env", "--ni", request, "-o", join(tmp, "bad-input.rxt")]],
    ["run", (request) => ["-r", repo, "run", "--ni", request]],
    ["solve", (request) => ["-r", repo, "solve", "--ni", request]],
  ];
  // the arguments are made in the test: the repository is written in beforeAll
  const cases = commands.flatMap(([command, args]) => badRequests.map(([what, request, code]) => [command, what, args, request, code] as const));
  it.each(cases)("pkg %s: %s", (_command, _what, args, request, code) => {
    const r = pkg(args(request));
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(request);
    expect(r.err).toContain(`[${code}]`);
    expect(r.err).not.toContain("internal error");
  });

  it("a resolve that fails for another reason still exits 1 from env and run", () => {
    expect(pkg(["-r", repo, "env", "--ni", "data", "bar", "baz-2", "--", "true"]).code).toBe(1);
    expect(pkg(["-r", repo, "run", "--ni", "foo-99"]).code).toBe(1);
  });
});

describe("failures", () => {
  it("a failed resolve prints Rez's description and an explanation, exit 1", () => {
    const r = pkg(["-r", repo, "env", "--ni", "data", "bar", "baz-2"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("The context failed to resolve:\nThe following package conflicts occurred: (baz-1 <--!--> baz==2.1)\n");
    // bar, the request not in the conflict, is left out of the steps
    expect(r.err).toContain(
      [
        "In plain words:",
        "  1. data-1.0 requires baz-1.",
        "  2. No version of baz is both 1 and 2, so data-1.0 and your request baz-2 cannot be used together.",
        "  3. You asked for data and baz-2, so the request cannot be resolved.",
        "hint: relax one of the requests: data or baz-2.",
      ].join("\n"),
    );
  });

  it("a missing package family is bad input, exit 2", () => {
    const r = pkg(["-r", repo, "env", "--ni", "nosuchpackage", "--", "true"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("nosuchpackage");
  });

  it("an exception in commands() names the package, the file and the line", () => {
    const r = pkg(["-r", repo, "env", "--ni", "broken", "--", "true"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("broken");
    expect(r.err).toContain(join(repo, "broken", "1.0", "package.py"));
    expect(r.err).toMatch(/package\.py:6\b/);
    expect(r.err).toContain("ZeroDivisionError");
  });

  it("stop() aborts with its message, exit 1", () => {
    const r = pkg(["-r", repo, "env", "--ni", "stopper", "--", "true"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("stopped because reasons");
  });

  it("error() prints to stderr and goes on", () => {
    const r = pkg(["-r", repo, "env", "--ni", "erring", "--", "printenv", "ERRING"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("something is off");
    expect(r.out.trim()).toBe("still here");
  });

  it("an unreadable or malformed .rxt is a clear error", () => {
    const missing = pkg(["env", "-i", join(tmp, "missing.rxt"), "--", "true"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("cannot read context file");
    write(join(tmp, "bad.rxt"), "{ not json");
    const bad = pkg(["context", join(tmp, "bad.rxt")]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("not a context file");
  });
});

describe("context files", () => {
  it("-o writes a Rez-format .rxt, -i loads it and gives the same environment", () => {
    const rxt = join(tmp, "foo.rxt");
    const w = pkg(["-r", repo, "env", "--ni", "foo", "-o", rxt]);
    expect(w.code).toBe(0);
    const doc = JSON.parse(readFileSync(rxt, "utf8")) as Record<string, unknown>;
    expect(doc.serialize_version).toBe("4.9");
    expect(doc.status).toBe("solved");
    expect(doc.package_requests).toEqual(["foo"]);
    const handles = doc.resolved_packages as { key: string; variables: { name: string; index: number | null; location: string } }[];
    expect(handles.map((h) => h.variables.name)).toEqual(["baz", "bar", "foo"]);
    expect(handles[1]!.variables).toMatchObject({ index: 1, location: repo, repository_type: "filesystem" });
    const a = parseEnv(pkg(["-r", repo, "env", "--ni", "foo", "--", "env"]).out);
    const b = parseEnv(pkg(["env", "-i", rxt, "--", "env"]).out);
    for (const k of ["FOOPATH", "PATH", "REZ_USED_RESOLVE", "REZ_BAR_ROOT", "FOO_LATE", "FOO_POST"]) expect(b[k], k).toBe(a[k]);
    expect(b.REZ_USED_TIMESTAMP).toBe(String(doc.timestamp));
  });

  it("-o saves failed resolves too (exit 1)", () => {
    const rxt = join(tmp, "failed.rxt");
    const w = pkg(["-r", repo, "env", "--ni", "data", "bar", "baz-2", "-o", rxt]);
    expect(w.code).toBe(1);
    const doc = JSON.parse(readFileSync(rxt, "utf8")) as Record<string, unknown>;
    expect(doc.status).toBe("failed");
    expect(typeof doc.failure_description).toBe("string");
  });

  it("a damaged .rxt is rejected naming the file and the field (exit 1), before anything runs", () => {
    const good = join(tmp, "damage-base.rxt");
    expect(pkg(["-r", repo, "env", "--ni", "foo", "-o", good]).code).toBe(0);
    type Doc = Record<string, unknown> & { resolved_packages: { key?: unknown; variables: Record<string, unknown> }[] };
    const base = (): Doc => JSON.parse(readFileSync(good, "utf8")) as Doc;
    const damages: [string, (d: Doc) => void][] = [
      ["resolved_packages", (d) => (d.resolved_packages = 12345 as never)],
      ["resolved_packages", (d) => delete (d as Record<string, unknown>).resolved_packages],
      ["resolved_packages[0]", (d) => (d.resolved_packages = [12345 as never])],
      ["resolved_packages[1]", (d) => (d.resolved_packages[1] = "bar-2.0" as never)],
      ["resolved_packages[1].variables", (d) => delete (d.resolved_packages[1] as Record<string, unknown>).variables],
      ["resolved_packages[0].key", (d) => delete d.resolved_packages[0]!.key],
      ["resolved_packages[0].variables.name", (d) => (d.resolved_packages[0]!.variables.name = 5)],
      ["resolved_packages[2].variables.location", (d) => delete d.resolved_packages[2]!.variables.location],
      ["resolved_packages[1].variables.index", (d) => (d.resolved_packages[1]!.variables.index = "1")],
      ["resolved_packages[0].variables.version", (d) => (d.resolved_packages[0]!.variables.version = 1.0)],
      ["serialize_version", (d) => (d.serialize_version = { major: 4 })],
      ["package_requests", (d) => (d.package_requests = "foo")],
      ["implicit_packages[0]", (d) => (d.implicit_packages = [1])],
      ["timestamp", (d) => (d.timestamp = "yesterday")],
      ["append_sys_path", (d) => (d.append_sys_path = "yes")],
      ["status", (d) => (d.status = 3)],
      ["patch_locks.foo", (d) => (d.patch_locks = { foo: 1 })],
      ["package_orderers", (d) => (d.package_orderers = "none")],
    ];
    damages.forEach(([field, damage], index) => {
      const doc = base();
      damage(doc);
      const file = join(tmp, `damaged-${index}.rxt`);
      write(file, JSON.stringify(doc, null, 4));
      for (const args of [["env", "-i", file, "--", "true"], ["context", file]]) {
        const r = pkg(args);
        expect(r.code, `${field}: ${args.join(" ")}\n${r.err}`).toBe(1);
        expect(r.err).toContain(`pkg: error: ${file}: '${field}' must be`);
        expect(r.err).not.toContain("internal error");
      }
    });
  });

  it("a context file without variant indexes and with extra keys (as pkg-rs writes) still loads", () => {
    const rxt = join(tmp, "pkgrs-shaped.rxt");
    expect(pkg(["-r", repo, "env", "--ni", "baz-1", "-o", rxt]).code).toBe(0);
    const doc = JSON.parse(readFileSync(rxt, "utf8")) as Record<string, unknown> & { resolved_packages: { variables: Record<string, unknown> }[] };
    for (const handle of doc.resolved_packages) delete handle.variables.index;
    doc.pkg_env = { SOMETHING: "else" };
    doc.graph = "{}";
    write(rxt, JSON.stringify(doc, null, 4));
    const r = pkg(["env", "-i", rxt, "--", "printenv", "REZ_USED_RESOLVE"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe("baz-1.0");
  });

  it("loads a context written by Rez", () => {
    const rez = {
      arch: "x86_64", building: false, caching: true, created: 1700000000, default_patch_lock: "no_lock",
      failure_description: null, from_cache: false, graph: "{'nodes': [], 'edges': []}", host: "h",
      implicit_packages: ["~platform==linux"], load_time: 0.0, num_loaded_packages: 2, os: "Ubuntu-22.04",
      package_cache_async: true, package_caching: true, package_filter: [], package_orderers: null,
      package_paths: [repo], package_requests: ["bar-2", "baz-1"], parent_suite_path: null, patch_locks: {},
      platform: "linux", append_sys_path: true, requested_timestamp: null,
      resolved_ephemerals: [],
      resolved_packages: [
        { key: "filesystem.variant", variables: { index: null, location: repo, name: "baz", repository_type: "filesystem", version: "1.0" } },
        { key: "filesystem.variant", variables: { index: 0, location: repo, name: "bar", repository_type: "filesystem", version: "2.0" } },
      ],
      rez_path: "/opt/rez", rez_version: "3.4.0", serialize_version: "4.9", solve_time: 0.01, status: "solved",
      suite_context_name: null, testing: false, timestamp: 1700000000, user: "someone",
    };
    const rxt = join(tmp, "rez.rxt");
    write(rxt, JSON.stringify(rez, null, 4));
    const env = parseEnv(pkg(["env", "-i", rxt, "--", "env"]).out);
    expect(env.REZ_USED_RESOLVE).toBe("baz-1.0 bar-2.0");
    expect(env.REZ_USED_REQUEST).toBe("bar-2 baz-1");
    expect(env.REZ_USED_IMPLICIT_PACKAGES).toBe("~platform==linux");
    expect(env.REZ_USED_TIMESTAMP).toBe("1700000000");
    expect(env.REZ_USED).toBe("/opt/rez");
    expect(env.BAR_ROOT).toBe(join(repo, "bar", "2.0", "baz-1"));
  });

  it("context: summary, --tools, --which, --graph, --interpret, --json; status inside pkg env", () => {
    const rxt = join(tmp, "ctx.rxt");
    pkg(["-r", repo, "env", "--ni", "foo", "-o", rxt]);
    const summary = pkg(["context", rxt]);
    expect(summary.code).toBe(0);
    expect(summary.out).toContain("requested packages:");
    expect(summary.out).toMatch(/bar-2\.0\s+\S+baz-2/);
    expect(pkg(["context", rxt, "--tools"]).out).toMatch(/footool\s+foo-1\.2\.3/);
    expect(pkg(["context", rxt, "--which", "footool"]).out).toContain(join(repo, "foo", "1.2.3", "bin", "footool"));
    expect(pkg(["context", rxt, "--which", "nope"]).code).toBe(1);
    expect(pkg(["context", rxt, "--graph"]).out).toMatch(/^digraph/);
    expect(pkg(["context", rxt, "--interpret", "--format", "zsh"]).out).toContain("export FOO_ROOT=");
    expect(JSON.parse(pkg(["context", rxt, "--json"]).out).resolved_packages).toHaveLength(3);
    const inside = pkg(["-r", repo, "env", "--ni", "foo", "--", "node", CLI, "status"]);
    expect(inside.code).toBe(0);
    expect(inside.out).toContain("foo-1.2.3");
    const ctxInside = pkg(["-r", repo, "env", "--ni", "foo", "--", "node", CLI, "context", "--tools"]);
    expect(ctxInside.out).toContain("footool");
    const outside = pkg(["status"]);
    expect(outside.code).toBe(1);
    expect(outside.out).toContain("Not in a resolved environment");
  });

  it("the summary marks packages of local_packages_path (local), as Rez does", () => {
    const local = pkg(["-r", repo, "env", "-n", "-v", "baz"], { PKG_LOCAL_PACKAGES_PATH: repo }).out;
    expect(local).toContain(`\nsearch paths:\n${repo}  (local)\n`);
    expect(local).toMatch(new RegExp(`\\nbaz-2\\.1 +${join(repo, "baz", "2.1").replace(/[.]/g, "\\.")} +\\(local\\)\\n`));
    expect(pkg(["-r", repo, "env", "-n", "baz"], { PKG_LOCAL_PACKAGES_PATH: join(tmp, "elsewhere") }).out).not.toContain("(local)");
  });

  it("a context that failed to resolve is summarised as Rez does: 'resolve failed, by', the failure in place of the packages", () => {
    const failed = join(tmp, "failed.rxt");
    expect(pkg(["-r", repo, "env", "--ni", "bar", "!bar", "-o", failed]).code).toBe(1);
    const shown = pkg(["context", failed]).out;
    expect(shown).toMatch(/^resolve failed, by .+@.+, on [A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \d{4}, using pkg /);
    expect(shown).toContain("\nrequested packages:\nbar\n!bar\n");
    expect(shown).toMatch(/\n\nThe context failed to resolve:\nThe following package conflicts occurred: \(bar <--!--> !bar\)\n$/);
    expect(shown).not.toContain("resolved packages:");
  });

  it("diff: added, removed, upgraded, downgraded, and a package whose variant changed", () => {
    const a = join(tmp, "a.rxt");
    const b = join(tmp, "b.rxt");
    pkg(["-r", repo, "env", "--ni", "bar", "baz-1", "data", "-o", a]);
    pkg(["-r", repo, "env", "--ni", "bar", "baz-2", "stopper", "-o", b]);
    const r = pkg(["diff", a, b, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      added: ["stopper-1.0"],
      removed: ["data-1.0"],
      upgraded: [{ name: "baz", from: "1.0", to: "2.1" }],
      downgraded: [],
      // bar-2.0 in both, but its variant for baz-1 in the first and for baz-2 in the second
      variant_changed: [{ name: "bar", version: "2.0", from: 0, from_requires: ["baz-1"], to: 1, to_requires: ["baz-2"] }],
    });
    const text = pkg(["diff", a, b]).out;
    expect(text).toMatch(/upgraded\s+baz\s+1\.0 -> 2\.1/);
    expect(text).toMatch(/\nvariant\s+bar-2\.0\s+\[0\] \(baz-1\) -> \[1\] \(baz-2\)\n/);
    // the same package and variant: nothing to show
    expect(pkg(["diff", a, a]).out).toBe("The contexts resolve the same packages.\n");
  });
});

describe("pkg's own command inside an environment (rez_tools_visibility)", () => {
  it("append (default): pkg status and pkg context work in `pkg env ... --`", () => {
    const r = pkg(["-r", repo, "env", "--ni", "baz", "--", "pkg", "status"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("baz-2.1");
    const context = pkg(["-r", repo, "env", "--ni", "baz", "--", "pkg", "context", "--json"]);
    expect(context.code, context.err).toBe(0);
    const path = lastLine(pkg(["-r", repo, "env", "--ni", "baz", "--", "sh", "-c", 'echo "$PATH"']).out).split(":");
    expect(path.at(-1)).toBe(toolsDir());
  });

  it("prepend puts it first; never leaves it off PATH (from PKG_ or REZ_ settings)", () => {
    const first = pkg(["-r", repo, "env", "--ni", "baz", "--", "sh", "-c", 'echo "$PATH"'], { PKG_REZ_TOOLS_VISIBILITY: "prepend" });
    expect(lastLine(first.out).split(":")[0]).toBe(toolsDir());
    const never = pkg(["-r", repo, "env", "--ni", "baz", "--", "sh", "-c", 'command -v pkg || echo missing'], { REZ_REZ_TOOLS_VISIBILITY: "never" });
    expect(lastLine(never.out)).toBe("missing");
    const printed = pkg(["-r", repo, "env", "--ni", "baz", "--print", "--format", "json"], { PKG_REZ_TOOLS_VISIBILITY: "never" });
    expect(JSON.parse(printed.out).PATH).not.toContain(join(cache, "pkg", "tools"));
  });

  it("a bad value is a configuration error naming the key", () => {
    const r = pkg(["-r", repo, "env", "--ni", "baz", "--", "true"], { PKG_REZ_TOOLS_VISIBILITY: "sometimes" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("rez_tools_visibility");
  });
});

describe("rez-env's flags", () => {
  it("-p/--patch replaces a request of the current context; --strict starts from its resolve; --patch-rank limits", () => {
    const saved = join(tmp, "patch-base.rxt");
    expect(pkg(["-r", repo, "env", "--ni", "baz-1", "-o", saved]).code).toBe(0);
    const show = ["--", "sh", "-c", 'echo "$REZ_USED_REQUEST|$REZ_USED_RESOLVE"'];
    const patched = pkg(["-r", repo, "env", "--ni", "-p", "baz-2", ...show], { REZ_RXT_FILE: saved });
    expect(patched.code, patched.err).toBe(0);
    expect(lastLine(patched.out)).toBe("baz-2|baz-2.1");
    const fromInput = pkg(["-r", repo, "env", "--ni", "-i", saved, "-p", "^baz", "foo", ...show]);
    expect(fromInput.code, fromInput.err).toBe(0);
    expect(lastLine(fromInput.out).split("|")[0]).toBe("foo");
    const strict = pkg(["-r", repo, "env", "--ni", "-p", "--strict", ...show], { REZ_RXT_FILE: saved });
    expect(lastLine(strict.out)).toBe("baz-1.0|baz-1.0");
    const ranked = pkg(["-r", repo, "env", "--ni", "-p", "--patch-rank", "2", ...show], { REZ_RXT_FILE: saved });
    expect(lastLine(ranked.out).split("|")[0]).toBe("baz-1 ~baz<1_");
    const outside = pkg(["-r", repo, "env", "--ni", "-p", "baz"]);
    expect(outside.code).toBe(1);
    expect(outside.err).toContain("REZ_RXT_FILE");
  });

  it("-s reads the commands from standard input", () => {
    const r = runPkgWithInput(["-r", repo, "env", "--ni", "baz", "-s"], 'echo "stdin:$REZ_USED_RESOLVE"\n');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("stdin:baz-2.1");
  });

  it("--pre-command runs the shell under a command; --detached under the configured terminal", () => {
    const pre = pkg(["-r", repo, "env", "--ni", "baz", "--pre-command", "env PRE_SET=1", "--", "sh", "-c", 'echo "pre:$PRE_SET"']);
    expect(lastLine(pre.out)).toBe("pre:1");
    const terminal = join(tmp, "fake-terminal");
    write(terminal, '#!/bin/sh\necho "terminal got: $1" >&2\nshift\nexec "$@"\n');
    chmodSync(terminal, 0o755);
    const detached = pkg(["-r", repo, "env", "--ni", "baz", "--detached", "--", "sh", "-c", 'echo "in:$REZ_USED_RESOLVE"'], { PKG_TERMINAL_EMULATOR_COMMAND: `${terminal} -e` });
    expect(detached.code, detached.err).toBe(0);
    expect(detached.err).toContain("terminal got: -e");
    expect(lastLine(detached.out)).toBe("in:baz-2.1");
    const none = pkg(["-r", repo, "env", "--ni", "baz", "--detached", "--", "true"], { PATH: "/nonexistent" });
    expect(none.code).toBe(2);
    expect(none.err).toContain("terminal_emulator_command");
  });

  it("--new-session starts the shell in a session of its own", () => {
    const r = pkg(["-r", repo, "env", "--ni", "baz", "--new-session", "--", "sh", "-c", 'cut -d" " -f6 /proc/$$/stat; cut -d" " -f6 /proc/$PPID/stat']);
    expect(r.code, r.err).toBe(0);
    const [own, parent] = r.out.trim().split(/\s+/);
    expect(own).not.toBe(parent);
  });

  it("--prompt sets the text of the shell's prompt; -v shows search paths and resolve details; --nl drops the local path", () => {
    const prompt = pkg(["-r", repo, "env", "--ni", "baz", "--prompt", "ctx>", "--", "sh", "-c", 'echo "[$REZ_ENV_PROMPT]"']);
    expect(lastLine(prompt.out)).toBe("[ctx>]");
    const verbose = pkg(["-r", repo, "env", "--ni", "baz", "-v", "-n", "--no-passive"]);
    expect(verbose.out).toContain("search paths:");
    expect(verbose.out).toContain("resolve details:");
    const local = pkg(["env", "--ni", "baz", "--nl", "-n"], { PKG_PACKAGES_PATH: repo, PKG_LOCAL_PACKAGES_PATH: repo });
    expect(local.code).not.toBe(0);
    expect(pkg(["env", "--ni", "baz", "-n"], { PKG_PACKAGES_PATH: repo, PKG_LOCAL_PACKAGES_PATH: repo }).code).toBe(0);
  });
});

describe("pkg interpret", () => {
  it("turns Rex code into shell code", () => {
    write(join(tmp, "code.py"), 'env.FOO = "bar"\nenv.PATH.append("/opt/x")\nalias("ll", "ls -l")\n');
    const r = pkg(["interpret", join(tmp, "code.py"), "--format", "bash"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('export FOO="bar"');
    expect(r.out).toContain('export PATH="/opt/x"');
    const json = JSON.parse(pkg(["interpret", join(tmp, "code.py"), "-f", "json", "--pv", "PATH"], { PATH: "/usr/bin" }).out) as Record<string, string>;
    expect(json.PATH).toBe("/usr/bin:/opt/x");
    const bad = pkg(["interpret", "-c", "stop('halt')"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("halt");
  });
});

describe("pkg-rs packages and pkg run", () => {
  it("Env data becomes actions; the inherited PATH is extended", () => {
    const r = pkg(["-r", repo, "env", "--ni", "tool", "--", "env"], { PATH: "/usr/bin:/bin" });
    expect(r.code, r.err).toBe(0);
    const env = parseEnv(r.out);
    expect(env.TOOL_ROOT).toBe("/opt/tool");
    expect(env.PATH!.startsWith("/opt/tool/bin:/usr/bin:/bin")).toBe(true);
    expect(env.TOOL_PLUGINS).toBe("/opt/tool/plugins");
    expect(env.PKG_TOOL_VERSION).toBeUndefined();
    const stamped = parseEnv(pkg(["-r", repo, "env", "--ni", "--stamp", "tool", "--", "env"]).out);
    expect(stamped.PKG_TOOL_VERSION).toBe("3.0.0");
    expect(stamped.PKG_TOOL_MAJOR).toBe("3");
    expect(stamped.PKG_TOOL_ROOT).toBe("/opt/tool");
  });

  it("pkg run launches an app with its own env, args and cwd", () => {
    const r = pkg(["-r", repo, "run", "--ni", "tool", "showenv", "--", "sh", "-c", 'echo "$TOOL_MODE $(pwd)"']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe(`alt ${tmp}`);
    const missing = pkg(["-r", repo, "run", "--ni", "tool", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("showenv");
  });

  it("pkg run starts a Rez tool", () => {
    const r = pkg(["-r", repo, "run", "--ni", "foo", "--", "arg"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe(`footool ${join(repo, "foo", "1.2.3")} arg`);
  });
});

describe("the example repository", () => {
  it("pkg env maya redshift -- maya launches the tool", () => {
    const examples = join(dirname(CLI), "..", "examples", "packages");
    const r = pkg(["-r", examples, "env", "maya", "redshift", "--", "maya"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("Maya 2024.2");
    expect(r.out).toContain("redshift/3.5.22/maya-2024/modules");
  });
});
