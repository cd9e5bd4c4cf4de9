// The plain-words derivation of failed resolves, one row per case: a small repository, a failing request,
// Rez's description (unchanged) and the exact numbered steps and hint pkg adds after it.
import { describe, expect, it } from "vitest";
import { parseRequirement } from "../version/index.js";
import { explainFailure, failureExplanation, OUT_OF_TIME_EXPLANATION } from "./explain.js";
import { resolve, type ResolveOptions } from "./index.js";
import { Solver } from "./solver.js";
import { FamilyStore } from "./store.js";
import { memorySource, testSolverSettings, type RepoData } from "./test-support.js";

interface Row {
  readonly label: string;
  readonly repo: RepoData;
  readonly request: string;
  readonly options?: Partial<ResolveOptions>;
  readonly description: string;
  readonly explanation: readonly string[];
}

const MAYA: RepoData = {
  maya: { "2024": { requires: ["python-3.10+"] } },
  studio_tools: { "2": { requires: ["python-3.9"] } },
  nuke: { "15": {} },
  python: { "3.9": {}, "3.10": {}, "3.11": {} },
};

const CHAIN: RepoData = {
  a: { "1": { requires: ["b"] } },
  b: { "1": { requires: ["c-1"] } },
  c: { "1": {}, "2": {} },
  d: { "1": { requires: ["c-2"] } },
};

/** x-2 needs y-2 through b, x-1 needs y-1 through a: with y-3 asked for, both attempts fail. */
const TWO_ATTEMPTS: RepoData = {
  x: { "1": { requires: ["a-1"] }, "2": { requires: ["b-1"] } },
  a: { "1": { requires: ["y-1"] } },
  b: { "1": { requires: ["y-2"] } },
  y: { "1": {}, "2": {}, "3": {} },
};

/** p0 -> p1 -> ... -> p(n-1) -> p0. */
function loop(n: number): RepoData {
  const data: RepoData = {};
  for (let i = 0; i < n; i++) data[`p${i}`] = { "1": { requires: [`p${(i + 1) % n}`] } };
  return data;
}

const CONFLICT_ROWS: Row[] = [
  {
    label: "two requests of one family that do not overlap",
    repo: { foo: { "1": {}, "2": {} } },
    request: "foo-1 foo-2",
    description: "The following package conflicts occurred: (foo-1 <--!--> foo-2)",
    explanation: ["  1. You asked for foo-1 and foo-2.", "  2. No version of foo is both 1 and 2, so the request cannot be resolved.", "hint: keep only one of foo-1 and foo-2."],
  },
  {
    label: "a request and its own conflict request",
    repo: { foo: { "1": {} } },
    request: "foo !foo",
    description: "The following package conflicts occurred: (foo <--!--> !foo)",
    explanation: ["  1. You asked for foo and !foo.", "  2. !foo rules out foo, so the request cannot be resolved.", "hint: keep only one of foo and !foo."],
  },
  {
    label: "a request and a weak request outside it",
    repo: { foo: { "1": {}, "2": {} } },
    request: "foo-2 ~foo-1",
    description: "The following package conflicts occurred: (foo-2 <--!--> ~foo-1)",
    explanation: ["  1. You asked for foo-2 and ~foo-1.", "  2. No version of foo is both 2 and 1, so the request cannot be resolved.", "hint: keep only one of foo-2 and ~foo-1."],
  },
  {
    label: "three requests of one family, two merged before the third conflicts",
    repo: { foo: { "1": {}, "2": {}, "5": {} } },
    request: "foo-1+ foo-<3 foo-5",
    description: "The following package conflicts occurred: (foo-1+<3 <--!--> foo-5)",
    explanation: [
      "  1. You asked for foo-1+, foo<3 and foo-5.",
      "  2. No version of foo is both 1+<3 and 5, so the request cannot be resolved.",
      "hint: drop or change one of the requests on foo: foo-1+, foo<3 or foo-5.",
    ],
  },
  {
    label: "two requested packages that require different ranges of one family",
    repo: MAYA,
    request: "maya-2024 studio_tools-2",
    description: "The following package conflicts occurred: (python-3.10+ <--!--> python-3.9)",
    explanation: [
      "  1. maya-2024 requires python-3.10+.",
      "  2. studio_tools-2 requires python-3.9.",
      "  3. No version of python is both 3.10+ and 3.9, so maya-2024 and studio_tools-2 cannot be used together.",
      "  4. You asked for maya-2024 and studio_tools-2, so the request cannot be resolved.",
      "hint: relax one of the requests: maya-2024 or studio_tools-2 (e.g. a version of studio_tools that works with python-3.10+).",
    ],
  },
  {
    label: "three requests, of which two conflict: the third is left out",
    repo: MAYA,
    request: "nuke maya-2024 studio_tools-2",
    description: "The following package conflicts occurred: (python-3.10+ <--!--> python-3.9)",
    explanation: [
      "  1. maya-2024 requires python-3.10+.",
      "  2. studio_tools-2 requires python-3.9.",
      "  3. No version of python is both 3.10+ and 3.9, so maya-2024 and studio_tools-2 cannot be used together.",
      "  4. You asked for maya-2024 and studio_tools-2, so the request cannot be resolved.",
      "hint: relax one of the requests: maya-2024 or studio_tools-2 (e.g. a version of studio_tools that works with python-3.10+).",
    ],
  },
  {
    label: "a conflict reached through a chain (a requires b, b requires c-1, d requires c-2)",
    repo: CHAIN,
    request: "a d",
    description: "The following package conflicts occurred: (c-1 <--!--> c==2)",
    explanation: [
      "  1. a-1 requires b.",
      "  2. b-1 requires c-1.",
      "  3. d-1 requires c-2.",
      "  4. No version of c is both 1 and 2, so b-1 and d-1 cannot be used together.",
      "  5. You asked for a and d, so the request cannot be resolved.",
      "hint: relax one of the requests: a or d (e.g. a version of d that works with c-1).",
    ],
  },
  {
    label: "a chain that ends on a request",
    repo: CHAIN,
    request: "a c-2",
    description: "The following package conflicts occurred: (c-1 <--!--> c==2)",
    explanation: [
      "  1. a-1 requires b.",
      "  2. b-1 requires c-1.",
      "  3. No version of c is both 1 and 2, so b-1 and your request c-2 cannot be used together.",
      "  4. You asked for a and c-2, so the request cannot be resolved.",
      "hint: relax one of the requests: a or c-2.",
    ],
  },
  {
    label: "two requirements that only together rule out a third",
    repo: {
      a: { "1": { requires: ["c-1|2"] } },
      b: { "1": { requires: ["c-2|3"] } },
      d: { "1": { requires: ["c-1|3"] } },
      c: { "1": {}, "2": {}, "3": {} },
    },
    request: "a b d",
    description: "The following package conflicts occurred: (c-2 <--!--> c-1|3)",
    explanation: [
      "  1. a-1 requires c-1|2.",
      "  2. b-1 requires c-2|3.",
      "  3. Together, a-1 and b-1 allow only c-2.",
      "  4. d-1 requires c-1|3.",
      "  5. No version of c is both 2 and 1|3, so a-1, b-1 and d-1 cannot be used together.",
      "  6. You asked for a, b and d, so the request cannot be resolved.",
      "hint: relax one of the requests: a, b or d.",
    ],
  },
  {
    label: "every version left of a package requires what a request rules out",
    repo: { x: { "1": { requires: ["y-1"] }, "2": { requires: ["y-1"] } }, y: { "1": {}, "2": {} } },
    request: "x y-2",
    description: "The following package conflicts occurred: (y-1 <--!--> y==2)",
    explanation: [
      "  1. x-1 and x-2 require y-1.",
      "  2. No version of y is both 1 and 2, so every version of x left and your request y-2 cannot be used together.",
      "  3. You asked for x and y-2, so the request cannot be resolved.",
      "hint: relax one of the requests: x or y-2.",
    ],
  },
  {
    label: "a conflict request (!foo) against a package that requires foo",
    repo: { foo: { "1": {} }, bar: { "1": { requires: ["foo"] } } },
    request: "bar !foo",
    description: "The following package conflicts occurred: (foo <--!--> !foo)",
    explanation: [
      "  1. bar-1 requires foo.",
      "  2. !foo rules out foo, so bar-1 and your request !foo cannot be used together.",
      "  3. You asked for bar and !foo, so the request cannot be resolved.",
      "hint: relax one of the requests: bar or !foo.",
    ],
  },
  {
    label: "a conflict request against a range a package requires",
    repo: { py: { "2": {}, "3": {} }, q: { "1": { requires: ["py-1+"] } } },
    request: "q !py",
    description: "The following package conflicts occurred: (py-1+ <--!--> !py)",
    explanation: [
      "  1. q-1 requires py-1+.",
      "  2. !py rules out py-1+, so q-1 and your request !py cannot be used together.",
      "  3. You asked for q and !py, so the request cannot be resolved.",
      "hint: relax one of the requests: q or !py.",
    ],
  },
  {
    label: "a weak request (~foo-1) against a package that requires foo-2",
    repo: { foo: { "1": {}, "2": {} }, bar: { "1": { requires: ["foo-2"] } } },
    request: "bar ~foo-1",
    description: "The following package conflicts occurred: (foo-2 <--!--> ~foo-1)",
    explanation: [
      "  1. bar-1 requires foo-2.",
      "  2. No version of foo is both 2 and 1, so bar-1 and your request ~foo-1 cannot be used together.",
      "  3. You asked for bar and ~foo-1, so the request cannot be resolved.",
      "hint: relax one of the requests: bar or ~foo-1.",
    ],
  },
  {
    label: "ephemerals",
    repo: { a: { "1": { requires: [".e-1"] } }, b: { "1": { requires: [".e-2"] } } },
    request: "a b",
    description: "The following package conflicts occurred: (.e-1 <--!--> .e-2)",
    explanation: [
      "  1. a-1 requires .e-1.",
      "  2. b-1 requires .e-2.",
      "  3. No version of .e is both 1 and 2, so a-1 and b-1 cannot be used together.",
      "  4. You asked for a and b, so the request cannot be resolved.",
      "hint: relax one of the requests: a or b (e.g. a version of b that works with .e-1).",
    ],
  },
  {
    label: "a merged request is named as written",
    repo: { pysplit: { "5": {}, "6": { requires: ["python-2.6"] }, "7": { requires: ["python-2.7"] } }, python: { "2.5.2": {}, "2.6.0": {}, "2.7.0": {} } },
    request: "pysplit python-2.5 !pysplit-5",
    description: "The following package conflicts occurred: (python-2.6|2.7 <--!--> python==2.5.2)",
    explanation: [
      "  1. pysplit-6 and pysplit-7 require python-2.6|2.7.",
      "  2. No version of python is both 2.6|2.7 and 2.5, so every version of pysplit left and your request python-2.5 cannot be used together.",
      "  3. You asked for pysplit, !pysplit-5 and python-2.5, so the request cannot be resolved.",
      "hint: relax one of the requests: pysplit, !pysplit-5 or python-2.5.",
    ],
  },
  {
    label: "one request whose own requirements conflict, other versions exist",
    repo: {
      a: { "1": { requires: ["b", "c"] }, "2": {} },
      b: { "1": { requires: ["d-1"] } },
      c: { "1": { requires: ["d-2"] } },
      d: { "1": {}, "2": {} },
    },
    request: "a-1",
    description: "The following package conflicts occurred: (d-1 <--!--> d-2)",
    explanation: [
      "  1. a-1 requires b.",
      "  2. b-1 requires d-1.",
      "  3. a-1 requires c.",
      "  4. c-1 requires d-2.",
      "  5. No version of d is both 1 and 2, so b-1 and c-1 cannot be used together.",
      "  6. You asked for a-1, so the request cannot be resolved.",
      "hint: the conflict lies within what a-1 requires; ask for another version of a.",
    ],
  },
  {
    label: "one request whose every version conflicts within: no hint",
    repo: {
      a: { "1": { requires: ["b", "c"] }, "2": { requires: ["b", "c"] } },
      b: { "1": { requires: ["d-1"] } },
      c: { "1": { requires: ["d-2"] } },
      d: { "1": {}, "2": {} },
    },
    request: "a",
    description: "The following package conflicts occurred: (d-1 <--!--> d-2)",
    explanation: [
      "  1. a-1 and a-2 require b.",
      "  2. b-1 requires d-1.",
      "  3. a-1 and a-2 require c.",
      "  4. c-1 requires d-2.",
      "  5. No version of d is both 1 and 2, so b-1 and c-1 cannot be used together.",
      "  6. You asked for a, so the request cannot be resolved.",
    ],
  },
  {
    label: "the first of several failed attempts",
    repo: TWO_ATTEMPTS,
    request: "x y-3",
    description: "The following package conflicts occurred: (y-2 <--!--> y==3)",
    explanation: [
      "  1. x-2 requires b-1.",
      "  2. b-1 requires y-2.",
      "  3. No version of y is both 2 and 3, so b-1 and your request y-3 cannot be used together.",
      "  4. You asked for x and y-3, so the request cannot be resolved (this is the first of 2 failed attempts; the other failed too).",
      "hint: relax one of the requests: x or y-3.",
    ],
  },
  {
    label: "a phase after a split: the chain is read from the scopes",
    repo: { ...TWO_ATTEMPTS, t: { "1": { requires: ["x"] } } },
    request: "t y-3",
    description: "The following package conflicts occurred: (y-2 <--!--> y==3)",
    explanation: [
      "  1. t-1 requires x.",
      "  2. x-2 requires b-1.",
      "  3. b-1 requires y-2.",
      "  4. No version of y is both 2 and 3, so b-1 and your request y-3 cannot be used together.",
      "  5. You asked for t and y-3, so the request cannot be resolved (this is the first of 2 failed attempts; the other failed too).",
      "hint: relax one of the requests: t or y-3.",
    ],
  },
  {
    label: "stopped by the fail limit",
    repo: TWO_ATTEMPTS,
    request: "x y-3",
    options: { maxFails: 1 },
    description: "fail limit reached: aborted after 1 failures:\nThe following package conflicts occurred: (y-2 <--!--> y==3)",
    explanation: [
      "  1. x-2 requires b-1.",
      "  2. b-1 requires y-2.",
      "  3. No version of y is both 2 and 3, so b-1 and your request y-3 cannot be used together.",
      "  4. You asked for x and y-3; pkg stopped at the fail limit after this failed attempt, so the request was not resolved.",
      "hint: raise the fail limit so that pkg tries more versions, or relax one of the requests: x or y-3.",
    ],
  },
];

const REDUCTION_ROWS: Row[] = [
  {
    label: "the one candidate of a package in a chain is ruled out",
    repo: {
      x: { "1": { requires: ["y-1"] }, "2": { requires: ["y-2"] }, "3": { requires: ["z"] } },
      y: { "1": {}, "2": {}, "3": {} },
      z: { "1": { requires: ["!y"] } },
    },
    request: "x y-3",
    description: "A package was completely reduced: (z-1[] (dep(!y) <--!--> y==3))",
    explanation: [
      "  1. x-3 requires z.",
      "  2. z-1 requires !y, but the only version of y left is y-3, so no version of z is left to use.",
      "  3. You asked for x and y-3, so the request cannot be resolved.",
      "hint: relax one of the requests: x or y-3.",
    ],
  },
  {
    label: "each candidate ruled out for its own reason",
    repo: { bahish: { "1": { requires: ["!pybah-4"] }, "2": { requires: ["pybah-5"] } }, pybah: { "4": {}, "5": {} } },
    request: "bahish pybah<5",
    description: "A package was completely reduced: (bahish-1[] (dep(!pybah-4) <--!--> pybah==4)) (bahish-2[] (dep(pybah-5) <--!--> pybah==4))",
    explanation: [
      "  1. Of the versions of bahish left, bahish-1 requires !pybah-4 and bahish-2 requires pybah-5.",
      "  2. But the only version of pybah left is pybah-4, so no version of bahish is left to use.",
      "  3. You asked for bahish and pybah<5, so the request cannot be resolved.",
      "hint: relax one of the requests: bahish or pybah<5 (e.g. a version of bahish that works with pybah-4).",
    ],
  },
  {
    label: "many candidates: grouped by requirement, the rest counted",
    repo: {
      x: {
        ...Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`${i}`, { requires: ["!y-3"] }])),
        "6": { requires: ["y-1"] },
        "7": { requires: ["y-1"] },
        "8": { requires: ["y-2"] },
        "9": { requires: ["y-4"] },
        "10": { requires: ["y-5"] },
      },
      y: { "1": {}, "2": {}, "3": {}, "4": {}, "5": {} },
    },
    request: "x y-3",
    description:
      "A package was completely reduced: " +
      [1, 2, 3, 4, 5].map((i) => `(x-${i}[] (dep(!y-3) <--!--> y==3))`).join(" ") +
      " (x-6[] (dep(y-1) <--!--> y==3)) (x-7[] (dep(y-1) <--!--> y==3)) (x-8[] (dep(y-2) <--!--> y==3)) (x-9[] (dep(y-4) <--!--> y==3)) (x-10[] (dep(y-5) <--!--> y==3))",
    explanation: [
      "  1. Of the versions of x left, x-1, x-2, x-3 and 2 more require !y-3; x-6 and x-7 require y-1; x-8 requires y-2; and 2 more require other ranges of y.",
      "  2. But the only version of y left is y-3, so no version of x is left to use.",
      "  3. You asked for x and y-3, so the request cannot be resolved.",
      "hint: relax one of the requests: x or y-3 (e.g. a version of x that works with y-3).",
    ],
  },
  {
    label: "variants ruled out are named by index",
    repo: {
      pyvariants: { "2": { variants: [["python-2.7.0"], ["python-2.6.8", "nada"], ["python-2.6.8"], ["nada"]] } },
      python: { "2.5.2": {}, "2.6.8": {}, "2.7.0": {} },
      nada: { "": {} },
    },
    request: "pyvariants python-2.5 !nada",
    description:
      "A package was completely reduced: (pyvariants-2[0] (dep(python-2.7.0) <--!--> python==2.5.2)) (pyvariants-2[2] (dep(python-2.6.8) <--!--> python==2.5.2))",
    explanation: [
      "  1. Of the versions of pyvariants left, pyvariants-2 (variant 0) requires python-2.7.0 and pyvariants-2 (variant 2) requires python-2.6.8.",
      "  2. But the only version of python left is python-2.5.2, so no version of pyvariants is left to use.",
      "  3. You asked for pyvariants and python-2.5, so the request cannot be resolved.",
      "hint: relax one of the requests: pyvariants or python-2.5 (e.g. a version of pyvariants that works with python-2.5.2).",
    ],
  },
  {
    label: "a package's conflict requirement (!foo) against a package that requires foo",
    repo: { a: { "1": { requires: ["!foo"] } }, b: { "1": { requires: ["foo"] } }, foo: { "1": {} } },
    request: "a b",
    description: "A package was completely reduced: (a-1[] (dep(!foo) <--!--> foo==1))",
    explanation: [
      "  1. b-1 requires foo.",
      "  2. a-1 requires !foo, but the only version of foo left is foo-1, so no version of a is left to use.",
      "  3. You asked for a and b, so the request cannot be resolved.",
      "hint: relax one of the requests: a or b (e.g. a version of a that works with foo-1).",
    ],
  },
  {
    label: "a package's weak requirement (~foo-2) against a request",
    repo: { foo: { "1": {}, "2": {} }, bar: { "1": { requires: ["~foo-2"] } } },
    request: "bar foo-1",
    description: "A package was completely reduced: (bar-1[] (dep(~foo-2) <--!--> foo==1))",
    explanation: [
      "  1. bar-1 requires ~foo-2, but the only version of foo left is foo-1, so no version of bar is left to use.",
      "  2. You asked for bar and foo-1, so the request cannot be resolved.",
      "hint: relax one of the requests: bar or foo-1 (e.g. a version of bar that works with foo-1).",
    ],
  },
];

const CYCLE_ROWS: Row[] = [
  {
    label: "two packages that require each other",
    repo: { a: { "1": { requires: ["b"] } }, b: { "1": { requires: ["a"] } } },
    request: "a",
    description: "A cyclic dependency was detected: a-1 --> b-1 --> a-1",
    explanation: [
      "  1. a-1 requires b.",
      "  2. b-1 requires a.",
      "  3. So a-1 depends on itself through b-1, and a package cannot depend on itself.",
      "  4. You asked for a, so the request cannot be resolved.",
      "hint: the loop closes where b-1 requires a; removing that requirement (or another one in the loop) breaks it.",
    ],
  },
  {
    label: "a loop reached through a chain starts where the chain meets it",
    repo: { r: { "1": { requires: ["a"] } }, a: { "1": { requires: ["b"] } }, b: { "1": { requires: ["c"] } }, c: { "1": { requires: ["a"] } } },
    request: "r",
    description: "A cyclic dependency was detected: a-1 --> b-1 --> c-1 --> a-1",
    explanation: [
      "  1. r-1 requires a.",
      "  2. a-1 requires b.",
      "  3. b-1 requires c.",
      "  4. c-1 requires a.",
      "  5. So a-1 depends on itself through b-1 and c-1, and a package cannot depend on itself.",
      "  6. You asked for r, so the request cannot be resolved.",
      "hint: the loop closes where c-1 requires a; removing that requirement (or another one in the loop) breaks it.",
    ],
  },
  {
    label: "a long loop shows its first and last links",
    repo: loop(8),
    request: "p0",
    description: "A cyclic dependency was detected: p0-1 --> p1-1 --> p2-1 --> p3-1 --> p4-1 --> p5-1 --> p6-1 --> p7-1 --> p0-1",
    explanation: [
      "  1. p0-1 requires p1.",
      "  2. p1-1 requires p2.",
      "  3. p2-1 requires p3.",
      "  4. In the same way, p3-1 leads on to p7-1 through 3 more packages.",
      "  5. p7-1 requires p0.",
      "  6. So p0-1 depends on itself through p1-1, p2-1, p3-1 and 4 more packages, and a package cannot depend on itself.",
      "  7. You asked for p0, so the request cannot be resolved.",
      "hint: the loop closes where p7-1 requires p0; removing that requirement (or another one in the loop) breaks it.",
    ],
  },
];

async function failed(row: Row) {
  const r = await resolve(row.request.split(" "), { source: memorySource(row.repo), warn: () => {}, ...row.options });
  expect(r.status, r.failureDescription ?? "").toBe("failed");
  return r;
}

for (const [title, rows] of [
  ["conflicts", CONFLICT_ROWS],
  ["total reductions", REDUCTION_ROWS],
  ["cycles", CYCLE_ROWS],
] as const) {
  describe(`plain words: ${title}`, () => {
    it.each(rows.map((row) => [row.label, row] as const))("%s", async (_label, row) => {
      const r = await failed(row);
      expect(r.failureDescription).toBe(row.description);
      expect(r.explanation).toBe(row.explanation.join("\n"));
    });
  });
}

describe("plain words: properties", () => {
  const all = [...CONFLICT_ROWS, ...REDUCTION_ROWS, ...CYCLE_ROWS];

  it("every run gives the same text, with a fresh or a warm store, optimised or not", async () => {
    for (const row of all) {
      const first = (await failed(row)).explanation;
      expect((await failed(row)).explanation).toBe(first);
      // the unoptimised solver takes the same steps, so it fails the same way
      expect((await failed({ ...row, options: { ...row.options, optimised: false } })).explanation).toBe(first);
    }
  });

  it("steps are numbered from 1 and a hint, if any, is the last line", async () => {
    for (const row of all) {
      const lines = (await failed(row)).explanation!.split("\n");
      const steps = lines.filter((l) => !l.startsWith("hint: "));
      expect(steps.map((l) => l.match(/^ {2}(\d+)\. /)?.[1])).toEqual(steps.map((_, i) => `${i + 1}`));
      expect(lines.slice(0, steps.length)).toEqual(steps);
    }
  });

  it("failureExplanation gives the same text from the solver's failed phase", async () => {
    const row = CONFLICT_ROWS[4]!;
    const store = new FamilyStore(memorySource(row.repo));
    const solver = new Solver(row.request.split(" ").map((s) => parseRequirement(s)), store, testSolverSettings());
    await solver.solve();
    const phase = solver.failedPhase()!.phase;
    expect(failureExplanation(solver, phase)).toBe(row.explanation.join("\n"));
    // a deadline already past: the time-limit note, and no graph
    expect(explainFailure(solver, phase, Date.now() - 1)).toEqual({ explanation: OUT_OF_TIME_EXPLANATION, graph: null });
  });
});
