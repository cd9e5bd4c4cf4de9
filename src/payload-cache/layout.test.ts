import { describe, expect, it } from "vitest";
import type { VariantHandle } from "../repository/index.js";
import { handleHashDir, hashPath, hashableRepr, highestBase26, nextBase26, parseHandle, pythonRepr, sameHandle } from "./layout.js";

const fs = (variables: VariantHandle["variables"], key = "filesystem.variant"): VariantHandle => ({ key, variables });

describe("the cache layout is Rez's", () => {
  it.each([
    ["abc", "'abc'"],
    ["it's", `"it's"`],
    [`it's "x"`, `'it\\'s "x"'`],
    ["a\\b", "'a\\\\b'"],
    ["tab\there", "'tab\\there'"],
    [null, "None"],
    [3, "3"],
    [true, "True"],
  ] as const)("python repr of %j is %s", (value, repr) => {
    expect(pythonRepr(value)).toBe(repr);
  });

  // the hashes were computed by Python: sha1(str(handle._hashable_repr())).hexdigest()[:4]
  it.each([
    [fs({ index: 0, location: "/studio/packages", name: "maya", repository_type: "filesystem", version: "2024.1" }), "2ef3"],
    [fs({ index: null, location: "/it's/here", name: "foo", repository_type: "filesystem" }), "4f1d"],
    [fs({ index: 3, location: "/r", name: "foo", repository_type: "filesystem", version: "1", ext: "py" }, "filesystem.variant.combined"), "6b84"],
  ])("hash folder of %j is %s", (handle, hash) => {
    expect(handleHashDir(handle)).toBe(hash);
  });

  it("writes the handle repr with the variables sorted", () => {
    expect(hashableRepr(fs({ version: "1", name: "a", location: "/r", index: 0, repository_type: "filesystem" }))).toBe(
      "('filesystem.variant', (('index', 0), ('location', '/r'), ('name', 'a'), ('repository_type', 'filesystem'), ('version', '1')))",
    );
  });

  it("puts an unversioned package under _NO_VERSION", () => {
    expect(hashPath("/c", fs({ index: null, location: "/it's/here", name: "foo", repository_type: "filesystem" }))).toBe("/c/foo/_NO_VERSION/4f1d");
  });

  it.each([
    [null, "a"],
    ["a", "b"],
    ["z", "aa"],
    ["az", "ba"],
    ["zz", "aaa"],
  ])("after %s comes %s", (prev, next) => {
    expect(nextBase26(prev)).toBe(next);
  });

  it("takes longer names as higher (z < aa)", () => {
    expect(highestBase26(["z", "aa", "b"])).toBe("aa");
    expect(highestBase26([])).toBeNull();
  });

  it("matches stored handles by value, whatever the key order", () => {
    const h = fs({ index: 1, location: "/r", name: "a", repository_type: "filesystem", version: "1" });
    expect(sameHandle({ variables: { version: "1", name: "a", repository_type: "filesystem", location: "/r", index: 1 }, key: "filesystem.variant" }, h)).toBe(true);
    expect(sameHandle({ key: "filesystem.variant", variables: { version: "1", name: "a", repository_type: "filesystem", location: "/r", index: 0 } }, h)).toBe(false);
    expect(sameHandle("nonsense", h)).toBe(false);
    expect(parseHandle({ key: "filesystem.variant", variables: h.variables })).toEqual(h);
    expect(parseHandle({ key: 1 })).toBeUndefined();
  });
});
