// Spawns real shells through buildShellInvocation: command mode and interactive mode with startup files.
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RexAction } from "../rex/index.js";
import { buildShellInvocation, findExecutable, getShell, writeInvocationFiles } from "./index.js";
import type { ShellName } from "./index.js";

const work = mkdtempSync(join(tmpdir(), "pkg-invoke-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;

const context: RexAction[] = [
  { type: "setenv", key: "CTX_FOO", value: [{ literal: true, text: "foo 'bar' $x" }] },
  { type: "saferefenv", key: "CTX_LIST" },
  { type: "appendenv", key: "CTX_LIST", value: "/ctx" },
  { type: "alias", name: "ctxalias", command: "printf '[%s]'" },
];

const rcFiles: Record<string, string> = {
  bash: ".bashrc",
  sh: ".profile",
  zsh: ".zshrc",
  csh: ".cshrc",
  tcsh: ".tcshrc",
  fish: ".config/fish/config.fish",
};

function setup(shell: ShellName): { home: string; tmp: string; env: Record<string, string> } {
  const root = join(work, `${shell}-${++n}`);
  const home = join(root, "home");
  const tmp = join(root, "tmp");
  mkdirSync(tmp, { recursive: true });
  const rc = join(home, rcFiles[shell]!);
  mkdirSync(join(rc, ".."), { recursive: true });
  // The user's startup file sees the context (sourced first) and marks that it ran.
  const rcCode = getShell(shell).render([
    { type: "setenv", key: "RC_SAW", value: "${CTX_LIST}" },
    { type: "setenv", key: "CTX_LIST", value: "${CTX_LIST}:/rc" },
  ]);
  writeFileSync(rc, rcCode);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    CTX_LIST: "/parent",
    LANG: "C.UTF-8",
    XDG_CONFIG_HOME: join(home, ".config"),
  };
  return { home, tmp, env };
}

const unixShells: ShellName[] = ["bash", "zsh", "sh", "csh", "tcsh", "fish"];

for (const shell of unixShells) {
  describe.skipIf(findExecutable(shell) === undefined)(`${shell} invocation`, () => {
    it("runs an argv command in the context and returns its exit status", () => {
      const { tmp, env } = setup(shell);
      const r = getShell(shell);
      const inv = buildShellInvocation({
        shell,
        contextCode: r.render(context),
        // Arguments arrive byte for byte: the command itself expands $VAR in the new environment.
        command: ["sh", "-c", 'printf "%s|%s|%s|%s" "$CTX_FOO" "$CTX_LIST" "$REZ_ENV_PROMPT" "$1"; exit 7', "sh", "$CTX_FOO"],
        tmpDir: tmp,
        env,
        norc: true,
      });
      writeInvocationFiles(inv);
      const p = spawnSync(inv.argv[0]!, inv.argv.slice(1), { env: { ...inv.env }, encoding: "utf8" });
      // As in Rez, csh still reads its own startup file before the wrapper (norc only skips ours).
      const list = shell === "csh" || shell === "tcsh" ? "/parent:/rc:/ctx" : "/parent:/ctx";
      expect(p.stdout).toBe(`foo 'bar' $x|${list}|${r.promptLiteral(r.defaultPrompt)}|$CTX_FOO`);
      expect(p.status).toBe(7);
    });

    it("runs a command line with aliases", () => {
      const { tmp, env } = setup(shell);
      const inv = buildShellInvocation({
        shell,
        contextCode: getShell(shell).render(context),
        command: "ctxalias hello",
        tmpDir: tmp,
        env,
        norc: true,
        prompt: false,
      });
      writeInvocationFiles(inv);
      const p = spawnSync(inv.argv[0]!, inv.argv.slice(1), { env: { ...inv.env }, encoding: "utf8" });
      expect(p.stdout).toBe("[hello]");
      expect(p.status).toBe(0);
    });

    it("starts an interactive shell: context, then the user's startup file, prompt, welcome", () => {
      const { home, tmp, env } = setup(shell);
      const inv = buildShellInvocation({
        shell,
        contextCode: getShell(shell).render(context),
        tmpDir: tmp,
        env,
      });
      writeInvocationFiles(inv);
      const dump = join(tmp, "env.out");
      // stdin from a file: fish cannot read commands from the socket node would give it.
      const input = join(tmp, "input");
      writeFileSync(input, `ctxalias x\nenv -0 > ${dump}\nexit 3\n`);
      const fd = openSync(input, "r");
      const p = spawnSync(inv.argv[0]!, inv.argv.slice(1), {
        env: { ...inv.env },
        stdio: [fd, "pipe", "pipe"],
        encoding: "utf8",
        timeout: 20000,
      });
      closeSync(fd);
      const out = spawnSync("cat", [dump], { encoding: "utf8" }).stdout;
      const got: Record<string, string> = {};
      for (const e of out.split("\0")) {
        const i = e.indexOf("=");
        if (i > 0) got[e.slice(0, i)] = e.slice(i + 1);
      }
      expect(p.stdout).toContain("You are now in a pkg-configured environment.");
      expect(p.stdout).toContain("[x]");
      expect(got.CTX_FOO).toBe("foo 'bar' $x");
      expect(got.REZ_ENV_PROMPT).toBe(getShell(shell).promptLiteral(getShell(shell).defaultPrompt));
      expect(got.HOME).toBe(home);
      if (shell === "fish") {
        // fish reads its config first, then the context.
        expect(got.RC_SAW).toBe("/parent");
        expect(got.CTX_LIST).toBe("/parent:/rc:/ctx");
      } else {
        expect(got.RC_SAW).toBe("/parent:/ctx");
        expect(got.CTX_LIST).toBe("/parent:/ctx:/rc");
      }
      expect(p.status).toBe(3);
    });
  });
}

describe("windows shells (generated text)", () => {
  it("cmd: call the wrapper with /C and exit with errorlevel", () => {
    const inv = buildShellInvocation({
      shell: "cmd",
      contextCode: "set FOO=bar\n",
      command: ["echo", "a b"],
      tmpDir: "T",
      env: { PATH: "" },
      executable: "cmd.exe",
    });
    expect(inv.argv).toEqual(["cmd.exe", "/Q", "/C", "call T/rez-shell.bat"]);
    expect(inv.files.map((f) => f.path)).toEqual(["T/context.bat", "T/rez-shell.bat"]);
    expect(inv.files[1]!.content).toBe(
      ["set REZ_ENV_PROMPT=$G", "call T/context.bat", 'echo "a b"', "exit %errorlevel%", ""].join("\n"),
    );
  });

  it("pwsh: -File wrapper, -NoExit when interactive", () => {
    const inv = buildShellInvocation({
      shell: "pwsh",
      contextCode: "",
      tmpDir: "T",
      env: { PATH: "", REZ_ENV_PROMPT: "A" },
      executable: "pwsh",
      quiet: true,
    });
    expect(inv.argv).toEqual(["pwsh", "-NoExit", "-NoLogo", "-File", "T/rez-shell.ps1"]);
    expect(inv.files[1]!.content.split("\n").slice(0, 3)).toEqual([
      'Set-Item -Path "Env:REZ_ENV_PROMPT" -Value "A> `$ "',
      '. "T/context.ps1"',
      'Function prompt {"$Env:REZ_ENV_PROMPT"}',
    ]);
  });
});
