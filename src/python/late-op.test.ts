// The worker's "late" op (rex.py evaluate_late): @late requirement attributes as Rez's solver sees them.
import { afterAll, describe, expect, it } from "vitest";
import { PythonWorkerPool } from "./worker-pool.js";

const pool = new PythonWorkerPool({ maxWorkers: 1 });
afterAll(() => pool.close());

const FILE = "/repo/testing_obj/1.0.0/package.py";

function late(source: string, line = 4) {
  return { kind: "source", late: true, file: FILE, line, source };
}

function pkg(attributes: Record<string, unknown>, evaluate: string[] = ["requires"]) {
  return { name: "testing_obj", version: "1.0.0", qualified_name: "testing_obj-1.0.0", base: "/repo/testing_obj/1.0.0", uri: FILE, index: null, attributes, evaluate };
}

interface LateAnswer {
  packages: { values: Record<string, unknown>; errors: Record<string, { exception: string; message: string; file: string; line: number | null; package: string }> }[];
}

async function evaluate(packages: unknown[], bindings: Record<string, unknown> = {}): Promise<LateAnswer> {
  const r = await pool.request({ op: "late", bindings, packages });
  if (!r.ok) throw new Error(r.error.message);
  return r.result as LateAnswer;
}

// Rez's data/tests/builds/packages/testing_obj
const testingObj = late('@late()\ndef requires():\n    if in_context() and testing:\n        return ["floob"]\n    return ["hello"]');

describe('worker op "late"', () => {
  it("sees the resolve's bindings: testing_obj requires floob only when testing (Rez test_context.py)", async () => {
    const r = await evaluate([pkg({ requires: testingObj }), pkg({ requires: testingObj })], { testing: false });
    expect(r.packages.map((p) => p.values.requires)).toEqual([["hello"], ["hello"]]);
    const t = await evaluate([pkg({ requires: testingObj })], { testing: true });
    expect(t.packages[0]!.values.requires).toEqual(["floob"]);
  });

  it.each([
    ["building", '["a"] if building else ["b"]', { building: true }, ["a"]],
    ["request binding", '["req-" + request.get_range("maya").__str__()] if "maya" in request else []', { request: ["maya-2024+"] }, ["req-2024+"]],
    ["implicits binding", '[implicits["platform"]]', { implicits: ["~platform==linux"] }, ["~platform==linux"]],
    ["system binding", '["os-" + system.platform]', { system: { platform: "linux" } }, ["os-linux"]],
    ["intersects", '["x"] if intersects("maya-2024", "2020+") else []', {}, ["x"]],
    ["no ephemerals before the resolve", '["e"] if "foo" in ephemerals else ["none"]', {}, ["none"]],
    ["this is the package", '[this.name + "-extra"] if this.is_package and not this.is_variant else []', {}, ["testing_obj-extra"]],
    ["this.version", '["v%d" % this.version.major]', {}, ["v1"]],
    ["plain attributes through this", "list(this.tools)", {}, ["a", "b"]],
  ])("%s", async (_what, expression, bindings, expected) => {
    const requires = late(`@late()\ndef requires():\n    return ${expression}`);
    const r = await evaluate([pkg({ requires, tools: ["a", "b"] })], bindings);
    expect(r.packages[0]!.errors).toEqual({});
    expect(r.packages[0]!.values.requires).toEqual(expected);
  });

  it("evaluates several attributes of one package; a late function may read another", async () => {
    const attributes = {
      requires: late('@late()\ndef requires():\n    return ["python-3"]'),
      build_requires: late('@late()\ndef build_requires():\n    return [str(r) + ".dev" for r in this.requires] + ["cmake"]', 8),
    };
    const r = await evaluate([pkg(attributes, ["requires", "build_requires"])]);
    expect(r.packages[0]!.values).toEqual({ requires: ["python-3"], build_requires: ["python-3.dev", "cmake"] });
  });

  it.each([
    ["an exception, at its line", '@late()\ndef requires():\n    x = 1\n    return undefined_name', "NameError", /undefined_name/, 7],
    ["not a list (late_requires_schema)", "@late()\ndef requires():\n    return 'foo'", "LateBindingError", /list of requirement strings, not str/, 4],
    ["a non-string item", "@late()\ndef requires():\n    return ['foo', 3]", "LateBindingError", /an item is int/, 4],
    ["a syntax error, at its line in the file", "@late()\ndef requires():\n    return [\"a\" +]", "SyntaxError", /invalid syntax/, 6],
  ])("reports %s", async (_what, source, exception, message, line) => {
    const r = await evaluate([pkg({ requires: late(source) }), pkg({ requires: testingObj })]);
    const error = r.packages[0]!.errors.requires!;
    expect(error).toMatchObject({ exception, file: FILE, line, package: "testing_obj-1.0.0" });
    expect(error.message).toMatch(message);
    // the other package of the batch is unaffected
    expect(r.packages[1]!.values.requires).toEqual(["hello"]);
  });

  it("skips attributes that are not late", async () => {
    const r = await evaluate([pkg({ requires: ["plain"] })]);
    expect(r.packages[0]).toEqual({ values: {}, errors: {} });
  });
});
