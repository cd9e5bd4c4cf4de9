import { describe, expect, it } from "vitest";
import { fnmatch, fnmatchToRegExp } from "./index.js";

describe("fnmatch patterns (Python fnmatch semantics)", () => {
  it.each([
    ["maya", "maya", true],
    ["maya", "may", false],
    ["maya", "m*", true],
    ["maya", "*a", true],
    ["maya", "m?ya", true],
    ["maya", "m??a", true],
    ["maya", "m?a", false],
    ["maya-2024.1", "maya-2024.*", true],
    ["maya-20241", "maya-2024.*", false],
    ["foo.bar", "foo.bar", true],
    ["fooxbar", "foo.bar", false],
    ["a+b", "a+b", true],
    ["b", "[abc]", true],
    ["d", "[abc]", false],
    ["d", "[!abc]", true],
    ["a", "[!abc]", false],
    ["5", "[0-9]", true],
    ["]", "[]]", true],
    ["a", "[]a]", true],
    ["]", "[!]]", false],
    ["x", "[!]]", true],
    ["^", "[^]", true],
    ["[", "[", true],
    ["[a", "[a", true],
    ["\\", "[\\]", true],
    ["MAYA", "maya", false],
    ["a\nb", "a*b", true],
    ["a/b", "a/b", true],
  ])("%j matches %j: %s", (name, pattern, expected) => {
    expect(fnmatch(name, pattern)).toBe(expected);
  });

  it("can ignore case", () => {
    expect(fnmatchToRegExp("maya*", { ignoreCase: true }).test("MAYA-2024")).toBe(true);
  });
});
