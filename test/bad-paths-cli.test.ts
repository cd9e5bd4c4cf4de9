// Black-box test: every command fed bad paths — a folder that does not exist, a file where a folder should be,
// and one it may not read (run as nobody under root) — ends with pkg's error naming the path and the reason,
// the documented exit status, never an internal error or a stack, and creates nothing.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, unprivilegedUser, writeTree, type CliRun } from "./support/cli.js";

let root: string;
let repo: string;
let rxt: string;
const user = unprivilegedUser();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "pkg-bad-paths-"));
  chmodSync(root, 0o755);
  repo = join(root, "repo");
  writeTree(repo, { "foo/1.0/package.py": "name = 'foo'\nversion = '1.0'\n" });
  writeFileSync(join(root, "a-file"), "not a folder\n");
  writeFileSync(join(root, "requests.json"), '[["foo"]]\n');
  mkdirSync(join(root, "closed", "inner"), { recursive: true });
  writeFileSync(join(root, "closed", "inner", "ctx.rxt"), "{}\n");
  mkdirSync(join(root, "cache"), { mode: 0o777 });
  chmodSync(join(root, "cache"), 0o777);
  rxt = join(root, "ok.rxt");
  expect(run(["-r", repo, "env", "foo", "-o", rxt]).status).toBe(0);
  chmodSync(rxt, 0o644);
  chmodSync(join(root, "closed"), user === undefined ? 0o000 : 0o700);
});

afterAll(() => {
  if (!root) return;
  chmodSync(join(root, "closed"), 0o755);
  rmSync(root, { recursive: true, force: true });
});

function run(args: readonly string[], as: typeof user = undefined): CliRun {
  return runPkg(root, args, { PKG_CACHE_DIR: join(root, "cache") }, root, as ? { user: as } : {});
}

// [command line with BAD for the path, exit status, what the error says besides the path]
const COMMANDS: [string, number][] = [
  ["-r BAD list", 2],
  ["-r BAD info foo", 2],
  ["-r BAD search foo", 2],
  ["-r BAD view foo", 2],
  ["-r BAD depends foo", 2],
  ["-r BAD plugins", 2],
  ["-r BAD scan", 2],
  ["-r BAD solve foo", 2],
  ["-r BAD env foo -- true", 2],
  ["-r BAD run foo", 2],
  ["-r BAD test foo", 2],
  ["-r BAD cp foo-1.0 --dest-path REPO", 2],
  ["-r REPO solve --fail-graph BAD foo !foo", 2],
  ["-r REPO env --fail-graph BAD foo !foo", 2],
  ["-r REPO env -o BAD foo", 2],
  ["-r REPO env --rcfile BAD foo", 2],
  ["-r REPO env -i BAD -- true", 1],
  ["context BAD", 1],
  ["diff BAD RXT", 1],
  ["diff RXT BAD", 1],
  ["interpret BAD", 1],
  ["build-env BAD", 2],
  ["benchmark --packages BAD --requests REQUESTS --out OUT", 2],
  ["benchmark --packages REPO --requests BAD --out OUT", 2],
  ["benchmark --packages REPO --requests REQUESTS --out OUT --compare BAD", 2],
];

const KINDS: [string, () => string, string][] = [
  ["a folder that does not exist", () => join(root, "missing", "x"), "no such (file|folder)|does not exist|its folder does not exist"],
  ["a file where a folder should be", () => join(root, "a-file", "x"), "not a folder|a file is where a folder should be"],
];

describe("bad paths given to every command", () => {
  for (const [kind, path, reason] of KINDS) {
    it.each(COMMANDS)(`${kind}: pkg %s`, (line, status) => {
      const bad = path();
      const args = line.split(" ").map((w) => ({ BAD: bad, REPO: repo, RXT: rxt, REQUESTS: join(root, "requests.json"), OUT: join(root, "out") })[w] ?? w);
      const result = run(args);
      expect(result.status, result.stderr).toBe(status);
      expect(result.stderr).toMatch(/^pkg: error: /m);
      expect(result.stderr).toContain(bad);
      expect(result.stderr).toMatch(new RegExp(reason));
      expect(result.stderr).not.toContain("internal error");
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(root, "missing"))).toBe(false);
    });
  }

  it.skipIf(user === null).each(COMMANDS)("a folder it may not read: pkg %s", (line, status) => {
    const bad = join(root, "closed", "inner", line.includes("--rcfile") || line.startsWith("context") || line.includes("-i BAD") || line.startsWith("diff") || line.startsWith("interpret") || line.includes("--requests BAD") || line.includes("--compare BAD") ? "ctx.rxt" : "x");
    const args = line.split(" ").map((w) => ({ BAD: bad, REPO: repo, RXT: rxt, REQUESTS: join(root, "requests.json"), OUT: join(root, "out") })[w] ?? w);
    const result = run(args, user ?? undefined);
    expect(result.status, result.stderr).toBe(status);
    expect(result.stderr).toMatch(/^pkg: error: /m);
    expect(result.stderr).toContain(join(root, "closed"));
    expect(result.stderr).toMatch(/permission denied/);
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("pkg ignore on a repository that does not exist does not create it", () => {
    const missing = join(root, "missing", "repo");
    const result = run(["ignore", "foo-1.0", missing]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Package not found: foo-1.0 in ${missing}`);
    expect(existsSync(join(root, "missing"))).toBe(false);
  });
});
