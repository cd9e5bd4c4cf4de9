import { describe, expect, it } from "vitest";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { overlappedEntries } from "./copy.js";

function withVariants(variants: PackageValue[]): PackageDefinition {
  return { name: "p", version: "1", format: "rez", file: "/r/p/1/package.py", attributes: { variants } };
}

describe("overlappedEntries: other variants' folders inside a variant's root are not its payload", () => {
  it.each([
    ["disjoint roots", [["a-1"], ["b-1"]], 0, []],
    ["a nested variant", [["a-1"], ["a-1", "b-1"]], 0, ["b-1"]],
    ["two nested, one top folder", [["a-1"], ["a-1", "b-1", "c"], ["a-1", "b-1"]], 0, ["b-1"]],
    ["the nested one itself", [["a-1"], ["a-1", "b-1"]], 1, []],
  ] as const)("%s", (_label, variants, index, expected) => {
    expect([...overlappedEntries(withVariants(variants.map((v) => [...v])), index)].sort()).toEqual(expected);
  });
});
