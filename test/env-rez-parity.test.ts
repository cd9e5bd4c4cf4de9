// `pkg env --ni REQUEST -- env -0` compared with what Rez 3.4.0's `rez-env --ni REQUEST -- env -0` gave
// for the same repository and parent environment. Every expected value below was observed running Rez.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, writeTree } from "./support/cli.js";

let work: string;
let repo: string;
let home: string;

const has = (program: string): boolean => spawnSync("sh", ["-c", `command -v ${program}`]).status === 0;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-rez-parity-"));
  repo = join(work, "repo");
  home = join(work, "home");
  writeTree(repo, {
    "baz/2.1/package.py": 'name = "baz"\nversion = "2.1"\n',
    "seps/1.0/package.py": `name = "seps"
version = "1.0"

def commands():
    env.CMAKE_MODULE_PATH.append("{root}/cmake")
    env.CMAKE_MODULE_PATH.append("{root}/cmake2")
    env.DOXYGEN_TAGFILES.append("t1")
    env.DOXYGEN_TAGFILES.append("t2")
    env.OTHER_PATH.append("a")
    env.OTHER_PATH.append("b")
`,
    // commands as a string: Rez runs it as Rex code (SourceCode(source=...)).
    "old/1.0/package.py": `name = "old"
version = "1.0"
commands = """
setenv("OLD_STR", "{root}")
env.OLD_ATTR = "{version}"
"""
`,
    "binder/1.0/package.py": `name = "binder"
version = "1.0"
variants = [["baz-2"]]
build_requires = ["b-1"]

def commands():
    env.B_REQUIRES = repr(this.requires)
    env.B_VARIANT_REQUIRES = repr(this.variant_requires)
    env.B_BUILD_REQUIRES = repr(this.build_requires)
    env.B_VARIANTS = repr(this.variants)
    env.B_NONE = repr([this.private_build_requires, this.hashed_variants, this.has_plugins, this.plugin_for,
                       this.timestamp, this.revision, this.changelog, this.uuid, this.relocatable, this.cachable,
                       this.tests, this.vcs, this.previous_version, this.description, this.tools])
    env.B_DEP_REQUIRES = repr(resolve.baz.requires)
    env.B_NAMES = " ".join(r.name for r in this.requires)
    env.B_STR_IN = str("baz-2" in this.requires)
    try:
        this.nonexistent
    except AttributeError as e:
        env.B_MISSING = str(e)
`,
    "talker/1.0/package.py": `name = "talker"
version = "1.0"

def commands():
    env.PATH = "{root}/bin"
    info("talker says hi")
`,
  });
  writeTree(home, {
    ".zshrc": "export FROM_ZSHRC=1\n",
    ".zshenv": "export FROM_ZSHENV=1\n",
    ".cshrc": "setenv FROM_CSHRC 1\n",
    ".tcshrc": "setenv FROM_TCSHRC 1\n",
    ".bashrc": "export FROM_BASHRC=1\n",
    "bashenv.sh": "export FROM_BASH_ENV=1\n",
  });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function envOf(shell: string, request: string[], parent: Record<string, string> = {}): { env: Record<string, string>; out: string; code: number | null; err: string } {
  const r = runPkg(work, ["-r", repo, "env", "--ni", "--shell", shell, ...request, "--", "env", "-0"], {
    HOME: home,
    SHELL: `/bin/${shell}`,
    PKG_STANDARD_SYSTEM_PATHS: "/usr/bin:/bin",
    ...parent,
  });
  const env: Record<string, string> = {};
  for (const item of r.stdout.split("\0")) {
    const i = item.indexOf("=");
    if (i > 0) env[item.slice(0, i).split("\n").pop()!] = item.slice(i + 1);
  }
  return { env, out: r.stdout, code: r.status, err: r.stderr };
}

describe("Rez's env_var_separators defaults", () => {
  it("CMAKE_MODULE_PATH joins with ';' and DOXYGEN_TAGFILES with ' '", () => {
    const { env, code } = envOf("bash", ["seps"]);
    expect(code).toBe(0);
    const root = join(repo, "seps", "1.0");
    expect(env.CMAKE_MODULE_PATH).toBe(`${root}/cmake;${root}/cmake2`);
    expect(env.DOXYGEN_TAGFILES).toBe("t1 t2");
    expect(env.OTHER_PATH).toBe("a:b");
  });
});

describe("this / resolve bindings", () => {
  it("requirement lists are PackageRequest objects; a variant's requires include the variant's; Rez's schema attributes default to None", () => {
    const { env, code, err } = envOf("bash", ["binder"]);
    expect(code, err).toBe(0);
    expect(env.B_REQUIRES).toBe("[PackageRequest('baz-2')]");
    expect(env.B_VARIANT_REQUIRES).toBe("[PackageRequest('baz-2')]");
    expect(env.B_BUILD_REQUIRES).toBe("[PackageRequest('b-1')]");
    expect(env.B_VARIANTS).toBe("[['baz-2']]");
    expect(env.B_NONE).toBe("[None, None, None, None, None, None, None, None, None, None, None, None, None, None, None]");
    expect(env.B_DEP_REQUIRES).toBe("[]");
    expect(env.B_NAMES).toBe("baz");
    expect(env.B_STR_IN).toBe("False");
    expect(env.B_MISSING).toBe("package binder-1.0 has no attribute 'nonexistent'");
  });
});

describe("commands given as a string", () => {
  it("runs as Rex code", () => {
    const { env } = envOf("bash", ["old"]);
    expect(env.OLD_STR).toBe(join(repo, "old", "1.0"));
    expect(env.OLD_ATTR).toBe("1.0");
  });
});

describe("command mode binds the prompt and reads startup files as Rez does", () => {
  it("bash: PS1 exported, BASH_ENV sourced and unset", () => {
    const { env } = envOf("bash", ["baz"], { BASH_ENV: join(home, "bashenv.sh") });
    expect(env.PS1).toBe("\\[\\e[1m\\]>\\[\\e[0m\\] ");
    expect(env.REZ_STORED_PROMPT_SH).toBe("");
    expect(env.REZ_ENV_PROMPT).toBe(">");
    expect(env.BASH_ENV).toBeUndefined();
    expect(env.FROM_BASH_ENV).toBe("1");
    expect(env.FROM_BASHRC).toBeUndefined();
  });

  it("bash: nested prompt keeps the stored one", () => {
    // a non-interactive bash drops the inherited PS1
    const { env } = envOf("bash", ["baz"], { PS1: "my> ", REZ_ENV_PROMPT: "outer", REZ_STORED_PROMPT_SH: "kept" });
    expect(env.REZ_ENV_PROMPT).toBe("outer>");
    expect(env.REZ_STORED_PROMPT_SH).toBe("kept");
    expect(env.PS1).toBe("\\[\\e[1m\\]outer>\\[\\e[0m\\] kept");
  });

  it.skipIf(!has("sh"))("sh: the same prompt as bash", () => {
    const { env } = envOf("sh", ["baz"], { PS1: "my> " });
    expect(env.REZ_STORED_PROMPT_SH).toBe("my> ");
    expect(env.PS1).toBe("\\[\\e[1m\\]>\\[\\e[0m\\] my> ");
  });

  it.skipIf(!has("zsh"))("zsh: ~/.zshrc is sourced, PS1 exported", () => {
    const { env } = envOf("zsh", ["baz"]);
    expect(env.FROM_ZSHRC).toBe("1");
    expect(env.REZ_STORED_PROMPT_SH).toBe("");
    // as Rez: the prompt's `%` is stored escaped for zsh's prompt expansion
    expect(env.REZ_ENV_PROMPT).toBe("%%");
    expect(env.PS1).toBe("%{%B%}%%%{%b%} ");
  });

  it.skipIf(!has("tcsh"))("tcsh: ~/.tcshrc and ~/.cshrc are sourced, the prompt is stored quoted", () => {
    const { env } = envOf("tcsh", ["baz"]);
    expect(env.FROM_TCSHRC).toBe("1");
    expect(env.FROM_CSHRC).toBe("1");
    expect(env.REZ_STORED_PROMPT_CSH).toBe('"[%m %c]%# "');
    const fromEnv = envOf("tcsh", ["baz"], { prompt: "P%" });
    expect(fromEnv.env.REZ_STORED_PROMPT_CSH).toBe('"P%"');
    const stored = envOf("tcsh", ["baz"], { REZ_STORED_PROMPT_CSH: "stored" });
    expect(stored.env.REZ_STORED_PROMPT_CSH).toBe("stored");
  });

  it.skipIf(!has("tcsh"))("tcsh: info() prints after PATH was replaced", () => {
    const { out, err, code } = envOf("tcsh", ["talker"]);
    expect(code).toBe(0);
    expect(out.startsWith("talker says hi\n")).toBe(true);
    expect(err).toBe("");
  });

  it.skipIf(!has("zsh") || !has("tcsh"))("norc: no startup files sourced by the wrapper, but the shell still reads its own", () => {
    const zsh = envOf("zsh", ["--norc", "baz"], { BASH_ENV: join(home, "bashenv.sh") });
    expect(zsh.env.FROM_ZSHRC).toBeUndefined();
    expect(zsh.env.FROM_ZSHENV).toBe("1");
    const tcsh = envOf("tcsh", ["--norc", "baz"]);
    expect(tcsh.env.FROM_TCSHRC).toBe("1");
    expect(tcsh.env.FROM_CSHRC).toBeUndefined();
  });
});
