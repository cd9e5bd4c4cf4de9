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

// Rex calls whose variable or alias name would run code, or stop a shell half-way, if written as is.
const badNames: readonly (readonly [call: string, shown: string])[] = [
  [`setenv("A;touch PWNED;B", "v")`, `"A;touch PWNED;B"`],
  [`setenv("A\\ntouch PWNED", "v")`, `"A\\ntouch PWNED"`],
  [`setenv("A$(touch PWNED)", "v")`, `"A$(touch PWNED)"`],
  ["setenv(\"A`touch PWNED`\", \"v\")", "\"A`touch PWNED`\""],
  [`setenv("A-B", "v")`, `"A-B"`],
  [`env.PATH.append("x") or appendenv("1X", "v")`, `"1X"`],
  [`unsetenv("A B")`, `"A B"`],
  [`alias("a;touch PWNED", "echo")`, `"a;touch PWNED"`],
];
let repo: string;

function pkg(args: readonly string[]) {
  return runPkg(work, ["-r", repo, ...args], { PKG_STANDARD_SYSTEM_PATHS: "/usr/bin:/bin", ...(process.env.PKG_PYTHON ? { PKG_PYTHON: process.env.PKG_PYTHON } : {}) });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-shell-safety-"));
  repo = join(work, "repo");
  writeTree(repo, {
    "evil/1/package.py": `name = "evil"\nversion = "1"\ndef commands():\n    env.EVIL = literal('"; touch ${work}/pwned; echo "')\n`,
    ...Object.fromEntries(
      badNames.map(([call], i) => [`badname${i}/1/package.py`, `name = "badname${i}"\nversion = "1"\ndef commands():\n    env.GOOD = "1"\n    ${call}\n`]),
    ),
    "badrs/1/package.py":
      `from pkg import Package, Env, Evar\n\ndef get_package():\n    p = Package("badrs", "1")\n    e = Env("default")\n` +
      `    e.add(Evar("X;touch ${work}/pwned-rs;Y", "v", "set"))\n    p.add_env(e)\n    return p\n`,
    "unsetref/1/package.py": `name = "unsetref"\nversion = "1"\ndef commands():\n    env.A = "x\${PKG_TEST_UNSET}y"\n    env.B = "after"\n    info("i\${PKG_TEST_UNSET}j")\n`,
    "missingsource/1/package.py": `name = "missingsource"\nversion = "1"\ndef commands():\n    source("${work}/no-such-file")\n    env.B = "after"\n`,
    "long/1/package.py": `name = "long"\nversion = "1"\ndef commands():\n    env.LONG = "${"x".repeat(20000)}"\n`,
    "dashed/1/package.py": `name = "dashed"\nversion = "1"\ndef commands():\n    alias("tool-1.2", "echo tool")\n`,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(unixShells)("%s", (shell) => {
  it.each(badNames.map(([, shown], i) => [shown, i] as const))("a name like %s is an error naming the package, the file and the name; nothing runs", (shown, i) => {
    const r = pkg(["env", "--ni", "--shell", shell, `badname${i}`, "--", "touch", join(work, "ran")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Error in commands in package`);
    expect(r.stderr).toContain(join(repo, `badname${i}`, "1", "package.py"));
    expect(r.stderr).toContain(shown);
    expect(existsSync(join(work, "ran"))).toBe(false);
    expect(existsSync(join(work, "PWNED"))).toBe(false);
  });

  it("a reference to an unset variable expands to nothing, as in bash (csh would stop the setup)", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "unsetref", "--", "sh", "-c", 'printf "<%s><%s>" "$A" "$B"']);
    expect(r.stdout).toBe("ij\n<xy><after>");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("a setup script that stops half-way stops the command, with exit 1 and the reason", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "missingsource", "--", "touch", join(work, "ran-after-failed-setup")]);
    if (shell === "csh" || shell === "tcsh" || shell === "sh") {
      // csh and dash stop at the missing file; so does everything after it
      expect(r.status).not.toBe(0);
      expect(existsSync(join(work, "ran-after-failed-setup"))).toBe(false);
      if (shell === "tcsh") expect(r.stderr).toContain("pkg: the environment setup stopped before its end");
    } else {
      // bash, zsh and fish report the missing file and go on with the rest of the setup, as in Rez
      expect(r.stderr).toContain("no-such-file");
      rmSync(join(work, "ran-after-failed-setup"), { force: true });
    }
  });

  it("a value the shell cannot carry is an error naming the variable; nothing runs", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "long", "--", "sh", "-c", 'printf "%s" "$LONG" | wc -c']);
    if (shell === "csh") {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("LONG is 20000 bytes");
      expect(r.stdout).toBe("");
    } else {
      expect(r.stdout.trim()).toBe("20000");
      expect(r.status).toBe(0);
    }
  });

  it("a pkg-rs Evar name is checked the same way", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "badrs", "--", "touch", join(work, "ran")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("badrs");
    expect(r.stderr).toContain(join(repo, "badrs", "1", "package.py"));
    expect(existsSync(join(work, "ran"))).toBe(false);
    expect(existsSync(join(work, "pwned-rs"))).toBe(false);
  });

  it("an alias name with '-' and '.' works where the shell can define it, else is an error before anything runs", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "dashed", "-c", "tool-1.2"]);
    if (shell === "sh") {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('"tool-1.2"');
    } else {
      expect(r.stdout).toBe("tool\n");
      expect(r.status).toBe(0);
    }
  });

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
