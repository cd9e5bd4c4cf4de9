import { describe, expect, it } from "vitest";
import { branchReleasable, expandVariables, formatHookArgument, mergeSettings, relativeToRemote, tagName, truncateChangelog } from "./index.js";

describe("release pure functions", () => {
  it.each([
    ["## main...origin/main", 0],
    ["## main...origin/main [ahead 2]", 2],
    ["## main...origin/main [behind 3]", -3],
    ["## main...origin/main [ahead 1, behind 4]", -4],
    ["## HEAD (no branch)", 0],
  ])("relativeToRemote(%s) = %d", (line, n) => expect(relativeToRemote(line)).toBe(n));

  it.each([
    ["main", [], true],
    ["main", ["ma"], true],
    ["main", ["ain"], false],
    ["feature/x", ["^main$", "release/.*"], false],
    ["release/1", ["^main$", "release/.*"], true],
  ] as const)("branchReleasable(%s, %j) = %s", (branch, patterns, ok) => expect(branchReleasable(branch, patterns)).toBe(ok));

  it.each([
    ["abc", 0, "abc"],
    ["abcdef", 3, "abcdef"],
    ["abcdefg", 3, "abc..."],
  ] as const)("truncateChangelog(%s, %d)", (text, max, out) => expect(truncateChangelog(text, max)).toBe(out));

  it.each([
    ["{qualified_name}", "foo", "1.0", "foo-1.0"],
    ["v{version}", "foo", "1.0", "v1.0"],
    ["{qualified_name}", "foo", "", "foo"],
    ["", "foo", "1.0", "unversioned"],
  ])("tagName(%s)", (format, name, version, tag) => expect(tagName(format, { name, version, format: "rez", file: "", attributes: {} })).toBe(tag));

  it("formats hook arguments and expands variables", () => {
    const scope = { package: { qualified_name: "foo-1.0" }, variants: ["a", "b"], num_variants: 2 };
    expect(formatHookArgument("{package.qualified_name} {num_variants} {variants} {nope}", scope, true)).toBe("foo-1.0 2 a b {nope}");
    expect(formatHookArgument("{variants}", scope, false)).toBe('["a","b"]');
    expect(expandVariables("$HOME/${USER}/$NOPE", { HOME: "/h", USER: "u" })).toBe("/h/u/$NOPE");
  });

  it("merges plugin settings over defaults, tables key by key", () => {
    expect(mergeSettings({ a: 1, t: { x: 1, y: 2 } }, { t: { y: 3 }, b: true })).toEqual({ a: 1, t: { x: 1, y: 3 }, b: true });
  });
});
