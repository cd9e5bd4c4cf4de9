import { describe, expect, it } from "vitest";
import { attributeDiff, formatAttributeDiff } from "./preprocess.js";

describe("preprocess diffs (Rez's get_dict_diff)", () => {
  it.each([
    [{ a: 1 }, { a: 1 }, { added: [], removed: [], changed: [] }],
    [{ a: 1 }, { a: 2, b: 3 }, { added: ["b"], removed: [], changed: ["a"] }],
    [{ a: 1, c: [1] }, { c: [1, 2] }, { added: [], removed: ["a"], changed: ["c"] }],
    [{ t: { x: 1, y: 2 } }, { t: { x: 1, z: 2 } }, { added: ["t.z"], removed: ["t.y"], changed: [] }],
    [{ t: { x: 1 } }, { t: "flat" }, { added: [], removed: [], changed: ["t"] }],
    [
      { f: { kind: "source", source: "def f(): pass", late: false, file: "p", line: 1 } },
      { f: { kind: "source", source: "def f(): return 1", late: false, file: "p", line: 1 } },
      { added: [], removed: [], changed: ["f"] },
    ],
  ] as const)("attributeDiff %#", (before, after, expected) => {
    expect(attributeDiff(before, after)).toEqual(expected);
  });

  it("says what changed as Rez prints it", () => {
    expect(formatAttributeDiff({ added: ["authors", "config.x"], removed: [], changed: ["requires"] })).toBe(
      "Package attributes were changed in preprocessing:\nAdded attributes: ['authors', 'config.x']\nChanged attributes: ['requires']",
    );
  });
});
