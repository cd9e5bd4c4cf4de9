// Runs generated code in the real shells and compares the resulting environment and output.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RexAction, RexString } from "../rex/index.js";
import { findExecutable, getShell, splitExpandable } from "./index.js";
import type { ShellName } from "./index.js";

const work = mkdtempSync(join(tmpdir(), "pkg-shells-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOME = "/home/tester";
const WHO = `Gary "G" $x \`y\` !z`;
const baseEnv: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME,
  WHO,
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8",
};

let counter = 0;

interface RunResult {
  env: Record<string, string>;
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Render `actions`, append an env dump, run the file with the shell, parse the dump. */
function run(shell: ShellName, actions: readonly RexAction[], extraEnv: Record<string, string> = {}): RunResult {
  const renderer = getShell(shell);
  const dump = join(work, `env-${++counter}.out`);
  const script = join(work, `script-${counter}.${renderer.fileExtension}`);
  const code = renderer.render([...actions, { type: "command", command: `env -0 > ${dump}` }], { homeDir: HOME });
  writeFileSync(script, code);
  const args = shell === "fish" ? ["--no-config", script] : shell === "csh" || shell === "tcsh" ? ["-f", script] : [script];
  const p = spawnSync(shell, args, { env: { ...baseEnv, ...extraEnv }, encoding: "utf8" });
  let env: Record<string, string> = {};
  try {
    env = parseEnv0(readFileSync(dump, "utf8"));
  } catch {
    throw new Error(`${shell} did not finish:\n${code}\n--- stderr:\n${p.stderr}`);
  }
  return { env, stdout: p.stdout, stderr: p.stderr, status: p.status };
}

function parseEnv0(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of text.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** What an expandable part becomes: references from the environment, a leading `~` is the home directory. */
function expectedExpansion(text: string, env: Record<string, string>): string {
  const t = text === "~" || text.startsWith("~/") ? HOME + text.slice(1) : text;
  return splitExpandable(t)
    .map((s) => (s.kind === "ref" ? (env[s.name] ?? "") : s.text))
    .join("");
}

const nastyValues: readonly string[] = [
  "plain",
  "with space",
  "  leading and trailing  ",
  "it's",
  `say "hi"`,
  `mixed 'single' and "double"`,
  "$",
  "a$",
  "$1 $@ $* $$ $? $-",
  "${not a var}",
  "`echo tick`",
  "$(echo sub)",
  "100%",
  "%PATH% %%",
  "wow!",
  "a!b !! !$ !-1",
  "line1\nline2",
  "\n",
  "trailing newline\n",
  "back\\slash",
  "trailing\\",
  "\\n\\t\\\\",
  "a\\!b",
  "back\\\nnewline",
  "tab\there",
  "uni ✓ é 日本 🎉",
  "",
  "-n",
  "-e \\c",
  ";&|<>(){}[]*?#",
  "~",
  "~/x",
  "a ~ b",
  "'",
  '"',
  "\\",
];

const expandableValues: readonly string[] = [
  ...nastyValues,
  "$WHO",
  "${WHO}",
  "hey $WHO!",
  "${WHO}suffix",
  "$WHO[1]",
  "$WHO:h",
  "${WHO}:${WHO}",
  "pre $HOME/x",
  "~/$WHO",
];

const posixShells: ShellName[] = ["bash", "zsh", "sh"];
const allRunShells: ShellName[] = [...posixShells, "csh", "tcsh", "fish"];

for (const shell of allRunShells) {
  const available = findExecutable(shell) !== undefined;
  describe.skipIf(!available)(`${shell} (run)`, () => {
    it("sets literal values byte-for-byte", () => {
      const actions: RexAction[] = nastyValues.map((v, i) => ({
        type: "setenv",
        key: `L_${i}`,
        value: [{ literal: true, text: v }],
      }));
      const { env } = run(shell, actions);
      nastyValues.forEach((v, i) => expect({ i, value: env[`L_${i}`] }).toEqual({ i, value: v }));
    });

    it("sets expandable values with live references", () => {
      const actions: RexAction[] = expandableValues.map((v, i) => ({ type: "setenv", key: `E_${i}`, value: v }));
      const { env } = run(shell, actions);
      expandableValues.forEach((v, i) =>
        expect({ v, value: env[`E_${i}`] }).toEqual({ v, value: expectedExpansion(v, baseEnv) }),
      );
    });

    it("mixes literal and expandable parts", () => {
      const value: RexString = [
        { literal: false, text: "${WHO} " },
        { literal: true, text: "$WHO 'x' \"y\" !\n" },
        { literal: false, text: "-$HOME-" },
        { literal: true, text: "\\" },
      ];
      const { env } = run(shell, [{ type: "setenv", key: "MIX", value }]);
      expect(env.MIX).toBe(`${WHO} $WHO 'x' "y" !\n-${HOME}-\\`);
    });

    it("appends and prepends to set variables, overwrites with setenv, unsets", () => {
      const { env } = run(shell, [
        { type: "setenv", key: "A", value: "/one" },
        { type: "appendenv", key: "A", value: "/two dir" },
        { type: "prependenv", key: "A", value: [{ literal: true, text: "/ze$ro" }] },
        { type: "setenv", key: "B", value: "x" },
        { type: "unsetenv", key: "B" },
        { type: "unsetenv", key: "NEVER_SET" },
        { type: "setenv", key: "C", value: "c" },
        { type: "appendenv", key: "C", value: "d" },
        { type: "setenv", key: "PATH", value: "/pkg/bin" },
        { type: "appendenv", key: "PATH", value: "${INHERITED_PATH}" },
      ], { INHERITED_PATH: baseEnv.PATH! });
      expect(env.A).toBe("/ze$ro:/one:/two dir");
      expect(env.B).toBeUndefined();
      expect(env.C).toBe("c:d");
      expect(env.PATH).toBe(`/pkg/bin:${baseEnv.PATH}`);
    });

    it("appends to inherited (saferef) variables, set or unset in the parent", () => {
      const { env } = run(
        shell,
        [
          { type: "saferefenv", key: "SET_IN_PARENT" },
          { type: "appendenv", key: "SET_IN_PARENT", value: "/b" },
          { type: "saferefenv", key: "UNSET_IN_PARENT" },
          { type: "prependenv", key: "UNSET_IN_PARENT", value: "/a" },
          { type: "saferefenv", key: "CMAKE_MODULE_PATH" },
          { type: "appendenv", key: "CMAKE_MODULE_PATH", value: "/m" },
        ],
        { SET_IN_PARENT: "/parent" },
      );
      expect(env.SET_IN_PARENT).toBe("/parent:/b");
      expect(env.UNSET_IN_PARENT).toBe("/a:");
      // Rez's default env_var_separators apply without options: CMAKE_MODULE_PATH uses ";"
      expect(env.CMAKE_MODULE_PATH).toBe(";/m");
    });

    it("uses per-variable separators", () => {
      const renderer = getShell(shell);
      const code = renderer.render(
        [
          { type: "setenv", key: "S", value: "a" },
          { type: "appendenv", key: "S", value: "b" },
          { type: "prependenv", key: "S", value: "z" },
        ],
        { envVarSeparators: { S: ";" } },
      );
      const { env } = run(shell, [{ type: "command", command: code }]);
      expect(env.S).toBe("z;a;b");
    });

    it("defines aliases that forward arguments", () => {
      const { stdout, status } = run(shell, [
        { type: "alias", name: "greet", command: "printf '<%s>'" },
        { type: "command", command: "greet a 'b c'" },
        { type: "command", command: "printf '\\n'" },
      ]);
      expect(status).toBe(0);
      expect(stdout).toBe("<a><b c>\n");
    });

    it("sources a file and runs argv commands", () => {
      const sourced = join(work, `sourced it's.${getShell(shell).fileExtension}`);
      writeFileSync(sourced, getShell(shell).render([{ type: "setenv", key: "FROM_SOURCE", value: "yes" }]));
      const { env, stdout } = run(shell, [
        { type: "source", path: [{ literal: true, text: sourced }] },
        { type: "command", command: ["printf", "[%s]", [{ literal: true, text: "a $b 'c'" }], "${WHO}"] },
      ]);
      expect(env.FROM_SOURCE).toBe("yes");
      expect(stdout).toBe(`[a $b 'c'][${WHO}]`);
    });

    it("prints info to stdout and error to stderr, byte-for-byte", () => {
      const lines = ["hello", "-n", "back\\slash \\n", "it's \"q\" $x !y %z", "", "ünï"];
      const { stdout, stderr } = run(shell, [
        { type: "info", message: [{ literal: true, text: lines.join("\n") }] },
        { type: "info", message: "who: $WHO" },
        { type: "error", message: [{ literal: true, text: "bad $thing!" }] },
        { type: "comment", text: "comment\nover lines" },
      ]);
      expect(stdout).toBe(lines.join("\n") + `\nwho: ${WHO}\n`);
      expect(stderr).toBe("bad $thing!\n");
    });

    it("resetenv is setenv; shebang is the first line", () => {
      const { env } = run(shell, [
        { type: "shebang" },
        { type: "resetenv", key: "R", value: "r1" },
        { type: "resetenv", key: "R", value: "r2" },
      ]);
      expect(env.R).toBe("r2");
      expect(getShell(shell).render([{ type: "shebang" }], { executable: "/x/sh" })).toBe("#!/x/sh\n");
    });

    it("quote() and join() pass any argument through unchanged, $VAR included", () => {
      const args = nastyValues.filter((v) => v !== "");
      const renderer = getShell(shell);
      const quoted = args.map((a) => renderer.quote(a)).join(" ");
      const joined = renderer.join(["printf", "<%s>", "$WHO", "a b", "${WHO}x", "it's", '"q"', "!", "$", "~"]);
      const { stdout } = run(shell, [
        { type: "command", command: `printf '<%s>' ${quoted}` },
        { type: "command", command: "printf '\\n'" },
        { type: "command", command: joined },
      ]);
      expect(stdout).toBe(
        args.map((a) => `<${a}>`).join("") + "\n" + `<$WHO><a b><\${WHO}x><it's><"q"><!><$><~>`,
      );
    });
  });
}

for (const shell of posixShells) {
  describe.skipIf(findExecutable(shell) === undefined)(`${shell} eval style`, () => {
    it("evaluates the one-line form", () => {
      const code = getShell(shell).render(
        [
          { type: "shebang" },
          { type: "comment", text: "dropped" },
          { type: "setenv", key: "X", value: [{ literal: true, text: "a;b\nc '" }] },
          { type: "appendenv", key: "X", value: "d" },
          { type: "alias", name: "al", command: "echo" },
          { type: "info", message: "ok" },
        ],
        { style: "eval" },
      );
      expect(code).not.toContain("dropped");
      const dump = join(work, `eval-${++counter}.out`);
      const p = spawnSync(shell, ["-c", `eval "$1"; al x; env -0 > ${dump}`, "sh", code], { env: baseEnv, encoding: "utf8" });
      expect(p.stdout).toBe("ok\nx\n");
      expect(parseEnv0(readFileSync(dump, "utf8")).X).toBe("a;b\nc ':d");
    });
  });
}

describe.skipIf(findExecutable("fish") === undefined)("fish eval style", () => {
  it("evaluates the one-line form", () => {
    const code = getShell("fish").render(
      [
        { type: "setenv", key: "X", value: [{ literal: true, text: "a;b\nc '" }] },
        { type: "alias", name: "al", command: "echo" },
        { type: "info", message: "ok" },
      ],
      { style: "eval" },
    );
    const p = spawnSync("fish", ["--no-config", "-c", `eval $argv[1]; al x; printf '%s' $X`, code], {
      env: baseEnv,
      encoding: "utf8",
    });
    expect(p.stdout).toBe("ok\nx\na;b\nc '");
  });
});
