import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, userConfigFile } from "./config.js";
import { ConfigError } from "./values.js";
import { resolvePackagesPath } from "./packages-path.js";

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function setup(system?: string, user?: string) {
  const dir = mkdtempSync(join(tmpdir(), "pkg-config-test-"));
  temps.push(dir);
  const systemFile = join(dir, "system.toml");
  const userFile = join(dir, "home", ".config", "pkg", "config.toml");
  mkdirSync(join(dir, "home", ".config", "pkg"), { recursive: true });
  if (system !== undefined) writeFileSync(systemFile, system);
  if (user !== undefined) writeFileSync(userFile, user);
  const env = { HOME: join(dir, "home"), PKG_SYSTEM_CONFIG: systemFile };
  return { dir, env, systemFile, userFile };
}

describe("loadConfig", () => {
  it("has Rez's defaults", () => {
    const { env } = setup();
    const { config, sources } = loadConfig({ env });
    expect(config.variant_select_mode).toBe("version_priority");
    expect(config.error_on_missing_variant_requires).toBe(true);
    expect(config.implicit_packages).toEqual(["~platform=={system.platform}", "~arch=={system.arch}", "~os=={system.os}"]);
    expect(config.cache_dir).toBe(join(env.HOME, ".cache", "pkg"));
    expect(config.local_packages_path).toBe(join(env.HOME, "packages"));
    expect(sources.packages_path).toBe("default");
  });

  it("layers defaults < system < user < environment < command line", () => {
    const { env, systemFile, userFile } = setup(
      'variant_select_mode = "intersection_priority"\npython_executable = "py-system"\ncache_packages = false\n',
      'python_executable = "py-user"\nimplicit_packages = ["~platform==linux"]\n',
    );
    const files = loadConfig({ env });
    expect(files.files).toEqual([systemFile, userFile]);
    expect(files.config.variant_select_mode).toBe("intersection_priority");
    expect(files.config.python_executable).toBe("py-user");
    expect(files.config.cache_packages).toBe(false);
    expect(files.sources.python_executable).toBe(userFile);

    const withEnv = loadConfig({ env: { ...env, PKG_PYTHON_EXECUTABLE: "py-env", PKG_CACHE_PACKAGES: "1", REZ_VARIANT_SELECT_MODE: "version_priority" } });
    expect(withEnv.config.python_executable).toBe("py-env");
    expect(withEnv.config.cache_packages).toBe(true);
    expect(withEnv.config.variant_select_mode).toBe("version_priority");
    expect(withEnv.sources.variant_select_mode).toBe("env:REZ_VARIANT_SELECT_MODE");

    const withCli = loadConfig({ env: { ...env, PKG_PYTHON_EXECUTABLE: "py-env" }, overrides: { python_executable: "py-cli" } });
    expect(withCli.config.python_executable).toBe("py-cli");
  });

  it("PKG_CONFIG and XDG_CONFIG_HOME choose the user file", () => {
    const { dir, env } = setup();
    expect(userConfigFile({ ...env, XDG_CONFIG_HOME: join(dir, "xdg") })).toBe(join(dir, "xdg", "pkg", "config.toml"));
    const other = join(dir, "other.toml");
    writeFileSync(other, 'python_executable = "py-other"\n');
    expect(loadConfig({ env: { ...env, PKG_CONFIG: other } }).config.python_executable).toBe("py-other");
    expect(() => loadConfig({ env: { ...env, PKG_CONFIG: join(dir, "missing.toml") } })).toThrow(/missing\.toml/);
  });

  it("names the file and key of an invalid value", () => {
    const { env, userFile } = setup(undefined, 'variant_select_mode = "fastest"\n');
    expect(() => loadConfig({ env })).toThrow(ConfigError);
    expect(() => loadConfig({ env })).toThrow(`${userFile}: key 'variant_select_mode'`);
    const bad = setup(undefined, "package_orderers = 3\n");
    expect(() => loadConfig({ env: bad.env })).toThrow(/package_orderers' must be a list of tables/);
    const broken = setup(undefined, "this is not toml");
    expect(() => loadConfig({ env: broken.env })).toThrow(/not valid TOML/);
    const envBad = setup();
    expect(() => loadConfig({ env: { ...envBad.env, PKG_ERROR_ON_MISSING_VARIANT_REQUIRES: "maybe" } })).toThrow(/PKG_ERROR_ON_MISSING_VARIANT_REQUIRES/);
  });

  it("reads package_load_timeout as seconds from a file or the environment, 10 by default", () => {
    const { env, userFile } = setup(undefined, "package_load_timeout = 2.5\n");
    expect(loadConfig({ env, userFile: null }).config.package_load_timeout).toBe(10);
    expect(loadConfig({ env }).config.package_load_timeout).toBe(2.5);
    expect(loadConfig({ env: { ...env, PKG_PACKAGE_LOAD_TIMEOUT: "0" } }).config.package_load_timeout).toBe(0);
    for (const bad of ["soon", "-1", "0x10"]) {
      expect(() => loadConfig({ env: { ...env, PKG_PACKAGE_LOAD_TIMEOUT: bad } })).toThrow(/PKG_PACKAGE_LOAD_TIMEOUT: expected a number of seconds/);
    }
    writeFileSync(userFile, 'package_load_timeout = "5"\n');
    expect(() => loadConfig({ env })).toThrow(/key 'package_load_timeout' must be a number of seconds/);
    writeFileSync(userFile, "package_load_timeout = -3\n");
    expect(() => loadConfig({ env })).toThrow(new RegExp(`${userFile.replace(/[\\/.]/g, "\\$&")}: key 'package_load_timeout'`));
  });

  it("keeps orderers and filters as tables, warns about unknown keys", () => {
    const { env } = setup(undefined, 'unknown = 1\n[[package_orderers]]\ntype = "version_split"\nfirst_version = "2.7"\npackages = ["python"]\n');
    const loaded = loadConfig({ env });
    expect(loaded.config.package_orderers).toEqual([{ type: "version_split", first_version: "2.7", packages: ["python"] }]);
    expect(loaded.warnings[0]).toMatch(/unknown key 'unknown'/);
  });
});

describe("resolvePackagesPath", () => {
  it("follows the documented precedence", () => {
    const { dir, env, userFile } = setup();
    const cwd = join(dir, "work");
    mkdirSync(join(cwd, "repo"), { recursive: true });
    const at = (extra: Record<string, string>, cli: { repos?: string[]; paths?: string } = {}) =>
      resolvePackagesPath({ ...cli, cwd, env: { ...env, ...extra }, loaded: loadConfig({ env: { ...env, ...extra }, cwd }) });

    expect(at({})).toEqual({ paths: [join(cwd, "repo")], source: "./repo", followsWorkingFolder: true });
    writeFileSync(userFile, 'packages_path = ["/from/file"]\n');
    expect(at({}).paths).toEqual(["/from/file"]);
    expect(at({ PKG_LOCATIONS: `/loc1${delimiter} ${delimiter}/loc2${delimiter}/loc1` }).paths).toEqual(["/loc1", "/loc2"]);
    expect(at({ PKG_LOCATIONS: "/loc", REZ_PACKAGES_PATH: "/rez" }).paths).toEqual(["/rez"]);
    expect(at({ REZ_PACKAGES_PATH: "/rez", PKG_PACKAGES_PATH: "/pkg" }).paths).toEqual(["/pkg"]);
    expect(at({ PKG_PACKAGES_PATH: "/pkg" }, { paths: `/a${delimiter}/b` }).paths).toEqual(["/a", "/b"]);
    expect(at({ PKG_PACKAGES_PATH: "/pkg" }, { repos: ["rel", "/abs"], paths: "/a" })).toEqual({ paths: [join(cwd, "rel"), "/abs"], source: "--repo", followsWorkingFolder: true });
    expect(at({ PKG_PACKAGES_PATH: "~/pk" }).paths).toEqual([join(env.HOME, "pk")]);
  });

  it.each([
    [["/abs", "~/pk"], false],
    [["/abs", "rel/pk"], true],
    [["filesystem@rel"], true],
    [["filesystem@/abs", "memory@scratch"], false],
    [["./pk"], true],
  ])("says whether %j depends on the working folder (%s)", (list, follows) => {
    const { dir, env } = setup();
    expect(resolvePackagesPath({ repos: list, cwd: dir, env, loaded: loadConfig({ env, cwd: dir }) }).followsWorkingFolder).toBe(follows);
  });

  it("keeps type@location entries: filesystem@ becomes the absolute path, other types stay as written", () => {
    const { dir, env } = setup();
    const paths = resolvePackagesPath({ repos: ["filesystem@rel", "memory@scratch", "filesystem@~/p", "/abs"], cwd: dir, env, loaded: loadConfig({ env, cwd: dir }) }).paths;
    expect(paths).toEqual([join(dir, "rel"), "memory@scratch", join(env.HOME, "p"), "/abs"]);
  });
});
