import { describe, expect, it } from "vitest";
import { patchedRequest } from "./patch.js";
import type { PatchOptions } from "./patch.js";

const source = {
  requests: ["foo-1", "!bar-2", "~eek-3", "baz"],
  resolved: [
    { name: "foo", version: "1.4.2" },
    { name: "baz", version: "2.0" },
    { name: "dep", version: "3" },
  ],
};

describe("patchedRequest (rez-env --patch)", () => {
  const rows: [string, string[], PatchOptions, string[]][] = [
    ["no patches: the request as it was", [], {}, ["foo-1", "!bar-2", "~eek-3", "baz"]],
    ["a normal request replaces the normal one in place", ["foo-2"], {}, ["foo-2", "!bar-2", "~eek-3", "baz"]],
    ["a conflict replaces a conflict", ["!bar-3"], {}, ["foo-1", "!bar-3", "~eek-3", "baz"]],
    ["a weak request replaces a weak one", ["~eek-4"], {}, ["foo-1", "!bar-2", "~eek-4", "baz"]],
    ["another kind is appended, not replaced", ["!foo-3", "bar"], {}, ["foo-1", "!bar-2", "~eek-3", "baz", "!foo-3", "bar"]],
    ["new names are appended in the order given", ["zed", "alpha-1"], {}, ["foo-1", "!bar-2", "~eek-3", "baz", "zed", "alpha-1"]],
    ["^name removes a name", ["^foo", "^eek"], {}, ["!bar-2", "baz"]],
    ["a removed name given again is appended", ["^foo", "foo-5"], {}, ["!bar-2", "~eek-3", "baz", "foo-5"]],
    ["the second override of a name is appended", ["foo-2", "foo-3"], {}, ["foo-2", "!bar-2", "~eek-3", "baz", "foo-3"]],
    ["strict: the resolve is the request", [], { strict: true }, ["foo-1.4.2", "baz-2.0", "dep-3"]],
    ["strict with an override", ["dep-4"], { strict: true }, ["foo-1.4.2", "baz-2.0", "dep-4"]],
    ["strict ignores rank", [], { strict: true, rank: 3 }, ["foo-1.4.2", "baz-2.0", "dep-3"]],
    ["rank 1 adds nothing", [], { rank: 1 }, ["foo-1", "!bar-2", "~eek-3", "baz"]],
    ["rank 2: minor and patch may rise (versions of 2 tokens or more)", [], { rank: 2 }, ["foo-1", "!bar-2", "~eek-3", "baz", "~foo<1_", "~baz<2_"]],
    ["rank 3: only the patch rises", [], { rank: 3 }, ["foo-1", "!bar-2", "~eek-3", "baz", "~foo<1.4_"]],
    ["rank skips overridden names, not conflicts", ["foo-2", "!baz-1"], { rank: 2 }, ["foo-2", "!bar-2", "~eek-3", "baz", "!baz-1", "~baz<2_"]],
  ];
  it.each(rows)("%s", (_, patches, options, expected) => {
    expect(patchedRequest(source, patches, options)).toEqual(expected);
  });
});
