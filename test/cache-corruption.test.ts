// Acceptance: caches cannot lie. One random byte of one cache file (package definitions, resolves, V8 code)
// is flipped, 100 times over Rez's benchmark repository; every run must give what `--no-cache` gives, or
// stop with a clear message; never a wrong result, never an internal error.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkArchive, benchmarkDataDir, haveBenchmarkData, runPkg } from "./support/cli.js";

const haveData = haveBenchmarkData("the cache corruption test");

const FLIPS = 100;
const REQUESTS = 12;
let work: string;
let repo: string;
let cache: string;

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

function solve(request: readonly string[], extra: readonly string[] = []) {
  return runPkg(work, ["-r", repo, "solve", "--json", ...extra, ...request], { PKG_CACHE_DIR: cache });
}

function files(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).filter((f) => !f.endsWith(".tmp")).map((f) => join(folder, f)) : [];
}

beforeAll(() => {
  if (!haveData) return;
  work = mkdtempSync(join(tmpdir(), "pkg-cache-corruption-"));
  const tar = spawnSync("tar", ["xzf", benchmarkArchive, "-C", work]);
  if (tar.status !== 0) throw new Error(`cannot extract ${benchmarkArchive}`);
  repo = join(work, "packages");
  cache = join(work, "cache");
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!haveData)("a flipped byte in any cache file", () => {
  it(`never changes a resolve nor crashes pkg (${FLIPS} flips)`, () => {
    const all = JSON.parse(readFileSync(join(benchmarkDataDir, "requests.json"), "utf8")) as string[][];
    const pick = generator(20261202);
    const requests = Array.from({ length: REQUESTS }, () => all[pick(all.length)]!);
    const reference = requests.map((r) => solve(r, ["--no-cache"]));
    for (const r of reference) expect(r.stderr).not.toContain("internal error");
    // Warm every cache: definitions of the families the requests touch, their resolves, the V8 code cache.
    for (const r of requests) solve(r);
    const definitionFolders = files(join(cache, "definitions"));
    const kinds: (() => string[])[] = [
      () => definitionFolders.flatMap(files),
      () => files(join(cache, "resolves")),
      () => files(join(cache, "v8")),
    ];
    for (const kind of kinds) expect(kind().length).toBeGreaterThan(0);

    for (let flip = 0; flip < FLIPS; flip++) {
      const candidates = kinds[flip % kinds.length]!();
      const file = candidates[pick(candidates.length)]!;
      const bytes = readFileSync(file);
      const at = pick(bytes.length);
      bytes[at] = bytes[at]! ^ (1 << pick(8));
      writeFileSync(file, bytes);
      const index = pick(requests.length);
      const run = solve(requests[index]!);
      const where = `flip ${flip}: byte ${at} of ${file} (${statSync(file).size} bytes), request ${requests[index]!.join(" ")}`;
      expect(run.stderr, where).not.toContain("internal error");
      expect(run.status, where).toBe(reference[index]!.status);
      // with --json the warnings about damaged files are in the document, beside the same result
      const { warnings = [], ...result } = JSON.parse(run.stdout) as { warnings?: { message: string }[] };
      expect(result, where).toEqual(JSON.parse(reference[index]!.stdout));
      for (const warning of warnings) expect(warning.message, where).toMatch(/damaged/);
      expect(run.stderr, where).toBe("");
      // A damaged family file (its listing included) never loses packages from a scan either.
      if (flip % 10 === 0) expect(runPkg(work, ["-r", repo, "scan"], { PKG_CACHE_DIR: cache }).stdout, where).toContain("18226 packages");
    }
  });
});
