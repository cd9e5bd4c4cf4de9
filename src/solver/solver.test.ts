import { describe, expect, it } from "vitest";
import { FamilyStore, resolve, type ResolveOptions } from "./index.js";
import { memorySource, type Spec } from "./test-support.js";

// Rez's solver test repository (src/rez/data/tests/solver/packages)
const DATA: Record<string, Record<string, Spec>> = {
  nada: { "": {} },
  python: { "2.5.2": {}, "2.6.0": {}, "2.6.8": {}, "2.7.0": {} },
  nopy: { "2.1": { requires: ["!python-2.5"] } },
  pyfoo: { "3.0.0": { requires: ["python-2.5", ".eek-3+"] }, "3.1.0": { requires: ["python-2.6"] } },
  pybah: { "4": { requires: ["python-2.6", ".eek-1"] }, "5": { requires: ["python-2.5"] } },
  pyodd: { "1": { requires: ["pyfoo"] }, "2": { requires: ["pybah"] } },
  pysplit: { "5": {}, "6": { requires: ["python-2.6"] }, "7": { requires: ["python-2.7"] } },
  bahish: { "1": { requires: ["!pybah-4"] }, "2": { requires: ["pybah-5"] } },
  pymum: { "1": { requires: ["pydad-1"] }, "2": { requires: ["pydad-2"] }, "3": { requires: ["pydad-3"] } },
  pydad: { "1": { requires: ["pyson-1"] }, "2": { requires: ["pyson-2"] }, "3": { requires: ["pymum-3"] } },
  pyson: { "1": { requires: ["pymum-1"] }, "2": { requires: ["pymum-3"] } },
  pyvariants: { "2": { variants: [["python-2.7.0"], ["python-2.6.8", "nada"], ["python-2.6.8"], ["nada"]] } },
  test_variant_split_start: {
    "1.0": { variants: [["test_variant_split_mid1-1"], ["test_variant_split_mid2-2"]] },
    "2.0": { variants: [["test_variant_split_mid1-2"], ["test_variant_split_mid2-2"]] },
  },
  test_variant_split_mid1: {
    "1.0": { variants: [["test_variant_split_end-2"], ["test_variant_split_end-1"]] },
    "2.0": { variants: [["test_variant_split_end-2"], ["test_variant_split_end-4"]] },
  },
  test_variant_split_mid2: {
    "1.0": { variants: [["test_variant_split_end-3"], ["test_variant_split_end-1"]] },
    "2.0": { variants: [["test_variant_split_end-1"], ["test_variant_split_end-3"]] },
  },
  test_variant_split_end: {
    "1.0": { variants: [["!test_variant_split_mid2"], ["!test_variant_split_start-2"]] },
    "2.0": { variants: [["!test_variant_split_start"], ["!test_variant_split_mid1"]] },
    "3.0": { variants: [["!test_variant_split_start"], ["!test_variant_split_mid2"]] },
    "4.0": { variants: [["!test_variant_split_start"], ["!test_variant_split_mid1"]] },
  },
  missing_variant_requires: { "1": { variants: [["noexist"], ["nada"]] } },
  test_weakly_reference_requires: { "2.0": { requires: ["~test_variant_split_mid1", "~test_variant_split_mid2"] } },
  test_weakly_reference_variant: {
    "2.0": { requires: ["~pyfoo"], variants: [["test_variant_split_mid1", "~test_variant_split_mid2-1..3"]] },
  },
};

const source = memorySource(DATA);

async function solve(req: string, opts: Partial<ResolveOptions> = {}) {
  return resolve(req ? req.split(" ") : [], { source, warn: () => {}, ...opts });
}

function names(r: Awaited<ReturnType<typeof solve>>): string[] {
  return [
    ...r.variants.map((v) => `${v.version ? `${v.name}-${v.version}` : v.name}[${v.index ?? ""}]`),
    ...[...r.ephemerals].sort(),
  ];
}

const SOLVES: [string, string, [number, number]?, Partial<ResolveOptions>?][] = [
  ["", "", [1, 0]],
  ["nada", "nada[]", [1, 0]],
  ["!nada", "", [1, 0]],
  ["~nada", "", [1, 0]],
  ["!.bah", "", [1, 0]],
  ["!.bah-2.5+", "", [1, 0]],
  ["~python-2+", "", [1, 0]],
  ["~python", "", [1, 0]],
  ["!python-2.5", "", [1, 0]],
  ["!python", "", [1, 0]],
  [".foo-1", ".foo-1", [1, 0]],
  ["python", "python-2.7.0[]", [2, 0]],
  ["nada ~nada", "nada[]", [1, 0]],
  ["nopy", "nopy-2.1[]", [1, 0]],
  ["python-2.6", "python-2.6.8[]", [2, 0]],
  ["python-2.6 !python-2.6.8", "python-2.6.0[]", [1, 0]],
  ["python-2.6 python-2.6.5+", "python-2.6.8[]", [1, 0]],
  ["python python-0+<2.6", "python-2.5.2[]", [1, 0]],
  ["python python-0+<2.6.8", "python-2.6.0[]", [2, 0]],
  ["python ~python-2.7+", "python-2.7.0[]", [1, 0]],
  ["!python-2.6+ python", "python-2.5.2[]", [1, 0]],
  ["nada nopy", "nada[] nopy-2.1[]", [1, 0]],
  ["pyfoo", "python-2.6.8[] pyfoo-3.1.0[]", [3, 0]],
  ["pyfoo-3.0", "python-2.5.2[] pyfoo-3.0.0[] .eek-3+", [1, 0]],
  ["pyfoo-3.0 .eek-4.5", "python-2.5.2[] pyfoo-3.0.0[] .eek-4.5", [1, 0]],
  ["pybah", "python-2.5.2[] pybah-5[]", [2, 0]],
  ["nopy python", "nopy-2.1[] python-2.7.0[]", [2, 0]],
  ["pybah !python-2.5", "python-2.6.8[] pybah-4[] .eek-1", [2, 0]],
  ["pybah !python-2.5 python<2.6.8", "python-2.6.0[] pybah-4[] .eek-1", [1, 0]],
  ["python pybah", "python-2.6.8[] pybah-4[] .eek-1", [2, 0]],
  ["python pyodd", "python-2.6.8[] pybah-4[] pyodd-2[] .eek-1", [7, 2]],
  ["pybah pyodd", "python-2.5.2[] pybah-5[] pyodd-2[]", [3, 0]],
  ["pysplit python-2.5", "pysplit-5[] python-2.5.2[]", [1, 0]],
  ["~python<2.6 pysplit", "pysplit-5[]", [1, 0]],
  ["python bahish pybah", "python-2.5.2[] pybah-5[] bahish-2[]", [6, 2]],
  [".foo-2.5+ .foo-2", ".foo-2.5+<2_", [1, 0]],
  ["pyvariants python", "python-2.7.0[] pyvariants-2[0]", [3, 0]],
  ["pyvariants python", "python-2.7.0[] pyvariants-2[0]", [3, 0], { variantSelectMode: "intersection_priority" }],
  ["pyvariants python nada", "python-2.7.0[] pyvariants-2[0] nada[]", [3, 0]],
  ["pyvariants python nada", "python-2.6.8[] nada[] pyvariants-2[1]", [3, 0], { variantSelectMode: "intersection_priority" }],
  [
    "test_variant_split_start",
    "test_variant_split_end-1.0[1] test_variant_split_mid2-2.0[0] test_variant_split_start-1.0[1]",
    [6, 2],
  ],
  ["missing_variant_requires", "nada[] missing_variant_requires-1[1]", [3, 1], { errorOnMissingVariantRequires: false }],
  [
    "test_weakly_reference_requires test_variant_split_mid2-2",
    "test_weakly_reference_requires-2.0[] test_variant_split_end-3.0[0] test_variant_split_mid2-2.0[1]",
    [2, 0],
  ],
  [
    "test_weakly_reference_variant-2.0 test_variant_split_mid2-2 pyfoo",
    "test_variant_split_end-1.0[1] test_variant_split_mid1-1.0[1] test_weakly_reference_variant-2.0[0] test_variant_split_mid2-2.0[0] python-2.6.8[] pyfoo-3.1.0[]",
    [3, 0],
  ],
];

describe("Rez solver test repository: solves", () => {
  for (const [req, expected, counts, opts] of SOLVES) {
    it(`${req || "(empty)"}${opts?.variantSelectMode ? ` [${opts.variantSelectMode}]` : ""}`, async () => {
      const r = await solve(req, opts);
      expect(r.status, r.failureDescription ?? "").toBe("solved");
      expect(names(r).join(" ")).toBe(expected);
      if (counts) expect([r.solveCount, r.failCount]).toEqual(counts);
      const u = await solve(req, { ...opts, optimised: false });
      expect(names(u).join(" ")).toBe(expected);
    });
  }
});

describe("a store shared by many solves", () => {
  // Entries, orders and intersections are shared between solves where they cannot differ; every solve must
  // still give what it gives alone, whatever came before it (other requests, the other variant select mode).
  const modes: Partial<ResolveOptions>[] = [
    {},
    { variantSelectMode: "intersection_priority" },
    { building: true },
    // the default order for some families, another for the others
    { orderers: [{ type: "version_split", first_version: "2.6.0", packages: ["python"] }] },
  ];
  const requests = [
    "pyvariants",
    "pyvariants nada",
    "pyvariants python",
    "pyvariants python nada",
    "nada pyvariants",
    "nada python pyvariants",
    "python nada pyvariants",
    "nada python-2.6 pyvariants",
    "python-2.6 nada pyvariants",
    "test_variant_split_start",
    "test_variant_split_mid1 test_variant_split_start",
    ...SOLVES.map(([req]) => req),
  ];
  const outcome = (r: Awaited<ReturnType<typeof solve>>): string => `${r.status} ${names(r).join(" ")} ${r.failureDescription ?? ""}`;
  it("gives each solve its result alone, in any order", async () => {
    const alone = new Map<string, string>();
    for (const req of requests) {
      for (const [m, opts] of modes.entries()) alone.set(`${req}|${m}`, outcome(await solve(req, opts)));
    }
    const store = new FamilyStore(source);
    for (const order of [requests, [...requests].reverse(), requests]) {
      for (const req of order) {
        for (const [m, opts] of modes.entries()) {
          const r = await resolve(req ? req.split(" ") : [], { source: store, warn: () => {}, ...opts });
          expect(outcome(r), `${req} (mode ${m})`).toBe(alone.get(`${req}|${m}`));
        }
      }
    }
  });
});

const FAILS: [string, string, number][] = [
  ["nada !nada", "The following package conflicts occurred: (nada <--!--> !nada)", 0],
  ["python-2.6 ~python-2.7", "The following package conflicts occurred: (python-2.6 <--!--> ~python-2.7)", 0],
  ["pyfoo nada !nada", "The following package conflicts occurred: (nada <--!--> !nada)", 0],
  [".foo-1 .foo-2", "The following package conflicts occurred: (.foo-1 <--!--> .foo-2)", 0],
  [".foo-2.5 !.foo-2", "The following package conflicts occurred: (.foo-2.5 <--!--> !.foo-2)", 0],
  ["pybah !python", "The following package conflicts occurred: (python-2.5|2.6 <--!--> !python)", 1],
  ["pyfoo-3.1 python-2.7+", "The following package conflicts occurred: (python-2.6 <--!--> python==2.7.0)", 1],
  ["pyodd<2 python-2.7", "The following package conflicts occurred: (python-2.5|2.6 <--!--> python==2.7.0)", 1],
  ["nopy python-2.5.2", "A package was completely reduced: (nopy-2.1[] (dep(!python-2.5) <--!--> python==2.5.2))", 1],
  ["pybah-4 pyfoo-3.0", "The following package conflicts occurred: (.eek-1 <--!--> .eek-3+)", 1],
  ["pymum-2", "The following package conflicts occurred: (pymum-3 <--!--> pymum==2)", 1],
];

describe("Rez solver test repository: failures", () => {
  for (const [req, description, solves] of FAILS) {
    it(req, async () => {
      const r = await solve(req);
      expect(r.status).toBe("failed");
      expect(r.failureDescription).toBe(description);
      expect(r.solveCount).toBe(solves);
      const u = await solve(req, { optimised: false });
      expect(u.failureDescription).toBe(description);
    });
  }

  it("bahish pybah<5 (reduction order is hash-dependent in Rez)", async () => {
    const r = await solve("bahish pybah<5");
    expect(r.status).toBe("failed");
    const d = r.failureDescription!;
    expect(d.startsWith("A package was completely reduced: ")).toBe(true);
    expect(d).toContain("(bahish-2[] (dep(pybah-5) <--!--> pybah==4))");
    expect(d).toContain("(bahish-1[] (dep(!pybah-4) <--!--> pybah==4))");
  });

  for (const req of ["pymum-1", "pydad-1", "pyson-1"]) {
    it(`${req} is a cycle`, async () => {
      const r = await solve(req);
      expect(r.status).toBe("failed");
      expect(r.failureReason?.kind).toBe("cycle");
      const d = r.failureDescription!;
      expect(d.startsWith("A cyclic dependency was detected: ")).toBe(true);
      for (const p of ["pymum-1", "pydad-1", "pyson-1"]) expect(d).toContain(p);
    });
  }
  for (const req of ["pymum-3", "pydad-3"]) {
    it(`${req} is a cycle`, async () => {
      const r = await solve(req);
      expect(r.failureReason?.kind).toBe("cycle");
      expect(r.failureDescription).toMatch(/pydad-3 --> pymum-3 --> pydad-3|pymum-3 --> pydad-3 --> pymum-3/);
    });
  }

  it("explains a conflict step by step (more cases in explain.test.ts)", async () => {
    const r = await solve("pybah-4 pyfoo-3.0");
    expect(r.explanation).toBe(
      [
        "  1. pybah-4 requires .eek-1.",
        "  2. pyfoo-3.0.0 requires .eek-3+.",
        "  3. No version of .eek is both 1 and 3+, so pybah-4 and pyfoo-3.0.0 cannot be used together.",
        "  4. You asked for pybah-4 and pyfoo-3.0, so the request cannot be resolved.",
        "hint: relax one of the requests: pybah-4 or pyfoo-3.0 (e.g. a version of pyfoo that works with .eek-1).",
      ].join("\n"),
    );
    expect(r.failureGraph).toContain("digraph");
    expect(r.failureGraph).toContain('label="CONFLICT"');
  });
});

describe("Rez solver test repository: errors", () => {
  it("missing variant requirement raises by default", async () => {
    const r = await solve("missing_variant_requires");
    expect(r.status).toBe("error");
    expect(r.errorType).toBe("PackageFamilyNotFoundError");
    expect(r.failureDescription).toBe(
      "package family not found: noexist, was required by: missing_variant_requires (searched: /repo)",
    );
  });
  it("missing family / range", async () => {
    expect((await solve("nonexist")).errorType).toBe("PackageFamilyNotFoundError");
    expect((await solve("nonexist")).failureDescription).toBe("package family not found: nonexist (searched: /repo)");
    const r = await solve("python-3");
    expect(r.errorType).toBe("PackageNotFoundError");
    expect(r.failureDescription).toBe("Package could not be found: python-3");
    for (const q of ["~nonexist", "!nonexist", "~nonexist-1"]) expect((await solve(q)).status).toBe("solved");
  });
  it("no backtracking over a missing range", async () => {
    const src = memorySource({
      foo: { "1.0": { requires: ["bar-3"] }, "0.9": { requires: ["eek"] } },
      bar: { "2.0": {} },
      eek: { "1": {} },
    });
    const r1 = await resolve(["foo"], { source: src });
    expect(r1.failureDescription).toBe("Package could not be found: bar-3");
    const r2 = await resolve(["foo", "bar"], { source: src });
    expect(r2.variants.map((v) => `${v.name}-${v.version}`)).toEqual(["eek-1", "foo-0.9", "bar-2.0"]);
  });
});

describe("variant preference", () => {
  const cases: [string, string, "version_priority" | "intersection_priority" | "both"][] = [
    ["pyvariants", "pyvariants-2[0]", "both"],
  ];
  it("pyvariants alone picks variant 0", async () => {
    for (const [req, exp] of cases) {
      const r = await solve(req);
      expect(r.variants.map((v) => `${v.name}-${v.version}[${v.index}]`)).toContain(exp);
    }
  });
  it("nada pyvariants prefers variant 3", async () => {
    const r = await solve("nada pyvariants");
    expect(names(r)).toEqual(["nada[]", "pyvariants-2[3]"]);
  });
});

describe("orderers in the solver", () => {
  it("pyvariants !nada", async () => {
    const r = await solve("pyvariants !nada");
    expect(names(r)).toEqual(["python-2.7.0[]", "pyvariants-2[0]"]);
  });
  it("per_family version_split on python", async () => {
    const r = await solve("pyvariants !nada", {
      orderers: [{ type: "per_family", orderers: [{ type: "version_split", first_version: "2.6.8", packages: ["python"] } as never] }],
    });
    expect(names(r)[0]).toBe("python-2.6.8[]");
  });
  it("version_split for all / for python / for pyfoo", async () => {
    const all = await solve("pyvariants !nada", { orderers: [{ type: "version_split", first_version: "2.6.8" }] });
    expect(names(all)[0]).toBe("python-2.6.8[]");
    const py = await solve("pyvariants !nada", { orderers: [{ type: "version_split", first_version: "2.6.8", packages: "python" }] });
    expect(names(py)[0]).toBe("python-2.6.8[]");
    const foo = await solve("pyvariants !nada", { orderers: [{ type: "version_split", first_version: "2.6.8", packages: "pyfoo" }] });
    expect(names(foo)[0]).toBe("python-2.7.0[]");
  });
});
