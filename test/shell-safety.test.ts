// Black-box tests: a value or name from one person's package never runs as code in another person's
// shell, in every shell installed here (issue: shell-safe values and names).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "../src/shells/index.js";
import { runPkg, writeTree } from "./support/cli.js";

const unixShells = ["bash", "sh", "zsh", "csh", "tcsh", "fish"].filter((s) => findExecutable(s) !== undefined);
let work: string;
let repo: string;

function pkg(args: readonly string[]) {
  return runPkg(work, ["-r", repo, ...args], { PKG_STANDARD_SYSTEM_PATHS: "/usr/bin:/bin", ...(process.env.PKG_PYTHON ? { PKG_PYTHON: process.env.PKG_PYTHON } : {}) });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-shell-safety-"));
  repo = join(work, "repo");
  writeTree(repo, {
    "evil/1/package.py": `name = "evil"\nversion = "1"\ndef commands():\n    env.EVIL = literal('"; touch ${work}/pwned; echo "')\n`,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(unixShells)("%s", (shell) => {
  it("arguments after -- reach the command byte for byte; a value never becomes code", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "evil", "--", "sh", "-c", 'printf "<%s>" "$EVIL"', "$EVIL", "${EVIL}", "`id`", "$(id)", "!!"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`<"; touch ${work}/pwned; echo ">`);
    expect(existsSync(join(work, "pwned"))).toBe(false);
    const args = pkg(["env", "--ni", "--shell", shell, "evil", "--", "printf", "<%s>", "$EVIL", "${EVIL}x", "`id`", "$(id)", "!!", "a'b", 'c"d', "", "~", "*"]);
    expect(args.stdout).toBe("<$EVIL><${EVIL}x><`id`><$(id)><!!><a'b><c\"d><><~><*>");
    expect(args.status).toBe(0);
  });
});
