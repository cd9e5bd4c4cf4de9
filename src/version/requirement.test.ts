import { describe, expect, it } from "vitest";
import {
  Requirement,
  RequirementError,
  RequirementList,
  Version,
  VersionError,
  VersionRange,
  VersionedObject,
  isValidPackageName,
  isValidPkgRsName,
} from "./index.js";

const Q = (s: string): Requirement => Requirement.parse(s);
const R = (s: string): VersionRange => VersionRange.parse(s);

describe("Requirement parse ([RUN] table, reference §2.4)", () => {
  // input, str, name, range (null = None), conflict, weak
  const table: [string, string, string, string | null, boolean, boolean][] = [
    ["foo", "foo", "foo", "", false, false],
    ["foo-1.2", "foo-1.2", "foo", "1.2", false, false],
    ["foo==1.2", "foo==1.2", "foo", "==1.2", false, false],
    ["foo-1.2+", "foo-1.2+", "foo", "1.2+", false, false],
    ["foo-1+<2", "foo-1+<2", "foo", "1+<2", false, false],
    ["foo-1.2|1.4", "foo-1.2|1.4", "foo", "1.2|1.4", false, false],
    ["foo<2", "foo<2", "foo", "<2", false, false],
    ["foo>=2", "foo-2+", "foo", "2+", false, false],
    ["foo-==2", "foo==2", "foo", "==2", false, false],
    ["foo-<2", "foo<2", "foo", "<2", false, false],
    ["foo-1+,<2", "foo-1+<2", "foo", "1+<2", false, false],
    ["foo-<2,>1", "foo>1<2", "foo", ">1<2", false, false],
    ["foo@2", "foo@2", "foo", "2", false, false],
    ["foo#2", "foo#2", "foo", "2", false, false],
    ["foo-", "foo", "foo", "", false, false],
    ["foo@", "foo", "foo", "", false, false],
    ["~foo", "~foo", "foo", null, true, true],
    ["!foo", "!foo", "foo", "", true, false],
    ["~foo-2", "~foo-2", "foo", "<2|2_+", true, true],
    ["!foo-2", "!foo-2", "foo", "2", true, false],
    ["~foo<2", "~foo<2", "foo", "2+", true, true],
    ["~foo==2", "~foo==2", "foo", "<2|>2", true, true],
    ["~foo-", "~foo", "foo", null, true, true],
    ["foo.bar-1", "foo.bar-1", "foo.bar", "1", false, false],
    [".foo-1", ".foo-1", ".foo", "1", false, false],
    ["foo-1-2", "foo-1-2", "foo", "1-2", false, false],
    ["Foo_1-2", "Foo_1-2", "Foo_1", "2", false, false],
  ];
  it.each(table)("%j", (input, str, name, range, conflict, weak) => {
    const r = Q(input);
    expect(r.toString()).toBe(str);
    expect(r.name).toBe(name);
    expect(r.range === null ? null : r.range.toString()).toBe(range);
    expect(r.conflict).toBe(conflict);
    expect(r.weak).toBe(weak);
    expect(Q(r.toString()).equals(r)).toBe(true);
  });

  it.each(["foo-**", "foo-1.*", "foo--1", "foo-1[0]", "foo-1..2.", "foo<", "foo>3>4"])("%j is a range error", (s) => {
    expect(() => Q(s)).toThrow(RequirementError);
    expect(() => Q(s)).toThrow(VersionError);
    expect(() => Q(s)).toThrow(`'${s}'`);
    expect(() => Q(s)).toThrow(/position/);
  });

  it("names are checked like Rez's PackageRequest", () => {
    expect(() => Q("foo[1]")).toThrow(/not a valid package name/);
    expect(Requirement.parse("foo[1]", { validateName: false }).name).toBe("foo[1]");
    expect(Requirement.parse("!~foo", { validateName: false }).name).toBe("~foo");
    expect(() => Q("!~foo")).toThrow(RequirementError);
    for (const bad of ["", "-1", "foo..bar", "foo.", "__pycache__", "a b", "foo$"]) {
      expect(() => Q(bad)).toThrow(RequirementError);
    }
    for (const good of ["a", "_", "foo_bar", "foo.bar.baz", "Foo9", ".eph", "!.eph-2", "~.eph-2"]) {
      expect(() => Q(good)).not.toThrow();
    }
    expect(isValidPackageName("foo.bar")).toBe(true);
    expect(isValidPackageName(".foo")).toBe(false);
  });

  it("ephemeral, construct, of, equality", () => {
    expect(Q(".foo-1").ephemeral).toBe(true);
    expect(Q("foo-1").ephemeral).toBe(false);
    const c = Requirement.construct("foo", R("1+<2"));
    expect(c.toString()).toBe("foo-1+<2");
    expect(Requirement.construct("foo").toString()).toBe("foo");
    expect(Requirement.of("foo", R("2"), { conflict: true }).toString()).toBe("!foo-2");
    expect(Requirement.of("foo", R("<2|2_+"), { weak: true }).toString()).toBe("~foo-2");
    // equality ignores weak and the separator
    expect(Q("foo@2").equals(Q("foo-2"))).toBe(true);
    expect(Q("foo-1.0").equals(Q("foo-1-0"))).toBe(true);
    expect(Q("~foo-2").equals(Q("!foo<2|2_+"))).toBe(true);
    expect(Q("!foo-2").equals(Q("foo-2"))).toBe(false);
  });
});

describe("conflictsWith (reference §2.4)", () => {
  const table: [string, string, boolean][] = [
    ["foo-1", "foo-2", true],
    ["foo-1", "foo-1.5", false],
    ["foo-1", "bah-2", false],
    ["~foo", "foo-2", false],
    ["!foo-2", "!foo-3", false],
    ["!foo-2", "foo-2.5", true],
    ["!foo-2", "foo-2+", false],
    ["foo-2.5", "!foo-2", true],
    ["foo-2+", "!foo-2", false],
    ["~foo-2", "foo-3", true],
    ["~foo-2", "foo-2.1", false],
    ["foo", "!foo", true],
  ];
  it.each(table)("%s vs %s: %s", (a, b, expected) => {
    expect(Q(a).conflictsWith(Q(b))).toBe(expected);
  });

  const versioned: [string, string, boolean][] = [
    ["foo-2", "foo-2.5", false],
    ["foo-2", "foo-3", true],
    ["foo-2", "bah-3", false],
    ["!foo-2", "foo-2.5", true],
    ["!foo-2", "foo-3", false],
    ["~foo-2", "foo-3", true],
    ["~foo", "foo-3", false],
    ["foo", "foo", false],
  ];
  it.each(versioned)("%s vs package %s: %s", (a, b, expected) => {
    const p = VersionedObject.parse(b);
    expect(Q(a).conflictsWith(p)).toBe(expected);
    expect(Q(a).conflictsWithVersion(p.name, p.version)).toBe(expected);
  });
});

describe("merged (reference §2.4)", () => {
  const table: [string, string, string | null][] = [
    ["foo-3+", "!foo-5+", "foo-3+<5"],
    ["foo-1", "foo-1.5", "foo-1.5"],
    ["!foo-2", "!foo-5", "!foo-2|5"],
    ["foo-1", "foo-2", null],
    ["foo-1", "bah-1", null],
    ["~foo", "foo-2", "foo-2"],
    ["foo-2", "~foo", "foo-2"],
    ["~foo-3+", "~foo-5", "~foo-5"],
    ["~foo-3", "!foo-4", "!foo<3|3_+"],
    ["!foo", "foo-1", null],
  ];
  it.each(table)("%s + %s = %s", (a, b, c) => {
    const m = Q(a).merged(Q(b));
    expect(m === null ? null : m.toString()).toBe(c);
  });
  it.each(table)("mergedMemo: %s + %s = %s, the same object twice", (a, b, c) => {
    const x = Q(a);
    const y = Q(b);
    const m = x.mergedMemo(y);
    expect(m === null ? null : m.toString()).toBe(c);
    expect(x.mergedMemo(y)).toBe(m);
  });
});

describe("RequirementList (test_version.py::test_requirement_list)", () => {
  const table: [string, string][] = [
    ["foo", "foo"],
    ["foo bah", "foo bah"],
    ["bah foo", "bah foo"],
    ["foo-4+ foo-4.5", "foo-4.5"],
    ["bah-2.4 foo bah-2.4.1+", "bah-2.4.1+<2.4_ foo"],
    ["foo-2+ !foo-4+", "foo-2+<4"],
    ["!bah-1 !bah-3", "!bah-1|3"],
    ["!bah-5 foo-2.3 !bah-5.6+", "!bah-5+ foo-2.3"],
    ["~bah-4 foo bah<4.2", "bah-4+<4.2 foo"],
    ["~bah !foo bah<4.2", "bah<4.2 !foo"],
    ["~bah-3+ ~bah-5", "~bah-5"],
    ["foo-1 foo-2", "foo-1 <--!--> foo-2"],
    ["foo-2 foo-1", "foo-2 <--!--> foo-1"],
    ["foo ~bah-5+ bah-2", "~bah-5+ <--!--> bah-2"],
    ["foo ~bah-5+ bah-7..12 bah-2", "bah-7..12 <--!--> bah-2"],
  ];
  it.each(table)("%j -> %j", (input, out) => {
    const list = RequirementList.parse(input.split(" "));
    expect(list.toString()).toBe(out);
    if (out.includes("<--!-->")) {
      const [a, b] = out.split(" <--!--> ");
      expect(list.conflict).not.toBeNull();
      expect(list.conflict![0].toString()).toBe(a);
      expect(list.conflict![1].toString()).toBe(b);
      expect(list.requirements).toEqual([]);
    } else {
      expect(list.conflict).toBeNull();
      expect(list.requirements.map(String).join(" ")).toBe(out);
    }
  });

  it("names, conflictNames, get, iteration", () => {
    const list = RequirementList.parse(["foo-1", "!bah", "~baz-2", "foo-1.2"]);
    expect([...list.names]).toEqual(["foo"]);
    expect([...list.conflictNames].sort()).toEqual(["bah", "baz"]);
    expect(list.get("foo")!.toString()).toBe("foo-1.2");
    expect(list.get("nope")).toBeUndefined();
    expect([...list].map(String)).toEqual(["foo-1.2", "!bah", "~baz-2"]);
    expect(list.equals(RequirementList.parse(["foo-1.2", "!bah", "~baz-2"]))).toBe(true);
  });
});

describe("VersionedObject (reference §2.5)", () => {
  it.each([
    ["foo-1.0", "foo", "1.0", "-", "foo==1.0"],
    ["foo@1.0", "foo", "1.0", "@", "foo==1.0"],
    ["foo#1.0", "foo", "1.0", "#", "foo==1.0"],
    ["foo", "foo", "", "-", "foo"],
    ["foo-1-2", "foo", "1-2", "-", "foo==1-2"],
  ])("%s", (text, name, version, sep, exact) => {
    const o = VersionedObject.parse(text);
    expect(o.name).toBe(name);
    expect(o.version.toString()).toBe(version);
    expect(o.sep).toBe(sep);
    expect(o.toString()).toBe(text);
    expect(o.asExactRequirement()).toBe(exact);
  });
  it("equality and errors", () => {
    expect(VersionedObject.parse("foo-1.0").equals(VersionedObject.parse("foo@1-0"))).toBe(true);
    expect(VersionedObject.construct("foo", Version.parse("2")).toString()).toBe("foo-2");
    expect(() => VersionedObject.parse("foo-1..0")).toThrow(/foo-1\.\.0/);
  });
});

describe("package name validation", () => {
  // With a backtracking pattern this input never finishes (2^60 paths): the test would hang, not fail slowly.
  it("rejects long invalid names (no exponential backtracking)", () => {
    expect(isValidPackageName(`${"a".repeat(60)}!`)).toBe(false);
    expect(isValidPkgRsName(`${"a".repeat(60)}!`)).toBe(false);
    expect(isValidPackageName("foo.bar_2")).toBe(true);
    expect(isValidPackageName("foo..bar")).toBe(false);
  });
});
