import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDefinitionLoader, openRepositories } from "../repository/index.js";
import { ResolveCache } from "./resolve-cache.js";
import type { StampedFamilySource } from "./resolve-cache.js";

let work: string;
let repo: string;

function writePackage(name: string, version: string, lines: string[] = []): void {
  mkdirSync(join(repo, name, version), { recursive: true });
  writeFileSync(join(repo, name, version, "package.py"), [`name = "${name}"`, `version = "${version}"`, ...lines, ""].join("\n"));
}

/** A fresh repository view (as a new pkg process would have) that counts the families it is asked for. */
function countingSource(onFamily?: (name: string) => void): { source: StampedFamilySource; asked: string[] } {
  const set = openRepositories({ paths: [repo], loader: createDefinitionLoader({}) });
  const asked: string[] = [];
  return {
    asked,
    source: {
      searchedPaths: set.searchedPaths,
      getFamily: async (name) => {
        asked.push(name);
        const family = await set.getFamily(name);
        onFamily?.(name);
        return family;
      },
      familyStamp: (name) => set.familyStamp(name),
      get warnings() {
        return set.warnings;
      },
    },
  };
}

async function resolveOnce(request: string[], onFamily?: (name: string) => void): Promise<{ packages: string[]; asked: string[]; warnings: string[] }> {
  const cache = new ResolveCache({ dir: join(work, "cache"), repositoryPaths: [repo], fingerprint: "test" });
  const { source, asked } = countingSource(onFamily);
  const result = await cache.resolve(request, { source });
  return { packages: result.variants.map((v) => `${v.name}-${v.version}`), asked, warnings: cache.warnings.map((w) => w.message) };
}

function touchLater(path: string): void {
  utimesSync(path, new Date(), new Date(Date.now() + 5_000));
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-resolve-cache-"));
  repo = join(work, "repo");
  writePackage("app", "1.0", ['requires = ["lib-1"]']);
  writePackage("app", "2.0", ['requires = ["lib-2"]']);
  writePackage("lib", "1.0");
  writePackage("lib", "2.0", ['requires = ["!app-2"]']);
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("ResolveCache", () => {
  it("answers a repeated resolve without loading any family", async () => {
    const first = await resolveOnce(["app"]);
    expect(first.packages).toEqual(["lib-1.0", "app-1.0"]);
    expect(first.asked.length).toBeGreaterThan(0);
    const second = await resolveOnce(["app"]);
    expect(second.packages).toEqual(first.packages);
    expect(second.asked).toEqual([]);
  });

  it("notices an edit to a package the resolve looked at but did not pick", async () => {
    await resolveOnce(["app"]);
    // lib-2.0 lost the conflict that made app-2.0 impossible: app-2.0 now resolves
    const file = join(repo, "lib", "2.0", "package.py");
    writeFileSync(file, 'name = "lib"\nversion = "2.0"\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const again = await resolveOnce(["app"]);
    expect(again.asked.length).toBeGreaterThan(0);
    expect(again.packages).toEqual(["lib-2.0", "app-2.0"]);
  });

  it("notices a new version of a family the resolve looked at", async () => {
    await resolveOnce(["lib"]);
    writePackage("lib", "3.0");
    utimesSync(join(repo, "lib"), new Date(), new Date(Date.now() + 5_000));
    expect((await resolveOnce(["lib"])).packages).toEqual(["lib-3.0"]);
  });

  it("notices a family that appears after being missing", async () => {
    writePackage("tool", "1.0", ['requires = ["~extra-1"]']);
    expect((await resolveOnce(["tool"])).packages).toEqual(["tool-1.0"]);
    writePackage("extra", "2.0");
    writeFileSync(join(repo, "tool", "1.0", "package.py"), 'name = "tool"\nversion = "1.0"\nrequires = ["extra"]\n');
    utimesSync(join(repo, "tool", "1.0", "package.py"), new Date(), new Date(Date.now() + 5_000));
    expect((await resolveOnce(["tool"])).packages).toEqual(["extra-2.0", "tool-1.0"]);
  });

  it("keys on the request and does not keep failures", async () => {
    expect((await resolveOnce(["lib-1"])).packages).toEqual(["lib-1.0"]);
    expect((await resolveOnce(["lib-2"])).packages).toEqual(["lib-2.0"]);
    const failed = await resolveOnce(["app-2", "lib-1"]);
    expect(failed.packages).toEqual([]);
    expect((await resolveOnce(["app-2", "lib-1"])).asked.length).toBeGreaterThan(0);
  });

  it("ignores a damaged cache file", async () => {
    await resolveOnce(["app"]);
    const folder = join(work, "cache", "resolves");
    for (const f of readdirSync(folder)) writeFileSync(join(folder, f), "{not json");
    const again = await resolveOnce(["app"]);
    expect(again.packages).toEqual(["lib-1.0", "app-1.0"]);
    expect(again.asked.length).toBeGreaterThan(0);
  });

  it("a flipped byte anywhere in an entry is caught by its checksum: a warning, and the resolve is made again", async () => {
    await resolveOnce(["app"]);
    const folder = join(work, "cache", "resolves");
    const [name] = readdirSync(folder);
    const file = join(folder, name!);
    const good = readFileSync(file);
    // "1.0" -> "1.1" in the cached result would name a version that does not exist
    const at = good.lastIndexOf(Buffer.from('"1.0"'));
    const bad = Buffer.from(good);
    bad[at + 3] = "1".charCodeAt(0);
    writeFileSync(file, bad);
    const again = await resolveOnce(["app"]);
    expect(again.packages).toEqual(["lib-1.0", "app-1.0"]);
    expect(again.asked.length).toBeGreaterThan(0);
    expect(again.warnings).toEqual(["damaged resolve cache file (its checksum does not match); ignored and rewritten"]);
    expect((await resolveOnce(["app"])).asked).toEqual([]);
  });

  it("notices a broken package file that is fixed", async () => {
    writeFileSync(join(repo, "lib", "2.0", "package.py"), "name = (\n");
    expect((await resolveOnce(["app"])).packages).toEqual(["lib-1.0", "app-1.0"]);
    // not kept while a file of a family it looked at is broken (its warning shows on every run)
    expect((await resolveOnce(["app"])).asked.length).toBeGreaterThan(0);
    writeFileSync(join(repo, "lib", "2.0", "package.py"), 'name = "lib"\nversion = "2.0"\n');
    touchLater(join(repo, "lib", "2.0", "package.py"));
    expect((await resolveOnce(["app"])).packages).toEqual(["lib-2.0", "app-2.0"]);
  });

  it("notices a package file written into an empty version folder", async () => {
    mkdirSync(join(repo, "lib", "3.0"));
    touchLater(join(repo, "lib"));
    expect((await resolveOnce(["lib"])).packages).toEqual(["lib-2.0"]);
    writeFileSync(join(repo, "lib", "3.0", "package.py"), 'name = "lib"\nversion = "3.0"\n');
    touchLater(join(repo, "lib", "3.0"));
    expect((await resolveOnce(["lib"])).packages).toEqual(["lib-3.0"]);
  });

  it("a package edited while the resolve runs leaves no stale answer behind", async () => {
    const file = join(repo, "lib", "2.0", "package.py");
    // lib has been read (with its conflict on app-2) when the edit lands: this resolve still sees the old file
    const first = await resolveOnce(["app"], (name) => {
      if (name !== "lib") return;
      writeFileSync(file, 'name = "lib"\nversion = "2.0"\n');
      touchLater(file);
    });
    expect(first.packages).toEqual(["lib-1.0", "app-1.0"]);
    expect((await resolveOnce(["app"])).packages).toEqual(["lib-2.0", "app-2.0"]);
  });
});
