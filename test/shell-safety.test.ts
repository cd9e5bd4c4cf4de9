// Black-box tests: a value or name from one person's package never runs as code in another person's
// shell, in every shell installed here (issue: shell-safe values and names).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "../src/shells/index.js";
import { cliPath, runPkg, writeTree } from "./support/cli.js";

const unixShells = ["bash", "sh", "zsh", "csh", "tcsh", "fish"].filter((s) => findExecutable(s) !== undefined);
let work: string;

/** 40 hostile values; each `touch` lands in CANARY/ if any shell ever runs a value as code. */
function hostileValues(canary: string): string[] {
  const t = (n: number) => `touch ${canary}/${n}`;
  return [
    `"; ${t(0)}; echo "`,
    `'; ${t(1)}; echo '`,
    `$(${t(2)})`,
    `\`${t(3)}\``,
    `; ${t(4)}`,
    `& ${t(5)} &`,
    `| ${t(6)}`,
    `\n${t(7)}\n`,
    `a\r\n${t(8)}`,
    `%PATH% %${t(9)}%`,
    `!! !-1 !${t(10)}`,
    `\\"; ${t(11)}; #`,
    `\\'; ${t(12)}; #`,
    `$HOME \${HOME} $ $$ $? $! $0 $@ $*`,
    `\${HOME:-x} \${HOME:+y} \${#HOME}`,
    `"$(${t(15)})"`,
    `'$(${t(16)})'`,
    `\`\`; ${t(17)}`,
    `{root} {this.name} }{`,
    `~ ~/x ~root`,
    `* ? [a-z] **`,
    `a\tb\tc`,
    `  leading and trailing  `,
    ``,
    `\\`,
    `\\\\n \\t \\\\`,
    `-n`,
    `-e \\x41`,
    `日本語 ünïcödé 🎬 Ω`,
    `(${t(29)})`,
    `{ ${t(30)}; }`,
    `> ${canary}/31`,
    `< /dev/null ${t(32)}`,
    `#{${t(33)}}`,
    `^& ${t(34)}`,
    `$(echo) \`echo\` \${PATH}`,
    `end; ${t(36)}; function x`,
    `endif\n${t(37)}`,
    `"'"'"'${t(38)}'"'"'"`,
    `%% %s %d %n`,
  ];
}

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
  mkdirSync(join(work, "canary"));
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
    "hostile/1/package.py":
      `name = "hostile"\nversion = "1"\ndef commands():\n` +
      hostileValues(join(work, "canary"))
        .map((v, i) => `    env.H${i} = literal(${JSON.stringify(v)})\n` + (/[{}]|\$\{?[A-Za-z_]/.test(v) ? "" : `    env.E${i} = ${JSON.stringify(v)}\n`))
        .join("") +
      `    alias("hostile_alias", ${JSON.stringify(`printf "<%s>" "$H0"`)})\n`,
    ...Object.fromEntries(["a;touch CANARY", "$(touch CANARY)", "a b", "`touch CANARY`"].map((n, i) => [`${n}/1/package.py`, `name = "x${i}"\nversion = "1"\n`])),
    "dashed/1/package.py": `name = "dashed"\nversion = "1"\ndef commands():\n    alias("tool-1.2", "echo tool")\n`,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const DUMP = `process.stdout.write(JSON.stringify({ env: Object.fromEntries(Object.entries(process.env).filter(([k]) => /^[HE][0-9]+$/.test(k))), argv: process.argv.slice(1) }))`;

describe.each(unixShells)("%s: 40 hostile values", (shell) => {
  const values = () => hostileValues(join(work, "canary"));
  const expected = () => {
    const env: Record<string, string> = {};
    values().forEach((v, i) => {
      env[`H${i}`] = v;
      if (!/[{}]|\$\{?[A-Za-z_]/.test(v)) env[`E${i}`] = v;
    });
    return env;
  };
  const noCanary = () => expect(readdirSync(join(work, "canary"))).toEqual([]);

  it("arrive byte for byte in the environment and as arguments after --; nothing else runs", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "hostile", "--", process.execPath, "-e", DUMP, ...values()]);
    expect(r.stderr).toBe("");
    const got = JSON.parse(r.stdout) as { env: Record<string, string>; argv: string[] };
    expect(got.env).toEqual(expected());
    expect(got.argv).toEqual(values());
    noCanary();
  });

  it("arrive byte for byte without arguments (-c), in --print code sourced by the shell, and through an alias", () => {
    const viaC = pkg(["env", "--ni", "--shell", shell, "hostile", "-c", `${process.execPath} -e '${DUMP.replace(/'/g, "\"")}'`]);
    expect((JSON.parse(viaC.stdout) as { env: Record<string, string> }).env).toEqual(expected());
    const printed = pkg(["env", "--ni", "--print", "--format", shell, "hostile"]);
    expect(printed.status).toBe(0);
    const file = join(work, `printed.${shell}`);
    writeFileSync(file, printed.stdout + `\n${process.execPath} -e '${DUMP.replace(/'/g, "\"")}'\n`);
    const sourced = spawnSync(shell, [file], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work } });
    expect((JSON.parse(sourced.stdout) as { env: Record<string, string> }).env).toEqual(expected());
    const alias = pkg(["env", "--ni", "--shell", shell, "hostile", "-c", "hostile_alias"]);
    expect(alias.stdout).toBe(`<${values()[0]}>`);
    noCanary();
  });

  it("a hostile family folder name or request never runs", () => {
    const r = pkg(["env", "--ni", "--shell", shell, "hostile", "--", "true"]);
    expect(r.status).toBe(0);
    const bad = pkg(["env", "--ni", "--shell", shell, "a;touch CANARY", "--", "true"]);
    expect(bad.status).not.toBe(0);
    expect(existsSync(join(work, "CANARY"))).toBe(false);
    noCanary();
  });
});

describe.each(unixShells)("%s: signals", (shell) => {
  it.each(["SIGTERM", "SIGINT"] as const)("%s sent to pkg env reaches the command; pkg removes its context folder and exits with the command's status", async (signal) => {
    const ready = join(work, `ready-${shell}-${signal}`);
    const got = join(work, `got-${shell}-${signal}`);
    const script = `trap 'echo yes > ${got}; exit 3' TERM INT; echo "$REZ_CONTEXT_FILE" > ${ready}.tmp; mv ${ready}.tmp ${ready}; while :; do sleep 0.05; done`;
    const child = spawn(process.execPath, [cliPath, "-r", repo, "env", "--ni", "--shell", shell, "evil", "--", "sh", "-c", script], {
      cwd: work,
      env: { PATH: process.env.PATH ?? "", HOME: join(work, "home"), PKG_CACHE_DIR: join(work, "cache"), PKG_SYSTEM_CONFIG: join(work, "none.toml") },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolveExit) => child.on("close", (code) => resolveExit(code)));
    for (let i = 0; i < 400 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 25));
    const contextFile = readFileSync(ready, "utf8").trim();
    expect(existsSync(contextFile)).toBe(true);
    child.kill(signal);
    expect(await exited).toBe(3);
    expect(readFileSync(got, "utf8")).toBe("yes\n");
    expect(existsSync(dirname(contextFile))).toBe(false);
  });
});

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
