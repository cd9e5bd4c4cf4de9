// Black-box tests of `pkg build`: real source packages in temporary folders built with real bash, make,
// cmake (make and ninja generators) and g++, installed into temporary repositories.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runPkg, writeTree, type CliRun } from "./support/cli.js";

let work: string;
let repo: string;
let src: string;

function have(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

/** `pkg build ARGS` in the source folder `dir`, resolving from the test repository. */
function build(dir: string, args: readonly string[] = [], env: Record<string, string> = {}): CliRun {
  return runPkg(work, ["build", "--paths", repo, ...args], env, join(src, dir));
}

function pkg(args: readonly string[], env: Record<string, string> = {}): CliRun {
  return runPkg(work, ["--paths", repo, ...args], env);
}

function read(path: string): string {
  return readFileSync(path, "utf8");
}

function envFile(path: string): Record<string, string> {
  return Object.fromEntries(
    read(path)
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** Everything under `dir`: relative paths, links as `path -> target`. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      const r = rel ? `${rel}/${entry}` : entry;
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) out.push(`${r} -> ${readlinkSync(path)}`);
      else if (stats.isDirectory()) {
        out.push(`${r}/`);
        walk(path, r);
      } else out.push(r);
    }
  };
  walk(dir, "");
  return out;
}

const DUMP_ENV = 'env | grep "^REZ_BUILD_\\|^__PARSE_ARG_\\|^FOO_" | sort > "$REZ_BUILD_PATH/env.txt"';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-build-cli-"));
  repo = join(work, "repo");
  src = join(work, "src");
  writeTree(repo, {
    "foo/1.0/package.py": "name = 'foo'\nversion = '1.0'\n",
    "foo/1.1/package.py": "name = 'foo'\nversion = '1.1'\nbuild_requires = ['floob']\n",
    "floob/1.2.0/package.py": "name = 'floob'\nversion = '1.2.0'\n\ndef commands():\n    env.FLOOB_IN_BUILD = 'yes' if building else 'no'\n",
    "python/3.11/package.py": "name = 'python'\nversion = '3.11'\n",
  });
  writeTree(src, {
    // no variants, a string command with every placeholder and extra build args
    "hello/package.py": [
      "name = 'hello'",
      "version = '1.0'",
      "description = 'A test \\'package with \"quotes\" and $pecial characters & more!'",
      "authors = ['someone']",
      "requires = ['python-3']",
      "build_command = 'bash {root}/build.sh {install} root={root} bp={build_path} ip={install_path} n={name} vi=[{variant_index}] v={version} {{braces}}'",
      "",
      "def commands():",
      '    env.PATH.append("{root}/bin")',
      "",
    ].join("\n"),
    "hello/build.sh": [
      "set -e",
      DUMP_ENV,
      'printf "%s\\n" "$@" > "$REZ_BUILD_PATH/args.txt"',
      'pwd > "$REZ_BUILD_PATH/cwd.txt"',
      '[ -n "$HELLO_FAIL" ] && { echo "failing on purpose"; exit 4; }',
      'if [ "$1" = install ]; then',
      '  mkdir -p "$REZ_BUILD_INSTALL_PATH/bin"',
      '  printf "#!/bin/sh\\necho hello %s\\n" "$HELLO_STAMP" > "$REZ_BUILD_INSTALL_PATH/bin/hello"',
      '  chmod +x "$REZ_BUILD_INSTALL_PATH/bin/hello"',
      '  [ -n "$HELLO_EXTRA" ] && touch "$REZ_BUILD_INSTALL_PATH/$HELLO_EXTRA"',
      "fi",
      "exit 0",
      "",
    ].join("\n"),
    // plain variants, a list command, pre_build_commands, @early code reading `building`
    "multi/package.py": [
      "name = 'multi'",
      "version = '2.0'",
      "variants = [['foo-1.0'], ['foo-1.1']]",
      "build_command = ['bash', '{root}/build.sh', '{install}', '{variant_index}']",
      "",
      "@early()",
      "def private_build_requires():",
      "    return ['python'] if building else []",
      "",
      "@early()",
      "def description():",
      "    return 'built variant %d' % build_variant_index if building else 'the multi package'",
      "",
      "def pre_build_commands():",
      "    env.FOO_PRE_BUILD = 'install=%s root=%s type=%s' % (build.install, this.root, build.build_type)",
      "",
    ].join("\n"),
    "multi/build.sh": [
      "set -e",
      DUMP_ENV,
      'printf "%s\\n" "$@" > "$REZ_BUILD_PATH/args.txt"',
      'echo "building variant $REZ_BUILD_VARIANT_INDEX"',
      '[ "$MULTI_FAIL" = "$REZ_BUILD_VARIANT_INDEX" ] && exit 5',
      'if [ "$1" = install ]; then mkdir -p "$REZ_BUILD_INSTALL_PATH/data"; echo "$REZ_BUILD_VARIANT_INDEX $MULTI_STAMP" > "$REZ_BUILD_INSTALL_PATH/data/built"; fi',
      "exit 0",
      "",
    ].join("\n"),
    // hashed variants: _v shortlinks
    "bah/package.py": [
      "name = 'bah'",
      "version = '2.1'",
      "hashed_variants = True",
      "variants = [['foo-1.0'], ['foo-1.1']]",
      "build_command = 'mkdir -p $REZ_BUILD_INSTALL_PATH/python && echo $REZ_BUILD_VARIANT_INDEX > $REZ_BUILD_INSTALL_PATH/python/which'",
      "",
      "def commands():",
      "    env.BAH_WHICH = '{root}/python/which'",
      "",
    ].join("\n"),
    // a package.yaml and parse_build_args.py
    "yamlpkg/package.yaml": "name: yamlpkg\nversion: 0.5.0\ndescription: from yaml\nbuild_command: bash {root}/build.sh\n",
    "yamlpkg/build.sh": `${DUMP_ENV}\n`,
    "yamlpkg/parse_build_args.py": "parser.add_argument('--foo', action='store_true')\nparser.add_argument('--bar', nargs='*')\nparser.add_argument('--baz')\nparser.add_argument('--unset')\n",
    // a Makefile package built by the make build system
    "hai/package.py": "name = 'hai'\nversion = '1.0'\ntools = ['hai']\n\ndef commands():\n    env.PATH.append('{root}/bin')\n",
    "hai/Makefile": [
      "hai: $(REZ_BUILD_SOURCE_PATH)/main.cpp",
      "\tg++ -o hai $(REZ_BUILD_SOURCE_PATH)/main.cpp",
      "install: hai",
      "\tmkdir -p $(PREFIX)/bin && cp hai $(PREFIX)/bin/hai",
      "",
    ].join("\n"),
    "hai/main.cpp": '#include <cstdio>\nint main() { std::puts("Oh hai!"); }\n',
    // an unresolvable build request and a broken package
    "loco/package.py": "name = 'loco'\nversion = '3'\nrequires = ['foo-1.0', 'foo-1.1']\nbuild_command = 'true'\n",
    "nothing/package.py": "name = 'nothing'\nversion = '1'\n",
    "broken/package.py": "name = 'broken'\nversion = '1'\nrequires = [\n",
  });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("custom builds", () => {
  it("builds without installing: REZ_BUILD_* values of Rez, placeholders, headers, exit 0", () => {
    const run = build("hello");
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const buildPath = join(src, "hello", "build");
    const vars = envFile(join(buildPath, "env.txt"));
    expect(vars).toEqual({
      REZ_BUILD_ENV: "1",
      REZ_BUILD_PATH: buildPath,
      REZ_BUILD_THREAD_COUNT: expect.stringMatching(/^[1-9]\d*$/),
      REZ_BUILD_VARIANT_INDEX: "0",
      REZ_BUILD_VARIANT_REQUIRES: "",
      REZ_BUILD_VARIANT_SUBPATH: "",
      REZ_BUILD_PROJECT_VERSION: "1.0",
      REZ_BUILD_PROJECT_NAME: "hello",
      REZ_BUILD_PROJECT_DESCRIPTION: `A test 'package with "quotes" and $pecial characters & more!`,
      REZ_BUILD_PROJECT_FILE: join(src, "hello", "package.py"),
      REZ_BUILD_SOURCE_PATH: join(src, "hello"),
      REZ_BUILD_REQUIRES: expect.stringMatching(/^python-3 ~platform==\S+ ~arch==\S+ ~os==\S+$/),
      REZ_BUILD_REQUIRES_UNVERSIONED: "python platform arch os",
      REZ_BUILD_TYPE: "local",
      REZ_BUILD_INSTALL: "0",
      REZ_BUILD_INSTALL_PATH: join(work, "home", "packages", "hello", "1.0"),
    });
    // {install} is empty when not installing; braces of the command pass through as Python's format does
    expect(read(join(buildPath, "args.txt")).split("\n")).toEqual([
      `root=${join(src, "hello")}`,
      `bp=${buildPath}`,
      `ip=${join(work, "home", "packages", "hello", "1.0")}`,
      "n=hello",
      "vi=[]",
      "v=1.0",
      "{braces}",
      "",
    ]);
    expect(read(join(buildPath, "cwd.txt")).trim()).toBe(buildPath);
    expect(existsSync(join(buildPath, "build.rxt"))).toBe(true);
    expect(existsSync(join(buildPath, "variant.json"))).toBe(false);
    expect(existsSync(join(work, "home", "packages"))).toBe(false);
    const rule = "=".repeat(80);
    expect(run.stderr).toContain(`${rule}\nBuilding hello-1.0...\n${rule}`);
    expect(run.stderr).toContain("Resolving build environment: python-3\n");
    expect(run.stderr).toContain("Invoking custom build system...");
    expect(run.stderr).toContain(`Running build command: bash ${join(src, "hello")}/build.sh  root=`);
    expect(run.stderr).toContain(`${rule}\nBuild Summary\n${rule}\n\nAll 1 build(s) were successful.`);
    expect(run.stdout).toBe("");
  });

  it("installs into --prefix: layout, package.py as Rez writes it, extra args after -- unformatted", () => {
    const run = build("hello", ["-i", "-p", repo, "--", "{x}", "a b"], { HELLO_STAMP: "one" });
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const root = join(repo, "hello", "1.0");
    expect(tree(root)).toEqual(["bin/", "bin/hello", "build.rxt", "package.py"]);
    expect(statSync(join(root, "package.py")).mode & 0o777).toBe(0o444);
    const text = read(join(root, "package.py"));
    const timestamp = /^timestamp = (\d+)$/m.exec(text)?.[1];
    expect(timestamp).toBeDefined();
    expect(text).toBe(
      [
        "# -*- coding: utf-8 -*-",
        "",
        "name = 'hello'",
        "",
        "version = '1.0'",
        "",
        "description = \\",
        '    """',
        `    A test 'package with \\"quotes\\" and $pecial characters & more!`,
        '    """',
        "",
        "authors = ['someone']",
        "",
        "requires = ['python-3']",
        "",
        "def commands():",
        '    env.PATH.append("{root}/bin")',
        "",
        `timestamp = ${timestamp}`,
        "",
        "format_version = 2",
        "",
      ].join("\n"),
    );
    const vars = envFile(join(src, "hello", "build", "env.txt"));
    expect(vars.REZ_BUILD_INSTALL).toBe("1");
    expect(vars.REZ_BUILD_INSTALL_PATH).toBe(root);
    expect(read(join(src, "hello", "build", "args.txt")).split("\n").slice(0, 2)).toEqual(["install", `root=${join(src, "hello")}`]);
    expect(read(join(src, "hello", "build", "args.txt"))).toContain("{braces}\n{x}\na b\n");
    expect(run.stderr).toMatch(/Running build command: .* \{braces\} '\{x\}' 'a b'\n/);
    const env = pkg(["env", "hello", "--", "hello"]);
    expect(env.stdout).toBe("hello one\n");
  });

  it("--ba gives the build arguments as shell words", () => {
    const run = build("hello", ["--ba", "'a b' c{x}"]);
    expect(run.status).toBe(0);
    expect(read(join(src, "hello", "build", "args.txt"))).toContain("{braces}\na b\nc{x}\n");
  });

  it("a failed reinstall leaves the installed package byte for byte as it was; a good one replaces the payload", () => {
    const root = join(repo, "hello", "1.0");
    const before = tree(root);
    const packagePy = read(join(root, "package.py"));
    const run = build("hello", ["-i", "-p", repo], { HELLO_FAIL: "1", HELLO_EXTRA: "junk" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("failing on purpose");
    expect(run.stderr).toContain("[PKG0036]");
    expect(run.stderr).toContain(join(src, "hello", "build", "build.log"));
    expect(read(join(src, "hello", "build", "build.log"))).toContain("failing on purpose");
    expect(tree(root)).toEqual(before);
    expect(read(join(root, "package.py"))).toBe(packagePy);
    expect(read(join(root, "bin", "hello"))).toContain("hello one");
    expect(readdirSync(join(repo, "hello")).sort()).toEqual(["1.0"]);
    expect(readdirSync(repo).filter((e) => e.startsWith(".lock"))).toEqual([]);
    // a rebuild replaces the payload (Rez piles new files on old ones); the timestamp is kept
    const again = build("hello", ["-i", "-p", repo], { HELLO_STAMP: "two", HELLO_EXTRA: "extra" });
    expect(again.status).toBe(0);
    expect(tree(root)).toEqual(["bin/", "bin/hello", "build.rxt", "extra", "package.py"]);
    expect(read(join(root, "package.py"))).toBe(packagePy);
    const third = build("hello", ["-i", "-p", repo], { HELLO_STAMP: "three" });
    expect(third.status).toBe(0);
    expect(tree(root)).toEqual(["bin/", "bin/hello", "build.rxt", "package.py"]);
    expect(pkg(["env", "hello", "--", "hello"]).stdout).toBe("hello three\n");
  });

  it("variants: list command, pre_build_commands, @early with building, build order and paths", () => {
    const run = build("multi", ["-i", "-p", repo], { MULTI_STAMP: "a" });
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const rule = "=".repeat(80);
    expect(run.stderr).toContain(`${rule}\nBuilding variant 0 (1/2)...\n${rule}`);
    expect(run.stderr.indexOf("building variant 0")).toBeLessThan(run.stderr.indexOf("building variant 1"));
    // the @early private_build_requires sees building=True: python is in the build request
    expect(run.stderr).toContain("Resolving build environment: foo-1.0 python\n");
    for (const index of [0, 1]) {
      const subpath = `foo-1.${index}`;
      const buildPath = join(src, "multi", "build", subpath);
      const vars = envFile(join(buildPath, "env.txt"));
      expect(vars.REZ_BUILD_PATH).toBe(buildPath);
      expect(vars.REZ_BUILD_VARIANT_INDEX).toBe(String(index));
      expect(vars.REZ_BUILD_VARIANT_REQUIRES).toBe(subpath);
      expect(vars.REZ_BUILD_VARIANT_SUBPATH).toBe(subpath);
      expect(vars.REZ_BUILD_PROJECT_DESCRIPTION).toBe(`built variant ${index}`);
      expect(vars.REZ_BUILD_INSTALL_PATH).toBe(join(repo, "multi", "2.0", subpath));
      expect(vars.REZ_BUILD_REQUIRES).toMatch(new RegExp(`^foo-1.${index} python ~platform`));
      expect(vars.FOO_PRE_BUILD).toBe(`install=True root=${join(repo, "multi", "2.0", subpath)} type=local`);
      // a list command: `{install}` is given, an empty `{variant_index}` would be dropped
      expect(read(join(buildPath, "args.txt"))).toBe(`install\n${index}\n`);
      expect(JSON.parse(read(join(buildPath, "variant.json")))).toEqual({ index, data: [subpath] });
      expect(read(join(buildPath, "variant.json"))).toBe(`{\n  "index": ${index},\n  "data": [\n    "${subpath}"\n  ]\n}`);
    }
    // foo-1.1's build_requires (floob) is in the building resolve; its commands see building
    expect(read(join(src, "multi", "build", "foo-1.1", "build.rxt"))).toContain("floob");
    const installed = join(repo, "multi", "2.0");
    expect(tree(installed)).toEqual([
      "foo-1.0/",
      "foo-1.0/build.rxt",
      "foo-1.0/data/",
      "foo-1.0/data/built",
      "foo-1.0/variant.json",
      "foo-1.1/",
      "foo-1.1/build.rxt",
      "foo-1.1/data/",
      "foo-1.1/data/built",
      "foo-1.1/variant.json",
      "package.py",
    ]);
    const text = read(join(installed, "package.py"));
    // the installed package is the one evaluated with building False; build-only keys are dropped
    expect(text).toContain("description = 'the multi package'");
    expect(text).toContain("variants = [\n    ['foo-1.0'],\n    ['foo-1.1']\n]");
    expect(text).not.toContain("build_command");
    expect(text).not.toContain("pre_build_commands");
  });

  it("--variants with negative indices, out-of-order installs keep the source order, invalid indices are bad input", () => {
    const prefix = join(work, "order");
    const last = build("multi", ["-i", "-p", prefix, "--variants", "-1"]);
    expect(last.status).toBe(0);
    expect(last.stderr).toContain("Skipping variant 0 (1/2)...");
    expect(last.stderr).toContain("All 1 build(s) were successful.");
    const first = build("multi", ["-i", "-p", prefix, "--variants", "0"]);
    expect(first.status).toBe(0);
    expect(read(join(prefix, "multi", "2.0", "package.py"))).toContain("variants = [\n    ['foo-1.0'],\n    ['foo-1.1']\n]");
    const bad = build("multi", ["--variants", "-3", "5", "1"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("multi-2.0 does not have the variants -3, 5 [PKG0038]");
    const word = build("multi", ["--variants", "x"]);
    expect(word.status).toBe(2);
    expect(word.stderr).toContain("--variants takes variant indices");
  });

  it("a failing variant stops the build; the variant, its log and exit 1 are reported; the earlier variants' installs stay", () => {
    const installed = join(repo, "multi", "2.0");
    const before = read(join(installed, "foo-1.1", "data", "built"));
    const run = build("multi", ["-i", "-p", repo, "--json"], { MULTI_FAIL: "1", MULTI_STAMP: "b" });
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as { success: boolean; error: { code: string; message: string }; variants: { index: number; status: string; log: string; build_path: string; install_path: string; subpath: string; seconds: number }[] };
    expect(doc.success).toBe(false);
    expect(doc.error.code).toBe("PKG0036");
    expect(doc.error.message).toContain("multi-2.0 variant 1");
    expect(doc.variants.map((v) => [v.index, v.status])).toEqual([
      [0, "installed"],
      [1, "failed"],
    ]);
    expect(doc.variants[1]).toMatchObject({ subpath: "foo-1.1", build_path: join(src, "multi", "build", "foo-1.1"), install_path: join(installed, "foo-1.1"), log: join(src, "multi", "build", "foo-1.1", "build.log") });
    expect(typeof doc.variants[0]!.seconds).toBe("number");
    expect(read(join(installed, "foo-1.0", "data", "built"))).toBe("0 b\n");
    expect(read(join(installed, "foo-1.1", "data", "built"))).toBe(before);
    expect(readdirSync(join(repo, "multi")).sort()).toEqual(["2.0"]);
  });

  it("hashed variants get _v shortlinks; resolves use them", () => {
    const run = build("bah", ["-i", "-p", repo]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const base = join(repo, "bah", "2.1");
    expect(tree(base)).toEqual([
      "_v/",
      "_v/a -> ../f2dd99c6c010d9ea710dad6233ebfcdf64ee1355",
      "_v/b -> ../e3e2d7befb23eb48942a56643cc8e1cbf914a78b",
      "e3e2d7befb23eb48942a56643cc8e1cbf914a78b/",
      "e3e2d7befb23eb48942a56643cc8e1cbf914a78b/build.rxt",
      "e3e2d7befb23eb48942a56643cc8e1cbf914a78b/python/",
      "e3e2d7befb23eb48942a56643cc8e1cbf914a78b/python/which",
      "e3e2d7befb23eb48942a56643cc8e1cbf914a78b/variant.json",
      "f2dd99c6c010d9ea710dad6233ebfcdf64ee1355/",
      "f2dd99c6c010d9ea710dad6233ebfcdf64ee1355/build.rxt",
      "f2dd99c6c010d9ea710dad6233ebfcdf64ee1355/python/",
      "f2dd99c6c010d9ea710dad6233ebfcdf64ee1355/python/which",
      "f2dd99c6c010d9ea710dad6233ebfcdf64ee1355/variant.json",
      "package.py",
    ]);
    expect(existsSync(join(src, "bah", "build", "f2dd99c6c010d9ea710dad6233ebfcdf64ee1355", "build.rxt"))).toBe(true);
    const env = pkg(["env", "bah", "foo-1.1", "-c", 'cat "$BAH_WHICH"; echo "$BAH_WHICH"']);
    expect(env.stdout).toBe(`1\n${join(base, "_v", "b", "python", "which")}\n`);
    // a reinstall keeps the links
    expect(build("bah", ["-i", "-p", repo, "--variants", "1"]).status).toBe(0);
    expect(readdirSync(join(base, "_v")).sort()).toEqual(["a", "b"]);
    // variant_shortlinks_dirname empty: no links
    const plain = join(work, "nolinks");
    const config = join(work, "no-shortlinks.toml");
    writeFileSync(config, 'variant_shortlinks_dirname = ""\n');
    expect(build("bah", ["-i", "-p", plain], { PKG_CONFIG: config }).status).toBe(0);
    expect(existsSync(join(plain, "bah", "2.1", "_v"))).toBe(false);
  });

  it("package.yaml and parse_build_args.py options as __PARSE_ARG_* (Rez's quoting)", () => {
    const run = build("yamlpkg", ["--foo", "--bar", "a b", "c", "--baz", "x y"]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const vars = envFile(join(src, "yamlpkg", "build", "env.txt"));
    expect(vars.REZ_BUILD_PROJECT_NAME).toBe("yamlpkg");
    expect(vars.REZ_BUILD_PROJECT_FILE).toBe(join(src, "yamlpkg", "package.yaml"));
    expect(vars.__PARSE_ARG_FOO).toBe("1");
    expect(vars.__PARSE_ARG_BAR).toBe("'a b' c");
    expect(vars.__PARSE_ARG_BAZ).toBe("'x y'");
    expect(vars.__PARSE_ARG_UNSET).toBe("None");
    const unknown = build("yamlpkg", ["--nope"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown option: --nope");
    const installed = build("yamlpkg", ["-i", "-p", repo]);
    expect(installed.status).toBe(0);
    expect(existsSync(join(repo, "yamlpkg", "0.5.0", "package.py"))).toBe(true);
    expect(read(join(repo, "yamlpkg", "0.5.0", "package.py"))).toContain("description = 'from yaml'");
  });

  it("a pkg-rs style package.py with build fields builds and installs its variants", () => {
    writeTree(src, {
      "prs/package.py": [
        "from pkg import Package, Env, Evar",
        "",
        "def get_package():",
        "    p = Package('prs', '1.2.3')",
        "    p.reqs.append('foo@>=1.0')",
        "    p.description = 'a pkg-rs package'",
        "    p.build_requires = ['floob']",
        "    p.variants = [['foo-1.0'], ['foo-1.1']]",
        "    p.build_command = 'bash {root}/build.sh'",
        "    p.pre_build_commands = \"env.FOO_PRS = 'pre ' + str(this.index)\"",
        "    env = Env('default')",
        "    env.add(Evar('PRS_ROOT', '{root}', 'set'))",
        "    p.add_env(env)",
        "    return p",
        "",
      ].join("\n"),
      "prs/build.sh": `${DUMP_ENV}\n`,
    });
    const run = build("prs");
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    const vars = envFile(join(src, "prs", "build", "foo-1.1", "env.txt"));
    expect(vars.REZ_BUILD_PROJECT_NAME).toBe("prs");
    expect(vars.REZ_BUILD_PROJECT_VERSION).toBe("1.2.3");
    expect(vars.REZ_BUILD_PROJECT_DESCRIPTION).toBe("a pkg-rs package");
    expect(vars.REZ_BUILD_VARIANT_REQUIRES).toBe("foo-1.1");
    expect(vars.REZ_BUILD_REQUIRES).toMatch(/^foo@\S+ foo-1.1 floob ~platform/);
    expect(vars.FOO_PRS).toBe("pre 1");
    // installed as its source package.py (Rez's serialised form cannot express get_package())
    const prefix = join(work, "prs-repo");
    const install = build("prs", ["-i", "-p", prefix]);
    expect(install.stderr).not.toContain("pkg: error");
    expect(install.status).toBe(0);
    const installed = join(prefix, "prs", "1.2.3", "package.py");
    expect(read(installed)).toBe(read(join(src, "prs", "package.py")));
    expect(statSync(installed).mode & 0o777).toBe(0o444);
    expect(existsSync(join(prefix, "prs", "1.2.3", "foo-1.0", "build.rxt"))).toBe(true);
    expect(existsSync(join(prefix, "prs", "1.2.3", "foo-1.1", "build.rxt"))).toBe(true);
    const info = runPkg(work, ["--paths", prefix, "info", "prs"]);
    expect(info.stdout).toContain("# prs-1.2.3 (pkg-rs)");
    expect(info.stdout).toContain("name: PRS_ROOT");
  });

  it("pkg build -i installs a pkg-rs style package whose environment and apps work from the install", () => {
    writeTree(src, {
      "prstool/package.py": [
        "from pkg import Package, Env, Evar, App",
        "from pathlib import Path",
        "",
        "def get_package():",
        "    p = Package('prstool', '2.0.0')",
        "    p.build_command = 'bash {root}/build.sh {install}'",
        "    here = Path(__file__).parent",
        "    env = Env('default')",
        "    env.add(Evar('PRSTOOL_HOME', str(here), 'set'))",
        "    env.add(Evar('PATH', '{PRSTOOL_HOME}/bin', 'insert'))",
        "    p.add_env(env)",
        "    p.add_app(App('prstool').with_path(str(here / 'bin' / 'prstool')))",
        "    return p",
        "",
      ].join("\n"),
      "prstool/build.sh": [
        "set -e",
        'if [ "$1" = install ]; then',
        '  mkdir -p "$REZ_BUILD_INSTALL_PATH/bin"',
        `  printf '#!/bin/sh\\necho "prstool in $PRSTOOL_HOME"\\n' > "$REZ_BUILD_INSTALL_PATH/bin/prstool"`,
        '  chmod +x "$REZ_BUILD_INSTALL_PATH/bin/prstool"',
        "fi",
        "",
      ].join("\n"),
    });
    const prefix = join(work, "prstool-repo");
    const install = build("prstool", ["-i", "-p", prefix]);
    expect(install.stderr).not.toContain("pkg: error");
    expect(install.status).toBe(0);
    const root = join(prefix, "prstool", "2.0.0");
    expect(tree(root)).toEqual(["bin/", "bin/prstool", "build.rxt", "package.py"]);
    expect(read(join(root, "package.py"))).toBe(read(join(src, "prstool", "package.py")));
    // __file__ is the installed package.py: the environment points into the install
    const env = runPkg(work, ["--paths", prefix, "env", "prstool", "-c", "prstool; echo $REZ_PRSTOOL_ROOT"]);
    expect(env.stderr).toBe("");
    expect(env.stdout).toBe(`prstool in ${root}\n${root}\n`);
    // a reinstall replaces the payload and the file
    writeFileSync(join(src, "prstool", "package.py"), read(join(src, "prstool", "package.py")).replace("'2.0.0')", "'2.0.0')\n    p.description = 'again'"));
    expect(build("prstool", ["-i", "-p", prefix]).status).toBe(0);
    expect(read(join(root, "package.py"))).toContain("p.description = 'again'");
    expect(tree(root)).toEqual(["bin/", "bin/prstool", "build.rxt", "package.py"]);
  });

  it("--scripts writes build-env scripts that run non-interactively in the build environment", () => {
    const run = build("multi", ["-s"]);
    expect(run.status).toBe(0);
    const script = join(src, "multi", "build", "foo-1.1", "build-env");
    expect(run.stderr).toContain(`The following executable script(s) have been created:\n${join(src, "multi", "build", "foo-1.0", "build-env")}\n${script}`);
    expect(statSync(script).mode & 0o111).not.toBe(0);
    const shell = spawnSync(script, ["-c", 'echo "$REZ_BUILD_VARIANT_INDEX $FOO_PRE_BUILD $FLOOB_IN_BUILD $(pwd)"'], { encoding: "utf8", env: { ...isolatedEnv(work) } });
    expect(shell.stderr).toBe("");
    expect(shell.stdout).toBe(`1 install=False root=${join(work, "home", "packages", "multi", "2.0", "foo-1.1")} type=local yes ${join(src, "multi", "build", "foo-1.1")}\n`);
    expect(spawnSync(script, ["-c", "exit 3"], { env: isolatedEnv(work) }).status).toBe(3);
    // the variables are set in Rez's order
    const spec = JSON.parse(read(join(src, "multi", "build", "foo-1.1", "build-env.json"))) as { callbackSteps: { key: string }[] };
    expect(spec.callbackSteps.map((s) => s.key).slice(0, 16)).toEqual([
      "REZ_BUILD_ENV",
      "REZ_BUILD_PATH",
      "REZ_BUILD_THREAD_COUNT",
      "REZ_BUILD_VARIANT_INDEX",
      "REZ_BUILD_VARIANT_REQUIRES",
      "REZ_BUILD_VARIANT_SUBPATH",
      "REZ_BUILD_PROJECT_VERSION",
      "REZ_BUILD_PROJECT_NAME",
      "REZ_BUILD_PROJECT_DESCRIPTION",
      "REZ_BUILD_PROJECT_FILE",
      "REZ_BUILD_SOURCE_PATH",
      "REZ_BUILD_REQUIRES",
      "REZ_BUILD_REQUIRES_UNVERSIONED",
      "REZ_BUILD_TYPE",
      "REZ_BUILD_INSTALL",
      "REZ_BUILD_INSTALL_PATH",
    ]);
  });

  it("--clean empties the build folder first; -j 2 builds variants at once with prefixed output and a log each", () => {
    const stale = join(src, "multi", "build", "foo-1.0", "stale");
    writeFileSync(stale, "");
    const run = build("multi", ["-c", "-j", "2"]);
    expect(run.status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(run.stderr).toContain("[0] building variant 0\n");
    expect(run.stderr).toContain("[1] building variant 1\n");
    expect(read(join(src, "multi", "build", "foo-1.0", "build.log"))).toContain("building variant 0\n");
    expect(read(join(src, "multi", "build", "foo-1.1", "build.log"))).toContain("building variant 1\n");
  });

  it("two pkg build -i of one package at once give one consistent install", async () => {
    const prefix = join(work, "race");
    const start = (): Promise<number | null> =>
      new Promise((done) => {
        const child = spawn(process.execPath, [cliPath, "build", "--paths", repo, "-i", "-p", prefix], { cwd: join(src, "hello"), env: { ...isolatedEnv(work), HELLO_STAMP: "race" }, stdio: "ignore" });
        child.on("close", done);
      });
    const statuses = await Promise.all([start(), start()]);
    expect(statuses.filter((s) => s === 0).length).toBeGreaterThanOrEqual(1);
    expect(tree(join(prefix, "hello", "1.0"))).toEqual(["bin/", "bin/hello", "build.rxt", "package.py"]);
    expect(readdirSync(join(prefix, "hello"))).toEqual(["1.0"]);
    expect(readdirSync(prefix).filter((e) => e.startsWith("."))).toEqual([]);
  });
});

describe("package tests", () => {
  it("pre_install tests run on the staged variant inside pkg build -i; a failing one installs nothing", () => {
    writeTree(src, {
      "tested/package.py": [
        "name = 'tested'",
        "version = '1.0'",
        "variants = [['foo-1.0'], ['foo-1.1']]",
        "build_command = 'mkdir -p $REZ_BUILD_INSTALL_PATH/bin && printf \"#!/bin/sh\\necho tested $REZ_BUILD_VARIANT_INDEX\\n\" > $REZ_BUILD_INSTALL_PATH/bin/tested && chmod +x $REZ_BUILD_INSTALL_PATH/bin/tested'",
        "tests = {",
        "    'runs': {'command': 'tested | grep -q \"tested $WANT\"', 'run_on': ['pre_install', 'default'], 'on_variants': True},",
        "    'unit': 'echo unit {root} $TESTED_PRE',",
        "    'each': {'command': ['sh', '-c', 'echo each $0', '{version}'], 'on_variants': True},",
        "    'only11': {'command': 'true', 'on_variants': {'type': 'requires', 'value': ['foo-1.1']}},",
        "    'explicit': {'command': 'exit 3', 'run_on': 'explicit'},",
        "}",
        "",
        "def commands():",
        "    env.PATH.append('{root}/bin')",
        "",
        "def pre_test_commands():",
        "    env.TESTED_PRE = 'test=%s index=%s' % (test.name, this.index)",
        "",
      ].join("\n"),
    });
    const prefix = join(work, "tested-repo");
    const bad = build("tested", ["-i", "-p", prefix], { WANT: "nope" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("Running pre_install tests: runs");
    expect(bad.stderr).toContain("[PKG0040]");
    expect(existsSync(join(prefix, "tested"))).toBe(false);
    const good = build("tested", ["-i", "-p", prefix, "--variants", "1"], { WANT: "1" });
    expect(good.stderr).not.toContain("pkg: error");
    expect(good.status).toBe(0);
    expect(good.stderr).toContain("1 succeeded, 0 failed, 0 skipped");
    expect(existsSync(join(prefix, "tested", "1.0", "foo-1.1", "bin", "tested"))).toBe(true);
  });

  it("pkg test: -l, default tests, globs, on_variants, pre_test_commands, the summary and exit statuses", () => {
    const prefix = join(work, "tested-repo");
    expect(build("tested", ["-i", "-p", prefix, "--variants", "0"], { WANT: "0" }).status).toBe(0);
    const paths = `${prefix}:${repo}`;
    const list = runPkg(work, ["test", "--paths", paths, "tested", "-l"]);
    expect(list.stdout).toBe("each\nexplicit\nonly11\nruns\nunit\n");
    const run = runPkg(work, ["test", "--paths", paths, "tested"], { WANT: "" });
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("each 1.0\neach 1.0\n");
    expect(run.stdout).toMatch(new RegExp(`unit ${join(prefix, "tested", "1.0")}/foo-1\\.\\d test=unit index=\\d`));
    expect(run.stdout).toContain("Test results:\n" + "-".repeat(80) + "\n6 succeeded, 0 failed, 1 skipped\n");
    expect(run.stdout).toMatch(/only11 +skipped .*Test skipped as specified by on_variants 'requires' filter/);
    expect(run.stdout).not.toContain("explicit");
    const failing = runPkg(work, ["test", "--paths", paths, "tested", "ex*"]);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain("0 succeeded, 1 failed, 0 skipped");
    expect(failing.stdout).toContain("Test failed with exit code 3");
    const dry = runPkg(work, ["test", "--paths", paths, "tested", "unit", "--dry-run", "--json"]);
    expect(dry.status).toBe(0);
    const doc = JSON.parse(dry.stdout) as { results: { test: string; status: string; description: string }[]; skipped: number };
    expect(doc.results.map((r) => [r.test, r.status, r.description])).toEqual([["unit", "skipped", "Dry run mode"]]);
    const none = runPkg(work, ["test", "--paths", paths, "foo"]);
    expect(none.status).toBe(0);
    expect(none.stderr).toContain("No tests found in");
    const missing = runPkg(work, ["test", "--paths", paths, "nosuchpackage"]);
    expect(missing.status).toBe(2);
  });
});

describe("bad input and failures", () => {
  it("no package, no build system, an unknown one, a broken package.py: exit 2 with the reason", () => {
    const none = runPkg(work, ["build"], {}, work);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("no package definition in");
    const nothing = build("nothing");
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain("no build system is associated with the path");
    const unknown = build("hello", ["-b", "scons"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown build system 'scons' [PKG0035]");
    const broken = build("broken");
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain("cannot load the package to build");
    expect(broken.stderr).toContain("package.py");
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    const both = build("hello", ["--ba", "x", "--", "y"]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain("--build-args is not allowed with arguments after '--'");
    const remote = build("hello", ["--process", "remote"]);
    expect(remote.status).toBe(2);
    const cmakeOption = build("hello", ["--bt", "Debug"]);
    expect(cmakeOption.status).toBe(2);
    expect(cmakeOption.stderr).toContain("--bt is an option of the cmake build system, and hello-1.0 builds with custom");
  });

  it("an unresolvable build request: exit 1, the failure explained, build.rxt written", () => {
    const run = build("loco", ["-i", "-p", join(work, "loco-repo")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("[PKG0037]");
    expect(run.stderr).toContain("did not resolve");
    expect(run.stderr).toMatch(/conflict|foo/);
    const rxt = JSON.parse(read(join(src, "loco", "build", "build.rxt"))) as { status: string };
    expect(rxt.status).toBe("failed");
    expect(existsSync(join(work, "loco-repo", "loco"))).toBe(false);
    // --fail-graph FILE, as in pkg solve and pkg env
    const file = join(work, "loco.dot");
    const graph = build("loco", ["--fail-graph", file]);
    expect(graph.status).toBe(1);
    expect(graph.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toMatch(/^digraph/);
  });

  it("preprocess functions change the package built: its own, the configured one, in the configured order", () => {
    writeTree(src, {
      "pre/package.py":
        "name = 'pre'\nversion = '1.0'\nbuild_command = 'true'\n\n" +
        "def preprocess(this, data):\n    data['authors'] = ['local']\n    data['description'] = 'version ' + str(this.version)\n",
      "studio/rezutils/checks.py":
        "def stamp(this, data):\n    data.setdefault('authors', []).append('global')\n    data['requires'] = ['python-3.11']\n\n" +
        "def refuse(this, data):\n    raise InvalidPackageError('name %s is not allowed' % this.name)\n",
    });
    const studio = (fn: string, mode: string) => {
      writeFileSync(join(work, "pre.toml"), `package_preprocess_function = "checks.${fn}"\npackage_preprocess_mode = "${mode}"\npackage_definition_build_python_paths = ["${join(src, "studio", "rezutils")}"]\n`);
      return { PKG_CONFIG: join(work, "pre.toml") };
    };
    const own = build("pre", ["-i", "-p", repo]);
    expect(own.status, own.stderr).toBe(0);
    expect(own.stderr).toContain("Applying local preprocess function\n");
    expect(own.stderr).toContain("Package attributes were changed in preprocessing:\nAdded attributes: ['authors', 'description']\n");
    const installed = read(join(repo, "pre", "1.0", "package.py"));
    expect(installed).toContain("authors = ['local']");
    expect(installed).toContain("description = 'version 1.0'");
    expect(installed).not.toContain("preprocess");
    // "override" (Rez's default): the package's own replaces the configured one
    expect(build("pre", ["-i", "-p", repo], studio("stamp", "override")).stderr).not.toContain("global preprocess");
    const before = build("pre", ["-i", "-p", repo], studio("stamp", "before"));
    expect(before.status, before.stderr).toBe(0);
    expect(before.stderr).toMatch(/Applying local preprocess function\n(.|\n)*Applying global preprocess function\n/);
    const both = read(join(repo, "pre", "1.0", "package.py"));
    expect(both).toContain("authors = [\n    'local',\n    'global'\n]");
    expect(both).toContain("requires = ['python-3.11']");
    const refused = build("pre", ["-i", "-p", repo], studio("refuse", "after"));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("the package was refused by its preprocess function: name pre is not allowed");
    const missing = build("pre", [], studio("nothere", "after"));
    expect(missing.status).toBe(0);
    expect(missing.stderr).toContain("Function 'checks.nothere' not found");
  });

  it("--view-pre prints the package as it is built", () => {
    const run = build("multi", ["--view-pre"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("name = 'multi'");
    expect(run.stdout).toContain("build_command = [");
  });
});

describe("make and cmake builds", () => {
  it("make: a Makefile package builds with g++ and installs with PREFIX", () => {
    if (!have("make") || !have("g++")) return void console.log("skipping the make build: make or g++ is not installed");
    const run = build("hai", ["-i", "-p", repo]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("Invoking make build system...");
    expect(run.stderr).toMatch(/Executing: \S*make -f \S+Makefile -j\d+ PREFIX=\S+hai\/1.0\n/);
    expect(pkg(["env", "hai", "--", "hai"]).stdout).toBe("Oh hai!\n");
  });

  it("cmake: a library with rez_install_* and rez_install_cmake, and a program that finds it with rez_find_packages", () => {
    if (!have("cmake") || !have("make") || !have("g++")) return void console.log("skipping the cmake builds: cmake, make or g++ is not installed");
    writeTree(src, {
      "translate_lib/package.py": "name = 'translate_lib'\nversion = '2.2.0'\n\ndef commands():\n    env.CMAKE_MODULE_PATH.append('{root}/cmake')\n    env.LD_LIBRARY_PATH.append('{root}/lib')\n",
      "translate_lib/CMakeLists.txt": [
        "cmake_minimum_required(VERSION 3.10)",
        "include(RezBuild)",
        'message(STATUS "version ${TRANSLATE_LIB_VERSION} ${TRANSLATE_LIB_MAJOR_VERSION}.${TRANSLATE_LIB_MINOR_VERSION}.${TRANSLATE_LIB_PATCH_VERSION} ${CMAKE_BUILD_TYPE}")',
        "add_library(translate SHARED src/translate.cpp)",
        "install(TARGETS translate DESTINATION lib)",
        'file(GLOB h_files "src/*.h")',
        "rez_install_files(${h_files} RELATIVE src DESTINATION include/translate)",
        'file(GLOB doc_files "docs/*")',
        "rez_install_files(${doc_files} RELATIVE src DESTINATION docs LOCAL_SYMLINK)",
        "rez_install_cmake(DESTINATION cmake INCLUDE_DIRS include LIBRARY_DIRS lib LIBRARIES translate)",
        "",
      ].join("\n"),
      "translate_lib/src/translate.h": "const char* greet();\n",
      "translate_lib/src/translate.cpp": '#include "translate.h"\nconst char* greet() { return "hola amigo"; }\n',
      "translate_lib/docs/a spaced document": "doc\n",
      "translate_lib/docs/an_unspaced_document": "doc\n",
      "sup_world/package.py": "name = 'sup_world'\nversion = '3.8'\nrequires = ['translate_lib-2']\ntools = ['greeter']\n\ndef commands():\n    env.PATH.append('{root}/bin')\n",
      "sup_world/CMakeLists.txt": [
        "cmake_minimum_required(VERSION 3.10)",
        "include(RezBuild)",
        "rez_find_packages(PREFIX pkgs AUTO)",
        "add_executable(greeter main.cpp)",
        "target_link_libraries(greeter ${pkgs_LIBRARIES})",
        "install(TARGETS greeter DESTINATION bin)",
        "",
      ].join("\n"),
      "sup_world/main.cpp": '#include <cstdio>\n#include "translate/translate.h"\nint main() { std::puts(greet()); }\n',
    });
    const lib = build("translate_lib", ["-i", "-p", repo, "--bt", "Debug"]);
    expect(lib.stderr).not.toContain("pkg: error");
    expect(lib.status).toBe(0);
    const root = join(repo, "translate_lib", "2.2.0");
    expect(lib.stderr).toContain(`-DCMAKE_INSTALL_PREFIX=${root} `);
    expect(lib.stderr).toMatch(/-DCMAKE_BUILD_TYPE=Debug -DREZ_BUILD_TYPE=local -DREZ_BUILD_INSTALL=1 -G 'Unix Makefiles'\n/);
    expect(lib.stderr).toContain("version 2.2.0 2.2.0 Debug");
    expect(existsSync(join(root, "docs", "a spaced document"))).toBe(true);
    expect(lstatSync(join(root, "docs", "an_unspaced_document")).isSymbolicLink()).toBe(true);
    expect(statSync(join(root, "include", "translate", "translate.h")).mode & 0o222).toBe(0);
    expect(read(join(root, "cmake", "translate_lib.cmake"))).toContain("translate_lib_LIBRARIES translate");
    const exe = build("sup_world", ["-i", "-p", repo]);
    expect(exe.stderr).not.toContain("pkg: error");
    expect(exe.status).toBe(0);
    expect(pkg(["env", "sup_world", "--", "greeter"]).stdout).toBe("hola amigo\n");
  });

  it("cmake with the ninja generator; --scripts configures and writes build-env; a missing cmake binary is exit 1", () => {
    if (!have("cmake") || !have("ninja") || !have("g++")) return void console.log("skipping the ninja build: cmake, ninja or g++ is not installed");
    writeTree(src, {
      "nin/package.py": "name = 'nin'\nversion = '1.0'\n",
      "nin/CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\ninclude(RezBuild)\nadd_executable(nin main.cpp)\ninstall(TARGETS nin DESTINATION bin)\n",
      "nin/main.cpp": "int main() { return 0; }\n",
      "nin/Makefile": "all:\n\tfalse\n",
      "nocmake/package.py": "name = 'nocmake'\nversion = '1.0'\n\nwith scope('config') as config:\n    config.plugins = {'build_system': {'cmake': {'cmake_binary': '/nonexistent/cmake'}}}\n",
      "nocmake/CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\n",
    });
    // CMakeLists.txt and a Makefile: cmake (Rez errors out)
    const run = build("nin", ["-i", "-p", repo, "--bs", "ninja", "--", "-DX=1", "--", "-v"]);
    expect(run.stderr).not.toContain("pkg: error");
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("Invoking cmake build system...");
    expect(run.stderr).toMatch(/-Wno-dev --no-warn-unused-cli -DX=1 -DCMAKE_INSTALL_PREFIX=/);
    expect(run.stderr).toContain("-G Ninja\n");
    expect(run.stderr).toMatch(/Executing: \S*ninja -v -j\d+ install\n/);
    expect(existsSync(join(repo, "nin", "1.0", "bin", "nin"))).toBe(true);
    // a studio's configuration chooses the generator (plugins.build_system.cmake), as a rezconfig would
    writeFileSync(join(work, "studio.toml"), '[plugins.build_system.cmake]\nbuild_system = "ninja"\nbuild_target = "Debug"\n');
    const configured = build("nin", ["-c"], { PKG_CONFIG: join(work, "studio.toml") });
    expect(configured.status).toBe(0);
    expect(configured.stderr).toContain("-DCMAKE_BUILD_TYPE=Debug");
    expect(configured.stderr).toContain("-G Ninja\n");
    const scripts = build("nin", ["-s", "-c"]);
    expect(scripts.status).toBe(0);
    expect(existsSync(join(src, "nin", "build", "CMakeCache.txt"))).toBe(true);
    expect(existsSync(join(src, "nin", "build", "nin"))).toBe(false);
    const make = spawnSync(join(src, "nin", "build", "build-env"), ["-c", "make >/dev/null 2>&1 || ninja >/dev/null && test -x nin && echo built"], { encoding: "utf8", env: isolatedEnv(work) });
    expect(make.stdout).toBe("built\n");
    const missing = build("nocmake");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("cmake binary does not exist: /nonexistent/cmake [PKG0039]");
  });
});
