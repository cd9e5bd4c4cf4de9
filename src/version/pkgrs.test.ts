import { describe, expect, it } from "vitest";
import {
  RequirementError,
  Version,
  VersionError,
  isValidPkgRsName,
  parsePkgRsRequirement,
  parsePkgRsSpec,
  parseRequirement,
} from "./index.js";

const V = (s: string): Version => Version.parse(s);

describe("pkg-rs name@spec dialect on the Rez engine", () => {
  // spec after "foo@" -> Rez range string
  const table: [string, string][] = [
    // plain Rez syntax wins
    ["2024", "2024"],
    ["2024.1", "2024.1"],
    ["2024.1.0", "2024.1.0"],
    [">=2024,<2026", "2024+<2026"],
    [">=2024", "2024+"],
    ["<=2", "<=2"],
    [">2", ">2"],
    ["<2", "<2"],
    ["1+<2", "1+<2"],
    ["==2.0.0", "==2.0.0"],
    ["", ""],
    // pkg-rs grammar
    ["*", ""],
    ["^1.2.3", "1.2.3+<2"],
    ["^1.2", "1.2+<2"],
    ["^1", "1+<2"],
    ["^0.2.3", "0.2.3+<0.3"],
    ["^0.2", "0.2+<0.3"],
    ["^0.0.3", "0.0.3+<0.0.4"],
    ["^0.0", "0.0+<0.1"],
    ["^0", "0+<1"],
    ["^2.0.0-beta", "2.0.0-beta+<3"],
    ["~1.2.3", "1.2.3+<1.3"],
    ["~1.2", "1.2+<1.3"],
    ["~1", "1+<2"],
    ["=2.0.0", "==2.0.0"],
    ["=2024", "2024"],
    ["=2024.1", "2024.1"],
    ["2.*", "2"],
    ["1.2.*", "1.2"],
    ["2.x", "2.x"], // a Rez version with tokens 2, x
    ["=1.*", "1"],
    [">= 2024, < 2026", "2024+<2026"],
    [" >=1.2 ", "1.2+"],
    ["^1.2, <1.5", "1.2+<1.5"],
    ["> 2", ">2"],
    ["<= 2.0.0", "<=2.0.0"],
    ["*, <3", "<3"],
    ["1.2+, <1.4", "1.2+<1.4"],
  ];
  it.each(table)("foo@%j -> %j", (spec, rez) => {
    expect(parsePkgRsSpec(spec).toString()).toBe(rez);
    const r = parseRequirement(`foo@${spec}`);
    expect(r.name).toBe("foo");
    expect(r.range!.toString()).toBe(rez);
    // the printed form reads back to the same requirement with plain Rez parsing
    expect(parseRequirement(r.toString()).equals(r)).toBe(true);
  });

  it("caret/tilde ranges keep Rez ordering", () => {
    const caret = parsePkgRsSpec("^1.2.3");
    for (const v of ["1.2.3", "1.2.4", "1.9", "1.2.3-beta"]) expect(caret.contains(V(v))).toBe(true);
    for (const v of ["1.2.2", "1.2", "2", "2.0.0", "2.alpha"]) expect(caret.contains(V(v))).toBe(false);
    const exact = parsePkgRsSpec("=2.0.0");
    expect(exact.contains(V("2.0.0"))).toBe(true);
    expect(exact.contains(V("2.0.0.1"))).toBe(false);
  });

  it("prefixes and separators", () => {
    const c = parseRequirement("!foo@^1.2");
    expect(c.conflict).toBe(true);
    expect(c.toString()).toBe("!foo@1.2+<2");
    const w = parseRequirement("~foo@^1.2");
    expect(w.weak).toBe(true);
    expect(w.toString()).toBe("~foo@1.2+<2");
    expect(w.range!.toString()).toBe("<1.2|2+");
    expect(parseRequirement("foo-1.2.3").range!.toString()).toBe("1.2.3");
    expect(parseRequirement("foo@*").toString()).toBe("foo");
  });

  it("names with '-' work through '@' and keep the separator when printed", () => {
    const r = parseRequirement("my-plugin@<2");
    expect(r.name).toBe("my-plugin");
    expect(r.toString()).toBe("my-plugin@<2");
    expect(parseRequirement(r.toString()).equals(r)).toBe(true);
    expect(isValidPkgRsName("my-plugin")).toBe(true);
    expect(isValidPkgRsName("my--plugin")).toBe(false);
  });

  it.each([
    ["foo@^x", /foo@\^x/],
    ["foo@^", /expected a version after '\^'/],
    ["foo@>=1,<1", /excludes every version/],
    ["foo@1.2.3+build", /neither a Rez version range/],
    ["foo@1,,2", /position/],
    ["@1", /not a valid package name/],
    ["foo bar@1", /not a valid package name/],
  ])("%j fails: %s", (text, why) => {
    expect(() => parseRequirement(text)).toThrow(RequirementError);
    expect(() => parseRequirement(text)).toThrow(why);
  });

  it("Rez errors without '@' stay Rez errors", () => {
    expect(() => parseRequirement("foo-^1")).toThrow(/foo-\^1/);
    expect(() => parsePkgRsSpec("^q")).toThrow(VersionError);
  });
});

describe("parsePkgRsRequirement (pkg-rs package reqs)", () => {
  it.each([
    ["maya", "maya", ""],
    ["maya@2024.1", "maya", "2024.1"],
    ["maya-2024.0.0", "maya", "2024.0.0"],
    ["my-plugin-1.0.0", "my-plugin", "1.0.0"],
    ["my-plugin", "my-plugin", ""],
    ["pkg-abc", "pkg-abc", ""],
    ["USD-24.11-py310", "USD", "24.11-py310"],
    ["ocio@^2", "ocio", "2+<3"],
    ["foo>=2", "foo", "2+"],
    [" maya@>=2024 ", "maya", "2024+"],
  ])("%j -> %s %j", (text, name, range) => {
    const r = parsePkgRsRequirement(text);
    expect(r.name).toBe(name);
    expect(r.range!.toString()).toBe(range);
  });
  it("rejects empty input", () => {
    expect(() => parsePkgRsRequirement(" ")).toThrow(RequirementError);
  });
});
