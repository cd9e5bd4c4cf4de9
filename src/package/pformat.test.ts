// pformat against Python 3's pprint.pformat: the expected texts were printed by python3 -c 'pprint.pformat(x)'.
import { describe, expect, it } from "vitest";
import type { PackageValue } from "./definition.js";
import { pformat } from "./pformat.js";
import { writePackagePy } from "./package-writer.js";

const TABLE: [PackageValue, string][] = [
  [null, "None"],
  [true, "True"],
  [1, "1"],
  ["abc", "'abc'"],
  ["it's", "\"it's\""],
  ["say \"hi\"", "'say \"hi\"'"],
  ["", "''"],
  [["a", "b"], "['a', 'b']"],
  [{"b": 1, "a": [1, 2]}, "{'a': [1, 2], 'b': 1}"],
  [[["Home Page", "https://github.com/some-organisation/some-very-long-project-name-here"]], "[['Home Page',\n  'https://github.com/some-organisation/some-very-long-project-name-here']]"],
  [["Home Page", "https://github.com/some-organisation/some-very-long-project-name-here/and-more"], "['Home Page',\n 'https://github.com/some-organisation/some-very-long-project-name-here/and-more']"],
  ["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"],
  ["The quick brown fox jumps over the lazy dog, again and again and again and again and again and again.", "('The quick brown fox jumps over the lazy dog, again and again and again and '\n 'again and again and again.')"],
  [["Jane Doe jane@example.com and a very long list of co-authors that goes on and on past eighty"], "['Jane Doe jane@example.com and a very long list of co-authors that goes on '\n 'and on past eighty']"],
  ["line one\nline two that is long enough to push the whole thing well past the eighty column limit", "('line one\\n'\n 'line two that is long enough to push the whole thing well past the eighty '\n 'column limit')"],
  [{"z": "short", "a": {"nested": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]}}, "{'a': {'nested': ['one',\n                  'two',\n                  'three',\n                  'four',\n                  'five',\n                  'six',\n                  'seven',\n                  'eight',\n                  'nine']},\n 'z': 'short'}"],
  [{"run_requires": ["requests (>=2.0)", "six", "urllib3 (<2,>=1.21.1)", "certifi (>=2017.4.17)", "idna"]}, "{'run_requires': ['requests (>=2.0)',\n                  'six',\n                  'urllib3 (<2,>=1.21.1)',\n                  'certifi (>=2017.4.17)',\n                  'idna']}"],
  [[1, 2, 3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", {"k": "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"}], "[1,\n 2,\n 3,\n 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',\n {'k': 'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv'}]"],
  [{"key": "a long string value with words that will be broken at spaces by pprint because it is long"}, "{'key': 'a long string value with words that will be broken at spaces by '\n        'pprint because it is long'}"],
  [["python-3.11", "platform-linux", "arch-x86_64", "some_package-1.0+<2", "another_package-3.4.5+<4", "more"], "['python-3.11',\n 'platform-linux',\n 'arch-x86_64',\n 'some_package-1.0+<2',\n 'another_package-3.4.5+<4',\n 'more']"],
  ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"],
  ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"],
  ["ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ", "('ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé '\n 'ünïcödé ünïcödé ünïcödé ')"],
  [[], "[]"],
  [{}, "{}"]
];

describe("pformat", () => {
  it.each(TABLE)("pformat(%j)", (value, expected) => {
    expect(pformat(value)).toBe(expected);
  });
});

describe("package.py values through pformat", () => {
  it("breaks a long single value after `key = \\` and long list entries in place", () => {
    const url = "https://github.com/some-organisation/some-very-long-project-name-here/and-more";
    const text = writePackagePy({ name: "foo", version: "1", format: "rez", file: "package.py", attributes: { help: [["Home Page", url]], authors: ["a", "b"], custom: { b: 1, a: 2 } } });
    expect(text).toContain(`help = \\\n    [['Home Page',\n      '${url}']]`);
    expect(text).toContain("custom = {'a': 2, 'b': 1}");
  });
});

describe("block string descriptions", () => {
  it("escapes non-ASCII as json.dumps does, and reads back", async () => {
    const description = "Café — 😀 naïve summary, long enough for a block string";
    const text = writePackagePy({ name: "foo", version: "1", format: "rez", file: "package.py", attributes: { description } });
    expect(text).toContain('description = \\\n    """\n    Caf\\u00e9 \\u2014 \\ud83d\\ude00 na\\u00efve summary, long enough for a block string\n    """');
    const { readDeclarativePython } = await import("./declarative-python.js");
    const read = readDeclarativePython(text, "package.py");
    expect(JSON.stringify(read)).toContain(JSON.stringify(description).slice(1, -1));
  });
});
