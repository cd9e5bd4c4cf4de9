import { describe, expect, it } from "vitest";
import { rezYamlDocument, rezYamlEntry } from "./index.js";

// Each expected text is what Rez 3.4 (PyYAML's SafeDumper through rez.utils.yaml.dump_yaml) printed.
describe("rezYamlEntry (PyYAML's block style)", () => {
  it.each([
    ["version", "1.0", "version: '1.0'"],
    ["name", "foo", "name: foo"],
    ["x", "", "x: ''"],
    ["x", " lead", "x: ' lead'"],
    ["x", "trail ", "x: 'trail '"],
    ["x", "a: b", "x: 'a: b'"],
    ["x", "- dash", "x: '- dash'"],
    ["x", "#hash", "x: '#hash'"],
    ["x", "x #y", "x: 'x #y'"],
    ["x", "tab\there", 'x: "tab\\there"'],
    ["x", "it's", "x: it's"],
    ["x", '"dq"', "x: '\"dq\"'"],
    ["x", "é", 'x: "\\xE9"'],
    ["x", "2020-01-01", "x: '2020-01-01'"],
    ["x", "0x1F", "x: '0x1F'"],
    ["x", "1e5", "x: 1e5"],
    ["x", ".5", "x: '.5'"],
    ["x", "~", "x: '~'"],
    ["x", "Null", "x: 'Null'"],
    ["x", "yes", "x: 'yes'"],
    ["x", "!qux", "x: '!qux'"],
    ["x", "~baz", "x: ~baz"],
    ["x", "line one\nline two", "x: 'line one\n\n  line two'"],
    ["x", "env.PATH.append('{root}/bin')\nif building:\n    env.X = 'y'", "x: \"env.PATH.append('{root}/bin')\\nif building:\\n    env.X = 'y'\""],
    ["x", 10, "x: 10"],
    ["x", true, "x: true"],
    ["x", null, "x: null"],
    ["x", [], "x: []"],
    ["x", {}, "x: {}"],
    ["requires", ["bar-1+<2", "~baz"], "requires:\n- bar-1+<2\n- ~baz"],
    ["variants", [["python-2.7"], ["python-3"]], "variants:\n- - python-2.7\n- - python-3"],
    ["config", { zeta: true, alpha: null, mid: [], nested: { k: "v: w" }, b: [1, 2] }, "config:\n  alpha: null\n  b:\n  - 1\n  - 2\n  mid: []\n  nested:\n    k: 'v: w'\n  zeta: true"],
  ])("%s: %j", (key, value, text) => expect(rezYamlEntry(key, value)).toBe(text));

  it("folds long scalars at a space past column 80, as PyYAML does", () => {
    expect(rezYamlEntry("description", "A long description that goes past the eighty column limit of the yaml dumper, to see how it wraps: yes.")).toBe(
      "description: 'A long description that goes past the eighty column limit of the yaml\n  dumper, to see how it wraps: yes.'",
    );
    expect(rezYamlEntry("x", ["word ".repeat(30)])).toBe(
      "x:\n- 'word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word '",
    );
    expect(rezYamlEntry("x", [`${"a".repeat(100)} ${"b".repeat(10)}`])).toBe(`x:\n- ${"a".repeat(100)}\n  ${"b".repeat(10)}`);
  });

  it("rezYamlDocument: a blank line between attributes", () => {
    expect(rezYamlDocument([["name", "foo"], ["version", "1.0"]])).toBe("name: foo\n\nversion: '1.0'\n");
  });
});
