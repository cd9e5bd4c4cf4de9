import { describe, expect, it } from "vitest";
import { splitPipRemainder } from "./pip.js";

describe("splitPipRemainder (-e takes the rest, as rez-pip's REMAINDER)", () => {
  it.each([
    [["node", "pkg", "pip", "-i", "foo", "-e", "--no-deps", "-r", "req.txt"], ["node", "pkg", "pip", "-i", "foo", "-e"]],
    [["node", "pkg", "-r", "/repo", "pip", "-i", "foo", "--extra", "-q"], ["node", "pkg", "-r", "/repo", "pip", "-i", "foo", "--extra"]],
    [["node", "pkg", "-r", "pip", "env", "pip", "-e", "x"], ["node", "pkg", "-r", "pip", "env", "pip", "-e", "x"]],
    [["node", "pkg", "env", "pip", "-e"], ["node", "pkg", "env", "pip", "-e"]],
    [["node", "pkg", "pip", "-i", "foo"], ["node", "pkg", "pip", "-i", "foo"]],
  ])("%j", (argv, expected) => expect(splitPipRemainder(argv)).toEqual(expected));
});
