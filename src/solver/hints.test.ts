import { describe, expect, it } from "vitest";
import { closeNames, didYouMean, existingVersionsHint } from "./hints.js";

describe("hints for a request that names nothing", () => {
  it.each([
    ["mayo", ["maya", "houdini", "nuke"], ["maya"]],
    ["Maya", ["maya", "mayo"], ["maya", "mayo"]],
    ["houdni", ["houdini", "hou"], ["houdini"]],
    ["nuke", ["maya", "houdini"], []],
    ["ab", ["ac", "abc", "xyz"], ["abc", "ac"]],
    ["studio_tool", ["studio_tools", "studio_tools_dev", "studio"], ["studio_tools"]],
    ["redshift", ["redshift"], []],
  ] as const)("closeNames(%s)", (name, candidates, expected) => {
    expect(closeNames(name, candidates)).toEqual(expected);
  });

  it("says the close names as a question", () => {
    expect(didYouMean([])).toBeUndefined();
    expect(didYouMean(["maya"])).toBe("did you mean maya?");
    expect(didYouMean(["maya", "mayo", "may"])).toBe("did you mean maya, mayo or may?");
  });

  it("lists the versions there are, newest first, capped", () => {
    expect(existingVersionsHint("maya", [])).toBeUndefined();
    expect(existingVersionsHint("maya", ["2024.2", "2023.1"])).toBe("versions of maya: 2024.2, 2023.1");
    expect(existingVersionsHint("tool", [""])).toBe("versions of tool: (unversioned)");
    const many = Array.from({ length: 10 }, (_, i) => String(10 - i));
    expect(existingVersionsHint("p", many)).toBe("versions of p: 10, 9, 8, 7, 6, 5, 4, 3, … and 2 more");
  });
});
