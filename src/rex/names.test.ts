import { describe, expect, it } from "vitest";
import { RexNameError, checkRexName, invalidNameReason } from "./index.js";
import { runRexWithoutPython } from "./index.js";

describe("variable and alias names", () => {
  it.each([
    ["PATH", true],
    ["_x1", true],
    ["MAYA_2024_LOCATION", true],
    ["1ABC", false],
    ["", false],
    ["A-B", false],
    ["A;touch /tmp/p;B", false],
    ["A\nB", false],
    ["$(id)", false],
    ["`id`", false],
    ["A B", false],
    ["A=B", false],
    ["É", false],
    ["${X}_PATH", false],
  ])("variable %j valid: %s", (name, valid) => {
    expect(invalidNameReason("variable", name) === undefined).toBe(valid);
  });

  it.each([
    ["maya", true],
    ["hython-19.5", true],
    ["g++", true],
    ["3delight", true],
    ["-rf", false],
    ["a;b", false],
    ["a b", false],
    ["a$(id)", false],
    ["", false],
  ])("alias %j valid: %s", (name, valid) => {
    expect(invalidNameReason("alias", name) === undefined).toBe(valid);
  });

  it("checkRexName throws an error naming the name", () => {
    expect(() => checkRexName("variable", "A;B")).toThrow(RexNameError);
    expect(() => checkRexName("variable", "A;B")).toThrow(/"A;B"/);
  });

  it("the TypeScript recorder stops at a bad name and names the step's package and file", () => {
    const r = runRexWithoutPython({
      parent_environ: {},
      parent_variables: [],
      env_var_separators: {},
      pathsep: ":",
      shebang: false,
      bindings: {},
      steps: [
        { op: "setenv", key: "OK", value: "1" },
        { op: "setenv", key: "A;touch x;B", value: "v", package: "evil", file: "/repo/evil/1/package.py" },
        { op: "setenv", key: "LATER", value: "2" },
      ],
    });
    expect(r.error).toMatchObject({ package: "evil", file: "/repo/evil/1/package.py", exception: "RexNameError" });
    expect(r.error?.message).toContain('"A;touch x;B"');
    expect(r.actions.map((a) => a.type)).toEqual(["setenv"]);
  });
});
