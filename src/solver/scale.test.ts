// Large synthetic requirement graphs: a failed resolve's explanation and graph stay near-linear in the
// size of the resolve. Time appears only as generous test timeouts that catch a hang or a blow-up.
import { describe, expect, it } from "vitest";
import type { PackageDefinition } from "../package/index.js";
import { OUT_OF_TIME_EXPLANATION } from "./explain.js";
import { resolve } from "./index.js";
import type { PackageFamilySource } from "./source.js";

/** p0 -> p1 -> ... -> p(n-1), each family with one version; closed into a cycle when `cyclic`. */
function chainSource(n: number, cyclic: boolean): PackageFamilySource {
  return {
    searchedPaths: ["/synthetic"],
    getFamily(name): PackageDefinition[] | undefined {
      const m = /^p(\d+)$/.exec(name);
      const i = m ? Number(m[1]) : n;
      if (i >= n) return undefined;
      const next = i + 1 < n ? [`p${i + 1}`] : cyclic ? ["p0"] : [];
      return [{ name, version: "1", format: "rez", file: `/synthetic/${name}/1/package.py`, attributes: { requires: next } }];
    },
  };
}

describe("explaining a large failed resolve", () => {
  it("a 4-family cycle: the explanation and graph as before", async () => {
    const r = await resolve(["p0"], { source: chainSource(4, true), warn: () => {} });
    expect(r.status).toBe("failed");
    expect(r.explanation).toBe(
      [
        "  1. p0-1 requires p1.",
        "  2. p1-1 requires p2.",
        "  3. p2-1 requires p3.",
        "  4. p3-1 requires p0.",
        "  5. So p0-1 depends on itself through p1-1, p2-1 and p3-1, and a package cannot depend on itself.",
        "  6. You asked for p0, so the request cannot be resolved.",
        "hint: the loop closes where p3-1 requires p0; removing that requirement (or another one in the loop) breaks it.",
      ].join("\n"),
    );
    const edges = r.failureGraph!.split("\n").filter((l) => l.includes("->"));
    // Rez's write_dot: edges by source node, the label last
    expect(edges).toEqual([
      '_1 -> _2 [arrowsize="0.5"];',
      '_2 -> _6 [arrowsize="0.5"];',
      '_2 -> _3 [arrowsize="1", style="bold", color="red", fontcolor="red", label="CYCLE"];',
      '_3 -> _7 [arrowsize="0.5"];',
      '_3 -> _4 [arrowsize="1", style="bold", color="red", fontcolor="red", label="CYCLE"];',
      '_4 -> _8 [arrowsize="0.5"];',
      '_4 -> _5 [arrowsize="1", style="bold", color="red", fontcolor="red", label="CYCLE"];',
      '_5 -> _1 [arrowsize="0.5"];',
      '_5 -> _2 [arrowsize="1", style="bold", color="red", fontcolor="red", label="CYCLE"];',
      '_6 -> _3 [arrowsize="0.5"];',
      '_7 -> _4 [arrowsize="0.5"];',
      '_8 -> _5 [arrowsize="0.5"];',
    ]);
  });

  // Pruning the graph asked every node what it reaches, over the whole edge list: over 120 s at 1,000.
  it("a 1,000-family cycle is explained", { timeout: 60_000 }, async () => {
    const r = await resolve(["p0"], { source: chainSource(1000, true), warn: () => {} });
    expect(r.status).toBe("failed");
    expect(r.failureReason?.kind).toBe("cycle");
    // the loop is shortened to its first and last links
    expect(r.explanation).toContain("  4. In the same way, p3-1 leads on to p999-1 through 995 more packages.\n  5. p999-1 requires p0.\n");
    expect(r.explanation!.split("\n")).toHaveLength(8);
    expect(r.failureGraph!.match(/label="CYCLE"/g)).toHaveLength(1000);
  });
});

describe("the time limit bounds the explanation", () => {
  it("a failure met after the time limit passed is reported as Rez's, without working out an explanation", async () => {
    // Loading is slow but never waits (each family takes 400 ms of the thread), so the one step of this
    // solve runs to its end, past the 1 s limit; then no time is left to explain the cycle.
    const slow = chainSource(3, true);
    const source: PackageFamilySource = {
      searchedPaths: slow.searchedPaths,
      getFamily(name) {
        const until = Date.now() + 400;
        while (Date.now() < until) {
          // busy: the thread is taken
        }
        return slow.getFamily(name);
      },
    };
    const r = await resolve(["p0"], { source, warn: () => {}, timeLimit: 1 });
    expect(r.status).toBe("failed");
    expect(r.failureDescription).toBe("A cyclic dependency was detected: p0-1 --> p1-1 --> p2-1 --> p0-1");
    expect(r.explanation).toBe(OUT_OF_TIME_EXPLANATION);
    expect(r.failureGraph).toBeNull();
    // with time left, the same failure is explained
    const explained = await resolve(["p0"], { source, warn: () => {}, timeLimit: 60 });
    expect(explained.explanation).toMatch(/^ {2}1\. p0-1 requires p1\.\n/);
    expect(explained.failureGraph).toContain('label="CYCLE"');
  });
});

describe("a long requirement chain", () => {
  // Each family met stopped the phase to load it, and the phase then started over: 5,000 deep took 50 s
  // and 3.4 GB. It now goes on from where it stopped.
  it("5,000 deep resolves, deepest first", { timeout: 30_000 }, async () => {
    const n = 5000;
    const r = await resolve(["p0"], { source: chainSource(n, false), warn: () => {} });
    expect(r.status).toBe("solved");
    expect(r.solveCount).toBe(1);
    expect(r.variants).toHaveLength(n);
    expect(r.variants[0]!.name).toBe(`p${n - 1}`);
    expect(r.variants[n - 1]!.name).toBe("p0");
    expect(r.variants.every((v, i) => v.name === `p${n - 1 - i}`)).toBe(true);
  });
});

describe("deeper than the call stack", () => {
  // Ordering the resolve and finding its cycle walked the graph recursively: a RangeError past ~10,000.
  it("a 20,000-deep chain resolves and a 20,000-family cycle fails as a cycle", { timeout: 60_000 }, async () => {
    const n = 20_000;
    const chain = await resolve(["p0"], { source: chainSource(n, false), warn: () => {} });
    expect(chain.status).toBe("solved");
    expect(chain.variants.every((v, i) => v.name === `p${n - 1 - i}`)).toBe(true);
    const cycle = await resolve(["p0"], { source: chainSource(n, true), warn: () => {} });
    expect(cycle.status).toBe("failed");
    expect(cycle.failureReason?.kind).toBe("cycle");
    expect(cycle.failureDescription!.endsWith(`p${n - 1}-1 --> p0-1`)).toBe(true);
  });
});
