// Shell knowledge lives in the shell plugins: the invocation only puts their start-up in order, the CLI
// names no shell, and a shell pkg does not ship needs no edit of either.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { literal } from "../rex/index.js";
import type { RexAction } from "../rex/index.js";
import { lineAction } from "./base.js";
import { buildShellInvocation, detectSystemPaths, findExecutable, getShell, isShellName, shellNames, writeInvocationFiles } from "./index.js";
import type { InteractiveStartup, StartupRequest } from "./index.js";
import { ShShell } from "./posix.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The registered shell names that occur as words in `text`. */
function shellNamesIn(text: string): string[] {
  return shellNames.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
}

describe("shell knowledge lives in the shell plugins", () => {
  for (const file of ["invocation.ts", "system-paths.ts"]) {
    it(`${file} names no shell and never asks which shell it has`, () => {
      const source = readFileSync(here(`./${file}`), "utf8");
      expect(shellNamesIn(source)).toEqual([]);
      expect(source).not.toMatch(/\bswitch\b|\bfamily\b|\.name\s*[!=]==/);
    });
  }

  it("src/cli names no shell", () => {
    const found = sourceFiles(here("../cli")).flatMap((file) => shellNamesIn(readFileSync(file, "utf8")).map((name) => `${file}: ${name}`));
    expect(found).toEqual([]);
  });
});

/** A shell pkg does not ship: sh's syntax on the system's sh, with a start-up of its own at every step. */
class TestShell extends ShShell {
  override readonly name: string = "pkgtest";
  override readonly defaultPrompt: string = "T>";

  override get executableName(): string {
    return "sh";
  }
  override commandStartup(request: StartupRequest): RexAction[] {
    return [{ type: "setenv", key: "TEST_STARTUP", value: literal(request.norc ? "norc" : "rc") }];
  }
  override interactiveStartup(request: StartupRequest): InteractiveStartup {
    const rc = join(request.tmpDir, "test-start.sh");
    return {
      before: [{ type: "setenv", key: "TEST_RC", value: literal(rc) }],
      args: ["-i", "--test"],
      files: [{ path: rc, content: request.startupScript([lineAction("echo user-rc")]) }],
    };
  }
  override argvCommand(argv: readonly string[], replace: boolean): string {
    return (replace ? "exec " : "") + "env TEST_VIA=argv " + this.join(argv);
  }
  override exitActions(): RexAction[] {
    return [lineAction("exit 42")];
  }
  override scriptArgs(path: string): string[] {
    return ["-e", path];
  }
}

describe("a shell plugin pkg does not ship", () => {
  const work = mkdtempSync(join(tmpdir(), "pkg-startup-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const shell = new TestShell();

  it("is not in the registry", () => {
    expect(isShellName(shell.name)).toBe(false);
  });

  it("runs a command through its own start-up, command line, exit and script arguments", () => {
    const tmp = mkdtempSync(join(work, "cmd-"));
    const inv = buildShellInvocation({
      shell,
      contextCode: shell.render([{ type: "setenv", key: "CTX", value: "ctx" }]),
      command: ["sh", "-c", 'printf "%s|%s|%s|%s" "$CTX" "$TEST_STARTUP" "$TEST_VIA" "$REZ_ENV_PROMPT"'],
      tmpDir: tmp,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work },
    });
    expect(inv.argv.slice(1)).toEqual(["-e", join(tmp, "rez-shell.sh")]);
    writeInvocationFiles(inv);
    const p = spawnSync(inv.argv[0]!, inv.argv.slice(1), { env: { ...inv.env }, encoding: "utf8" });
    expect(p.stderr).toBe("");
    expect(p.stdout).toBe("ctx|rc|argv|T>");
    expect(p.status).toBe(42);
  });

  it("starts an interactive shell through its own startup files", () => {
    const inv = buildShellInvocation({ shell, contextCode: "", tmpDir: "/T", env: { PATH: "", HOME: "/h" }, executable: "/x/sh" });
    expect(inv.argv).toEqual(["/x/sh", "-e", "/T/rez-shell.sh"]);
    expect(inv.files.map((f) => f.path)).toEqual(["/T/context.sh", "/T/test-start.sh", "/T/rez-shell.sh"]);
    const [, start, wrapper] = inv.files.map((f) => f.content.split("\n"));
    expect(wrapper).toEqual([
      "export REZ_ENV_PROMPT=\"${REZ_ENV_PROMPT}\"'T>'",
      "export TEST_RC='/T/test-start.sh'",
      "/x/sh -i --test",
      "exit 42",
      "",
    ]);
    expect(start).toContain(". '/T/context.sh'");
    expect(start).toContain("echo user-rc");
    expect(start).toContain("printf '%s\\n' 'You are now in a pkg-configured environment.'");
  });
});

describe("system paths", () => {
  // fish keeps PATH as a list; every shell must report the same folders a login shell starts with
  for (const name of shellNames) {
    const shell = getShell(name);
    const exe = findExecutable(shell.executableName, process.env.PATH);
    it.skipIf(exe === undefined || shell.systemPathsProbe("m") === undefined)(`${name} reports every folder of its PATH`, () => {
      const paths = detectSystemPaths(shell, { env: { HOME: process.env.HOME } });
      expect(paths.length).toBeGreaterThan(1);
      expect(paths).toContain("/usr/bin");
      expect(paths).toContain("/bin");
      for (const p of paths) expect(p).not.toMatch(/\s/);
    });
  }

  const fish = findExecutable("fish", process.env.PATH);
  it.skipIf(fish === undefined)("fish's PATH list is reported whole and in order", () => {
    const own = spawnSync(fish!, ["--no-config", "-c", 'printf "%s\\n" $PATH'], { env: { HOME: process.env.HOME }, encoding: "utf8" });
    const list = own.stdout.split("\n").filter((p) => p !== "");
    expect(list.length).toBeGreaterThan(1);
    expect(detectSystemPaths(getShell("fish"), { env: { HOME: process.env.HOME } }).slice(0, list.length)).toEqual(list);
  });
});
