import { describe, expect, it } from "vitest";
import { commands, commandsByName, hiddenCommands } from "./index.js";

describe("commandsByName", () => {
  it("names every command and alias with its own factory (completion, which reads them all, aside)", () => {
    const expected = new Map<string, unknown>();
    for (const make of [...commands, ...hiddenCommands]) {
      const command = make();
      if (command.name() === "completion") continue;
      for (const name of [command.name(), ...command.aliases()]) expected.set(name, make);
    }
    expect([...commandsByName.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, make] of commandsByName) expect(make, name).toBe(expected.get(name));
  });
});
