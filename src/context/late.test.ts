// Late-bound requirements during a resolve: Rez's testing_obj through the real worker, and the evaluator's
// batching, laziness and errors with a scripted pool.
import { afterAll, describe, expect, it } from "vitest";
import type { SourceCode } from "../package/index.js";
import { PythonWorkerPool } from "../python/index.js";
import type { WorkerRequest, WorkerResponse } from "../python/index.js";
import { resolve } from "../solver/index.js";
import { createLateEvaluator, hasLateRequirements, LateBindingError } from "./late.js";
import type { LatePythonPool } from "./late.js";
import { def, source } from "./late-test-support.js";

function late(name: string, body: string, file = `/repo/${name}/package.py`, line = 3): SourceCode {
  return { kind: "source", late: true, file, line, source: `@late()\ndef ${name}():\n    ${body}` };
}


/** Answers like the worker: each late `requires` returns the list written after `#=` in its source. */
class ScriptedPool implements LatePythonPool {
  readonly requests: WorkerRequest[] = [];
  async request(req: WorkerRequest): Promise<WorkerResponse> {
    this.requests.push(req);
    const packages = (req.packages as { attributes: Record<string, SourceCode>; evaluate: string[] }[]).map((p) => {
      const values: Record<string, unknown> = {};
      const errors: Record<string, unknown> = {};
      for (const a of p.evaluate) {
        const m = /#=(.*)$/.exec(p.attributes[a]!.source);
        if (m) values[a] = JSON.parse(m[1]!);
        else errors[a] = { exception: "NameError", message: "boom", file: p.attributes[a]!.file, line: 9, traceback: null };
      }
      return { values, errors };
    });
    return { ok: true, result: { packages } };
  }
}

const system = { platform: "linux", arch: "x86_64", os: "Ubuntu-22.04" };

// Rez's data/tests/builds/packages (testing_obj and what it may require)
const rezBuilds = [
  def("floob", "1.0.0"),
  def("hello", "1.0.0"),
  def("testing_obj", "1.0.0", { requires: late("requires", 'return ["floob"] if in_context() and testing else ["hello"]') }),
];

describe("late requires in a resolve (real python worker)", () => {
  const pool = new PythonWorkerPool({ maxWorkers: 1 });
  afterAll(() => pool.close());

  it.each([
    [true, ["floob-1.0.0", "testing_obj-1.0.0"]],
    [false, ["hello-1.0.0", "testing_obj-1.0.0"]],
  ])("ResolvedContext(['testing_obj'], testing=%s) (Rez test_context.py)", async (testing, expected) => {
    const evaluateLate = createLateEvaluator({ pool, request: ["testing_obj"], testing, system, source: source(rezBuilds) });
    const r = await resolve(["testing_obj"], { source: source(rezBuilds), evaluateLate });
    expect(r.status).toBe("solved");
    expect(r.variants.map((v) => `${v.name}-${v.version}`)).toEqual(expected);
  });

  it("a broken late function ends the resolve with an error naming package, file and line", async () => {
    const defs = [def("bad", "1.0", { requires: late("requires", "return nope", "/repo/bad/1.0/package.py", 10) })];
    const evaluateLate = createLateEvaluator({ pool, request: ["bad"], system, source: source(defs) });
    const r = await resolve(["bad"], { source: source(defs), evaluateLate });
    expect(r.status).toBe("error");
    expect(r.errorType).toBe("LateBindingError");
    expect(r.failureDescription).toBe(
      "late-bound 'requires' of package bad-1.0 (/repo/bad/1.0/package.py:12): NameError: name 'nope' is not defined",
    );
  });
});

describe("createLateEvaluator", () => {
  const family = [
    def("foo", "1.0", { requires: late("requires", '#=["a"]') }),
    def("foo", "2.0", { requires: ["plain"] }),
    def("foo", "3.0", { requires: late("requires", '#=["b-1+"]'), build_requires: late("build_requires", '#=["cmake"]') }),
  ];

  it("evaluates a whole family's late requires in one round trip, each once", async () => {
    const pool = new ScriptedPool();
    const evaluate = createLateEvaluator({ pool, request: ["foo"], system, source: source(family) });
    expect(await evaluate(family[2]!, "requires")).toEqual(["b-1+"]);
    expect(await evaluate(family[0]!, "requires")).toEqual(["a"]);
    expect(await evaluate(family[2]!, "requires")).toEqual(["b-1+"]);
    expect(pool.requests).toHaveLength(1);
    const sent = pool.requests[0]!.packages as { name: string; version: string; evaluate: string[] }[];
    expect(sent.map((p) => [p.version, p.evaluate])).toEqual([
      ["3.0", ["requires"]],
      ["1.0", ["requires"]],
    ]);
    expect(pool.requests[0]!.bindings).toEqual({ system, building: false, testing: false, request: ["foo"], implicits: [], ephemerals: [] });
  });

  it("gives plain values back without Python, and starts no Python for a resolve without late attributes", async () => {
    let started = false;
    const evaluate = createLateEvaluator({
      pool: () => {
        started = true;
        return new ScriptedPool();
      },
      request: ["foo"],
      system: () => {
        throw new Error("system is not needed");
      },
    });
    expect(await evaluate(family[1]!, "requires")).toEqual(["plain"]);
    const plain = [def("x", "1", { requires: ["y"] }), def("y", "1")];
    const r = await resolve(["x"], { source: source(plain), evaluateLate: evaluate });
    expect(r.status).toBe("solved");
    expect(started).toBe(false);
  });

  it("evaluates late build_requires only in a build resolve (Rez's solver reads them only then)", async () => {
    const pool = new ScriptedPool();
    const notBuilding = createLateEvaluator({ pool, request: [], system });
    expect(await notBuilding(family[2]!, "build_requires")).toEqual([]);
    expect(pool.requests).toHaveLength(0);
    const building = createLateEvaluator({ pool, request: [], system, building: true });
    expect(await building(family[2]!, "build_requires")).toEqual(["cmake"]);
    expect(await building(family[2]!, "requires")).toEqual(["b-1+"]);
    expect(pool.requests).toHaveLength(1);
    expect((pool.requests[0]!.bindings as { building: boolean }).building).toBe(true);
  });

  it.each([
    ["a function that raised", late("requires", "raise"), /late-bound 'requires' of package p-1 \(\/repo\/requires\/package\.py:9\): NameError: boom/],
    ["an invalid requirement", late("requires", '#=["foo-1+<<2"]'), /late-bound 'requires' of package p-1 \(\/repo\/p\/1\/package\.py:3\): LateBindingError: returned an invalid requirement/],
    ["late variants", late("variants", '#=[["a"]]'), /'variants' cannot be late-bound/],
  ])("refuses %s", async (_what, code, message) => {
    const attribute = code.source.includes("def variants") ? "variants" : "requires";
    const p = def("p", "1", { [attribute]: code });
    const evaluate = createLateEvaluator({ pool: new ScriptedPool(), request: [], system });
    const error = await evaluate(p, attribute).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LateBindingError);
    expect((error as Error).message).toMatch(message);
  });

  it("reports a Python that cannot start as a resolve error", async () => {
    const pool: LatePythonPool = { request: () => Promise.reject(new Error("spawn python3 ENOENT")) };
    const evaluate = createLateEvaluator({ pool, request: [], system });
    await expect(evaluate(family[0]!, "requires")).rejects.toThrow(/foo-1\.0 .*cannot run Python: spawn python3 ENOENT/);
  });

  it("knows which packages have late requirements", () => {
    expect(family.map(hasLateRequirements)).toEqual([true, false, true]);
  });
});
