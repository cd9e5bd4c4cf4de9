import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PkgError } from "../errors/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { FilesystemRepository } from "./filesystem.js";
import { createDefinitionLoader } from "./loader.js";
import { packageLockFile, withFileLock } from "./lock.js";
import { MemoryRepository } from "./memory.js";
import { mergeVariant } from "./merge.js";
import type { VariantMergeInput } from "./merge.js";
import { defaultRepositoryRegistry, openRepositories } from "./open.js";
import { isWritableRepository } from "./writable.js";

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) {
    chmodRecursive(t);
    rmSync(t, { recursive: true, force: true });
  }
});

function chmodRecursive(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) chmodRecursive(join(dir, entry.name));
  } catch {
    // gone
  }
}

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "pkg-writes-test-"));
  temps.push(dir);
  return dir;
}

function built(name: string, version: string, attributes: { [key: string]: PackageValue }): PackageDefinition {
  return { name, version, format: "rez", file: `/src/${name}/package.py`, attributes: { name, version, ...attributes } };
}

function staged(root: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, ".staging-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("mergeVariant: what an install writes (Rez's _create_variant rules)", () => {
  const base: Omit<VariantMergeInput, "installed" | "built" | "index"> = { name: "foo", version: "1.0", overwrite: false, now: 1000 };
  const cases: { what: string; input: Partial<VariantMergeInput>; status: string; index: number | null; variants?: PackageValue; check?: (a: { [key: string]: PackageValue }) => void }[] = [
    {
      what: "a new package gets the built variant only, a timestamp, no build-only keys",
      input: { installed: undefined, built: { variants: [["python-2"], ["python-3"]], build_command: "make", requires: ["bar"] }, index: 1 },
      status: "installed",
      index: 0,
      variants: [["python-3"]],
      check: (a) => {
        expect(a.timestamp).toBe(1000);
        expect(a.build_command).toBeUndefined();
        expect(a.requires).toEqual(["bar"]);
      },
    },
    {
      what: "a variant installed after a later one goes before it: the source's order, not install order",
      input: { installed: { name: "foo", version: "1.0", variants: [["python-3"]], timestamp: 5 }, built: { variants: [["python-2"], ["python-3"]] }, index: 0 },
      status: "installed",
      index: 0,
      variants: [["python-2"], ["python-3"]],
      check: (a) => expect(a.timestamp).toBe(5),
    },
    {
      what: "an installed variant is left alone without overwrite",
      input: { installed: { name: "foo", version: "1.0", variants: [["python-3"]] }, built: { variants: [["python-3"]], description: "new" }, index: 0 },
      status: "existing",
      index: 0,
    },
    {
      what: "an installed variant is replaced with overwrite, keeping its index and the first timestamp",
      input: { installed: { name: "foo", version: "1.0", variants: [["a"], ["python-3"]], timestamp: 7 }, built: { variants: [["python-3"]], description: "new" }, index: 0, overwrite: true },
      status: "replaced",
      index: 1,
      variants: [["a"], ["python-3"]],
      check: (a) => {
        expect(a.description).toBe("new");
        expect(a.timestamp).toBe(7);
      },
    },
    {
      what: "variant requirements are compared normalised",
      input: { installed: { name: "foo", version: "1.0", variants: [["python-3.7+"]] }, built: { variants: [["python-3.7+<4"], ["python-3.7+"]] }, index: 1 },
      status: "existing",
      index: 0,
    },
    {
      what: "an unvarianted package is there once installed",
      input: { installed: { name: "foo", version: "1.0" }, built: {}, index: null },
      status: "existing",
      index: null,
    },
    {
      what: "release data fills only what the installed package lacks",
      input: { installed: { name: "foo", version: "1.0", variants: [["a"]], revision: "r1" }, built: { variants: [["b"]] }, index: 0, extraAttributes: { revision: "r2", changelog: "c" } },
      status: "installed",
      index: 1,
      check: (a) => {
        expect(a.revision).toBe("r1");
        expect(a.changelog).toBe("c");
      },
    },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const merge = mergeVariant({ ...base, installed: undefined, built: {}, index: null, ...c.input });
      expect([merge.status, merge.index]).toEqual([c.status, c.index]);
      if (c.variants !== undefined) expect(merge.attributes.variants).toEqual(c.variants);
      c.check?.(merge.attributes);
    });
  }

  it.each([
    ["a variant into a package without variants", { name: "foo", version: "1.0" }, { variants: [["a"]] }, 0, /installed foo-1.0 has no variants/],
    ["no variants into a package with variants", { name: "foo", version: "1.0", variants: [["a"]] }, {}, null, /installed foo-1.0 has variants/],
    ["a different uuid", { name: "foo", version: "1.0", uuid: "x" }, { uuid: "y" }, null, /uuid differs/],
    ["an index the package does not have", undefined, { variants: [["a"]] }, 3, /has no variant 3/],
  ] as const)("refuses %s (PKG0031)", (_what, installed, builtAttributes, index, message) => {
    let error: unknown;
    try {
      mergeVariant({ ...base, installed, built: builtAttributes, index });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PkgError);
    expect((error as PkgError).code).toBe("PKG0031");
    expect((error as PkgError).message).toMatch(message);
  });
});

describe("filesystem installs", () => {
  const open = (root: string): FilesystemRepository => new FilesystemRepository(root, { loader: createDefinitionLoader(), lockTimeout: 1 });

  it("installs variants one by one into one package.py, and the repository reads them back", async () => {
    const root = temp();
    const repo = open(root);
    const definition = built("foo", "1.0", { variants: [["python-2"], ["python-3"]], requires: ["bar-1"] });
    const first = await repo.installVariant({ definition, index: 1, payload: staged(root, { "bin/foo": "3" }) });
    expect(first).toMatchObject({ status: "installed", index: 0, root: join(root, "foo/1.0/python-3") });
    const second = await repo.installVariant({ definition, index: 0, payload: staged(root, { "bin/foo": "2" }) });
    expect(second.index).toBe(0);
    expect(readFileSync(join(root, "foo/1.0/python-3/bin/foo"), "utf8")).toBe("3");
    expect(readFileSync(join(root, "foo/1.0/python-2/bin/foo"), "utf8")).toBe("2");
    const text = readFileSync(join(root, "foo/1.0/package.py"), "utf8");
    expect(text).toMatch(/^# -\*- coding: utf-8 -\*-\n\nname = 'foo'\n\nversion = '1.0'\n\nrequires = \['bar-1'\]\n\nvariants = \[\n    \['python-2'\],\n    \['python-3'\]\n\]\n[^]*\nformat_version = 2\n$/);
    expect(statSync(join(root, "foo/1.0/package.py")).mode & 0o777).toBe(0o444);
    const family = await open(root).loadFamily("foo");
    expect(family?.map((d) => d.attributes.variants)).toEqual([[["python-2"], ["python-3"]]]);
    // no tags, locks or staging folders are left behind
    expect(readdirSync(join(root, "foo")).sort()).toEqual(["1.0"]);
    expect(readdirSync(root).filter((n) => n.startsWith(".lock"))).toEqual([]);
  });

  it("an unvarianted reinstall replaces the payload whole; a failed one leaves the old install untouched", async () => {
    const root = temp();
    const repo = open(root);
    const definition = built("tool", "2.0", {});
    await repo.installVariant({ definition, index: null, payload: staged(root, { "old.txt": "old" }) });
    await repo.installVariant({ definition, index: null, payload: staged(root, { "new.txt": "new" }), overwrite: true });
    expect(readdirSync(join(root, "tool/2.0")).sort()).toEqual(["new.txt", "package.py"]);
    // A payload that cannot be moved in (it does not exist) fails the install; the installed package stays as it was.
    const before = readFileSync(join(root, "tool/2.0/package.py"), "utf8");
    await expect(repo.installVariant({ definition: built("tool", "2.0", { description: "x" }), index: null, payload: join(root, ".missing"), overwrite: true })).rejects.toThrow();
    expect(readFileSync(join(root, "tool/2.0/package.py"), "utf8")).toBe(before);
    expect(readdirSync(join(root, "tool/2.0")).sort()).toEqual(["new.txt", "package.py"]);
    expect(readdirSync(join(root, "tool"))).toEqual(["2.0"]);
  });

  it("a pkg-rs style package is installed as its own package.py, read-only, replaced on a reinstall", async () => {
    const root = temp();
    const repo = open(root);
    const source = join(root, "source.py");
    writeFileSync(source, "def get_package():\n    return Package('prs', '1.0.0')\n");
    const definition: PackageDefinition = { name: "prs", version: "1.0.0", format: "pkg-rs", file: source, attributes: { requires: [], variants: [["a"], ["b"]] } };
    const first = await repo.installVariant({ definition, index: 1, payload: staged(root, { f: "b" }) });
    expect(first.status).toBe("installed");
    expect(first.index).toBe(1);
    expect(readFileSync(join(root, "prs/1.0.0/package.py"), "utf8")).toBe(readFileSync(source, "utf8"));
    expect(statSync(join(root, "prs/1.0.0/package.py")).mode & 0o777).toBe(0o444);
    const kept = await repo.installVariant({ definition, index: 1, payload: staged(root, { f: "again" }) });
    expect(kept.status).toBe("existing");
    expect(readFileSync(join(root, "prs/1.0.0/b/f"), "utf8")).toBe("b");
    writeFileSync(source, "# changed\ndef get_package():\n    return Package('prs', '1.0.0')\n");
    const replaced = await repo.installVariant({ definition, index: 1, payload: staged(root, { g: "new" }), overwrite: true });
    expect(replaced.status).toBe("replaced");
    expect(readdirSync(join(root, "prs/1.0.0/b"))).toEqual(["g"]);
    expect(readFileSync(join(root, "prs/1.0.0/package.py"), "utf8")).toContain("# changed");
    const missing = await repo.installVariant({ definition: { ...definition, file: join(root, "nope.py") }, index: 0 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PkgError);
    expect((missing as PkgError).code).toBe("PKG0084");
  });

  it("an installed variant without overwrite is left as it is and the staged payload is dropped", async () => {
    const root = temp();
    const repo = open(root);
    const definition = built("foo", "1.0", { variants: [["a"]] });
    await repo.installVariant({ definition, index: 0, payload: staged(root, { f: "1" }) });
    const payload = staged(root, { f: "2" });
    const again = await repo.installVariant({ definition, index: 0, payload });
    expect(again.status).toBe("existing");
    expect(readFileSync(join(root, "foo/1.0/a/f"), "utf8")).toBe("1");
    expect(existsSync(payload)).toBe(false);
  });

  it("a repository that cannot be written is PKG0030 naming it", async () => {
    const root = temp();
    const repo = open(join(root, "repo"));
    mkdirSync(join(root, "repo"));
    chmodSync(join(root, "repo"), 0o555);
    if (process.getuid?.() === 0) {
      // root writes anywhere: a file where the repository folder should be does the same job
      chmodSync(join(root, "repo"), 0o755);
      rmSync(join(root, "repo"), { recursive: true });
      writeFileSync(join(root, "repo"), "");
    }
    const error = await repo.installVariant({ definition: built("foo", "1.0", {}), index: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PkgError);
    expect((error as PkgError).code).toBe("PKG0030");
    expect((error as PkgError).message).toContain(join(root, "repo"));
  });

  it("removes packages and families, and ignores and unignores versions", async () => {
    const root = temp();
    const repo = open(root);
    for (const version of ["1.0", "2.0"]) await repo.installVariant({ definition: built("foo", version, {}), index: null });
    expect((await repo.loadFamily("foo"))?.map((d) => d.version).sort()).toEqual(["1.0", "2.0"]);
    expect(await repo.ignoreVersion("foo", "2.0")).toBe("changed");
    expect(await repo.ignoreVersion("foo", "2.0")).toBe("unchanged");
    expect(await repo.ignoreVersion("foo", "9.9")).toBe("not-found");
    expect((await repo.loadFamily("foo"))?.map((d) => d.version)).toEqual(["1.0"]);
    expect(await repo.unignoreVersion("foo", "2.0")).toBe("changed");
    expect((await repo.loadFamily("foo"))?.length).toBe(2);
    expect(await repo.removePackage("foo", "1.0")).toBe(true);
    expect(await repo.removePackage("foo", "1.0")).toBe(false);
    const refused = await repo.removeFamily("foo").catch((e: unknown) => e);
    expect((refused as PkgError).code).toBe("PKG0032");
    expect(await repo.removeFamily("foo", { force: true })).toBe(true);
    expect(await repo.loadFamily("foo")).toBeUndefined();
    expect(readdirSync(root).filter((n) => !n.startsWith(".lock"))).toEqual([]);
  });

  it("tags a missing version with allowMissing, and lists ignored versions with their time", async () => {
    const root = temp();
    const repo = open(root);
    await repo.installVariant({ definition: built("foo", "1.0", {}), index: null });
    const before = Date.now() - 1000;
    expect(await repo.ignoreVersion("bar", "3", { allowMissing: true })).toBe("changed");
    expect(await repo.ignoreVersion("foo", "1.0")).toBe("changed");
    const ignored = await repo.ignoredVersions();
    expect(ignored.map((i) => [i.name, i.version])).toEqual([["bar", "3"], ["foo", "1.0"]]);
    for (const i of ignored) expect(i.since).toBeGreaterThan(before);
    expect(await repo.unignoreVersion("bar", "3")).toBe("changed");
    expect(await repo.unignoreVersion("bar", "3")).toBe("not-found");
  });
});

describe("the install lock", () => {
  it("waits for the holder, then times out with PKG0029 naming the lock file", async () => {
    const root = temp();
    const lock = packageLockFile(root, "foo", "1.0");
    expect(lock).toBe(join(root, ".lock.foo-1.0.lock"));
    let release!: () => void;
    const held = withFileLock(lock, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const error = await withFileLock(lock, async () => "got it", 0.2).catch((e: unknown) => e);
    expect((error as PkgError).code).toBe("PKG0029");
    expect((error as PkgError).message).toContain(lock);
    const waiting = withFileLock(lock, async () => "got it", 5);
    release();
    await held;
    expect(await waiting).toBe("got it");
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock left by a process of this host that is gone", async () => {
    const root = temp();
    const lock = packageLockFile(root, "foo", "1.0");
    writeFileSync(lock, `${hostname()} 999999999\n`);
    expect(await withFileLock(lock, async () => "taken", 0.2)).toBe("taken");
  });

  it("serialises concurrent installs of the same package: no variant is lost", async () => {
    const root = temp();
    const repos = [0, 1, 2, 3].map(() => new FilesystemRepository(root, { loader: createDefinitionLoader() }));
    const definition = built("foo", "1.0", { variants: [["a"], ["b"], ["c"], ["d"]] });
    await Promise.all(repos.map((repo, index) => repo.installVariant({ definition, index })));
    const family = await new FilesystemRepository(root, { loader: createDefinitionLoader() }).loadFamily("foo");
    expect((family?.[0]?.attributes.variants as string[][]).map((v) => v[0]).sort()).toEqual(["a", "b", "c", "d"]);
  });
});

describe("memory repositories and type@location", () => {
  it("a memory repository is written with the same rules", async () => {
    const repo = new MemoryRepository({}, "test");
    expect(isWritableRepository(repo)).toBe(true);
    const definition = built("foo", "1.0", { variants: [["a"], ["b"]] });
    await repo.installVariant({ definition, index: 1 });
    const second = await repo.installVariant({ definition, index: 0 });
    expect(second.index).toBe(0);
    expect((await repo.loadFamily("foo"))?.[0]?.attributes.variants).toEqual([["a"], ["b"]]);
    expect(await repo.ignoreVersion("foo", "1.0")).toBe("changed");
    expect(await repo.loadFamily("foo")).toEqual([]);
    expect(await repo.ignoreVersion("foo", "7", { allowMissing: true })).toBe("changed");
    expect((await repo.ignoredVersions()).map((i) => i.version)).toEqual(["1.0", "7"]);
  });

  it("opens each packages path entry by its type; a plain path is a filesystem repository", () => {
    const root = temp();
    const set = openRepositories({ paths: [root, `filesystem@${root}/b`, "memory@scratch"], loader: createDefinitionLoader() });
    expect(set.repositories.map((r) => [r.type, r.location])).toEqual([
      ["filesystem", root],
      ["filesystem", `${root}/b`],
      ["memory", "memory@scratch"],
    ]);
  });

  it("an unknown type is PKG0033 naming the entry and the known types", () => {
    let error: unknown;
    try {
      openRepositories({ paths: ["svn@server/repo"], loader: createDefinitionLoader() });
    } catch (e) {
      error = e;
    }
    expect((error as PkgError).code).toBe("PKG0033");
    expect((error as PkgError).message).toBe("unknown repository type 'svn' in packages path entry 'svn@server/repo'");
    expect((error as PkgError).hint).toContain("filesystem, memory");
    expect(defaultRepositoryRegistry().parse("C:\\packages")).toEqual({ type: "filesystem", location: "C:\\packages" });
  });

  it("round trips a variant through its handle, in the repository it came from", async () => {
    const root = temp();
    const fs = new FilesystemRepository(root, { loader: createDefinitionLoader() });
    await fs.installVariant({ definition: built("foo", "1.0", { variants: [["a"]] }), index: 0 });
    const memory = new MemoryRepository({ foo: { "1.0": { variants: [["a"]] } } }, "m");
    const { RepositorySet } = await import("./set.js");
    const both = new RepositorySet([fs, memory]);
    const [fromFs] = (await both.getFamily("foo"))!;
    const handle = both.variantHandle(fromFs!, 0)!;
    expect(handle).toEqual({ key: "filesystem.variant", variables: { index: 0, location: root, name: "foo", repository_type: "filesystem", version: "1.0" } });
    expect((await both.variantFromHandle(handle))?.definition.file).toBe(join(root, "foo/1.0/package.py"));
    const memoryHandle = memory.variantHandle((await memory.loadFamily("foo"))![0]!, 0);
    expect(memoryHandle.key).toBe("memory.variant");
    expect((await both.variantFromHandle(memoryHandle))?.definition.file).toBe("memory@m/foo/1.0");
    expect(await both.variantFromHandle({ ...handle, variables: { ...handle.variables, version: "9" } })).toBeUndefined();
  });
});
