import { describe, expect, it } from "vitest";
import type { PackageDefinition } from "../../package/index.js";
import { copyReport, exactPackage, splitVariantUri } from "./maintenance-shared.js";

describe("exactPackage", () => {
  it.each([
    ["foo-1.2.3", { name: "foo", version: "1.2.3", label: "foo-1.2.3" }],
    ["foo@1.0", { name: "foo", version: "1.0", label: "foo-1.0" }],
    ["foo_bar-2.a", { name: "foo_bar", version: "2.a", label: "foo_bar-2.a" }],
  ])("%s", (text, expected) => {
    expect(exactPackage(text)).toEqual(expected);
  });

  it.each([["foo"], ["-1.0"], ["foo-1..0"]])("%s is bad input", (text) => {
    expect(() => exactPackage(text)).toThrow(expect.objectContaining({ exitStatus: 2 }) as unknown as Error);
  });
});

describe("splitVariantUri", () => {
  it.each([
    ["/r/foo/1.0/package.py[2]", { repository: "/r", file: "/r/foo/1.0/package.py", index: 2 }],
    ["/r/foo/1.0/package.py", { repository: "/r", file: "/r/foo/1.0/package.py", index: null }],
    ["/r/foo/1.0/package.yaml[0]", { repository: "/r", file: "/r/foo/1.0/package.yaml", index: 0 }],
    ["/r/foo/1.0", undefined],
    ["/r/foo/1.0/package.py[x]", undefined],
  ])("%s", (uri, expected) => {
    expect(splitVariantUri(uri)).toEqual(expected);
  });
});

describe("copyReport", () => {
  const plain: PackageDefinition = { name: "t", version: "1", format: "rez", file: "/s/t/1/package.py", attributes: {} };
  const varianted: PackageDefinition = { ...plain, attributes: { variants: [["a"], ["b"]] } };
  it.each([
    ["copied", plain, { copied: [{ source: "/s/p", destination: "/d/p" }], skipped: [] }, false, "Copied /s/p to /d/p\n"],
    ["dry run", plain, { copied: [{ source: "/s/p", destination: null }], skipped: [] }, true, "Copied /s/p to /d/t/1/?\n"],
    ["existing", plain, { copied: [], skipped: [{ source: "/s/p", destination: "/d/p" }] }, false, "Target package already exists: /d/p. Use 'overwrite' to replace it.\n"],
    [
      "variants",
      varianted,
      { copied: [{ source: "/s/p[0]", destination: "/d/p[0]" }], skipped: [{ source: "/s/p[1]", destination: "/d/p[1]" }] },
      false,
      "1 variants were copied:\n  /s/p[0] -> /d/p[0]\n1 variants were skipped (target exists):\n  /s/p[1] !-> /d/p[1]\n",
    ],
  ] as const)("%s", (_label, source, result, dryRun, text) => {
    expect(copyReport(source, { copied: [...result.copied], skipped: [...result.skipped] }, dryRun, "/d/t/1")).toBe(text);
  });
});
