// Acceptance: all 188 requests of Rez's benchmark resolve exactly as Rez 3.4.0 resolved them (status and
// resolved variants, in order), through the whole product: `pkg benchmark` extracts the archive, loads the
// package files with pkg's reader, resolves every request and compares with Rez's expected_resolves.json.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkArchive, benchmarkDataDir, haveBenchmarkData, runPkg, type CliRun } from "./support/cli.js";

const haveData = haveBenchmarkData("the 188 benchmark resolves");

let work: string;
let run: CliRun;

beforeAll(() => {
  if (!haveData) return;
  work = mkdtempSync(join(tmpdir(), "pkg-benchmark-resolves-"));
  run = runPkg(work, [
    "benchmark",
    "--packages",
    benchmarkArchive,
    "--requests",
    join(benchmarkDataDir, "requests.json"),
    "--out",
    join(work, "results"),
    "--compare",
    join(benchmarkDataDir, "expected_resolves.json"),
  ]);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!haveData)("Rez's benchmark repository", () => {
  it("resolves all 188 requests exactly as Rez", () => {
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("identical to");
    expect(run.stdout).not.toContain("differs:");
    expect(run.status).toBe(0);
  });

  it("records Rez's format: 187 solved and the one failure Rez reports", () => {
    const resolves = JSON.parse(readFileSync(join(work, "results", "resolves.json"), "utf8")) as { status: string; request: string[] }[];
    expect(resolves).toHaveLength(188);
    const failed = resolves.filter((r) => r.status !== "success");
    expect(failed.map((r) => r.status)).toEqual(["failed"]);
    expect(failed[0]!.request).toContain("nail-2");
    const summary = JSON.parse(readFileSync(join(work, "results", "summary.json"), "utf8")) as Record<string, unknown>;
    expect(summary).toMatchObject({ num_success_resolves: 187, num_failed_resolves: 1, num_error_resolves: 0 });
  });
});
