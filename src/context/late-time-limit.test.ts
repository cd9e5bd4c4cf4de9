// The resolve's time limit bounds `@late` functions too: a late `requires` stuck in a loop in the Python
// worker ends the resolve with Rez's "time limit exceeded" abort, and the stuck worker is killed. Time
// appears only as generous test timeouts that catch a hang.
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import type { PackageDefinition, SourceCode } from "../package/index.js";
import { PythonWorkerPool } from "../python/index.js";
import type { WorkerRequest, WorkerRequestOptions, WorkerResponse } from "../python/index.js";
import { resolve } from "../solver/index.js";
import { createLateEvaluator } from "./late.js";
import type { LatePythonPool } from "./late.js";
import { def, source } from "./late-test-support.js";

function late(body: string): SourceCode {
  return { kind: "source", late: true, file: "/repo/stuck/1.0/package.py", line: 3, source: `@late()\ndef requires():\n    ${body}` };
}


const system = { platform: "linux", arch: "x86_64", os: "Ubuntu-22.04" };
const defs = [def("top", "1.0", { requires: ["stuck"] }), def("stuck", "1.0", { requires: late("while True:\n        pass") })];

/** Worker processes (worker.py) that are children of this process. */
function workerChildren(): number[] {
  const out = execFileSync("ps", ["-o", "pid=,ppid=,args=", "-A"], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === process.pid && f.slice(2).some((a) => a.endsWith("worker.py")))
    .map((f) => Number(f[0]));
}

describe("--time-limit and @late functions", () => {
  const pool = new PythonWorkerPool({ maxWorkers: 1 });
  afterAll(() => pool.close());

  it("a late requires that never returns: aborted with 'time limit exceeded', the worker killed", { timeout: 60_000 }, async () => {
    const evaluateLate = createLateEvaluator({ pool, request: ["top"], system, source: source(defs) });
    const r = await resolve(["top"], { source: source(defs), evaluateLate, timeLimit: 1 });
    expect(r.status).toBe("aborted");
    expect(r.failureDescription).toBe("time limit exceeded");
    expect(r.variants).toEqual([]);
    // the pool still answers (a new worker), and the stuck one is gone
    const pong = await pool.request({ op: "ping" });
    expect(pong.ok).toBe(true);
    let children = workerChildren();
    for (let i = 0; i < 50 && children.length > 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      children = workerChildren();
    }
    expect(children).toHaveLength(1);
  });

  it("a request given up is dropped from the queue or its worker killed; the others still run", { timeout: 60_000 }, async () => {
    const own = new PythonWorkerPool({ maxWorkers: 1 });
    try {
      const controller = new AbortController();
      const stuck = own.request(
        { op: "late", bindings: { system, building: false, testing: false, request: [], implicits: [], ephemerals: [] }, packages: [lateData(defs[1]!)] },
        { signal: controller.signal },
      );
      // pipelined behind the stuck one on the same worker: it is sent again to a new worker
      const behind = own.request({ op: "ping" });
      await new Promise((r) => setTimeout(r, 300));
      controller.abort(new Error("given up"));
      await expect(stuck).rejects.toThrow("given up");
      expect((await behind).ok).toBe(true);
      const already = new AbortController();
      already.abort(new Error("too late"));
      await expect(own.request({ op: "ping" }, { signal: already.signal })).rejects.toThrow("too late");
    } finally {
      await own.close();
    }
  });

  it("the evaluator passes the signal on, and evaluates again after a give-up", async () => {
    const seen: (AbortSignal | undefined)[] = [];
    let answer = false;
    const scripted: LatePythonPool = {
      request(req: WorkerRequest, options?: WorkerRequestOptions): Promise<WorkerResponse> {
        seen.push(options?.signal);
        if (answer) return Promise.resolve({ ok: true, result: { packages: [{ values: { requires: [] }, errors: {} }] } });
        return new Promise((_, reject) => options?.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
      },
    };
    const evaluate = createLateEvaluator({ pool: scripted, request: ["stuck"], system });
    const controller = new AbortController();
    const first = evaluate(defs[1]!, "requires", controller.signal);
    controller.abort(new Error("time limit exceeded"));
    await expect(first).rejects.toThrow("not evaluated (time limit exceeded)");
    answer = true;
    expect(await evaluate(defs[1]!, "requires")).toEqual([]);
    expect(seen).toEqual([controller.signal, undefined]);
  });
});

function lateData(d: PackageDefinition): Record<string, unknown> {
  return { name: d.name, version: d.version, base: "/repo", uri: d.file, index: null, qualified_name: `${d.name}-${d.version}`, qualified_package_name: `${d.name}-${d.version}`, attributes: d.attributes, evaluate: ["requires"] };
}
