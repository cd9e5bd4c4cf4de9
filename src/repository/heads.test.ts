import { describe, expect, it } from "vitest";
import type { PackageDefinition } from "../package/index.js";
import { familyHeadOf, parseFamilyHead } from "./index.js";

const pkg = (version: string, attributes: PackageDefinition["attributes"] = {}): PackageDefinition => ({
  name: "foo",
  version,
  format: "rez",
  file: `/repo/foo/${version}/package.py`,
  attributes,
});

describe("familyHeadOf", () => {
  it("takes the newest by Rez's version order, not the file order", () => {
    expect(familyHeadOf([pkg("1.10"), pkg("1.9"), pkg("1.2.0")])?.version).toBe("1.10");
    expect(familyHeadOf([])).toBeUndefined();
  });

  it("names each required family once: requires, then every variant; conflicts and weak requests left out", () => {
    const head = familyHeadOf([
      pkg("2", {
        requires: ["bar-1+", "!baz", "~qux-2", "bar<3"],
        variants: [["python-2.7", "maya"], ["python-3"]],
        build_requires: ["cmake-3", "!old"],
        private_build_requires: ["gcc"],
        plugin_for: ["host"],
        has_plugins: true,
      }),
    ]);
    expect(head).toEqual({ version: "2", requires: ["bar", "python", "maya"], buildRequires: ["cmake"], privateBuildRequires: ["gcc"], pluginFor: ["host"], hasPlugins: true });
    expect(parseFamilyHead(JSON.parse(JSON.stringify(head)))).toEqual(head);
  });

  it.each([null, {}, { version: 1 }, { version: "1", requires: [1], buildRequires: [], privateBuildRequires: [], pluginFor: [], hasPlugins: false }])(
    "parseFamilyHead refuses %j",
    (raw) => expect(parseFamilyHead(raw)).toBeUndefined(),
  );
});
