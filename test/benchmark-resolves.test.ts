// Acceptance: all 188 requests of Rez's benchmark resolve exactly as Rez (status and resolved variant URIs).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PackageDefinition, PackageValue } from "../src/package/index.js";
import { FamilyStore, resolve, type PackageFamilySource } from "../src/solver/index.js";

const DATA = "/work/shared/data/rez-benchmark";
const here = new URL(".", import.meta.url).pathname;
const dataDir = existsSync(DATA) ? DATA : join(here, "..", "..", "shared", "data", "rez-benchmark");

/** Reads the value of `key = <python literal>` from a declarative package.py (benchmark files only). */
function literal(text: string, key: string): PackageValue | undefined {
  const m = new RegExp(`^${key} = (?:\\\\\\s*)?`, "m").exec(text);
  if (!m) return undefined;
  let i = m.index + m[0].length;
  const start = i;
  if (text[i] === "[") {
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "'" || c === '"') {
        i = text.indexOf(c, i + 1);
        continue;
      }
      if (c === "[") depth++;
      else if (c === "]" && --depth === 0) break;
    }
    const src = text.slice(start, i + 1).replace(/'/g, '"').replace(/,(\s*\])/g, "$1");
    return JSON.parse(src) as PackageValue;
  }
  const line = text.slice(start, text.indexOf("\n", start) === -1 ? undefined : text.indexOf("\n", start)).trim();
  if (/^\d+$/.test(line)) return Number(line);
  return line.replace(/^['"]|['"]$/g, "");
}

export function benchmarkSource(root: string): PackageFamilySource {
  return {
    searchedPaths: [root],
    getFamily(name: string): PackageDefinition[] | undefined {
      const dir = join(root, name);
      if (!existsSync(dir)) return undefined;
      const out: PackageDefinition[] = [];
      for (const ver of readdirSync(dir)) {
        const file = join(dir, ver, "package.py");
        if (!existsSync(file)) continue;
        const text = readFileSync(file, "utf8");
        const attributes: Record<string, PackageValue> = {};
        for (const k of ["requires", "variants", "timestamp"]) {
          const v = literal(text, k);
          if (v !== undefined) attributes[k] = v;
        }
        out.push({ name, version: ver, format: "rez", file, attributes });
      }
      return out;
    },
  };
}

describe("Rez benchmark: 188 requests resolve exactly as Rez", () => {
  let root = "";
  let tmp = "";
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "pkg-rezbench-"));
    execFileSync("tar", ["xzf", join(dataDir, "packages.tar.gz"), "-C", tmp]);
    root = join(tmp, "packages");
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("matches expected_resolves.json", async () => {
    const requests = JSON.parse(readFileSync(join(dataDir, "requests.json"), "utf8")) as string[][];
    const expected = JSON.parse(readFileSync(join(dataDir, "expected_resolves.json"), "utf8")) as {
      request: string[];
      status: string;
      resolved_packages: string[];
    }[];
    const store = new FamilyStore(benchmarkSource(root));
    const mismatches: string[] = [];
    let matched = 0;
    for (let i = 0; i < requests.length; i++) {
      const r = await resolve(requests[i]!, { source: store, addImplicitPackages: false });
      const status = r.status === "solved" ? "success" : r.status === "failed" ? "failed" : "error";
      const uris = r.variants.map((v) => relative(root, v.uri));
      const exp = expected[i]!;
      if (status === exp.status && JSON.stringify(uris) === JSON.stringify(exp.resolved_packages)) matched++;
      else mismatches.push(`#${i} ${requests[i]!.join(" ")}: got ${status} ${r.failureDescription ?? ""}`);
    }
    expect(mismatches).toEqual([]);
    expect(matched).toBe(188);
  }, 300_000);
});
