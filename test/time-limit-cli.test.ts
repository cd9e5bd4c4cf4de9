// Black-box: `--time-limit` bounds a whole resolve, `@late` functions included. A late `requires` stuck in
// an endless loop ran for ten minutes under `--time-limit 3`; now the resolve is aborted as Rez words it,
// and nothing of the run is left behind (the stuck Python worker is killed). Time appears only as generous
// upper bounds that catch a hang.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, writeTree } from "./support/cli.js";

let work: string;
let repo: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-time-limit-"));
  repo = join(work, "repo");
  writeTree(repo, {
    "top/1.0/package.py": 'name = "top"\nversion = "1.0"\nrequires = ["stuck"]\n',
    "stuck/1.0/package.py": 'name = "stuck"\nversion = "1.0"\n\n@late()\ndef requires():\n    while True:\n        pass\n',
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly stdout: string;
  /** True when anything of the run's process group was still running once `pkg` exited. */
  readonly leftBehind: boolean;
}

/** Runs `pkg ARGS` in a process group of its own, killed whole after `limitMs` (a hang fails, not blocks). */
function runGroup(args: readonly string[], limitMs: number): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: work,
      detached: true,
      env: isolatedEnv(work),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const killGroup = (): void => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the group is gone
      }
    };
    const timer = setTimeout(killGroup, limitMs);
    child.on("close", (status) => {
      clearTimeout(timer);
      // (a killed process not reaped yet is a zombie: dead, so not left behind)
      const group = execFileSync("ps", ["-A", "-o", "pgid=,stat="], { encoding: "utf8" })
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => Number(f[0]) === child.pid && !f[1]!.startsWith("Z"));
      const leftBehind = group.length > 0;
      killGroup();
      done({ status, stdout, stderr, leftBehind });
    });
  });
}

describe("pkg solve --time-limit with a late function that never returns", () => {
  it("is aborted with Rez's 'time limit exceeded', exit 1, the worker killed", { timeout: 120_000 }, async () => {
    const r = await runGroup(["solve", "--ni", "--time-limit", "2", "--paths", repo, "top"], 90_000);
    expect(r.stderr).toContain("The resolve was aborted:\ntime limit exceeded\n");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.leftBehind).toBe(false);
  });
});
