// Rez's published tables for variant preference (`_PackageEntry.sort`) and package orderers
// (test_packages_order.py, test_context.py, docs/source/package_orderers.rst), one case per row.
import { describe, expect, it } from "vitest";
import type { PackageDefinition } from "../package/index.js";
import { parseRequirement, Version, VersionRange } from "../version/index.js";
import {
  NullPackageOrder,
  PackageOrderList,
  PerFamilyOrder,
  SortedOrder,
  TimestampPackageOrder,
  VersionSplitPackageOrder,
  ordererFromPod,
  reorderVersions,
  resolve,
  type OrdererPod,
  type PackageFamilySource,
  type PackageOrderer,
  type ResolveResult,
  type VariantSelectMode,
} from "./index.js";
// Only for the exact variant order, which no public API exposes (see sortedVariantIndices).
import { Solver } from "./solver.js";
import { FamilyStore } from "./store.js";
import { testSolverSettings } from "./test-support.js";

// ------------------------------------------------------------------------------------------------
// In-memory repositories

interface Spec {
  requires?: string[];
  variants?: string[][];
  timestamp?: number;
}
type RepoData = Record<string, Record<string, Spec>>;

function definition(name: string, version: string, spec: Spec): PackageDefinition {
  const attributes = {
    ...(spec.requires ? { requires: spec.requires } : {}),
    ...(spec.variants ? { variants: spec.variants } : {}),
    ...(spec.timestamp !== undefined ? { timestamp: spec.timestamp } : {}),
  };
  const file = version ? `/repo/${name}/${version}/package.py` : `/repo/${name}/package.py`;
  return { name, version, format: "rez", file, attributes };
}

function memorySource(data: RepoData): PackageFamilySource {
  return {
    searchedPaths: ["/repo"],
    getFamily(name) {
      const family = data[name];
      return family ? Object.entries(family).map(([v, s]) => definition(name, v, s)) : undefined;
    },
  };
}

/** Rez `qualified_package_name` of each resolved package, in resolve order. */
function qualifiedNames(r: ResolveResult): string[] {
  return r.variants.map((v) => (v.version ? `${v.name}-${v.version}` : v.name));
}

// The families of Rez's solver test repository (src/rez/data/tests/solver/packages) these tables use.
const PYVARIANTS_VARIANTS = [["python-2.7.0"], ["python-2.6.8", "nada"], ["python-2.6.8"], ["nada"]];
const SOLVER_DATA: RepoData = {
  nada: { "": {} },
  python: { "2.5.2": {}, "2.6.0": {}, "2.6.8": {}, "2.7.0": {} },
  pyfoo: { "3.0.0": { requires: ["python-2.5", ".eek-3+"] }, "3.1.0": { requires: ["python-2.6"] } },
  pyvariants: { "2": { variants: PYVARIANTS_VARIANTS } },
};
const solverSource = memorySource(SOLVER_DATA);

// ------------------------------------------------------------------------------------------------
// §3.5 variant preference: [RUN] sorted variant order of pyvariants-2

interface VariantOrderRow {
  request: string;
  mode: VariantSelectMode;
  order: number[];
}

const VARIANT_ORDER_TABLE: [string, "both" | VariantSelectMode, number[]][] = [
  ["pyvariants", "both", [0, 2, 3, 1]],
  ["pyvariants python", "both", [0, 2, 1, 3]],
  ["pyvariants python nada", "version_priority", [0, 1, 2, 3]],
  ["pyvariants python nada", "intersection_priority", [1, 0, 2, 3]],
  ["pyvariants nada python", "both", [1, 3, 0, 2]],
  ["nada pyvariants", "both", [3, 1, 0, 2]],
];

const VARIANT_ORDER_ROWS: VariantOrderRow[] = VARIANT_ORDER_TABLE.flatMap(([request, mode, order]) =>
  (mode === "both" ? (["version_priority", "intersection_priority"] as const) : [mode]).map((m) => ({
    request,
    mode: m,
    order,
  })),
);

/**
 * The variant order the solver's own per-package sort gives pyvariants-2 for a request.
 * Reaches into solver.ts (Solver.variantSlice / Slice.firstVariant sorts entry 0 in place, as Rez's
 * `_PackageEntry.sort`), because the order itself is not part of the public API.
 */
async function sortedVariantIndices(request: string, mode: VariantSelectMode): Promise<(number | null)[]> {
  const store = new FamilyStore(solverSource);
  await store.ensure(["pyvariants"]);
  const solver = new Solver(request.split(" ").map((s) => parseRequirement(s)), store, testSolverSettings({ variantSelectMode: mode }));
  const slice = solver.variantSlice("pyvariants", VersionRange.ANY)!;
  void slice.firstVariant;
  return slice.entries[0]!.variants.map((v) => v.index);
}

describe("variant preference (rez-core §3.5): sorted order of pyvariants-2", () => {
  it.each(VARIANT_ORDER_ROWS)("$request [$mode] -> $order", async ({ request, mode, order }) => {
    expect(await sortedVariantIndices(request, mode)).toEqual(order);
  });
});

/*
 * The same table seen through `resolve`: a split always tries a prefix of the sorted variants before the
 * rest, so the resolved variant is the first one, in table order, whose dependencies can resolve.
 * Which ones can is controlled from the outside without touching pyvariants (whose requirement ranges
 * alone make the sort key): a "dead" package requires `!pyvariants`, so it is reduced away as soon as
 * it meets the pyvariants scope. python-2.5.2/2.6.0 stay alive, so a requested python always resolves.
 */
interface Viability {
  dead270: boolean;
  dead268: boolean;
  deadNada: boolean;
}

const VIABILITIES: Viability[] = [false, true].flatMap((dead270) =>
  [false, true].flatMap((dead268) => [false, true].map((deadNada) => ({ dead270, dead268, deadNada }))),
);

function viabilityRepo(v: Viability): RepoData {
  const killer = { requires: ["!pyvariants"] };
  return {
    ...SOLVER_DATA,
    nada: { "": v.deadNada ? killer : {} },
    python: {
      "2.5.2": {},
      "2.6.0": {},
      "2.6.8": v.dead268 ? killer : {},
      "2.7.0": v.dead270 ? killer : {},
    },
  };
}

function variantCanResolve(index: number, request: readonly string[], v: Viability): boolean {
  const deps = PYVARIANTS_VARIANTS[index]!;
  if ((deps.includes("nada") || request.includes("nada")) && v.deadNada) return false;
  if (deps.includes("python-2.7.0") && v.dead270) return false;
  if (deps.includes("python-2.6.8") && v.dead268) return false;
  return true;
}

function describeViability(v: Viability): string {
  const dead = [v.dead270 && "python-2.7.0", v.dead268 && "python-2.6.8", v.deadNada && "nada"].filter(Boolean);
  return dead.length ? `dead: ${dead.join(", ")}` : "all alive";
}

const FIRST_VIABLE_ROWS = VARIANT_ORDER_ROWS.flatMap((row) =>
  VIABILITIES.map((viability) => {
    const request = row.request.split(" ");
    const picked = row.order.find((i) => variantCanResolve(i, request, viability));
    return {
      ...row,
      viability,
      label: describeViability(viability),
      expected: picked === undefined ? "failed" : `pyvariants-2[${picked}]`,
    };
  }),
);

describe("variant preference (rez-core §3.5): resolve picks the first resolvable variant in sorted order", () => {
  it.each(FIRST_VIABLE_ROWS)("$request [$mode] $label -> $expected", async ({ request, mode, viability, expected }) => {
    const r = await resolve(request.split(" "), {
      source: memorySource(viabilityRepo(viability)),
      variantSelectMode: mode,
      warn: () => {},
    });
    if (expected === "failed") {
      expect(r.status).toBe("failed");
      return;
    }
    expect(r.status, r.failureDescription ?? "").toBe("solved");
    const chosen = r.variants.find((x) => x.name === "pyvariants")!;
    expect(`pyvariants-2[${chosen.index}]`).toBe(expected);
  });
});

// ------------------------------------------------------------------------------------------------
// §3.6 orderers: reorder tables of test_packages_order.py

// src/rez/data/tests/packages/py_packages/timestamped/<version>: timestamps 1000..8000 in version order.
const TIMESTAMPED: [string, number][] = [
  ["1.0.5", 1000],
  ["1.0.6", 2000],
  ["1.1.0", 3000],
  ["1.1.1", 4000],
  ["1.2.0", 5000],
  ["2.0.0", 6000],
  ["2.1.0", 7000],
  ["2.1.5", 8000],
];

/** Families the reorder tests look at; no requirements, so every version resolves on its own. */
const ORDER_DATA: RepoData = {
  python: { "2.5.2": {}, "2.6.0": {}, "2.6.8": {}, "2.7.0": {} },
  pymum: { "1": {}, "2": {}, "3": {} },
  pysplit: { "5": {}, "6": {}, "7": {} },
  timestamped: Object.fromEntries(TIMESTAMPED.map(([v, timestamp]) => [v, { timestamp }])),
};

const orderInfo = {
  packages(name: string) {
    return Object.entries(ORDER_DATA[name] ?? {}).map(([v, s]) => ({
      version: Version.parse(v),
      timestamp: s.timestamp ?? 0,
    }));
  },
};

/** As Rez's `_test_reorder`: reorder the family's versions, given in descending order. */
function reorderFamily(orderer: PackageOrderer, name: string): string[] {
  const descending = orderInfo
    .packages(name)
    .map((p) => p.version)
    .sort((a, b) => Version.compare(b, a));
  return reorderVersions(orderer, name, descending, orderInfo).map((v) => v.toString());
}

interface ReorderRow {
  label: string;
  family: string;
  orderer: () => PackageOrderer;
  pod: OrdererPod;
  expected: string[];
}

const perFamily = (): PackageOrderer =>
  new PerFamilyOrder(
    new Map<string, PackageOrderer>([
      ["pysplit", new NullPackageOrder()],
      ["python", new VersionSplitPackageOrder(Version.parse("2.6.0"))],
      ["timestamped", new TimestampPackageOrder(3001, 3)],
    ]),
    new SortedOrder(false),
  );
const perFamilyPod: OrdererPod = {
  type: "per_family",
  orderers: [
    { type: "no_order", packages: ["pysplit"] },
    { type: "version_split", first_version: "2.6.0", packages: ["python"] },
    { type: "soft_timestamp", timestamp: 3001, rank: 3, packages: ["timestamped"] },
  ],
  default_order: { type: "sorted", descending: false },
};

const REORDER_TABLE: ReorderRow[] = [
  {
    label: "SortedOrder(False)",
    family: "pymum",
    orderer: () => new SortedOrder(false),
    pod: { type: "sorted", descending: false },
    expected: ["1", "2", "3"],
  },
  {
    label: "SortedOrder(True)",
    family: "pymum",
    orderer: () => new SortedOrder(true),
    pod: { type: "sorted", descending: true },
    expected: ["3", "2", "1"],
  },
  {
    label: "VersionSplitPackageOrder(2.6.0)",
    family: "python",
    orderer: () => new VersionSplitPackageOrder(Version.parse("2.6.0")),
    pod: { type: "version_split", first_version: "2.6.0" },
    expected: ["2.6.0", "2.5.2", "2.7.0", "2.6.8"],
  },
  {
    label: "TimestampPackageOrder(3001)",
    family: "timestamped",
    orderer: () => new TimestampPackageOrder(3001),
    pod: { type: "soft_timestamp", timestamp: 3001 },
    expected: ["1.1.0", "1.0.6", "1.0.5", "1.1.1", "1.2.0", "2.0.0", "2.1.0", "2.1.5"],
  },
  {
    label: "TimestampPackageOrder(3001, rank=3)",
    family: "timestamped",
    orderer: () => new TimestampPackageOrder(3001, 3),
    pod: { type: "soft_timestamp", timestamp: 3001, rank: 3 },
    expected: ["1.1.1", "1.1.0", "1.0.6", "1.0.5", "1.2.0", "2.0.0", "2.1.5", "2.1.0"],
  },
  {
    label: "TimestampPackageOrder(7001, rank=3)",
    family: "timestamped",
    orderer: () => new TimestampPackageOrder(7001, 3),
    pod: { type: "soft_timestamp", timestamp: 7001, rank: 3 },
    expected: ["2.1.5", "2.1.0", "2.0.0", "1.2.0", "1.1.1", "1.1.0", "1.0.6", "1.0.5"],
  },
  {
    label: "TimestampPackageOrder(4001, rank=3)",
    family: "timestamped",
    orderer: () => new TimestampPackageOrder(4001, 3),
    pod: { type: "soft_timestamp", timestamp: 4001, rank: 3 },
    expected: ["1.1.1", "1.1.0", "1.0.6", "1.0.5", "1.2.0", "2.0.0", "2.1.5", "2.1.0"],
  },
  {
    label: "TimestampPackageOrder(9999999999, rank=3) (all before)",
    family: "timestamped",
    orderer: () => new TimestampPackageOrder(9999999999, 3),
    pod: { type: "soft_timestamp", timestamp: 9999999999, rank: 3 },
    expected: ["2.1.5", "2.1.0", "2.0.0", "1.2.0", "1.1.1", "1.1.0", "1.0.6", "1.0.5"],
  },
  {
    label: "TimestampPackageOrder(0, rank=3) (all after)",
    family: "timestamped",
    orderer: () => new TimestampPackageOrder(0, 3),
    pod: { type: "soft_timestamp", timestamp: 0, rank: 3 },
    expected: ["1.0.6", "1.0.5", "1.1.1", "1.1.0", "1.2.0", "2.0.0", "2.1.5", "2.1.0"],
  },
  {
    label: "TimestampPackageOrder(3001) (untimestamped)",
    family: "pymum",
    orderer: () => new TimestampPackageOrder(3001),
    pod: { type: "soft_timestamp", timestamp: 3001 },
    expected: ["3", "2", "1"],
  },
  {
    label: "NullPackageOrder (keeps the given order)",
    family: "pysplit",
    orderer: () => new NullPackageOrder(),
    pod: { type: "no_order" },
    expected: ["7", "6", "5"],
  },
  {
    label: "PerFamilyOrder: pysplit -> NullPackageOrder",
    family: "pysplit",
    orderer: perFamily,
    pod: perFamilyPod,
    expected: ["7", "6", "5"],
  },
  {
    label: "PerFamilyOrder: python -> VersionSplit(2.6.0)",
    family: "python",
    orderer: perFamily,
    pod: perFamilyPod,
    expected: ["2.6.0", "2.5.2", "2.7.0", "2.6.8"],
  },
  {
    label: "PerFamilyOrder: timestamped -> Timestamp(3001, rank=3)",
    family: "timestamped",
    orderer: perFamily,
    pod: perFamilyPod,
    expected: ["1.1.1", "1.1.0", "1.0.6", "1.0.5", "1.2.0", "2.0.0", "2.1.5", "2.1.0"],
  },
  {
    label: "PerFamilyOrder: pymum -> default SortedOrder(False)",
    family: "pymum",
    orderer: perFamily,
    pod: perFamilyPod,
    expected: ["1", "2", "3"],
  },
  {
    label: "PerFamilyOrder without a default (test_reorder_no_default_order): order left alone",
    family: "pymum",
    orderer: () => new PerFamilyOrder(new Map()),
    pod: { type: "per_family", orderers: [] },
    expected: ["3", "2", "1"],
  },
];

describe("package orderers (rez-core §3.6): reorder tables of test_packages_order.py", () => {
  it.each(REORDER_TABLE)("$label on $family -> $expected", ({ family, orderer, expected }) => {
    expect(reorderFamily(orderer(), family)).toEqual(expected);
  });

  it.each(REORDER_TABLE)("$label from its pod on $family -> $expected", ({ family, pod, expected }) => {
    const fromPod = ordererFromPod(JSON.parse(JSON.stringify(pod)) as OrdererPod);
    expect(reorderFamily(fromPod, family)).toEqual(expected);
  });

  // In the solver an orderer only applies to the families it names (a per_family orderer names its keys, so
  // its default_order is never reached), and the first version it prefers is the one a lone request gets.
  // NullPackageOrder keeps repository listing order there, so it is left out.
  const SOLVER_ROWS = REORDER_TABLE.filter((row) => !row.label.includes("Null")).map((row) => {
    const o = row.orderer();
    const applies = o.packages.includes("*") || o.packages.includes(row.family);
    return { ...row, picked: `${row.family}-${applies ? row.expected[0]! : reorderFamily(new SortedOrder(true), row.family)[0]!}` };
  });
  it.each(SOLVER_ROWS)("$label: resolving $family gives $picked", async ({ family, orderer, picked }) => {
    const r = await resolve([family], {
      source: memorySource(ORDER_DATA),
      orderers: new PackageOrderList([orderer()]),
    });
    expect(r.status, r.failureDescription ?? "").toBe("solved");
    expect(qualifiedNames(r)).toEqual([picked]);
  });
});

// ------------------------------------------------------------------------------------------------
// §3.6 orderers in the solver: test_context.py (test_orderer_variants, test_orderer_package_argument)

const CONTEXT_TABLE: { label: string; request: string; orderers: () => PackageOrderer[]; expected: string[] }[] = [
  { label: "no orderer", request: "pyvariants !nada", orderers: () => [], expected: ["python-2.7.0", "pyvariants-2"] },
  {
    label: "PerFamilyOrder({python: VersionSplit(2.6.8)})",
    request: "pyvariants !nada",
    orderers: () => [
      new PerFamilyOrder(new Map([["python", new VersionSplitPackageOrder(Version.parse("2.6.8"))]])),
    ],
    expected: ["python-2.6.8", "pyvariants-2"],
  },
  {
    label: "VersionSplit(2.6.8) for all packages",
    request: "python",
    orderers: () => [new VersionSplitPackageOrder(Version.parse("2.6.8"))],
    expected: ["python-2.6.8"],
  },
  {
    label: 'VersionSplit(2.6.8, packages="python")',
    request: "python",
    orderers: () => [new VersionSplitPackageOrder(Version.parse("2.6.8"), "python")],
    expected: ["python-2.6.8"],
  },
  {
    label: 'VersionSplit(2.6.8, packages="pyfoo")',
    request: "python",
    orderers: () => [new VersionSplitPackageOrder(Version.parse("2.6.8"), "pyfoo")],
    expected: ["python-2.7.0"],
  },
];

describe("package orderers in the solver (rez-core §3.6): test_context.py", () => {
  it.each(CONTEXT_TABLE)("$request with $label -> $expected", async ({ request, orderers, expected }) => {
    const r = await resolve(request.split(" "), { source: solverSource, orderers: new PackageOrderList(orderers()) });
    expect(r.status, r.failureDescription ?? "").toBe("solved");
    expect(qualifiedNames(r)).toEqual(expected);
    const unoptimised = await resolve(request.split(" "), {
      source: solverSource,
      orderers: new PackageOrderList(orderers()),
      optimised: false,
    });
    expect(qualifiedNames(unoptimised)).toEqual(expected);
  });
});

// ------------------------------------------------------------------------------------------------
// docs/source/package_orderers.rst tables

const day = (d: number): number => Date.UTC(2019, 8, d) / 1000; // September 2019, epoch seconds
const DOCS_FOO: RepoData = {
  foo: {
    "1.0.0": { timestamp: day(7) },
    "2.0.0": { timestamp: day(8) },
    "2.0.1": { timestamp: day(10) },
    "2.1.0": { timestamp: day(11) },
    "3.0.0": { timestamp: day(12) },
  },
};

describe("package orderers: docs soft_timestamp table (foo, T = 2019-09-09)", () => {
  it.each([
    { rank: 0, expected: "foo-2.0.0" },
    { rank: 3, expected: "foo-2.0.1" },
    { rank: 2, expected: "foo-2.1.0" },
    { rank: 1, expected: "foo-3.0.0" },
  ])("rez-env foo, rank $rank -> $expected", async ({ rank, expected }) => {
    const r = await resolve(["foo"], {
      source: memorySource(DOCS_FOO),
      orderers: [{ type: "soft_timestamp", timestamp: day(9), rank }],
    });
    expect(qualifiedNames(r)).toEqual([expected]);
  });
});

// The docs list pipeline-1.0's variants as `[["python-2.7.4", "python-2.7.16", "python-3.7.4"]]`, which
// taken literally is one variant with an internal conflict; the table means one variant per python.
const DOCS_PYTHON: RepoData = {
  python: { "2.7.4": {}, "2.7.16": {}, "3.7.4": {} },
  pipeline: { "1.0": { variants: [["python-2.7.4"], ["python-2.7.16"], ["python-3.7.4"]] } },
};
const DOCS_SPLIT: OrdererPod[] = [
  {
    type: "per_family",
    orderers: [{ type: "version_split", first_version: "2.7.16", packages: ["python"] }],
  },
];

describe("package orderers: docs version_split tables (python first_version 2.7.16)", () => {
  it.each([
    { request: "python", expected: ["python-2.7.16"] },
    { request: "python-3", expected: ["python-3.7.4"] },
    { request: "pipeline", expected: ["python-2.7.16", "pipeline-1.0"] },
    { request: "pipeline python-3", expected: ["python-3.7.4", "pipeline-1.0"] },
  ])("rez-env $request -> $expected", async ({ request, expected }) => {
    const r = await resolve(request.split(" "), { source: memorySource(DOCS_PYTHON), orderers: DOCS_SPLIT });
    expect(r.status, r.failureDescription ?? "").toBe("solved");
    expect([...qualifiedNames(r)].sort()).toEqual([...expected].sort());
  });
});
