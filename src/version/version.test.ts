import { describe, expect, it } from "vitest";
import { Version, VersionError, versionSubtokens } from "./index.js";

const V = (s: string): Version => Version.parse(s);

describe("Version token ordering (reference §1.2)", () => {
  // test_version.py::test_token_comparisons, also asserted as Version(a) < Version(b)
  const rezTests: [string, string][] = [
    ["3", "4"],
    ["01", "1"],
    ["beta", "1"],
    ["alpha3", "alpha4"],
    ["alpha", "alpha3"],
    ["gamma33", "33gamma"],
  ];
  it.each(rezTests)("%s < %s", (a, b) => {
    expect(V(a).lt(V(b))).toBe(true);
    expect(V(b).lt(V(a))).toBe(false);
    expect(Version.compare(V(a), V(b))).toBe(-1);
    expect(Version.compare(V(b), V(a))).toBe(1);
  });

  // basic_concepts.rst table re-checked against the code, plus extras ([RUN])
  const docs: [string, string, boolean][] = [
    ["0", "1", true],
    ["a", "b", true],
    ["a", "A", false],
    ["a", "3", true],
    ["_5", "2", true],
    ["ham", "hamster", true],
    ["alpha", "beta", true],
    ["alpha", "bob", true],
    ["02", "2", true],
    ["002", "02", true],
    ["13", "043", true],
    ["3", "3a", true],
    ["beta3", "3beta", true],
    ["_", "A", false],
    ["Z", "_", true],
    ["_", "a", true],
    ["a_", "a", false],
    ["1_", "1a", true],
    ["1", "1_", true],
  ];
  it.each(docs)("%s < %s is %s", (a, b, lt) => {
    expect(V(a).lt(V(b))).toBe(lt);
  });

  it("splits tokens into subtokens like Rez", () => {
    expect(versionSubtokens("alpha3")).toEqual(["alpha", "3"]);
    expect(versionSubtokens("33gamma")).toEqual(["33", "gamma"]);
    expect(versionSubtokens("2_0")).toEqual(["2", "_", "0"]);
    expect(V("1_0").tokens).toEqual(["1_0"]);
  });

  it("numeric subtokens compare by value then text", () => {
    expect(V("0").lt(V("00"))).toBe(true);
    expect(V("9").lt(V("10"))).toBe(true);
    expect(V("99999999999999999999999").lt(V("100000000000000000000000"))).toBe(true);
    expect(V("1.00").equals(V("1.0"))).toBe(false);
  });
});

describe("Version ordering (reference §1.3)", () => {
  const ascending = ["", "0.0.0", "1", "2", "2.alpha1", "2.alpha2", "2.beta", "2.0", "2.0.8.8", "2.1", "2.1.0"];
  it("ascending list, pairwise", () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        const a = V(ascending[i]!);
        const b = V(ascending[j]!);
        expect(a.lt(b)).toBe(i < j);
        expect(a.lte(b)).toBe(i <= j);
        expect(a.gt(b)).toBe(i > j);
        expect(a.gte(b)).toBe(i >= j);
        expect(a.equals(b)).toBe(i === j);
      }
    }
  });

  it.each([
    ["", ""],
    ["1", "1"],
    ["1.2", "1-2"],
    ["1.2-3", "1-2.3"],
  ])("%s == %s", (a, b) => {
    expect(V(a).equals(V(b))).toBe(true);
    expect(V(a).key).toBe(V(b).key);
  });

  it("set semantics by key", () => {
    const set = (xs: string[]): Set<string> => new Set(xs.map((x) => V(x).key));
    const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x));
    expect(minus(set(["1.0"]), set(["1.0"]))).toEqual([]);
    expect(minus(set(["1.0", "1.0alpha", "2.0.0"]), set(["1.0"]))).toEqual([V("1.0alpha").key, V("2.0.0").key]);
  });

  const sortedRuns = [
    ["1", "1.0", "1.0.alpha", "1.0.0", "1.0.0.0", "1.0_", "1.0a", "1.00"],
    ["1", "1.0", "1.0.Beta", "1.0.alpha", "1.0.beta", "1.0.0", "1.0.0.0", "1.0A", "1.0_", "1.0_a", "1.0a", "1.01", "1.1"],
  ];
  it.each(sortedRuns)("sorts like Rez (%#)", (...list) => {
    const shuffled = [...list].reverse();
    expect(shuffled.map(V).sort(Version.compare).map(String)).toEqual(list);
  });

  it("1.0.0 == 1.0-0 and semver is not followed", () => {
    expect(V("1.0.0").equals(V("1.0-0"))).toBe(true);
    expect(V("1.0.0").lt(V("1.0.0-beta.1"))).toBe(true);
    expect(V("1.0").lt(V("1.0.0"))).toBe(true);
    expect(V("1.0.alpha").lt(V("1.0.0"))).toBe(true);
  });

  it("INF is above everything and the empty version below", () => {
    for (const s of ["", "0", "zzz", "999999.999"]) {
      expect(V(s).lt(Version.INF)).toBe(true);
      expect(Version.INF.gt(V(s))).toBe(true);
    }
    expect(Version.INF.lt(Version.INF)).toBe(false);
    expect(Version.INF.toString()).toBe("[INF]");
    expect(Version.EMPTY.lt(V("0"))).toBe(true);
    expect(V("").isEmpty).toBe(true);
    expect(V("").toString()).toBe("");
  });
});

describe("Version syntax (reference §1.1)", () => {
  it("accepts any single non-token separator and keeps it in toString", () => {
    expect(V("1+2").equals(V("1.2"))).toBe(true);
    expect(V("1 2").tokens).toEqual(["1", "2"]);
    expect(V("1,2").toString()).toBe("1,2");
    expect(V("1.2-3").toString()).toBe("1.2-3");
    expect(V("1.2-3").seps).toEqual([".", "-"]);
  });

  it.each(["1..2", "1.-2", ".1", "1.", "...", "-", "1!!2"])("rejects %j naming the input", (s) => {
    expect(() => V(s)).toThrow(VersionError);
    expect(() => V(s)).toThrow(`'${s}'`);
  });

  it("accessors", () => {
    const v = V("1.2.12");
    expect(v.asTuple()).toEqual(["1", "2", "12"]);
    expect([v.major, v.minor, v.patch]).toEqual(["1", "2", "12"]);
    expect(() => V("1").minor).toThrow(VersionError);
    expect(v.length).toBe(3);
    expect(V("1.2-3.4").trim(2).toString()).toBe("1.2");
    expect(V("1.2-3.4").trim(3).toString()).toBe("1.2-3");
    expect(V("1.2").trim(5).toString()).toBe("1.2");
    expect(V("1.2").trim(0).isEmpty).toBe(true);
    expect(Version.fromTokens(["1", "2a"]).toString()).toBe("1.2a");
  });

  it("parse is cached (same object)", () => {
    expect(V("4.5.6")).toBe(V("4.5.6"));
  });
});

describe("Version.next (reference §1.4)", () => {
  it.each([
    ["1.2.3", "1.2.3_"],
    ["1.2", "1.2_"],
    ["1.2a", "1.2a_"],
    ["1.2_", "1.2__"],
    ["", "[INF]"],
  ])("next(%s) = %s", (a, b) => {
    expect(V(a).next().toString()).toBe(b);
  });

  it("next(v) is above every version with prefix v", () => {
    const n = V("2").next();
    for (const s of ["2", "2.0", "2.5.1", "2.alpha", "2A", "2ZZ"]) expect(V(s).lt(n)).toBe(true);
    for (const s of ["2a", "2_", "2_0", "20", "3"]) expect(V(s).gte(n)).toBe(true);
    expect(V("1.2").next().equals(V("1.2_"))).toBe(true);
  });
});
