import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDefinitionLoader, openRepositories } from "../repository/index.js";
import type { PackageFamilySource } from "../solver/index.js";
import { ResolveCache } from "./resolve-cache.js";

let work: string;
let repo: string;

function writePackage(name: string, version: string, lines: string[] = []): void {
  mkdirSync(join(repo, name, version), { recursive: true });
  writeFileSync(join(repo, name, version, "package.py"), [`name = "${name}"`, `version = "${version}"`, ...lines, ""].join("\n"));
}

/** A fresh repository view (as a new pkg process would have) that counts the families it is asked for. */
function countingSource(): { source: PackageFamilySource; asked: string[] } {
  const set = openRepositories({ paths: [repo], loader: createDefinitionLoader({}) });
  const asked: string[] = [];
  return {
    asked,
    source: {
      searchedPaths: set.searchedPaths,
      getFamily: (name) => {
        asked.push(name);
        return set.getFamily(name);
      },
    },
  };
}

async function resolveOnce(request: string[]): Promise<{ packages: string[]; asked: string[] }> {
  const cache = new ResolveCache({ dir: join(work, "cache"), repositoryPaths: [repo], fingerprint: "test" });
  const { source, asked } = countingSource();
  const result = await cache.resolve(request, { source });
  return { packages: result.variants.map((v) => `${v.name}-${v.version}`), asked };
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
});
