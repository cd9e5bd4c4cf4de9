import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DefinitionCache } from "./cache.js";
import { FilesystemRepository } from "./filesystem.js";
import { MemoryRepository, NO_VERSION } from "./memory.js";
import { openRepositories } from "./open.js";
import { RepositorySet } from "./set.js";
import { StubLoader } from "./test-support.js";

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "pkg-repo-test-"));
  temps.push(dir);
  return dir;
}

function write(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function versions(list: readonly { version: string }[] | undefined): string[] | undefined {
  return list?.map((d) => d.version);
}

describe("FilesystemRepository layout", () => {
  it("follows Rez's rules for families and versions", async () => {
    const root = write(temp(), {
      "foo/1.0/package.py": "a = py",
      "foo/1.0/package.yaml": "a = yaml",
      "foo/2.0/package.yaml": "a = yaml",
      "foo/.hidden/package.py": "",
      "foo/3.0/package.py": "",
      "foo/.ignore3.0": "",
      "foo/4.0/package.py": "",
      "foo/.building4.0": "",
      "foo/5.0/README": "",
      "foo/.building5.0": "",
      "foo/6.0/README": "",
      "unver/package.py": "a = 1",
      "unver/1.0/package.py": "",
      ".hidden_family/1.0/package.py": "",
      "bad-name/1.0/package.py": "",
      "settings.yaml": "",
    });
    const repo = new FilesystemRepository(root, { loader: new StubLoader() });
    expect(await repo.familyNames()).toEqual(["foo", "unver"]);
    const foo = await repo.loadFamily("foo");
    expect(versions(foo)).toEqual(["1.0", "2.0", "4.0"]);
    expect(foo?.[0].attributes.a).toBe("py");
    expect(foo?.[1].attributes.a).toBe("yaml");
    const unver = await repo.loadFamily("unver");
    expect(unver).toHaveLength(1);
    expect(unver?.[0].version).toBe("");
    expect(await repo.loadFamily("missing")).toBeUndefined();
    expect(await repo.loadFamily("bad-name")).toBeUndefined();
    expect(repo.warnings.map((w) => w.file)).toEqual([join(root, "foo", "6.0")]);
  });

  it("loads only the family asked for", async () => {
    const root = write(temp(), { "a/1/package.py": "", "b/1/package.py": "", "b/2/package.py": "" });
    const loader = new StubLoader();
    const repo = new FilesystemRepository(root, { loader });
    await repo.loadFamily("b");
    expect(loader.evaluated).toEqual([join(root, "b/1/package.py"), join(root, "b/2/package.py")]);
  });

  it("reports broken files and keeps the others", async () => {
    const root = write(temp(), { "a/1/package.py": "x = 1\nBROKEN", "a/2/package.py": "NEEDS_PYTHON" });
    const repo = new FilesystemRepository(root, { loader: new StubLoader() });
    expect(versions(await repo.loadFamily("a"))).toEqual(["2"]);
    expect(repo.warnings).toEqual([{ file: join(root, "a/1/package.py"), line: 2, message: "syntax error" }]);
  });

  it("adds toolsets as packages, a real package of the same version wins", async () => {
    const root = write(temp(), {
      ".toolsets/dcc.toml": '[maya-anim]\nrequires = ["maya"]\n\n[foo]\nversion = "1.0"\n',
      "foo/1.0/package.py": "",
    });
    const repo = new FilesystemRepository(root, { loader: new StubLoader() });
    expect(await repo.familyNames()).toEqual(["foo", "maya-anim"]);
    const toolset = await repo.loadFamily("maya-anim");
    expect(toolset?.[0]).toMatchObject({ name: "maya-anim", version: "1.0.0", format: "toolset" });
    expect((await repo.loadFamily("foo"))?.map((d) => d.format)).toEqual(["rez"]);
    expect(repo.warnings).toHaveLength(1);
  });
});

describe("RepositorySet", () => {
  it("hides the same name and version in later paths, keeps other versions", async () => {
    const first = write(temp(), { "foo/1.0/package.py": "from = first", "bar/1/package.py": "" });
    const second = write(temp(), { "foo/1.0/package.py": "from = second", "foo/2.0/package.py": "from = second", "baz/1/package.py": "" });
    const set = openRepositories({ paths: [first, second], loader: new StubLoader() });
    const foo = await set.getFamily("foo");
    expect(foo?.map((d) => `${d.version}:${String(d.attributes.from)}`)).toEqual(["1.0:first", "2.0:second"]);
    expect(await set.familyNames()).toEqual(["bar", "baz", "foo"]);
    expect(set.searchedPaths).toEqual([first, second]);
    expect(await set.getFamily("nope")).toBeUndefined();
    const progress: number[] = [];
    expect(await set.allPackages((done) => progress.push(done))).toHaveLength(4);
    expect(progress).toEqual([1, 2, 3]);
  });

  it("treats versions equal by tokens as the same version", async () => {
    const set = new RepositorySet([new MemoryRepository({ foo: { "1.0": {} } }), new MemoryRepository({ foo: { "1-0": {}, "2": {} } })]);
    expect(versions(await set.getFamily("foo"))).toEqual(["1.0", "2"]);
  });

  it("sorts each family by Rez version order", async () => {
    const set = new RepositorySet([new MemoryRepository({ foo: { "10": {}, "9": {}, "1.0.alpha": {}, "1.0": {} } })]);
    expect(versions(await set.getFamily("foo"))).toEqual(["1.0", "1.0.alpha", "9", "10"]);
  });
});

describe("MemoryRepository", () => {
  it("builds definitions from attribute tables", async () => {
    const repo = new MemoryRepository({ foo: { "1.0": { requires: ["bar"] } }, tool: { [NO_VERSION]: {} } });
    expect(await repo.loadFamily("foo")).toEqual([
      { name: "foo", version: "1.0", format: "rez", file: "memory@memory/foo/1.0", attributes: { requires: ["bar"], name: "foo", version: "1.0" } },
    ]);
    expect(versions(await repo.loadFamily("tool"))).toEqual([""]);
    expect(await repo.familyNames()).toEqual(["foo", "tool"]);
  });
});

describe("definition cache", () => {
  function setup(files: Record<string, string>) {
    const root = write(temp(), files);
    const cacheDir = temp();
    const open = (loader: StubLoader) => new FilesystemRepository(root, { loader, cache: new DefinitionCache(cacheDir, loader.fingerprint) });
    return { root, cacheDir, open };
  }

  it("reuses evaluated definitions and failed loads, with their warnings", async () => {
    const { open } = setup({ "a/1/package.py": "x = 1", "a/2/package.py": "BROKEN" });
    const cold = new StubLoader();
    const first = await open(cold).loadFamily("a");
    expect(cold.evaluated).toHaveLength(2);
    const warm = new StubLoader();
    const repo = open(warm);
    expect(await repo.loadFamily("a")).toEqual(first);
    expect(warm.evaluated).toEqual([]);
    expect(repo.warnings).toHaveLength(1);
    expect(repo.warnings[0].line).toBe(1);
  });

  it("never caches a failure that is not the file's own, and keeps the rest of the family", async () => {
    const { root, open } = setup({ "a/1/package.py": "x = 1", "a/2/package.py": "NEEDS_PYTHON\nTRANSIENT", "b/1/package.py": "x = 1" });
    const cold = open(new StubLoader());
    expect(versions(await cold.loadFamily("a"))).toEqual(["1"]);
    await cold.loadFamily("b");
    expect(cold.warnings.map((w) => w.message)).toEqual(["the python worker died"]);
    const warm = new StubLoader();
    const again = open(warm);
    expect(versions(await again.loadFamily("a"))).toEqual(["1"]);
    expect(warm.evaluated).toEqual([join(root, "a/2/package.py")]);
    expect(again.warnings).toHaveLength(1);
  });

  it("re-evaluates a file whose mtime or size changed, and drops deleted files", async () => {
    const { root, open } = setup({ "a/1/package.py": "x = 1", "a/2/package.py": "x = 2" });
    await open(new StubLoader()).loadFamily("a");
    utimesSync(join(root, "a/1/package.py"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    rmSync(join(root, "a/2"), { recursive: true });
    const loader = new StubLoader();
    expect(versions(await open(loader).loadFamily("a"))).toEqual(["1"]);
    expect(loader.evaluated).toEqual([join(root, "a/1/package.py")]);
    writeFileSync(join(root, "a/1/package.py"), "x = 10");
    const again = new StubLoader();
    expect((await open(again).loadFamily("a"))?.[0].attributes.x).toBe("10");
    expect(again.evaluated).toHaveLength(1);
  });

  it("notices versions added, ignored or removed after the listing was cached", async () => {
    const { root, open } = setup({ "a/1/package.py": "", "a/2/package.py": "" });
    expect(versions(await open(new StubLoader()).loadFamily("a"))).toEqual(["1", "2"]);
    write(root, { "a/3/package.py": "" });
    const loader = new StubLoader();
    expect(versions(await open(loader).loadFamily("a"))).toEqual(["1", "2", "3"]);
    expect(loader.evaluated).toEqual([join(root, "a/3/package.py")]);
    write(root, { "a/.ignore2": "" });
    expect(versions(await open(new StubLoader()).loadFamily("a"))).toEqual(["1", "3"]);
    rmSync(join(root, "a/1"), { recursive: true });
    expect(versions(await open(new StubLoader()).loadFamily("a"))).toEqual(["3"]);
    mkdirSync(join(root, "a/4"));
    write(root, { "a/4/package.yaml": "" });
    expect(versions(await open(new StubLoader()).loadFamily("a"))).toEqual(["3", "4"]);
  });

  it("misses when the loader's fingerprint changes", async () => {
    const { open } = setup({ "a/1/package.py": "" });
    await open(new StubLoader("one")).loadFamily("a");
    const other = new StubLoader("two");
    await open(other).loadFamily("a");
    expect(other.evaluated).toHaveLength(1);
  });

  it("ignores and rebuilds a corrupt cache file", async () => {
    const { root, cacheDir, open } = setup({ "a/1/package.py": "x = 1" });
    await open(new StubLoader()).loadFamily("a");
    const file = new DefinitionCache(cacheDir, "stub-1").familyFile(root, "a");
    const good = readFileSync(file);
    for (const junk of ["{not json", "null", '{"format":1}', "", "00000010\n{}", good.subarray(0, good.length - 5), "ffffffff\n"]) {
      writeFileSync(file, junk);
      const loader = new StubLoader();
      expect(versions(await open(loader).loadFamily("a"))).toEqual(["1"]);
      expect(loader.evaluated).toHaveLength(1);
      expect(readFileSync(file, "utf8")).toContain('"family":"a"');
    }
  });

  it("is not disturbed by concurrent writers", async () => {
    const cacheDir = temp();
    const writers = [new DefinitionCache(cacheDir, "fp"), new DefinitionCache(cacheDir, "fp")];
    const entry = (n: number) => ({ [`a/${n}/package.py`]: { mtime: n, size: n } });
    for (let i = 0; i < 50; i++) {
      expect(writers[i % 2].write("/repo", "a", entry(i))).toBe(true);
      const read = writers[(i + 1) % 2].read("/repo", "a");
      expect(read?.size).toBe(1);
      expect(read?.lookup(`a/${i}/package.py`, i, i)).toEqual({ mtime: i, size: i });
    }
  });

  it("never fails when the cache folder is unwritable", async () => {
    const root = write(temp(), { "a/1/package.py": "" });
    const blocker = join(temp(), "file");
    writeFileSync(blocker, "");
    const cache = new DefinitionCache(join(blocker, "sub"), "fp");
    const repo = new FilesystemRepository(root, { loader: new StubLoader("fp"), cache });
    expect(versions(await repo.loadFamily("a"))).toEqual(["1"]);
    expect(cache.lastError).toBeDefined();
  });
});
