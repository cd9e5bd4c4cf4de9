import { describe, expect, it } from "vitest";
import { parseNumberText } from "./number-options.js";

describe("parseNumberText: plain decimal text only", () => {
  it.each([
    ["3", {}, 3],
    [" 3 ", {}, 3],
    ["-2", {}, -2],
    ["+4", {}, 4],
    ["0.5", { decimal: true }, 0.5],
    [".5", { decimal: true }, 0.5],
    ["2.", { decimal: true }, 2],
    ["0", { min: 0 }, 0],
  ])("%j (%j) is %d", (text, rule, n) => expect(parseNumberText(text, rule)).toBe(n));

  it.each([
    ["", {}],
    ["abc", {}],
    ["1.5", {}],
    ["0x10", {}],
    ["1e3", {}],
    ["Infinity", { decimal: true }],
    ["NaN", { decimal: true }],
    ["1.2.3", { decimal: true }],
    ["99999999999999999999", {}],
    ["-1", { min: 0 }],
    ["0", { min: 1 }],
    ["0", { decimal: true, above: 0 }],
    ["-0.5", { decimal: true, above: 0 }],
  ])("%j (%j) is not a number", (text, rule) => expect(parseNumberText(text, rule)).toBeUndefined());
});
