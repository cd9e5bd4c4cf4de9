// Black-box tests of `pkg pip` on wheels written by the tests (test/support/wheels.ts) into local folders:
// the package.py text and tree of each kind, environments that import the module and run its script,
// hostile wheels that write nothing, and one run of the system's real pip with --no-index --find-links.
// Nothing reaches the network.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runPkg, writeTree, type CliRun } from "./support/cli.js";
import { wheelBytes, writeWheel } from "./support/wheels.js";
import type { WheelSpec } from "./support/wheels.js";

const roots: string[] = [];
let work: string;
let repo: string;
let wheels: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-pip-cli-"));
  roots.push(work);
  repo = join(work, "repo");
  mkdirSync(repo); // -r must name a folder that exists
  wheels = join(work, "wheels");
});

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const systemPython = (() => {
  const r = spawnSync("python3", ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();
const systemPip = systemPython !== undefined && spawnSync("python3", ["-m", "pip", "--version"], { encoding: "utf8" }).status === 0;
const systemBuild = systemPip && spawnSync("python3", ["-c", "import setuptools, wheel"], { encoding: "utf8" }).status === 0;
const py2 = systemPython?.split(".").slice(0, 2).join(".") ?? "3.11";

function pkg(args: string[], env: Record<string, string> = {}): CliRun {
  return runPkg(work, args, env);
}

/** pkg pip into `repo`, with the repositories searched being `repo` only (no python package). */
function pip(args: string[]): CliRun {
  return pkg(["-r", repo, "pip", "-i", "-p", repo, "--python-version", py2, ...args]);
}

function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

function packagePy(name: string, version: string): string {
  return readFileSync(join(repo, name, version, "package.py"), "utf8").replace(/^timestamp = \d+$/m, "timestamp = T");
}

/** The one variant folder of a package (a sha1). */
function variantDir(name: string, version: string): string {
  const dirs = readdirSync(join(repo, name, version)).filter((d) => /^[0-9a-f]{40}$/.test(d));
  expect(dirs).toHaveLength(1);
  return join(repo, name, version, dirs[0]!);
}

const MY_PKG: WheelSpec = {
  name: "my-pkg",
  version: "1.2.3rc1",
  summary: "summary of my-pkg",
  homePage: "https://example.com/my-pkg",
  author: "Jane Doe",
  authorEmail: "jane@example.com",
  files: { "my_pkg/__init__.py": "def main():\n    print('hello from my_pkg')\n" },
  scripts: { myscript: "my_pkg:main" },
  requires: ["dep-a (>=1.0,!=1.5.*)", 'dep-b ; python_version<"3.0"', 'Dep-C ; sys_platform=="linux"', "dep-d ; extra=='test'"],
  extras: ["test"],
};

describe("pkg pip: package.py and tree", () => {
  it("writes what rez-pip writes for a pure wheel with a console script and dependencies", () => {
    const file = writeWheel(wheels, MY_PKG);
    const r = pip(["--no-deps", file]);
    expect(r.stderr).toContain(`Installed [my_pkg-1.2.3.rc1] ${join(repo, "my_pkg", "1.2.3.rc1", "package.py")} (`);
    expect(r.stderr).toContain("1 packages were installed.");
    expect(r.status).toBe(0);
    expect(packagePy("my_pkg", "1.2.3.rc1")).toBe(`# -*- coding: utf-8 -*-

name = 'my_pkg'

version = '1.2.3.rc1'

description = 'summary of my-pkg'

authors = ['Jane Doe jane@example.com']

tools = ['myscript']

requires = ['dep_a-1.0+<1.5|1.6+']

variants = [['platform-linux', 'arch-x86_64', 'python-${py2}', 'Dep_C']]

def commands():
    env.PYTHONPATH.append('{root}/python')
    env.PATH.append('{root}/bin')

help = [['Home Page', 'https://example.com/my-pkg']]

timestamp = T

hashed_variants = True

from_pip = True

is_pure_python = True

pip_name = 'my-pkg (1.2.3rc1)'

format_version = 2
`);
    const root = variantDir("my_pkg", "1.2.3.rc1");
    expect(tree(root)).toEqual([
      "bin/myscript",
      "python/my_pkg-1.2.3rc1.dist-info/INSTALLER",
      "python/my_pkg-1.2.3rc1.dist-info/METADATA",
      "python/my_pkg-1.2.3rc1.dist-info/RECORD",
      "python/my_pkg-1.2.3rc1.dist-info/WHEEL",
      "python/my_pkg-1.2.3rc1.dist-info/entry_points.txt",
      "python/my_pkg/__init__.py",
    ]);
    expect(readFileSync(join(root, "bin/myscript"), "utf8").split("\n")[0]).toBe("#!/usr/bin/env python3");
    expect(readFileSync(join(root, "python/my_pkg-1.2.3rc1.dist-info/RECORD"), "utf8")).toContain("../bin/myscript,sha256=");
    // no staging folders or temporary targets left behind
    expect(readdirSync(repo).filter((e) => e.startsWith("."))).toEqual([]);
  });

  it("a platform wheel is not pure python and gets platform and arch", () => {
    const file = writeWheel(wheels, { name: "Native.Lib", version: "2.0.post1", tag: `cp${py2.replace(".", "")}-cp${py2.replace(".", "")}-manylinux2014_x86_64`, files: { "native_lib/__init__.py": "" } });
    if (process.arch !== "x64" || process.platform !== "linux") return;
    const r = pip(["--no-deps", file]);
    expect(r.status, r.stderr).toBe(0);
    const text = packagePy("Native.Lib", "2.0.post1");
    expect(text).toContain(`variants = [['platform-linux', 'arch-x86_64', 'python-${py2}']]`);
    expect(text).toContain("is_pure_python = False");
    expect(text).toContain("pip_name = 'Native.Lib (2.0.post1)'");
    expect(text).not.toContain("tools =");
    expect(text).toContain("def commands():\n    env.PYTHONPATH.append('{root}/python')\n\ntimestamp");
  });

  it("puts headers under include/ and data under the package instead of failing (rez-pip #1481)", () => {
    const file = writeWheel(wheels, {
      name: "withdata",
      version: "0.1.0b2",
      files: { "withdata/__init__.py": "" },
      data: { "headers/withdata.h": "int x;\n", "data/share/withdata/readme.txt": "hi\n", "scripts/wd-run": "#!python\nimport withdata\nprint('run')\n" },
    });
    const r = pip(["--no-deps", file]);
    expect(r.status, r.stderr).toBe(0);
    expect(packagePy("withdata", "0.1.0.b2")).toContain("tools = ['wd-run']");
    const root = variantDir("withdata", "0.1.0.b2");
    expect(tree(root)).toEqual([
      "bin/wd-run",
      "include/withdata/withdata.h",
      "python/withdata-0.1.0b2.dist-info/INSTALLER",
      "python/withdata-0.1.0b2.dist-info/METADATA",
      "python/withdata-0.1.0b2.dist-info/RECORD",
      "python/withdata-0.1.0b2.dist-info/WHEEL",
      "python/withdata/__init__.py",
      "share/withdata/readme.txt",
    ]);
    expect(readFileSync(join(root, "bin/wd-run"), "utf8")).toBe("#!/usr/bin/env python3\nimport withdata\nprint('run')\n");
    expect(statSync(join(root, "bin/wd-run")).mode & 0o111).not.toBe(0);
  });

  it("imports wheels that depend on each other without pip, and names dependencies the same way either way", () => {
    const a = writeWheel(wheels, { name: "Alpha", version: "1.0", files: { "alpha/__init__.py": "" }, requires: ["beta-pkg>=2", "gamma ; sys_platform == 'win32'", 'delta ; python_version < "3"'] });
    const b = writeWheel(wheels, { name: "Beta_Pkg", version: "2.1", files: { "beta_pkg/__init__.py": "" } });
    const r = pip([a, b]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("2 packages were installed.");
    expect(packagePy("Alpha", "1.0")).toContain("requires = ['Beta_Pkg-2+']");
    expect(packagePy("Alpha", "1.0")).toContain(`variants = [['python-${py2}']]`);
    // imported alone later, the dependency that exists keeps its family's name (rez-pip #1430)
    rmSync(join(repo, "Alpha"), { recursive: true });
    const again = pip([a]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain("is installed already as Beta_Pkg-2.1: not imported again");
    expect(packagePy("Alpha", "1.0")).toContain("requires = ['Beta_Pkg-2+']");
  });

  it("warns when a distribution of the run does not satisfy a dependent's requirement", () => {
    const a = writeWheel(wheels, { name: "needs-old", version: "1.0", files: { "needs_old/__init__.py": "" }, requires: ["libx<2"] });
    const b = writeWheel(wheels, { name: "libx", version: "2.5", files: { "libx/__init__.py": "" } });
    const r = pip([a, b]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("needs-old requires libx<2, but libx 2.5 is imported");
    // as str() of a Rez requirement: no '-' before a range that starts with an operator
    expect(packagePy("needs_old", "1.0")).toContain("requires = ['libx<2']");
  });

  it("honours extras asked for, and evaluates markers for the target python", () => {
    const main = writeWheel(wheels, {
      name: "main",
      version: "3.0",
      files: { "main/__init__.py": "" },
      extras: ["fast"],
      requires: ["speedup ; extra == 'fast'", 'old-only ; python_version < "3.8"', "always"],
    });
    const speedup = writeWheel(wheels, { name: "speedup", version: "1.0", files: { "speedup/__init__.py": "" } });
    const always = writeWheel(wheels, { name: "always", version: "1.0", files: { "always/__init__.py": "" } });
    const r = pip([`${main}[fast]`, speedup, always]);
    expect(r.status, r.stderr).toBe(0);
    expect(packagePy("main", "3.0")).toContain("requires = [\n    'speedup',\n    'always'\n]");
    rmSync(repo, { recursive: true });
    mkdirSync(repo);
    const old = pkg(["-r", repo, "pip", "-i", "-p", repo, "--python-version", "3.7", "--no-deps", main]);
    expect(old.status, old.stderr).toBe(0);
    // a requirement whose marker reads the python version goes into the variant, as rez-pip does
    expect(packagePy("main", "3.0")).toContain("requires = ['always']");
    expect(packagePy("main", "3.0")).toContain("variants = [['python-3.7', 'old_only']]");
  });

  it("skips a variant that exists, with rez-pip's message and summary, and reports it in --json", () => {
    const file = writeWheel(wheels, { name: "once", version: "1.0", files: { "once/__init__.py": "" } });
    expect(pip([file]).status).toBe(0);
    const before = readFileSync(join(repo, "once", "1.0", "package.py"), "utf8");
    const r = pip([file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`Skipping installation: Package variant already exists: ${join(repo, "once", "1.0", "package.py")}[0]`);
    expect(r.stderr).toContain("NO packages were installed.");
    expect(r.stderr).toContain("1 packages were already installed.");
    expect(readFileSync(join(repo, "once", "1.0", "package.py"), "utf8")).toBe(before);
    const j = pip(["--json", file]);
    const doc = JSON.parse(j.stdout) as { installed: unknown[]; skipped: { name: string; version: string; pip_name: string }[] };
    expect(doc.installed).toEqual([]);
    expect(doc.skipped.map((s) => [s.name, s.version, s.pip_name])).toEqual([["once", "1.0", "once (1.0)"]]);
  });

  it("reads a requirements file and refuses pip options in it, naming the line", () => {
    const file = writeWheel(wheels, { name: "listed", version: "1.0", files: { "listed/__init__.py": "" } });
    writeFileSync(join(work, "reqs.txt"), `# a comment\n${file}\n`);
    expect(pip(["--requirements", join(work, "reqs.txt")]).status).toBe(0);
    expect(existsSync(join(repo, "listed", "1.0", "package.py"))).toBe(true);
    writeFileSync(join(work, "bad.txt"), "listed\n--index-url http://example.invalid\n");
    const r = pip(["--requirements", join(work, "bad.txt")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(work, "bad.txt")}:2: '--index-url http://example.invalid'`);
  });

  it("-r installs into release_packages_path and runs the release hooks; a pre-release hook cancels all", () => {
    const file = writeWheel(wheels, { name: "rel", version: "1.0", files: { "rel/__init__.py": "" } });
    const released = join(work, "released");
    const out = join(work, "hook.txt");
    const config = `release_packages_path = "${released}"\nrelease_hooks = ["command"]\n[plugins.release_hook.command]\npost_release_commands = [{ command = "sh", args = ["-c", "echo {package.qualified_name} {num_variants} >> ${out}"] }]\n`;
    writeTree(work, { "home/.config/pkg/config.toml": config + 'pre_release_commands = [{ command = "false" }]\n' });
    const cancelled = pkg(["pip", "-i", "-r", "--python-version", py2, file]);
    expect(cancelled.status).toBe(1);
    expect(cancelled.stderr).toContain("cancelled by pre-release hook");
    expect(tree(released)).toEqual([]);
    writeTree(work, { "home/.config/pkg/config.toml": config });
    const r = pkg(["pip", "-i", "-r", "--python-version", py2, file]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(released, "rel", "1.0", "package.py"))).toBe(true);
    expect(readFileSync(out, "utf8")).toBe("rel-1.0 1\n");
  });

  it("a wheel or path that is not there is bad input, before pip is asked", () => {
    const r = pip([join(work, "missing-1.0-py3-none-any.whl")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(work, "missing-1.0-py3-none-any.whl")}: no such file or folder`);
    expect(r.stderr).not.toContain("Asking pip");
  });

  it("needs --install, as rez-pip", () => {
    const r = pkg(["pip", "foo"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Expected one of: --install");
  });
});

describe("pkg pip: hostile and broken wheels write nothing", () => {
  const base = (extra: Partial<WheelSpec>): WheelSpec => ({ name: "evil", version: "1.0", files: { "evil/__init__.py": "" }, ...extra });
  const cases: [string, () => string, RegExp][] = [
    ["a '..' entry", () => writeWheel(wheels, base({ extraEntries: [{ name: "../../escape.py", data: "x" }] })), /evil-1\.0-py3-none-any\.whl: the entry '\.\.\/\.\.\/escape\.py' has a '\.\.' component/],
    ["an absolute entry", () => writeWheel(wheels, base({ extraEntries: [{ name: "/tmp/evil.py", data: "x" }] })), /evil-1\.0-py3-none-any\.whl: the entry '\/tmp\/evil\.py' has an absolute path/],
    ["a symlink", () => writeWheel(wheels, base({ extraEntries: [{ name: "evil/passwd", data: "/etc/passwd", symlink: true }] })), /the entry 'evil\/passwd' is a symbolic link/],
    ["a RECORD row escaping", () => writeWheel(wheels, base({ extraRecordRows: ["../../../etc/x,sha256=abc,1"] })), /RECORD row '\.\.\/\.\.\/\.\.\/etc\/x' has a '\.\.' component/],
    ["a hash mismatch", () => writeWheel(wheels, base({ badHashFor: "evil/__init__.py" })), /the entry 'evil\/__init__\.py' does not match its hash or size in evil-1\.0\.dist-info\/RECORD/],
    ["a script name escaping", () => writeWheel(wheels, base({ scripts: { "../../x": "evil:main" } })), /the console script name '\.\.\/\.\.\/x'/],
    [
      "a corrupt zip",
      () => {
        const file = join(wheels, "evil-1.0-py3-none-any.whl");
        const bytes = wheelBytes(base({}));
        bytes.write("garbage!", 40, "latin1");
        writeTree(wheels, {});
        writeFileSync(file, bytes);
        return file;
      },
      /evil-1\.0-py3-none-any\.whl: /,
    ],
    ["a wheel for another platform", () => writeWheel(wheels, base({ tag: "cp27-cp27m-win32" })), /evil-1\.0-cp27-cp27m-win32\.whl: its tags \(cp27-cp27m-win32\) do not fit/],
  ];
  it.each(cases)("%s", (_what, make, message) => {
    const good = writeWheel(wheels, { name: "good", version: "1.0", files: { "good/__init__.py": "" } });
    const file = make();
    const tmp = join(work, "tmp");
    mkdirSync(tmp);
    const dest = join(work, "dest");
    const r = pkg(["-r", repo, "pip", "-i", "-p", dest, "--python-version", py2, good, file], { TMPDIR: tmp });
    expect(readdirSync(tmp)).toEqual([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // nothing written: not the good wheel given with it either, no staging left, not even the destination folder
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(repo)).toEqual([]);
  });
});

describe("pkg pip: interrupted", () => {
  it("a signal while pip runs stops the import and removes the temporary folders", async () => {
    // a python3 that answers the version query and whose pip hangs until it is signalled
    const bin = join(work, "bin");
    writeTree(bin, { python3: '#!/bin/sh\ncase "$*" in *"-m pip"*) exec sleep 30 ;; esac\nprintf "3.11.7 23.2.1"\n' });
    chmodSync(join(bin, "python3"), 0o755);
    const tmp = join(work, "tmp");
    mkdirSync(tmp);
    const child = spawn(process.execPath, [cliPath, "-r", repo, "pip", "-i", "-p", repo, "something"], {
      env: { ...isolatedEnv(work), PATH: `${bin}:${process.env.PATH ?? ""}`, TMPDIR: tmp },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const started = new Promise<void>((resolvePromise) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("Asking pip for something")) resolvePromise();
      });
    });
    const ended = new Promise<number | null>((resolvePromise) => child.on("close", (code) => resolvePromise(code)));
    await started;
    child.kill("SIGINT");
    expect(await ended).toBe(1);
    expect(stderr).toContain("interrupted (SIGINT)");
    expect(readdirSync(tmp)).toEqual([]);
    expect(tree(repo)).toEqual([]);
  }, 20_000);
});

describe("pkg pip: a pip without installation reports (before 22.2)", () => {
  it("asks one pip wheel --no-deps per level of dependencies and follows them itself", () => {
    // a python3 with pip 21: its `pip wheel` copies the wheels named from a folder (an index of sorts)
    const bin = join(work, "bin");
    writeTree(bin, {
      python3: [
        "#!/bin/sh",
        'case " $* " in *" -c "*) printf "3.11.7 21.0"; exit 0 ;; esac',
        'dir=""; for a in "$@"; do case "$a" in --wheel-dir=*) dir="${a#--wheel-dir=}" ;; esac; done',
        'echo "pip $*" >> "$FAKE_LOG"',
        "for a in \"$@\"; do case \"$a\" in -*|pip|wheel) ;; *)",
        "  n=$(printf %s \"$a\" | sed 's/[][<>=!~; ].*//' | tr 'A-Z.-' 'a-z__')",
        '  for f in "$FAKE_INDEX"/*; do b=$(basename "$f" | tr "A-Z" "a-z"); case "$b" in "$n"-*) cp "$f" "$dir/" ;; esac; done ;;',
        "esac; done",
        "",
      ].join("\n"),
    });
    chmodSync(join(bin, "python3"), 0o755);
    writeWheel(wheels, MY_PKG);
    writeWheel(wheels, { name: "dep-a", version: "1.2", files: { "dep_a/__init__.py": "" }, requires: ["deeper"] });
    writeWheel(wheels, { name: "Dep-C", version: "2.0", files: { "dep_c/__init__.py": "" } });
    writeWheel(wheels, { name: "deeper", version: "0.1", files: { "deeper/__init__.py": "" } });
    const log = join(work, "pip.log");
    const r = pkg(["-r", repo, "pip", "-i", "-p", repo, "my-pkg"], { PATH: `${bin}:${process.env.PATH ?? ""}`, FAKE_INDEX: wheels, FAKE_LOG: log });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("4 packages were installed.");
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.includes("-m pip wheel --no-deps --wheel-dir="))).toBe(true);
    expect(calls[1]).toContain("dep-a>=1.0,!=1.5.* Dep-C");
    expect(calls[2]).toMatch(/ deeper$/);
    expect(packagePy("dep_a", "1.2")).toContain("requires = ['deeper']");
  });
});

describe("pkg pip: the imported package in an environment", () => {
  it.skipIf(systemPython === undefined)("imports the module and runs the console script", () => {
    writeTree(join(work, "stubs"), {
      [`python/${systemPython}/package.py`]: `name = 'python'\nversion = '${systemPython}'\n`,
      "platform/linux/package.py": "name = 'platform'\nversion = 'linux'\n",
      "arch/x86_64/package.py": "name = 'arch'\nversion = 'x86_64'\n",
    });
    const stubs = join(work, "stubs");
    const file = writeWheel(wheels, { ...MY_PKG, requires: [] });
    const r = pkg(["-r", repo, "-r", stubs, "pip", "-i", "-p", repo, "--no-deps", file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("Found no python rez package");
    if (process.platform !== "linux" || process.arch !== "x64") return;
    const mod = pkg(["env", "--ni", "-r", repo, "-r", stubs, "my_pkg", "--", "python3", "-c", "import my_pkg; my_pkg.main()"]);
    expect(mod.stdout + mod.stderr).toContain("hello from my_pkg");
    const script = pkg(["env", "--ni", "-r", repo, "-r", stubs, "my_pkg", "--", "myscript"]);
    expect(script.stdout).toContain("hello from my_pkg");
    expect(script.status).toBe(0);
  });
});

describe("pkg pip: the system's pip, end to end", () => {
  if (!systemPip) console.log("skipping the pip end-to-end test: python3 -m pip is not available");
  it.skipIf(!systemPip)("downloads from a local folder with --no-index --find-links, dependencies included", () => {
    writeWheel(wheels, MY_PKG);
    writeWheel(wheels, { name: "dep-a", version: "1.2", files: { "dep_a/__init__.py": "" } });
    writeWheel(wheels, { name: "Dep-C", version: "2.0", files: { "dep_c/__init__.py": "" } });
    // dep-a exists already as a package: pip is not asked for it
    const first = pkg(["-r", repo, "pip", "-i", "-p", repo, "--no-deps", join(wheels, "dep_a-1.2-py3-none-any.whl")]);
    expect(first.status, first.stderr).toBe(0);
    const tmp = join(work, "tmp");
    mkdirSync(tmp);
    const r = pkg(["-r", repo, "pip", "-i", "-p", repo, "my-pkg", "-e", "--no-index", "--find-links", wheels], { TMPDIR: tmp });
    expect(r.status, r.stderr).toBe(0);
    // one pip process: its resolver's report gives the whole tree, and the wheels are read where they are
    expect(r.stderr.match(/Asking pip for/g)).toEqual(["Asking pip for"]);
    expect(r.stderr).toContain("Asking pip for my-pkg");
    expect(r.stderr).not.toContain("Fetching");
    expect(r.stderr).toContain("dep-a>=1.0,!=1.5.* is installed already as dep_a-1.2");
    expect(r.stderr).toContain("2 packages were installed.");
    expect(packagePy("my_pkg", "1.2.3.rc1")).toContain(`variants = [['platform-linux', 'arch-x86_64', 'python-${py2}', 'Dep_C']]`);
    expect(existsSync(join(repo, "Dep_C", "2.0", "package.py"))).toBe(true);
    // the temporary folders are gone, after a success and after a failure
    expect(readdirSync(tmp)).toEqual([]);
    const missing = pkg(["-r", repo, "pip", "-i", "-p", repo, "no-such-dist", "-e", "--no-index", "--find-links", wheels], { TMPDIR: tmp });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("pip failed");
    expect(missing.stderr).toContain("no-such-dist");
    expect(readdirSync(tmp)).toEqual([]);
  });

  if (systemPip && !systemBuild) console.log("skipping the pip source-folder test: python3 has no setuptools and wheel (python3-setuptools, python3-wheel)");
  it.skipIf(!systemBuild)("builds a source folder with pip and imports the wheel it made", () => {
    const src = join(work, "src");
    writeTree(src, {
      "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "Src.Pkg"\nversion = "0.3.dev1"\ndescription = "a source folder"\n[project.scripts]\nsrctool = "srcpkg:main"\n',
      "srcpkg/__init__.py": "def main():\n    print('from source')\n",
    });
    // the build backend runs in python3 itself (no index to fetch setuptools from): its PYTHONPATH too
    const r = pkg(["-r", repo, "pip", "-i", "-p", repo, src, "-e", "--no-index", "--no-build-isolation"], process.env.PYTHONPATH ? { PYTHONPATH: process.env.PYTHONPATH } : {});
    expect(r.status, r.stderr).toBe(0);
    const text = packagePy("Src.Pkg", "0.3.dev1");
    expect(text).toContain("description = 'a source folder'");
    expect(text).toContain("tools = ['srctool']");
    expect(text).toContain("pip_name = 'Src.Pkg (0.3.dev1)'");
    const root = variantDir("Src.Pkg", "0.3.dev1");
    expect(readFileSync(join(root, "bin", "srctool"), "utf8").split("\n")[0]).toBe("#!/usr/bin/env python3");
    expect(existsSync(join(root, "python", "srcpkg", "__init__.py"))).toBe(true);
  });
});
