import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { PackageDefinition } from "./definition.js";
import { definitionAsYaml } from "./format-definition.js";

describe("definitionAsYaml", () => {
  it("round-trips through a YAML parser", () => {
    const attributes = {
      description: "multi\nline text\n",
      requires: ["python-3.10+<4", "~platform==linux", "!foo", "yes", "1.0", "2.0.0", "10", "1e5", "2024-01-02", "0x1f", ".5", "a: b", "x #y", "-z", "3.0 - 4"],
      variants: [["diam-linux", "adverb-18.09"], []],
      timestamp: 1600130028,
      flag: true,
      nothing: null,
      config: { "odd key": { nested: ["v"] }, empty: {} },
      tests: [{ command: "run", requires: ["a"] }],
      commands: { kind: "source", source: "def commands():\n    env.PATH.append('{root}/bin')", late: false, file: "f", line: 3 },
    } as const;
    const definition: PackageDefinition = { name: "foo", version: "1.0", format: "rez", file: "/x", attributes };
    const parsed = parse(definitionAsYaml(definition)) as Record<string, unknown>;
    expect(parsed).toEqual({ name: "foo", version: "1.0", ...attributes, commands: attributes.commands.source });
    expect(Object.keys(parsed).slice(0, 3)).toEqual(["name", "version", "description"]);
  });
});
