// Black-box tests of the rest of `pkg build` / `pkg test`: a @late `tests` function, Rez's remaining CMake
// macros (rez_install_context, rez_pip_install, rez_install_doxygen) and byte-compiled python installs.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, writeTree, type CliRun } from "./support/cli.js";

let work: string;
let repo: string;
let src: string;

function have(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

function build(dir: string, args: readonly string[] = [], env: Record<string, string> = {}): CliRun {
  return runPkg(work, ["build", "--paths", repo, ...args], env, join(src, dir));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-build-extras-"));
  repo = join(work, "repo");
  src = join(work, "src");
  writeTree(repo, {
    "python/3.11/package.py": "name = 'python'\nversion = '3.11'\n",
    "foo/1.0/package.py": "name = 'foo'\nversion = '1.0'\n",
  });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("a @late tests function", () => {
  it("is evaluated as Rez does (this the package, in_context() False) for pkg test and pre_install tests", () => {
    writeTree(src, {
      "latetests/package.py": [
        "name = 'latetests'",
        "version = '1.0'",
        "build_command = False",
        "",
        "@late()",
        "def tests():",
        "    out = {'unit': 'echo unit of %s in_context=%s' % (this.name, in_context())}",
        "    out['gate'] = {'command': 'test \"$GATE\" = open', 'run_on': ['pre_install']}",
        "    return out",
        "",
      ].join("\n"),
    });
    const prefix = join(work, "late-repo");
    const closed = build("latetests", ["-i", "-p", prefix], { GATE: "shut" });
    expect(closed.status).toBe(1);
    expect(closed.stderr).toContain("Running pre_install tests: gate");
    expect(closed.stderr).toContain("[PKG0040]");
    expect(existsSync(join(prefix, "latetests"))).toBe(false);
    const open = build("latetests", ["-i", "-p", prefix], { GATE: "open" });
    expect(open.stderr).not.toContain("pkg: error");
    expect(open.status).toBe(0);
    expect(open.stderr).toContain("1 succeeded, 0 failed, 0 skipped");
    // the installed package keeps the function, as Rez writes it
    expect(readFileSync(join(prefix, "latetests", "1.0", "package.py"), "utf8")).toContain("@late()\ndef tests():\n");
    const list = runPkg(work, ["test", "--paths", prefix, "latetests", "-l"]);
    expect(list.stdout).toBe("gate\nunit\n");
    const run = runPkg(work, ["test", "--paths", prefix, "latetests"]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("unit of latetests in_context=False\n");
    expect(run.stdout).toContain("1 succeeded, 0 failed, 0 skipped");
  });

  it("one that raises or gives no dict is bad input naming the file and line", () => {
    writeTree(repo, {
      "raising/1.0/package.py": "name = 'raising'\nversion = '1.0'\n\n@late()\ndef tests():\n    return {'x': 1 / 0}\n",
      "listing/1.0/package.py": "name = 'listing'\nversion = '1.0'\n\n@late()\ndef tests():\n    return ['echo']\n",
    });
    const raising = runPkg(work, ["test", "--paths", repo, "raising"]);
    expect(raising.status).toBe(2);
    expect(raising.stderr).toContain(`late-bound 'tests' of package raising-1.0 (${join(repo, "raising", "1.0", "package.py")}:6): ZeroDivisionError: division by zero [PKG0085]`);
    expect(raising.stderr).not.toContain("    at ");
    const listing = runPkg(work, ["test", "--paths", repo, "listing"]);
    expect(listing.status).toBe(2);
    expect(listing.stderr).toContain("the @late 'tests' function of listing returned a list, not a dict of tests [PKG0085]");
  });
});

const cmakeReady = (): boolean => {
  if (have("cmake") && have("make") && have("python3")) return true;
  console.log("skipping the cmake builds: cmake, make or python3 is not installed");
  return false;
};

describe("Rez's cmake macros", () => {
  it("rez_install_python byte-compiles each file as Rez does: foo.pyc beside foo.py, installed unless install_pyc is off", () => {
    if (!cmakeReady()) return;
    writeTree(src, {
      "pyt/package.py": "name = 'pyt'\nversion = '1.0'\nrequires = ['python-3']\n\ndef commands():\n    env.PYTHONPATH.append('{root}/python')\n",
      "pyt/CMakeLists.txt": [
        "cmake_minimum_required(VERSION 3.10)",
        "include(RezBuild)",
        'file(GLOB_RECURSE py_files "python/*.py")',
        "rez_install_python(py FILES ${py_files} RELATIVE python DESTINATION python)",
        "",
      ].join("\n"),
      "pyt/python/greet.py": "def hello():\n    return 'hi from a pyc'\n",
      "pyt/python/sub/deep.py": "X = 1\n",
    });
    const prefix = join(work, "pyc-repo");
    const run = build("pyt", ["-i", "-p", prefix]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const root = join(prefix, "pyt", "1.0", "python");
    for (const file of ["greet.py", "greet.pyc", "sub/deep.py", "sub/deep.pyc"]) expect(statSync(join(root, file)).mode & 0o222).toBe(0);
    // a real byte-compiled module: python imports it without its source
    const alone = join(work, "pyc-alone");
    mkdirSync(alone, { recursive: true });
    copyFileSync(join(root, "greet.pyc"), join(alone, "greet.pyc"));
    // with the interpreter the build compiled with
    const python = /^REZ_PYTHON_EXECUTABLE:FILEPATH=(.*)$/m.exec(readFileSync(join(src, "pyt", "build", "CMakeCache.txt"), "utf8"))?.[1] ?? "python3";
    const load = spawnSync(python, ["-c", "import greet; print(greet.hello(), greet.__file__.endswith('.pyc'))"], { cwd: alone, encoding: "utf8" });
    expect(load.stdout).toBe("hi from a pyc True\n");
    // install_pyc = false (plugins.build_system.cmake): compiled (checked) but not installed
    const config = join(work, "no-pyc.toml");
    writeFileSync(config, "[plugins.build_system.cmake]\ninstall_pyc = false\n");
    const plain = join(work, "no-pyc-repo");
    expect(build("pyt", ["-c", "-i", "-p", plain], { PKG_CONFIG: config }).status).toBe(0);
    expect(existsSync(join(plain, "pyt", "1.0", "python", "greet.py"))).toBe(true);
    expect(existsSync(join(plain, "pyt", "1.0", "python", "greet.pyc"))).toBe(false);
  });

  it("rez_install_python: a file that does not compile fails the build; python must be a build package", () => {
    if (!cmakeReady()) return;
    writeTree(src, {
      "pybad/package.py": "name = 'pybad'\nversion = '1.0'\nrequires = ['python-3']\n",
      "pybad/CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\ninclude(RezBuild)\nrez_install_python(py FILES broken.py DESTINATION python)\n",
      "pybad/broken.py": "def nope(:\n",
      "nopython/package.py": "name = 'nopython'\nversion = '1.0'\n",
      "nopython/CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\ninclude(RezBuild)\nrez_install_python(py FILES mod.py DESTINATION python)\n",
      "nopython/mod.py": "X = 1\n",
    });
    const prefix = join(work, "pybad-repo");
    const bad = build("pybad", ["-i", "-p", prefix]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("SyntaxError");
    expect(bad.stderr).toContain("[PKG0036]");
    expect(existsSync(join(prefix, "pybad"))).toBe(false);
    const none = build("nopython");
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("rez_install_python(py): python must be a requirement of the build");
  });

  it("rez_install_context installs a resolved context and its graph; rez_install_doxygen without doxygen warns and builds the rest", () => {
    if (!cmakeReady()) return;
    writeTree(src, {
      "ctx/package.py": "name = 'ctx'\nversion = '1.0'\ndescription = 'with a context'\n",
      "ctx/CMakeLists.txt": [
        "cmake_minimum_required(VERSION 3.10)",
        "include(RezBuild)",
        "rez_install_context(context foo.rxt PACKAGES foo python-3 DESTINATION contexts)",
        "rez_install_doxygen(doc FILES src DESTINATION docs FORCE)",
        "",
      ].join("\n"),
      "ctx/src/a.h": "/** a function */\nint a();\n",
      "badctx/package.py": "name = 'badctx'\nversion = '1.0'\n",
      "badctx/CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\ninclude(RezBuild)\nrez_install_context(context x.rxt PACKAGES foo MODE earliest DESTINATION .)\n",
    });
    const prefix = join(work, "ctx-repo");
    // doxygen made missing even where it is installed
    const run = build("ctx", ["-i", "-p", prefix, "--", "-DDOXYGEN_EXECUTABLE=/nonexistent/doxygen"]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    expect(run.stderr.replace(/\s+/g, " ")).toContain("rez_install_doxygen(doc): doxygen is not on the build environment's PATH - the documentation was not built.");
    const file = join(prefix, "ctx", "1.0", "contexts", "foo.rxt");
    expect(statSync(file).mode & 0o222).toBe(0);
    expect(readFileSync(`${file}.dot`, "utf8")).toMatch(/^digraph g \{/);
    const context = runPkg(work, ["context", file]);
    expect(context.status).toBe(0);
    expect(context.stdout).toMatch(new RegExp(`foo-1\\.0 +${join(repo, "foo", "1.0")}`));
    expect(context.stdout).toMatch(/python-3\.11 /);
    expect(existsSync(join(prefix, "ctx", "1.0", "docs"))).toBe(false);
    const bad = build("badctx");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("rez_install_context(context): MODE earliest is not supported");
  });

  it("rez_install_doxygen with doxygen installed builds and installs the html", () => {
    if (!cmakeReady() || !have("doxygen")) return void console.log("skipping the doxygen build: doxygen is not installed");
    writeTree(src, {
      "dox/package.py": "name = 'dox'\nversion = '1.0'\ndescription = 'documented'\n",
      "dox/CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\ninclude(RezBuild)\nrez_install_doxygen(doc FILES src DESTINATION docs FORCE)\n",
      "dox/src/a.h": "/** a documented function */\nint documented();\n",
    });
    const prefix = join(work, "dox-repo");
    const run = build("dox", ["-i", "-p", prefix]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    expect(existsSync(join(prefix, "dox", "1.0", "docs", "html", "index.html"))).toBe(true);
  });

  it("rez_pip_install installs a wheel's modules into python and its scripts into bin", () => {
    if (!cmakeReady()) return;
    writeTree(src, {
      "pipt/package.py": "name = 'pipt'\nversion = '1.0'\nrequires = ['python-3']\n\ndef commands():\n    env.PYTHONPATH.append('{root}/python')\n    env.PATH.append('{root}/bin')\n",
      "pipt/CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\ninclude(RezBuild)\nrez_pip_install(demo URL dist/demo_mod-1.0-py3-none-any.whl)\n",
    });
    // a wheel made by hand: pip installs it without a network
    mkdirSync(join(src, "pipt", "dist"), { recursive: true });
    const made = spawnSync(
      "python3",
      [
        "-c",
        [
          "import sys, zipfile",
          "files = {'demo_mod.py': 'def main():\\n    print(\"hello from demo_mod\")\\n',",
          "  'demo_mod-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: demo-mod\\nVersion: 1.0\\n',",
          "  'demo_mod-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',",
          "  'demo_mod-1.0.dist-info/entry_points.txt': '[console_scripts]\\ndemo-hello = demo_mod:main\\n'}",
          "z = zipfile.ZipFile(sys.argv[1], 'w')",
          "[z.writestr(k, v) for k, v in files.items()]",
          "z.writestr('demo_mod-1.0.dist-info/RECORD', ''.join(k + ',,\\n' for k in list(files) + ['demo_mod-1.0.dist-info/RECORD']))",
          "z.close()",
        ].join("\n"),
        join(src, "pipt", "dist", "demo_mod-1.0-py3-none-any.whl"),
      ],
      { encoding: "utf8" },
    );
    expect(made.stderr).toBe("");
    const prefix = join(work, "pip-repo");
    const run = build("pipt", ["-i", "-p", prefix]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const root = join(prefix, "pipt", "1.0");
    expect(existsSync(join(root, "python", "demo_mod.py"))).toBe(true);
    expect(lstatSync(join(root, "bin", "demo-hello")).isFile()).toBe(true);
    const env = runPkg(work, ["--paths", `${prefix}:${repo}`, "env", "pipt", "-c", "demo-hello"]);
    expect(env.stdout).toBe("hello from demo_mod\n");
  });
});
