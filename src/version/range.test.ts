import { describe, expect, it } from "vitest";
import { Version, VersionError, VersionRange, compareLowerBounds, compareUpperBounds } from "./index.js";

const R = (s: string): VersionRange => VersionRange.parse(s);
const V = (s: string): Version => Version.parse(s);
const S = (r: VersionRange | null): string | null => (r === null ? null : r.toString());

describe("VersionRange string normalisation ([RUN] table, reference §2.1)", () => {
  const table: [string, string][] = [
    ["", ""],
    ["3+<3_", "3"],
    ["_+<__", "_"],
    ["1.2+<=2.0", "1.2..2.0"],
    ["10+,<20", "10+<20"],
    ["1+<1.0", "1+<1.0"],
    [">=2", "2+"],
    [">=1.21.1,<1.23", "1.21.1+<1.23"],
    [">1.21.1,<=1.23", ">1.21.1<=1.23"],
    ["<1.23,>1.21.1", ">1.21.1<1.23"],
    ["3|1", "1|3"],
    ["1|1_", "1+<1__"],
    ["1|1_|1__", "1+<1___"],
    ["|", ""],
    ["1|1_+", "1+"],
    ["<1|1", "<1_"],
    ["1+<3|3+<5", "1+<5"],
    [">4<6|1+<3", "1+<3|>4<6"],
    ["4+<6|1+<3|", ""],
    ["4|2+", "2+"],
    ["3|<5", "<5"],
    ["<3|>3", "<3|>3"],
    ["3+|<4", ""],
    ["2+<=6|3+<5", "2..6"],
    ["2|2.1+", "2+"],
    ["2|<2.1", "<2_"],
    ["3..3", "==3"],
    [">=3,<=3", "==3"],
    ["<=4,>2", ">2<=4"],
    [">", ">"],
    ["+", ""],
    ["<=", "=="],
    ["..", "=="],
    ["1.2.3+<1.2.3_", "1.2.3"],
    ["foo", "foo"],
    // odd-but-valid forms of the regex alternatives
    ["+<=", "=="],
    [">=", ""],
    ["1<5", "1+<5"],
    ["<4,<3", "3+<4"],
    ["4+,>2", ">2<=4"],
    ["==", "=="],
    ["1.2-3", "1.2-3"],
  ];
  it.each(table)("%j -> %j", (input, out) => {
    expect(R(input).toString()).toBe(out);
  });
});

describe("VersionRange syntax errors (reference §2.1)", () => {
  const invalidSyntax = ["<", "><", ">3>4", "<3<4", "<4>3", ",<4", "4+,", "1>=", "+1", "4<", "1+<2<3", "1..2.", "1 2", "1+2", "a b|3"];
  it.each(invalidSyntax)("%j is a syntax error naming the input", (s) => {
    expect(() => R(s)).toThrow(VersionError);
    expect(() => R(s)).toThrow(`'${s}'`);
  });
  const invalidBound = ["4+<2", ">3<3", ">3<=3", "3+<3"];
  it.each(invalidBound)("%j is an invalid bound", (s) => {
    expect(() => R(s)).toThrow(VersionError);
    expect(() => R(s)).toThrow(/lower bound above upper bound/);
  });
  it("reports the position", () => {
    expect(() => R("1+<2<3")).toThrow(/position/);
    expect(() => R("1|2|3>")).toThrow(/at end of input|position/);
  });
  it("an empty part makes 'any' but the rest is still checked", () => {
    expect(R("1||2").isAny()).toBe(true);
    expect(() => R("|<")).toThrow(VersionError);
  });
});

describe("VersionRange _eq pairs (test_version.py::test_version_range)", () => {
  const eqPairs: [string, string][] = [
    ["", ""],
    ["1", "1"],
    ["1.0.0", "1.0.0"],
    ["3+<3_", "3"],
    ["_+<__", "_"],
    ["1.2+<=2.0", "1.2..2.0"],
    ["10+,<20", "10+<20"],
    ["1+<1.0", "1+<1.0"],
    [">=2", "2+"],
    [">=1.21.1,<1.23", ">=1.21.1<1.23"],
    [">1.21.1,<1.23", ">1.21.1<1.23"],
    [">1.21.1<1.23", ">1.21.1<1.23"],
    [">1.21.1,<=1.23", ">1.21.1<=1.23"],
    ["<1.23,>=1.21.1", ">=1.21.1<1.23"],
    ["<1.23,>1.21.1", ">1.21.1<1.23"],
    ["3|3", "3"],
    ["3|1", "1|3"],
    ["5|3|1", "1|3|5"],
    ["1|1_", "1+<1__"],
    ["1|1_|1__", "1+,<1___"],
    ["|", ""],
    ["||", "||||||||"],
    ["1|1_+", "1+"],
    ["<1|1", "<1_"],
    ["1+<3|3+<5", "1+<5"],
    [">4<6|1+<3", "1+<3|>4,<6"],
    ["4+<6|1+<3|", ""],
    ["4|2+", "2+"],
    ["3|<5", "<5"],
    ["<3|>3", ">3|<3"],
    ["3+|<3", ""],
    ["3+|<4", ""],
    ["2+<=6|3+<5", "2..6"],
    ["3+,<5|2+<=6", "2+<=6"],
    ["2|2+", "2+"],
    ["2|2.1+", "2+"],
    ["2|<2.1", "<2_"],
    ["3..3", "==3"],
    [">=3,<=3", "==3"],
    [">", ">"],
    ["+", ""],
    [">=", ""],
    ["<=", "=="],
    ["..", "=="],
    ["+<=", "=="],
  ];
  it.each(eqPairs)("%j == %j", (a, b) => {
    const ar = R(a);
    const br = R(b);
    expect(ar.equals(br)).toBe(true);
    expect(ar.isSuperset(ar)).toBe(true);
    expect(ar.isSuperset(br)).toBe(true);
    expect(R(ar.toString()).equals(ar)).toBe(true);
    expect(R(br.toString()).equals(ar)).toBe(true);
    expect(ar.key).toBe(br.key);

    const dashed = a.replaceAll(".", "-").replaceAll("--", "..");
    expect(R(dashed).equals(ar)).toBe(true);
    expect(R(dashed).key).toBe(ar.key);

    const parts = a.split("|").map(R);
    expect(parts[0]!.union(parts.slice(1)).equals(ar)).toBe(true);

    expect(ar.union(br).equals(ar)).toBe(true);
    expect(ar.subtract(br)).toBeNull();
    expect(br.subtract(ar)).toBeNull();
    expect(VersionRange.ANY.intersection(ar)!.equals(ar)).toBe(true);
    expect(br.span().intersection(ar)!.equals(ar)).toBe(true);

    const inv = ar.inverse();
    const binv = br.inverse();
    expect(inv === null ? binv === null : binv !== null && inv.equals(binv)).toBe(true);
    if (inv !== null) {
      expect(inv.inverse()!.equals(ar)).toBe(true);
      expect(ar.union(inv).equals(VersionRange.ANY)).toBe(true);
      expect(ar.intersection(inv)).toBeNull();
    }
    const pieces = ar.split();
    expect(pieces[0]!.union(pieces.slice(1)).equals(br)).toBe(true);
  });
});

describe("VersionRange operations (reference §2.2)", () => {
  const andTable: [string, string, string | null][] = [
    ["3", "3", "3"],
    ["1", "==1", "==1"],
    ["", "==1", "==1"],
    ["3", "4", null],
    ["<3", "5+", null],
    ["4+<6", "6+<8", null],
    ["2+", "<=4", "2..4"],
    ["1", "1.0", "1.0"],
    ["4..6", "6+<8", "==6"],
    ["1+", "<2|3", "1+<2|3"],
  ];
  it.each(andTable)("%j & %j = %j", (a, b, c) => {
    const ar = R(a);
    const br = R(b);
    expect(S(ar.intersection(br))).toBe(c === null ? null : R(c).toString());
    expect(S(br.intersection(ar))).toBe(c === null ? null : R(c).toString());
    const pieces = [ar.intersection(br), ar.subtract(br), br.subtract(ar)].filter((x): x is VersionRange => x !== null);
    expect(pieces[0]!.union(pieces.slice(1)).equals(ar.union(br))).toBe(true);
    expect(ar.intersects(br)).toBe(c !== null);
  });

  const invTable: [string, string][] = [
    ["3+", "<3"],
    ["<=3", ">3"],
    ["3.5", "<3.5|3.5_+"],
  ];
  it.each(invTable)("~%j = %j and back", (a, b) => {
    const ar = R(a);
    const br = R(b);
    expect(ar.inverse()!.equals(br)).toBe(true);
    expect(br.inverse()!.equals(ar)).toBe(true);
    expect(ar.union(br).equals(VersionRange.ANY)).toBe(true);
    expect(ar.intersection(br)).toBeNull();
  });

  it.each([
    ["3", "<3|3_+"],
    ["==3", "<3|>3"],
    ["1|3", "<1|1_+<3|3_+"],
    ["<2|3+", "2+<3"],
    [">", "=="],
  ])("[RUN] ~%j = %j", (a, b) => {
    expect(S(R(a).inverse())).toBe(b);
  });

  it("misc [RUN] results", () => {
    expect(R("").inverse()).toBeNull();
    expect(S(R("1+").subtract(R("2")))).toBe("1+<2|2_+");
    expect(R("2+<4|6+<8").span().toString()).toBe("2+<8");
    expect(R("3|5+").split().map(String)).toEqual(["3", "5+"]);
    expect(R("==3|4+|==5.1").toVersions()!.map(String)).toEqual(["3"]);
    expect(R("3+").toVersions()).toBeNull();
  });

  it("predicates", () => {
    expect(R("").isAny()).toBe(true);
    expect(R("2+<4").bounded()).toBe(true);
    expect(R("2+").lowerBounded()).toBe(true);
    expect(R("2+").upperBounded()).toBe(false);
    expect(R("<2").upperBounded()).toBe(true);
    expect(R("<2").lowerBounded()).toBe(false);
    expect(R(">").lowerBounded()).toBe(true);
  });

  it("fromVersion / fromVersions / asSpan", () => {
    const v = V("3");
    expect(VersionRange.fromVersion(v, "eq").equals(R("==3"))).toBe(true);
    expect(VersionRange.fromVersion(v, "gt").equals(R(">3"))).toBe(true);
    expect(VersionRange.fromVersion(v, "gte").equals(R("3+"))).toBe(true);
    expect(VersionRange.fromVersion(v, "lt").equals(R("<3"))).toBe(true);
    expect(VersionRange.fromVersion(v, "lte").equals(R("<=3"))).toBe(true);
    expect(VersionRange.fromVersion(v, "==").toString()).toBe("==3");
    expect(VersionRange.fromVersion(v).toString()).toBe("3");
    expect(VersionRange.fromVersions([V("3"), V("6.0"), V("4"), V("3")]).equals(R("==3|==4|==6.0"))).toBe(true);
    expect(VersionRange.fromVersions([V("3"), V("6.0"), V("4")]).toString()).toBe("==3|==4|==6.0");
    expect(VersionRange.asSpan(V("1"), V("2"), true, false).toString()).toBe("1+<2");
    expect(VersionRange.asSpan(undefined, V("2")).toString()).toBe("<=2");
    expect(() => VersionRange.asSpan(V("3"), V("2"))).toThrow(VersionError);
  });

  it("range order and bound comparators", () => {
    expect(VersionRange.compare(R("1"), R("2"))).toBeLessThan(0);
    expect(VersionRange.compare(R("1+"), R("1+<2"))).toBeGreaterThan(0);
    expect(VersionRange.compare(R("1|3"), R("1"))).toBeGreaterThan(0);
    const [a, b] = [R("2+").bounds[0]!, R(">2").bounds[0]!];
    expect(compareLowerBounds(a.lower, b.lower)).toBeLessThan(0);
    const [c, d] = [R("<2").bounds[0]!, R("<=2").bounds[0]!];
    expect(compareUpperBounds(c.upper, d.upper)).toBeLessThan(0);
    expect(R("<2").bounds[0]!.lower.version.isEmpty).toBe(true);
    expect(R("2+").bounds[0]!.upper.version.isInf).toBe(true);
  });
});

describe("containment (test_version.py::test_containment)", () => {
  it.each([
    ["3", "3+"],
    ["5", "3..5"],
    ["3.0.0", "3+"],
    ["3", "<1|5|6|8|7|3|60+"],
    ["3", "<1|5|6|8|7|==3|60+"],
  ])("%s in %s", (v, r) => {
    expect(R(r).contains(V(v))).toBe(true);
  });
  it.each([
    ["5_", "3..5"],
    ["3.0.0", "3.1+"],
  ])("%s not in %s", (v, r) => {
    expect(R(r).contains(V(v))).toBe(false);
  });
  it.each([
    ["2.1+<4", "<4", true],
    ["2.1..4", "<4", false],
    ["3", "3", true],
    ["==3", "3", true],
    ["3.5+<3_", "3", true],
    ["3", "4+<6", false],
    ["3+<10", "4+<6", false],
  ])("%s subset of %s: %s", (a, b, sub) => {
    expect(R(a).isSubset(R(b))).toBe(sub);
    expect(R(b).isSuperset(R(a))).toBe(sub);
  });

  const versions = [2, 3, 5, 10, 11, 13, 14].map((n) => V(String(n)));
  const counts: [string, number][] = [
    ["", 7],
    ["0+", 7],
    ["5+", 5],
    ["6+", 4],
    ["50+", 0],
    [">5", 4],
    ["5", 1],
    ["6", 0],
    ["<5", 2],
    ["<6", 3],
    ["<50", 7],
    ["<=5", 3],
    ["<1", 0],
    ["2|9+", 5],
    ["3+<6|12+<13.5", 3],
    ["<1|20+", 0],
    [">0<20", 7],
  ];
  it.each(counts)("%j contains %i of [2,3,5,10,11,13,14]", (r, n) => {
    expect(versions.filter((v) => R(r).contains(v)).length).toBe(n);
  });

  it("binary-search path (>= 5 bounds) agrees with a linear scan", () => {
    const r = R("1|3|5|7|9|11+<12|==20|>30");
    expect(r.bounds.length).toBe(8);
    for (let i = 0; i < 40; i++) {
      for (const s of [String(i), `${i}.5`, `${i}_`]) {
        const v = V(s);
        const linear = r.bounds.some(
          (b) =>
            (v.gt(b.lower.version) || (b.lower.inclusive && v.equals(b.lower.version))) &&
            (v.lt(b.upper.version) || (b.upper.inclusive && v.equals(b.upper.version))),
        );
        expect(r.contains(v)).toBe(linear);
      }
    }
  });
});

describe("prefix semantics (reference §2.3)", () => {
  it.each([
    ["2", true],
    ["2.0", true],
    ["2.5.1", true],
    ["2.alpha", true],
    ["2A", true],
    ["2ZZ", true],
    ["2a", false],
    ["2_", false],
    ["2_0", false],
    ["20", false],
    ["1.9", false],
    ["3", false],
  ])("%s in 2: %s", (v, inside) => {
    expect(R("2").contains(V(v))).toBe(inside);
  });
});
