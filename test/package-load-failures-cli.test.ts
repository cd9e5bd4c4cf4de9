// Black-box tests of package files that hang, flood or kill the python worker: each is given up with a warning
// naming it, the rest loads, and no failure that is not the file's own fault is cached.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, cliPathForAnyUser, runPkg, writeTree, type CliRun } from "./support/cli.js";

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-load-failures-"));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A short limit keeps the hanging cases quick. */
const LIMIT = { PKG_PACKAGE_LOAD_TIMEOUT: "2" };

function pkg(repo: string, args: readonly string[], cache: string, env: Record<string, string> = LIMIT): CliRun {
  return runPkg(work, ["-r", repo, ...args], { ...env, PKG_CACHE_DIR: cache }, work, { timeoutMs: 60_000 });
}

interface ScanReport {
  readonly families: number;
  readonly packages: number;
  readonly warnings: readonly { readonly file: string; readonly message: string }[];
}

/** `import os` makes a file need Python (the declarative reader hands it over). */
const needsPython = (name: string, version: string): string => `import os\nname = '${name}'\nversion = '${version}'\n`;

/** Replaces a file's text with text of the same length and gives it back its mtime, so the cache key is unchanged. */
function rewriteInPlace(file: string, text: string): void {
  const before = statSync(file);
  const padded = text.padEnd(before.size, "#");
  expect(padded.length).toBe(before.size);
  writeFileSync(file, padded);
  utimesSync(file, before.atime, before.mtime);
}

describe("package files that hang, flood or end the python worker", () => {
  it("are given up with a warning naming each file while everything else loads, and none of it is cached", () => {
    const repo = join(work, "hostile");
    const files = {
      "loop/1.0/package.py": "import os\nname = 'loop'\nversion = '1.0'\nwhile True:\n    pass\n",
      "flood/1.0/package.py": "import os\nname = 'flood'\nversion = '1.0'\nwhile True:\n    print('x' * 1000)\n",
      "raw/1.0/package.py": "import os\nname = 'raw'\nversion = '1.0'\nwhile True:\n    os.write(1, b'{\"id\": 1}\\n' * 1000)\n",
      "reader/1.0/package.py": "import sys\nname = 'reader'\nversion = '1.0'\ndescription = 'read %d' % len(sys.stdin.read())\n",
      "killer/1.0/package.py": "import os\nname = 'killer'\nversion = '1.0'\nos._exit(3)\n",
      "innocent/1.0/package.py": needsPython("innocent", "1.0"),
      "innocent/2.0/package.py": needsPython("innocent", "2.0"),
      "innocent/3.0/package.py": needsPython("innocent", "3.0"),
      "plain/1.0/package.py": "name = 'plain'\nversion = '1.0'\n",
    };
    writeTree(repo, files);
    const cache = join(work, "hostile-cache");
    const scan = (): ScanReport => {
      const run = pkg(repo, ["scan", "--json"], cache);
      expect(run.status).toBe(0);
      // The floods reach the terminal only in part.
      expect(run.stderr.length).toBeLessThan(1024 * 1024);
      return JSON.parse(run.stdout) as ScanReport;
    };
    const warned = (report: ScanReport, family: string): string[] =>
      report.warnings.filter((w) => w.file === join(repo, family, "1.0", "package.py")).map((w) => w.message);

    const first = scan();
    expect(first.families).toBe(7);
    // innocent x3, plain, reader
    expect(first.packages).toBe(5);
    for (const family of ["loop", "flood", "raw"]) expect(warned(first, family)).toEqual([expect.stringMatching(/took longer than 2 s \(package_load_timeout\)/)]);
    expect(warned(first, "killer")).toEqual([expect.stringMatching(/ends the python worker/)]);
    expect(first.warnings).toHaveLength(4);
    expect(pkg(repo, ["info", "reader", "--json"], cache).stdout).toContain('"read 0"');

    // Fixed without a change of mtime or size: a cached failure would hide the fix.
    for (const family of ["loop", "flood", "raw", "killer"]) rewriteInPlace(join(repo, family, "1.0", "package.py"), `name = '${family}'\nversion = '1.0'\n`);
    const second = scan();
    expect(second.warnings).toEqual([]);
    expect(second.packages).toBe(9);
  });

  it("a resolve touching a hanging family ends, and is not reused once the file loads", () => {
    const repo = join(work, "resolve");
    writeTree(repo, {
      "app/1.0/package.py": "name = 'app'\nversion = '1.0'\nrequires = ['lib']\n",
      "lib/1.0/package.py": needsPython("lib", "1.0"),
      "lib/2.0/package.py": "import os\nname = 'lib'\nversion = '2.0'\nwhile True:\n    pass\n",
    });
    const cache = join(work, "resolve-cache");
    const first = pkg(repo, ["solve", "--ni", "app"], cache);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe("lib-1.0[]\napp-1.0[]\n");
    expect(first.stderr).toContain(join(repo, "lib", "2.0", "package.py"));
    expect(first.stderr).toContain("package_load_timeout");

    rewriteInPlace(join(repo, "lib", "2.0", "package.py"), "name = 'lib'\nversion = '2.0'\n");
    const second = pkg(repo, ["solve", "--ni", "app"], cache);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe("lib-2.0[]\napp-1.0[]\n");
  });

  it("the time limit comes from package_load_timeout in the configuration file, and 0 is no limit", () => {
    const repo = join(work, "configured");
    writeTree(repo, { "slow/1.0/package.py": "import time\nname = 'slow'\nversion = '1.0'\ntime.sleep(3)\n" });
    const config = join(work, "limit.toml");
    writeFileSync(config, "package_load_timeout = 1\n");
    const limited = pkg(repo, ["list"], join(work, "configured-cache-1"), { PKG_CONFIG: config });
    expect(limited.stdout).toBe("");
    expect(limited.stderr).toContain("took longer than 1 s (package_load_timeout)");
    const unlimited = pkg(repo, ["list"], join(work, "configured-cache-2"), { PKG_CONFIG: config, PKG_PACKAGE_LOAD_TIMEOUT: "0" });
    expect(unlimited.stdout).toBe("slow-1.0\n");
    expect(unlimited.stderr).toBe("");
    const bad = pkg(repo, ["list"], join(work, "configured-cache-3"), { PKG_PACKAGE_LOAD_TIMEOUT: "soon" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("PKG_PACKAGE_LOAD_TIMEOUT");
  });

  // Root reads any file, so as root the test runs pkg as nobody (through setpriv) when it can.
  const asRoot = process.getuid?.() === 0;
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((f) => existsSync(f));
  it.skipIf(asRoot && !setpriv)("a file that could not be read loads once it can be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "pkg-unreadable-"));
    try {
      chmodSync(dir, 0o777);
      const repo = join(dir, "repo");
      writeTree(repo, { "locked/1.0/package.py": "name = 'locked'\nversion = '1.0'\n", "open/1.0/package.py": "import os\nname = 'open'\nversion = '1.0'\n" });
      const file = join(repo, "locked", "1.0", "package.py");
      const list = (): CliRun => {
        const env = { PATH: process.env.PATH ?? "", HOME: dir, PKG_SYSTEM_CONFIG: join(dir, "none.toml"), PKG_CACHE_DIR: join(dir, "cache") };
        const command = [process.execPath, asRoot && setpriv ? cliPathForAnyUser() : cliPath, "-r", repo, "list"];
        const [exe, ...args] = asRoot && setpriv ? [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", ...command] : command;
        const r = spawnSync(exe, args, { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
      };
      chmodSync(file, 0o000);
      const locked = list();
      expect(locked.stdout).toBe("open-1.0\n");
      expect(locked.stderr).toContain(file);
      chmodSync(file, 0o644);
      const fixed = list();
      expect(fixed.stdout).toBe("locked-1.0\nopen-1.0\n");
      expect(fixed.stderr).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a function kept as source with a syntax error", () => {
  // Rez loads a package.py by running it, so such a file fails to load; pkg's declarative reader keeps the
  // function as text and checks it (one request to Python), with the line of the file.
  const files = {
    // The '(' opened on line 5 is never closed.
    "bad/1.0/package.py": "name = 'bad'\nversion = '1.0'\n\ndef commands():\n    env.PATH.append('{root}/bin'\n    env.FOO = 'x'\n",
    // An unfinished expression on line 5.
    "bad/2.0/package.py": "name = 'bad'\nversion = '2.0'\nrequires = []\ndef commands():\n    x = (1 +\n",
    "late/1.0/package.py": "name = 'late'\nversion = '1.0'\n\n@late()\ndef tools():\n    return ['x',\n",
    "pre/1.0/package.py": "name = 'pre'\nversion = '1.0'\n\ndef preprocess(this, data):\n    data['x'] = 1 +\n",
    // The same mistake in a file that needs Python anyway.
    "coded/1.0/package.py": "import os\nname = 'coded'\nversion = '1.0'\n\ndef commands():\n    env.PATH.append('{root}/bin'\n",
    "good/1.0/package.py": "name = 'good'\nversion = '1.0'\n\ndef commands():\n    env.GOOD = 'yes'\n    undefined_name.call()\n",
    "app/1.0/package.py": "name = 'app'\nversion = '1.0'\nrequires = ['bad']\n",
  };
  const expected = [
    ["bad/1.0", 5, "syntax error in commands(): SyntaxError: '(' was never closed; package skipped"],
    ["bad/2.0", 5, "syntax error in commands(): SyntaxError: "],
    ["coded/1.0", 6, "syntax error: SyntaxError: '(' was never closed"],
    ["late/1.0", 6, "syntax error in @late tools(): SyntaxError: '[' was never closed; package skipped"],
    ["pre/1.0", 5, "syntax error in preprocess(): SyntaxError: "],
  ] as const;

  it("is reported by scan with the file's line, also from the cache, and fails any resolve touching it", () => {
    const repo = join(work, "syntax");
    writeTree(repo, files);
    const cache = join(work, "syntax-cache");
    const scan = (env: Record<string, string> = LIMIT): ScanReport => {
      const run = pkg(repo, ["scan", "--json"], cache, env);
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout) as ScanReport;
    };
    const check = (report: ScanReport): void => {
      expect(report.packages).toBe(2);
      const warnings = [...report.warnings].sort((a, b) => a.file.localeCompare(b.file));
      expect(warnings).toHaveLength(expected.length);
      expected.forEach(([at, line, message], i) => {
        expect(warnings[i]).toMatchObject({ file: join(repo, at, "package.py"), line });
        expect((warnings[i] as { message: string }).message.startsWith(message)).toBe(true);
      });
    };
    check(scan());
    // Warm: every answer comes from the cache, so even without Python nothing changes.
    check(scan({ ...LIMIT, PKG_PYTHON: join(work, "no-python") }));

    const text = pkg(repo, ["scan"], cache);
    expect(text.stdout).toContain(`${join(repo, "bad", "1.0", "package.py")}:5: syntax error in commands()`);

    const solve = pkg(repo, ["solve", "app"], cache);
    expect(solve.status).toBe(2);
    expect(solve.stderr).toContain(`${join(repo, "bad", "1.0", "package.py")}:5: syntax error in commands()`);
    expect(solve.stderr).toContain(`${join(repo, "bad", "2.0", "package.py")}:5: syntax error in commands()`);
    expect(solve.stderr).toMatch(/no version of bad could be loaded/);
    expect(solve.stderr).not.toContain("internal error");

    // A fix is seen (the cache is keyed by the file's state).
    writeTree(repo, { "bad/2.0/package.py": "name = 'bad'\nversion = '2.0'\nrequires = []\ndef commands():\n    x = (1 +\n         2)\n" });
    const fixed = pkg(repo, ["solve", "--ni", "app"], cache);
    expect(fixed.stdout).toBe("bad-2.0[]\napp-1.0[]\n");
    expect(fixed.stderr).toContain(`${join(repo, "bad", "1.0", "package.py")}:5:`);
  });

  it("without Python the definition is kept, not cached, and checked once Python is there", () => {
    const repo = join(work, "syntax-nopython");
    writeTree(repo, { "bad/1.0/package.py": files["bad/1.0/package.py"] });
    const cache = join(work, "syntax-nopython-cache");
    const without = pkg(repo, ["list"], cache, { ...LIMIT, PKG_PYTHON: join(work, "no-python") });
    expect(without.stdout).toBe("bad-1.0\n");
    const withPython = pkg(repo, ["list"], cache);
    expect(withPython.stdout).toBe("");
    expect(withPython.stderr).toContain(`${join(repo, "bad", "1.0", "package.py")}:5: syntax error in commands()`);
  });

  it("an error while the commands run names the file's own line", () => {
    const repo = join(work, "syntax-env");
    writeTree(repo, {
      "good/1.0/package.py": files["good/1.0/package.py"],
      "ret/1.0/package.py": "name = 'ret'\nversion = '1.0'\n\ndef commands():\n    env.A = '1'\n\n    return\n",
    });
    const cache = join(work, "syntax-env-cache");
    const run = pkg(repo, ["env", "good", "-c", "true"], cache);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`at ${join(repo, "good", "1.0", "package.py")}:6`);
    // Rez runs a commands() body as a block, so a `return` fails when the commands run, as here, on line 7.
    // package.yaml: the line of the code block's own line, below `commands: |`
    writeTree(repo, { "yml/1.0/package.yaml": "name: yml\nversion: '1.0'\ncommands: |\n  env.A = '1'\n  env.B.append('x'\n" });
    const yml = pkg(repo, ["env", "yml", "-c", "true"], cache);
    expect(yml.status).toBe(1);
    expect(yml.stderr).toContain(`at ${join(repo, "yml", "1.0", "package.yaml")}:5`);
    const ret = pkg(repo, ["env", "ret", "-c", "true"], cache);
    expect(ret.status).toBe(1);
    expect(ret.stderr).toContain("'return' outside function (package.py, line 7)");
    expect(ret.stderr).toContain(`at ${join(repo, "ret", "1.0", "package.py")}:7`);
  });
});
