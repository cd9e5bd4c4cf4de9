// Tables of cases for the pure parts of the build: argument groups, paths, variant selection, the build
// request, build command placeholders, __PARSE_ARG_* values, shortlink names, thread counts.
import { describe, expect, it } from "vitest";
import type { PackageDefinition } from "../package/index.js";
import { PkgError } from "../errors/index.js";
import { buildArguments, splitArgumentGroups, splitWords } from "./args.js";
import { buildVariables, physicalCoreCount } from "./environment.js";
import { base26Name, includedModules } from "./install.js";
import { buildRoot, variantPaths } from "./paths.js";
import { cmakeConfigureCommand, cmakeMakeCommands, cmakeSettings } from "./systems/cmake.js";
import { commandPlaceholders, customCommand, parseArgVariables } from "./systems/custom.js";
import { formatPlaceholders, shlexQuote } from "./systems/format.js";
import { makeCommands } from "./systems/make.js";
import { buildRequest, selectVariants } from "./variants.js";

function definition(attributes: PackageDefinition["attributes"]): PackageDefinition {
  return { name: "foo", version: "1.2", format: "rez", file: "/src/foo/package.py", attributes: { name: "foo", version: "1.2", ...attributes } };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof PkgError ? error.code : "other";
  }
  return "none";
}

describe("argument groups", () => {
  it.each([
    [["-i"], ["-i"], []],
    [["-i", "--", "a", "b"], ["-i"], [["a", "b"]]],
    [["--", "a", "--", "b"], [], [["a"], ["b"]]],
    [["--", "--", "b"], [], [[], ["b"]]],
    [["x", "--"], ["x"], [[]]],
  ])("%j splits into own %j and groups %j", (argv, own, groups) => {
    expect(splitArgumentGroups(argv)).toEqual({ own, groups });
  });

  it.each([
    ["a b", ["a", "b"]],
    ["  -DX=1   -DY=2 ", ["-DX=1", "-DY=2"]],
    ["-DX='a b' c", ["-DX=a b", "c"]],
    ['"x y" z\\ w', ["x y", "z w"]],
    ["'it'\"'\"'s'", ["it's"]],
    ["", []],
  ])("splitWords(%j) is %j", (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it("an unclosed quote is bad input", () => {
    expect(codeOf(() => splitWords("'x"))).toBe("PKG0002");
  });

  it.each([
    [{}, [], [], []],
    [{}, [["a"]], ["a"], []],
    [{}, [["a"], ["b", "c"]], ["a"], ["b", "c"]],
    [{ buildArgs: "x y" }, [], ["x", "y"], []],
    [{ buildArgs: "x" }, [[]], ["x"], []],
    [{ childBuildArgs: "VERBOSE=1" }, [["a"]], ["a"], ["VERBOSE=1"]],
  ])("buildArguments(%j, %j)", (options, groups, buildArgs, childBuildArgs) => {
    expect(buildArguments(options, groups)).toEqual({ buildArgs, childBuildArgs });
  });

  it.each([
    [{ buildArgs: "x" }, [["a"]]],
    [{ childBuildArgs: "x" }, [[], ["b"]]],
    [{}, [["a"], ["b"], ["c"]]],
  ])("buildArguments(%j, %j) is bad input", (options, groups) => {
    expect(codeOf(() => buildArguments(options, groups))).toBe("PKG0002");
  });
});

describe("paths", () => {
  it.each([
    ["/src/foo", "build", "/src/foo/build"],
    ["/src/foo", "out/build", "/src/foo/out/build"],
    ["/src/foo", "/tmp/b", "/tmp/b"],
    ["/src/foo", "../b", "/src/b"],
  ])("buildRoot(%j, %j) is %j", (source, dir, root) => {
    expect(buildRoot(source, dir)).toBe(root);
  });

  it.each([
    ["1.2", null, { buildPath: "/s/build", packageInstallPath: "/r/foo/1.2", installPath: "/r/foo/1.2" }],
    ["1.2", "python-3.11", { buildPath: "/s/build/python-3.11", packageInstallPath: "/r/foo/1.2", installPath: "/r/foo/1.2/python-3.11" }],
    ["", "a/b", { buildPath: "/s/build/a/b", packageInstallPath: "/r/foo", installPath: "/r/foo/a/b" }],
  ])("version %j, subpath %j", (version, subpath, paths) => {
    expect(variantPaths({ buildRoot: "/s/build", installRoot: "/r", name: "foo", version, subpath })).toEqual(paths);
  });
});

describe("variant selection", () => {
  it.each([
    [2, undefined, [0, 1]],
    [2, [-1], [1]],
    [2, [-2], [0]],
    [2, [1, -1], [1]],
    [2, [0, -1], [0, 1]],
    [3, [2, 0, 2], [0, 2]],
    [0, undefined, [null]],
    [0, [0], [null]],
    [0, [-1], [null]],
  ])("%d variants, --variants %j builds %j", (count, requested, built) => {
    expect(selectVariants(count, requested, "foo-1.2")).toEqual(built);
  });

  it.each([
    [2, [-3], "foo-1.2 does not have the variant -3"],
    [2, [5, -3], "foo-1.2 does not have the variants -3, 5"],
    [0, [1], "foo-1.2 does not have the variant 1"],
  ])("%d variants, --variants %j: %s", (count, requested, message) => {
    expect(() => selectVariants(count, requested, "foo-1.2")).toThrow(message);
    expect(codeOf(() => selectVariants(count, requested, "foo-1.2"))).toBe("PKG0038");
  });
});

describe("build request", () => {
  it("is requires, the variant's requires, build_requires, private_build_requires (Rez's order), normalised", () => {
    const d = definition({
      requires: ["python>=3", "~maya"],
      variants: [["platform-linux", "arch-x86_64"], ["platform-windows"]],
      build_requires: ["cmake-3+"],
      private_build_requires: ["gcc-11"],
    });
    expect(buildRequest(d, 0)).toEqual(["python-3+", "~maya", "platform-linux", "arch-x86_64", "cmake-3+", "gcc-11"]);
    expect(buildRequest(d, 1)).toEqual(["python-3+", "~maya", "platform-windows", "cmake-3+", "gcc-11"]);
    expect(buildRequest(definition({ requires: ["a"] }), null)).toEqual(["a"]);
  });
});

describe("REZ_BUILD_* variables", () => {
  it("are Rez's, in Rez's order", () => {
    const vars = buildVariables({
      definition: definition({ description: "  the foo package \n" }),
      index: 1,
      variantRequires: ["python-3.11"],
      subpath: "python-3.11",
      buildPath: "/src/foo/build/python-3.11",
      installPath: "/r/foo/1.2/python-3.11",
      install: true,
      buildType: "local",
      threads: 4,
      requires: ["python-3.11", "~platform==linux", "!loco"],
    });
    expect(vars).toEqual([
      ["REZ_BUILD_ENV", "1"],
      ["REZ_BUILD_PATH", "/src/foo/build/python-3.11"],
      ["REZ_BUILD_THREAD_COUNT", "4"],
      ["REZ_BUILD_VARIANT_INDEX", "1"],
      ["REZ_BUILD_VARIANT_REQUIRES", "python-3.11"],
      ["REZ_BUILD_VARIANT_SUBPATH", "python-3.11"],
      ["REZ_BUILD_PROJECT_VERSION", "1.2"],
      ["REZ_BUILD_PROJECT_NAME", "foo"],
      ["REZ_BUILD_PROJECT_DESCRIPTION", "the foo package"],
      ["REZ_BUILD_PROJECT_FILE", "/src/foo/package.py"],
      ["REZ_BUILD_SOURCE_PATH", "/src/foo"],
      ["REZ_BUILD_REQUIRES", "python-3.11 ~platform==linux !loco"],
      ["REZ_BUILD_REQUIRES_UNVERSIONED", "python platform loco"],
      ["REZ_BUILD_TYPE", "local"],
      ["REZ_BUILD_INSTALL", "1"],
      ["REZ_BUILD_INSTALL_PATH", "/r/foo/1.2/python-3.11"],
    ]);
  });

  it("physical cores come from /proc/cpuinfo's core ids", () => {
    const cpu = (physical: number, core: number): string => `processor\t: 0\nphysical id\t: ${physical}\ncore id\t\t: ${core}\n`;
    expect(physicalCoreCount([cpu(0, 0), cpu(0, 0), cpu(0, 1), cpu(0, 1)].join("\n"))).toBe(2);
    expect(physicalCoreCount([cpu(0, 0), cpu(1, 0)].join("\n"))).toBe(2);
  });
});

describe("custom build commands", () => {
  const placeholders = commandPlaceholders({
    sourceDir: "/src/foo",
    install: false,
    buildPath: "/src/foo/build",
    installPath: "/r/foo/1.2",
    definition: definition({}),
    index: null,
  });

  it.each([
    ["make -f {root}/Makefile {install}", [], "make -f /src/foo/Makefile"],
    ["echo {name}-{version} [{variant_index}] {build_path} {install_path}", [], "echo foo-1.2 [] /src/foo/build /r/foo/1.2"],
    ["awk '{{print $1}}'", [], "awk '{print $1}'"],
    ["run", ["{name}", "a b", "it's"], "run '{name}' 'a b' 'it'\"'\"'s'"],
  ])("string %j with args %j runs %j", (command, args, code) => {
    expect(customCommand(definition({ build_command: command }), placeholders, args)).toEqual({ kind: "shell", code });
  });

  it.each([
    [["python", "{root}/build.py", "{install}"], [], ["python", "/src/foo/build.py"]],
    [["python", "{root}/build.py", "{install}", ""], ["{x}"], ["python", "/src/foo/build.py", "", "{x}"]],
  ])("list %j with args %j runs %j", (command, args, argv) => {
    expect(customCommand(definition({ build_command: command }), placeholders, args)).toEqual({ kind: "argv", argv });
  });

  it("False builds nothing; unknown placeholders and other types are bad input", () => {
    expect(customCommand(definition({ build_command: false }), placeholders, [])).toEqual({ kind: "none" });
    expect(codeOf(() => customCommand(definition({ build_command: "x {nope}" }), placeholders, []))).toBe("PKG0034");
    expect(codeOf(() => customCommand(definition({ build_command: "x {" }), placeholders, []))).toBe("PKG0034");
    expect(codeOf(() => customCommand(definition({ build_command: "x }" }), placeholders, []))).toBe("PKG0034");
    expect(codeOf(() => customCommand(definition({ build_command: 3 }), placeholders, []))).toBe("PKG0034");
  });

  it.each([
    ["plain", "plain"],
    ["", "''"],
    ["a b", "'a b'"],
    ["it's", "'it'\"'\"'s'"],
    ["-DX=1,2:3/4.5@%+", "-DX=1,2:3/4.5@%+"],
  ])("shlexQuote(%j) is %j", (word, quoted) => {
    expect(shlexQuote(word)).toBe(quoted);
  });

  it("formatPlaceholders keeps doubled braces", () => {
    expect(formatPlaceholders("{{a}} {b}", { b: "B" }, "x")).toBe("{a} B");
  });

  it("__PARSE_ARG_* values are Rez's (quoted, None for unset)", () => {
    expect(parseArgVariables({ foo: true, off: false, bar: ["a b", "c"], baz: "x y", unset: null, n: 3 })).toEqual([
      ["__PARSE_ARG_FOO", "1"],
      ["__PARSE_ARG_OFF", "0"],
      ["__PARSE_ARG_BAR", "'a b' c"],
      ["__PARSE_ARG_BAZ", "'x y'"],
      ["__PARSE_ARG_UNSET", "None"],
      ["__PARSE_ARG_N", "3"],
    ]);
  });
});

describe("make and cmake commands", () => {
  const context = { threads: 3, installPath: "/r/foo/1.2", install: true, buildArgs: [] as string[] };

  it("make builds with -j then installs, PREFIX on both", () => {
    expect(makeCommands("make", "/src/Makefile", context)).toEqual([
      ["make", "-f", "/src/Makefile", "-j3", "PREFIX=/r/foo/1.2"],
      ["make", "-f", "/src/Makefile", "PREFIX=/r/foo/1.2", "install"],
    ]);
    expect(makeCommands("make", "/src/Makefile", { ...context, install: false, buildArgs: ["-j1", "V=1"] })).toEqual([["make", "-f", "/src/Makefile", "PREFIX=/r/foo/1.2", "-j1", "V=1"]]);
  });

  it("cmake configures with Rez's flags in Rez's order", () => {
    const settings = cmakeSettings(definition({}));
    expect(settings).toEqual({ buildSystem: "make", buildTarget: "Release", cmakeArgs: ["-Wno-dev", "--no-warn-unused-cli"], cmakeBinary: null, makeBinary: null, installPyc: true });
    expect(
      cmakeConfigureCommand("cmake", { sourceDir: "/src/foo", buildArgs: ["-DFOO=1"], installPath: "/r/foo/1.2", buildType: "local", install: false }, settings, { generatorKey: "make", target: "Debug" }, "/a;/b"),
    ).toEqual(["cmake", "/src/foo", "-Wno-dev", "--no-warn-unused-cli", "-DFOO=1", "-DCMAKE_INSTALL_PREFIX=/r/foo/1.2", "-DCMAKE_MODULE_PATH=/a;/b", "-DCMAKE_BUILD_TYPE=Debug", "-DREZ_BUILD_TYPE=local", "-DREZ_BUILD_INSTALL=0", "-G", "Unix Makefiles"]);
    expect(cmakeMakeCommands("make", "make", { childBuildArgs: ["VERBOSE=1"], threads: 2, install: true })).toEqual([
      ["make", "VERBOSE=1", "-j2"],
      ["make", "VERBOSE=1", "-j2", "install"],
    ]);
    expect(cmakeMakeCommands("nmake", "nmake", { childBuildArgs: [], threads: 2, install: false })).toEqual([["nmake"]]);
  });

  it("the package's config overrides the cmake settings", () => {
    const d = definition({ config: { plugins: { build_system: { cmake: { build_target: "Debug", cmake_args: [], install_pyc: false } } } } });
    expect(cmakeSettings(d)).toMatchObject({ buildTarget: "Debug", cmakeArgs: [], installPyc: false });
    // the configuration's settings (a studio's), under the package's own
    const studio = { build_system: { cmake: { build_system: "ninja", build_target: "RelWithDebInfo", cmake_binary: "/opt/cmake/bin/cmake" } } };
    expect(cmakeSettings(d, studio)).toMatchObject({ buildSystem: "ninja", buildTarget: "Debug", cmakeBinary: "/opt/cmake/bin/cmake", cmakeArgs: [] });
    expect(cmakeSettings(definition({}), studio)).toMatchObject({ buildSystem: "ninja", buildTarget: "RelWithDebInfo", cmakeArgs: ["-Wno-dev", "--no-warn-unused-cli"] });
  });
});

describe("install helpers", () => {
  it.each([
    [0, "a"],
    [25, "z"],
    [26, "aa"],
    [27, "ab"],
    [51, "az"],
    [52, "ba"],
    [701, "zz"],
    [702, "aaa"],
  ])("shortlink %d is %j", (n, name) => {
    expect(base26Name(n)).toBe(name);
  });

  it("@include module names come from the functions' decorators", () => {
    expect(includedModules(["@include('late_utils')\ndef commands():\n    pass\n", "@late()\n@include(\"a\", 'b')\ndef requires():\n    return []\n"])).toEqual(["late_utils", "a", "b"]);
  });
});
