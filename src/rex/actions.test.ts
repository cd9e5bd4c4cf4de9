import { describe, expect, it } from "vitest";
import { parseRexActions, rexConcat, rexJoin, rexParts, rexSplit, rexText } from "./index.js";

describe("RexString helpers", () => {
  it("merges runs and drops empty ones", () => {
    expect(rexParts("a")).toEqual([{ literal: false, text: "a" }]);
    expect(rexParts("")).toEqual([]);
    expect(
      rexParts([
        { literal: true, text: "a" },
        { literal: true, text: "b" },
        { literal: false, text: "" },
        { literal: false, text: "c" },
      ]),
    ).toEqual([
      { literal: true, text: "ab" },
      { literal: false, text: "c" },
    ]);
  });

  it("joins, concatenates, splits, flattens", () => {
    expect(rexJoin(":", [[{ literal: true, text: "$A" }], "${B}"])).toEqual([
      { literal: true, text: "$A" },
      { literal: false, text: ":${B}" },
    ]);
    expect(rexText(rexConcat("x", [{ literal: true, text: "y" }]))).toBe("xy");
    expect(rexSplit([{ literal: true, text: "a\nb" }, { literal: false, text: "c\n" }], "\n")).toEqual([
      [{ literal: true, text: "a" }],
      [
        { literal: true, text: "b" },
        { literal: false, text: "c" },
      ],
      [],
    ]);
  });
});

describe("parseRexActions", () => {
  it("accepts every action type and round-trips through JSON", () => {
    const actions = [
      { type: "shebang" },
      { type: "setenv", key: "A", value: [{ literal: true, text: "x" }] },
      { type: "resetenv", key: "A", value: "y", friends: ["B"] },
      { type: "unsetenv", key: "A" },
      { type: "saferefenv", key: "P" },
      { type: "appendenv", key: "P", value: "a" },
      { type: "prependenv", key: "P", value: "b" },
      { type: "alias", name: "n", command: "c" },
      { type: "info", message: "i" },
      { type: "error", message: "e" },
      { type: "command", command: "ls" },
      { type: "command", command: ["ls", [{ literal: true, text: "$x" }]] },
      { type: "source", path: "/s" },
      { type: "comment", text: "c" },
    ];
    expect(parseRexActions(JSON.parse(JSON.stringify(actions)))).toEqual(actions);
  });

  it("rejects malformed entries naming the index", () => {
    expect(() => parseRexActions([{ type: "setenv", key: "A" }])).toThrow(/#0: 'value'/);
    expect(() => parseRexActions([{ type: "shebang" }, { type: "bogus" }])).toThrow(/#1: unknown type/);
    expect(() => parseRexActions({})).toThrow(/array/);
    expect(() => parseRexActions([{ type: "command", command: [] }])).toThrow(/non-empty/);
  });
});
