import { describe, expect, it } from "vitest";
import { PkgError } from "../errors/index.js";
import { CliError, formatError } from "./errors.js";

describe("formatError", () => {
  const cases: [string, PkgError, string][] = [
    ["a message and its code", new CliError("PKG0002", "unknown shell 'x'"), "pkg: error: unknown shell 'x' [PKG0002]\n"],
    ["a hint on its own line", new CliError("PKG0002", "bad", "do this"), "pkg: error: bad [PKG0002]\nhint: do this\n"],
    ["the code ends the first line of a long message", new CliError("PKG0008", "cannot resolve foo:\nconflict"), "pkg: error: cannot resolve foo: [PKG0008]\nconflict\n"],
    ["an internal error says so", new PkgError("PKG0001", "empty shell invocation"), "pkg: internal error: empty shell invocation [PKG0001]\n"],
  ];
  it.each(cases)("%s", (_what, error, text) => {
    expect(formatError(error)).toBe(text);
  });

  it("a CliError exits by its code's kind", () => {
    expect([new CliError("PKG0006", "x").exitStatus, new CliError("PKG0012", "x").exitStatus, new CliError("PKG0023", "x").exitStatus]).toEqual([2, 1, 127]);
  });
});
