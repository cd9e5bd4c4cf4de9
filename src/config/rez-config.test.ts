import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { deepUpdate, rezConfigSearchList, sourcedRezConfigFile } from "./rez-config.js";
import type { RezSetting } from "./rez-config.js";
import type { ConfigValue } from "./values.js";
import { ConfigError } from "./values.js";

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "pkg-rezconfig-test-"));
  temps.push(dir);
  mkdirSync(join(dir, "home"));
  return dir;
}

const ml = (prepend: ConfigValue[], append: ConfigValue[]): RezSetting => ({ modifyList: { prepend, append } });

describe("deepUpdate (Rez's deep_update)", () => {
  const cases: [string, ConfigValue | undefined, RezSetting, ConfigValue][] = [
    ["a plain value replaces", ["a"], ["b"], ["b"]],
    ["a scalar replaces a list", ["a"], "x", "x"],
    ["ModifyList appends", ["a"], ml([], ["b"]), ["a", "b"]],
    ["ModifyList prepends", ["a"], ml(["z"], []), ["z", "a"]],
    ["ModifyList both ways", ["a"], ml(["z"], ["b"]), ["z", "a", "b"]],
    ["ModifyList on nothing", undefined, ml([], ["b"]), ["b"]],
    ["ModifyList on null", null, ml(["z"], []), ["z"]],
    ["tables merge key by key", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 4 } }, { a: 1, b: { c: 2, d: 4 } }],
    ["a table replaces a scalar", 1, { a: 1 }, { a: 1 }],
    ["ModifyList nested in a table", { hooks: ["x"] }, { hooks: ml([], ["y"]) }, { hooks: ["x", "y"] }],
  ];
  it.each(cases)("%s", (_name, base, update, expected) => {
    expect(deepUpdate(base, update, "f")).toEqual(expected);
  });

  it("ModifyList on a value that is not a list is an error naming the file", () => {
    expect(() => deepUpdate("text", ml([], ["b"]), "/studio/rezconfig.py")).toThrow(/\/studio\/rezconfig\.py: ModifyList applied/);
  });
});

describe("Rez's configuration files", () => {
  it("searches REZ_CONFIG_FILE's entries then ~/.rezconfig, unless REZ_DISABLE_HOME_CONFIG", () => {
    expect(rezConfigSearchList({ HOME: "/h", REZ_CONFIG_FILE: ["/a/rezconfig", "/b/x.yaml"].join(delimiter) })).toEqual(["/a/rezconfig", "/b/x.yaml", "/h/.rezconfig"]);
    expect(rezConfigSearchList({ HOME: "/h", REZ_DISABLE_HOME_CONFIG: "1" })).toEqual([]);
  });

  it("prefers <name>.py over the entry itself, as Rez does", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "rezconfig"), "a: 1\n");
    expect(sourcedRezConfigFile(join(dir, "rezconfig"))).toBe(join(dir, "rezconfig"));
    writeFileSync(join(dir, "rezconfig.py"), "a = 1\n");
    expect(sourcedRezConfigFile(join(dir, "rezconfig"))).toBe(join(dir, "rezconfig.py"));
    expect(sourcedRezConfigFile(join(dir, "none"))).toBeUndefined();
  });

  function load(dir: string, files: Record<string, string>, toml?: string) {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const userFile = join(dir, "user.toml");
    if (toml !== undefined) writeFileSync(userFile, toml);
    const env = {
      HOME: join(dir, "home"),
      PKG_CACHE_DIR: join(dir, "cache"),
      REZ_CONFIG_FILE: Object.keys(files).map((n) => join(dir, n)).join(delimiter),
    };
    return loadConfig({ env, systemFile: null, userFile: toml === undefined ? null : userFile, cwd: dir });
  }

  it("reads plain rezconfig.py assignments and YAML, later files over earlier, unknown keys ignored", () => {
    const dir = tempDir();
    const loaded = load(dir, {
      "studio.py": 'packages_path = ["/studio/packages"]\nvariant_select_mode = "intersection_priority"\nsome_rez_only_setting = 3\n',
      "site.yaml": "variant_select_mode: version_priority\nbuild_directory: out\n",
    });
    expect(loaded.config.packages_path).toEqual(["/studio/packages"]);
    expect(loaded.config.variant_select_mode).toBe("version_priority");
    expect(loaded.config.build_directory).toBe("out");
    expect(loaded.sources.packages_path).toBe(join(dir, "studio.py"));
    expect(loaded.sources.variant_select_mode).toBe(join(dir, "site.yaml"));
    expect(loaded.files).toEqual([join(dir, "studio.py"), join(dir, "site.yaml")]);
    expect(loaded.warnings).toEqual([]);
  });

  it("evaluates a file that needs Python (imports, ModifyList) and keeps the result until the file changes", () => {
    const dir = tempDir();
    const text = 'import os\npackages_path = ModifyList(prepend=["/show/" + os.path.basename("/x/abc")])\nimplicit_packages = ModifyList(append=["studio"])\n';
    const loaded = load(dir, { "rezconfig.py": text });
    expect(loaded.config.packages_path).toEqual(["/show/abc", join(dir, "home", "packages"), join(dir, "home", ".rez", "packages", "int"), join(dir, "home", ".rez", "packages", "ext")]);
    expect(loaded.config.implicit_packages).toEqual(["~platform=={system.platform}", "~arch=={system.arch}", "~os=={system.os}", "studio"]);
    // the evaluation is cached: a second load gives the same without Python (a bad interpreter proves it)
    const env = { HOME: join(dir, "home"), PKG_CACHE_DIR: join(dir, "cache"), REZ_CONFIG_FILE: join(dir, "rezconfig.py"), PKG_PYTHON: "/nonexistent/python" };
    expect(loadConfig({ env, systemFile: null, userFile: null }).config.implicit_packages).toContain("studio");
    // a changed file is evaluated again
    writeFileSync(join(dir, "rezconfig.py"), text.replace('"studio"', '"studio2"'));
    const later = statSync(join(dir, "rezconfig.py")).mtimeMs / 1000 + 5;
    utimesSync(join(dir, "rezconfig.py"), later, later);
    expect(() => loadConfig({ env, systemFile: null, userFile: null })).toThrow(/needs Python to read/);
  });

  it("sits below pkg's own files", () => {
    const dir = tempDir();
    const loaded = load(dir, { "rezconfig.yaml": "build_directory: from-rez\nbuild_thread_count: 3\n" }, 'build_directory = "from-pkg"\n');
    expect(loaded.config.build_directory).toBe("from-pkg");
    expect(loaded.config.build_thread_count).toBe("3");
    expect(loaded.files).toEqual([join(dir, "rezconfig.yaml"), join(dir, "user.toml")]);
  });

  const broken: [string, string, string, RegExp][] = [
    ["a Python error", "rezconfig.py", "import os\nx = 1\nraise ValueError('bad studio setting')\n", /rezconfig\.py:3: ValueError: bad studio setting/],
    ["a Python syntax error", "rezconfig.py", "x = 1\ny = (\n", /rezconfig\.py:2: SyntaxError/],
    ["bad YAML", "rezconfig.yaml", "a: [1\n", /rezconfig\.yaml(:\d+)?: not valid YAML/],
    ["YAML that is not a mapping", "rezconfig.yaml", "- a\n", /rezconfig\.yaml: expected a mapping/],
    ["a known key of the wrong type", "rezconfig.yaml", "variant_select_mode: fastest\n", /rezconfig\.yaml: key 'variant_select_mode' must be/],
  ];
  it.each(broken)("%s is an error naming the file", (_name, file, text, message) => {
    const dir = tempDir();
    let error: unknown;
    try {
      load(dir, { [file]: text });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
