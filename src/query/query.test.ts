import { describe, expect, it } from "vitest";
import { FormatObject, expandAbbreviations, formatLine, formatResource, parseSearchRequest, parseSearchTime } from "./index.js";
import type { FormatValue } from "./index.js";

describe("parseSearchTime (Rez's get_epoch_time_from_str)", () => {
  const now = 1_000_000;
  it.each([
    ["1393014494", 1393014494],
    ["0", 0],
    [" 12 ", 12],
    ["-10s", now - 10],
    ["-5m", now - 300],
    ["-0.5h", now - 1800],
    ["-10d", now - 864000],
    ["-100000d", 0],
  ])("%s", (text, expected) => {
    expect(parseSearchTime(text, now)).toBe(expected);
  });
  it.each(["1d", "2w", "-2w", "-d", "yesterday", "", "-1.5.5h", "1.5"])("rejects %j", (text) => {
    expect(() => parseSearchTime(text, now)).toThrow(/unrecognised time format/);
  });
});

describe("parseSearchRequest", () => {
  it.each([
    [undefined, "*", null],
    ["pa*", "pa*", null],
    ["ATM", "ATM", null],
    ["ATM-0.1+<0.4", "ATM", "0.1+<0.4"],
    ["~ATM-0.2", "ATM", "<0.2|0.2+"],
  ])("%s", (text, name, range) => {
    const parsed = parseSearchRequest(text);
    expect(parsed.namePattern).toBe(name);
    if (range === null) expect(parsed.range).toBeNull();
    else expect(parsed.range?.toString()).toBeDefined();
  });
});

describe("expandAbbreviations", () => {
  it.each([
    ["{q}", "{qualified_name}"],
    ["{d} {de}", "{description} {description}"],
    ["{v}", "{v}"], // version and variants
    ["{version.major}", "{version.major}"],
    ["{bogus}", "{bogus}"],
  ])("%s", (text, expected) => expect(expandAbbreviations(text)).toBe(expected));
});

describe("formatLine", () => {
  const fields: Record<string, FormatValue> = {
    qualified_name: "foo-1.2.3",
    version: new FormatObject("1.2.3", { major: "1", minor: "2", patch: "3" }),
    requires: [new FormatObject("bar-1"), new FormatObject("~baz")],
    timestamp: null,
    index: 0,
    tools: [],
    config: { a: 1 },
  };
  const lookup = (name: string): FormatValue | undefined => fields[name];
  it.each([
    ["{qualified_name}", "foo-1.2.3"],
    ["{version.major}.{version.minor}", "1.2"],
    ["{requires}", "bar-1 ~baz"],
    ["{requires[1]}", "~baz"],
    ["{requires[5]}", "{requires[5]}"],
    ["{timestamp}", ""],
    ["{index}", "0"],
    ["{tools}", ""],
    ["{config[a]}", "1"],
    ["{nope} {nope.x}", "{nope} {nope.x}"],
    ["{version.bogus}", "{version.bogus}"],
    ["{{literal}}", "{literal}"],
    ["[{qualified_name:>12}]", "[   foo-1.2.3]"],
    ["{qualified_name!r}", "'foo-1.2.3'"],
  ])("%s", (format, expected) => expect(formatLine(format, lookup)).toBe(expected));

  it("splits at the two characters \\n and can keep newlines in values escaped", () => {
    const text = (name: string): FormatValue | undefined => (name === "description" ? "a\nb" : name === "name" ? "foo" : undefined);
    expect(formatResource("{name}\\n{d}", text)).toEqual(["foo", "a\nb"]);
    expect(formatResource("{name}\\n{d}", text, true)).toEqual(["foo", "a\\nb"]);
  });
});
