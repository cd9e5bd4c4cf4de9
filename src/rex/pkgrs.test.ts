import { describe, it, expect } from "vitest";
import type { PkgRsData, PkgRsEvar } from "../package/index.js";
import { PkgRsEnvironment, pkgRsStampVariables, formatRexText, normalizeEnvRefs, expandEnvVars } from "./index.js";

const data = (evars: PkgRsEvar[]): PkgRsData => ({ envs: [{ name: "default", evars }], apps: [], tags: [], icon: null });

describe("pkg-rs token expansion", () => {
  const env = new PkgRsEnvironment(
    [
      { name: "a", version: "1.0.0", data: data([{ name: "A_ROOT", value: "/a", action: "set" }, { name: "Lib", value: "{a_root}/lib", action: "set" }]) },
      { name: "b", version: "2", data: data([{ name: "B", value: "{LIB}:{HOME}:{MISSING}", action: "set" }]) },
    ],
    { parentEnviron: { HOME: "/home/u", PATH: "/usr/bin" }, separator: ":" },
  );
  it.each([
    ["{A_ROOT}", "/a"],
    ["{LIB}", "/a/lib"], // case-insensitive, recursive
    ["{HOME}", "/home/u"], // parent fallback
    ["{MISSING}", "{MISSING}"], // kept literally
    ["{{A_ROOT}}", "{/a}"],
    ["{not a token} {A_ROOT", "{not a token} {A_ROOT"],
  ])("%s -> %s", (input, out) => {
    expect(env.expand(input)).toBe(out);
  });
  it("self reference gets the inherited value", () => {
    expect(env.expand("{PATH}:/x", "PATH")).toBe("/usr/bin:/x");
  });
  it("steps keep evar order and map actions", () => {
    expect(env.stepsFor("b")).toEqual([{ op: "setenv", key: "B", value: "/a/lib:/home/u:{MISSING}", raw: true }]);
  });
  it("stamps", () => {
    expect(pkgRsStampVariables({ name: "my-tool", version: "1.2", data: data([]) })).toEqual([
      ["PKG_MY_TOOL_ROOT", ""],
      ["PKG_MY_TOOL_VERSION", "1.2"],
      ["PKG_MY_TOOL_MAJOR", "1"],
      ["PKG_MY_TOOL_MINOR", "2"],
      ["PKG_MY_TOOL_PATCH", ""],
      ["PKG_MY_TOOL_VARIANT", ""],
    ]);
  });
});

describe("Rex formatting helpers", () => {
  const ns = { root: "/r", this: { name: "foo", version: "1.0" }, nested: "{root}/x" };
  it.each([
    ["{root}/bin", "/r/bin"],
    ["$FOO/{this.name}", "${FOO}/foo"],
    ["${FOO}", "${FOO}"],
    ["{nested}", "/r/x"],
    ["{{literal}}", "{literal}"],
    // Rez's lazy regex reads `$FOO1` as `${FOO}1` and `$MAYA_2024` as `${MAYA_}2024`; pkg reads the whole name.
    ["$FOO1", "${FOO1}"],
    ["$MAYA_2024_LOCATION/bin", "${MAYA_2024_LOCATION}/bin"],
  ])("%s -> %s", (input, out) => {
    expect(formatRexText(input, ns)).toBe(out);
  });
  it("unknown fields and stray braces fail like KeyError/ValueError", () => {
    expect(formatRexText("{nope}", ns)).toBeUndefined();
    expect(formatRexText("a } b", ns)).toBeUndefined();
  });
  it("normalises and expands references", () => {
    expect(normalizeEnvRefs("$A:${B}")).toBe("${A}:${B}");
    expect(expandEnvVars("$A:${B}:$C", (n) => ({ A: "1", B: "2" })[n])).toBe("1:2:$C");
  });
});
