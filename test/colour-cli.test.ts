// Black-box tests of colour: on a terminal, resolved packages, warnings, errors and failures are coloured;
// piped, or with NO_COLOR or CI set, pkg writes plain text. A pseudo-terminal comes from python3's pty module.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runPkg, writeTree } from "./support/cli.js";

const havePython = spawnSync("python3", ["-c", "import pty"]).status === 0;
if (!havePython) console.log("skipping the colour tests: python3 (for a pseudo-terminal) is not installed");

let work: string;
let repo: string;
let onTerminal: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-colour-"));
  repo = join(work, "repo");
  writeTree(repo, {
    "foo/1.0/package.py": "name = 'foo'\nversion = '1.0'\nrequires = ['bar']\n",
    "bar/2.0/package.py": "name = 'bar'\nversion = '2.0'\n",
    "broken/1.0/package.py": "name = 'broken'\nversion = '1.0'\nrequires = 'not a list'\n",
  });
  onTerminal = join(work, "on-terminal.py");
  // stdout and stderr of pkg both go to the terminal; what it shows comes back on this script's stdout
  writeFileSync(onTerminal, "import os, pty, sys\nsys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))\n");
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const ESC = "\x1b[";
const GREEN = (s: string) => `${ESC}32m${s}${ESC}39m`;

function terminal(args: readonly string[], env: Record<string, string> = {}): { status: number | null; text: string } {
  const r = spawnSync("python3", [onTerminal, process.execPath, cliPath, "-r", repo, ...args], {
    cwd: work,
    encoding: "utf8",
    env: { ...isolatedEnv(work), TERM: "xterm", ...env },
    timeout: 60_000,
  });
  return { status: r.status, text: r.stdout.replace(/\r\n/g, "\n") };
}

describe.skipIf(!havePython)("colour", () => {
  it("on a terminal: resolved packages, warnings, errors, failures and summary headings", () => {
    const solve = terminal(["solve", "foo"]);
    expect(solve.status).toBe(0);
    expect(solve.text).toContain(`${GREEN("bar-2.0")}[]\n${GREEN("foo-1.0")}[]\n`);
    const summary = terminal(["env", "-n", "foo"]);
    expect(summary.text).toContain(`${ESC}1mrequested packages:${ESC}22m\n`);
    expect(summary.text).toContain(`${ESC}1mresolved packages:${ESC}22m\n`);
    expect(summary.text).toMatch(/\x1b\[36m~platform==\S+ +\(implicit\)\x1b\[39m\n/);
    expect(summary.text).toContain(GREEN(`bar-2.0  ${join(repo, "bar", "2.0")}`));
    const warned = terminal(["solve", "broken"]);
    expect(warned.text).toContain(`${ESC}33mpkg: warning:${ESC}39m ${join(repo, "broken", "1.0", "package.py")}`);
    expect(warned.text).toContain(`${ESC}1m${ESC}31mpkg: error:${ESC}39m${ESC}22m`);
    const failed = terminal(["solve", "foo", "!bar"]);
    expect(failed.status).toBe(1);
    expect(failed.text).toContain(`${ESC}1m${ESC}31mThe context failed to resolve:\n`);
  });

  it("none when piped, with NO_COLOR or with CI", () => {
    const envs: Record<string, string>[] = [{ NO_COLOR: "1" }, { CI: "true" }];
    for (const env of envs) {
      const run = terminal(["solve", "foo"], env);
      expect(run.status).toBe(0);
      expect(run.text).toBe("bar-2.0[]\nfoo-1.0[]\n");
      expect(terminal(["solve", "broken"], env).text).not.toContain(ESC);
      expect(terminal(["env", "-n", "foo"], env).text).not.toContain(ESC);
    }
    const piped = runPkg(work, ["-r", repo, "solve", "foo"], { TERM: "xterm" });
    expect(piped.stdout).toBe("bar-2.0[]\nfoo-1.0[]\n");
    const failed = runPkg(work, ["-r", repo, "solve", "broken", "foo", "!bar"], { TERM: "xterm" });
    expect(failed.stderr).toContain("pkg: warning:");
    expect(failed.stderr).not.toContain(ESC);
  });
});
