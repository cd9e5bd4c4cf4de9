// `pkg completion bash|zsh|fish`: each script loaded in the real shell and asked for completions of
// commands, options and family names; the family list read from the cache without starting pkg, and made
// again when a repository folder or a configuration file changes.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runPkg, writeTree } from "./support/cli.js";

let work: string;
let repo: string;
let bin: string;

function have(shell: string): boolean {
  const found = spawnSync(shell, ["-c", "exit 0"]).status === 0;
  if (!found) console.log(`skipping the ${shell} completion tests: no ${shell} on PATH`);
  return found;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-completion-"));
  repo = join(work, "repo");
  writeTree(repo, {
    "zither/1.0/package.py": "name = 'zither'\nversion = '1.0'\n",
    "ziggurat/1.0/package.py": "name = 'ziggurat'\nversion = '1.0'\n",
    "alpha/1.0/package.py": "name = 'alpha'\nversion = '1.0'\n",
  });
  // `pkg` on PATH, as the scripts call it
  bin = join(work, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "pkg"), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(join(bin, "pkg"), 0o755);
  for (const shell of ["bash", "zsh", "fish"]) {
    const made = runPkg(work, ["completion", shell], { PKG_PACKAGES_PATH: repo });
    expect(made.status, made.stderr).toBe(0);
    writeFileSync(join(work, `pkg.${shell}`), made.stdout);
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Runs a shell script with pkg's test environment; `withPkg` false leaves pkg off PATH (only the list can
 * answer); `fromConfig` leaves PKG_PACKAGES_PATH unset (the package paths come from the configuration files).
 */
/** Variables a test adds to every shell it runs (reset by the test). */
let extraEnv: Record<string, string> = {};

function shell(name: string, args: readonly string[], script: string, withPkg = true, fromConfig = false, cwd = work): string {
  const env = {
    ...isolatedEnv(work),
    ...(fromConfig ? {} : { PKG_PACKAGES_PATH: repo }),
    ...extraEnv,
    PATH: `${withPkg ? `${bin}:` : ""}${process.env.PATH ?? ""}`,
    HOME: join(work, "home"),
    ZDOTDIR: work,
  };
  const run = spawnSync(name, [...args, script], { env: { ...env, PWD: cwd }, encoding: "utf8", cwd });
  expect(run.stderr, `${name} stderr`).toBe("");
  expect(run.status).toBe(0);
  return run.stdout;
}

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== "");

type Complete = (line: string, withPkg?: boolean, fromConfig?: boolean, cwd?: string) => string[];

/**
 * packages_path set in the configuration files: the list follows a change to pkg's config file (the list
 * dated before the change whatever the clock's resolution, the repository folders long before), the file
 * going away (then the working folder's ./repo, followed from folder to folder), a ~/.rezconfig coming
 * into being, and a relative PKG_PACKAGES_PATH entry (followed from folder to folder).
 */
function followsConfigFiles(complete: Complete): void {
  const userConfig = join(work, "home", ".config", "pkg", "config.toml");
  const rezConfig = join(work, "home", ".rezconfig");
  const list = join(work, "cache", "completion", "families");
  const ago = (seconds: number): Date => new Date(Date.now() - seconds * 1000);
  writeTree(work, {
    "conf-a/quill/1.0/package.py": "name = 'quill'\nversion = '1.0'\n",
    "conf-b/quince/1.0/package.py": "name = 'quince'\nversion = '1.0'\n",
    "elsewhere/repo/quokka/1.0/package.py": "name = 'quokka'\nversion = '1.0'\n",
  });
  for (const dir of ["conf-a", "conf-b"]) utimesSync(join(work, dir), ago(3600), ago(3600));
  rmSync(join(work, "cache", "completion"), { recursive: true, force: true });
  rmSync(rezConfig, { force: true });
  try {
    writeTree(work, { "home/.config/pkg/config.toml": `packages_path = [${JSON.stringify(join(work, "conf-a"))}]\n` });
    expect(complete("pkg search qu", true, true)).toEqual(["quill"]);
    expect(complete("pkg search qu", false, true)).toEqual(["quill"]);
    writeTree(work, { "home/.config/pkg/config.toml": `packages_path = [${JSON.stringify(join(work, "conf-b"))}]\n` });
    utimesSync(list, ago(10), ago(10));
    expect(complete("pkg search qu", true, true)).toEqual(["quince"]);
    expect(complete("pkg search qu", false, true)).toEqual(["quince"]);
    // no configuration left: ./repo of the working folder
    rmSync(userConfig);
    expect(complete("pkg search zi", true, true)).toEqual(["ziggurat", "zither"]);
    expect(complete("pkg search zi", false, true)).toEqual(["ziggurat", "zither"]);
    expect(complete("pkg search qu", true, true, join(work, "elsewhere"))).toEqual(["quokka"]);
    expect(complete("pkg search qu", false, true, join(work, "elsewhere"))).toEqual(["quokka"]);
    expect(complete("pkg search zi", true, true)).toEqual(["ziggurat", "zither"]);
    writeTree(work, { "home/.rezconfig": `packages_path:\n  - ${join(work, "conf-a")}\n` });
    expect(complete("pkg search qu", true, true)).toEqual(["quill"]);
    expect(complete("pkg search qu", false, true)).toEqual(["quill"]);
    // a relative PKG_PACKAGES_PATH entry is followed from folder to folder too
    rmSync(rezConfig);
    extraEnv = { PKG_PACKAGES_PATH: "repo" };
    expect(complete("pkg search zi", true, true)).toEqual(["ziggurat", "zither"]);
    expect(complete("pkg search qu", true, true, join(work, "elsewhere"))).toEqual(["quokka"]);
    expect(complete("pkg search qu", false, true, join(work, "elsewhere"))).toEqual(["quokka"]);
    expect(complete("pkg search zi", true, true)).toEqual(["ziggurat", "zither"]);
  } finally {
    extraEnv = {};
    rmSync(userConfig, { force: true });
    rmSync(rezConfig, { force: true });
    rmSync(join(work, "cache", "completion"), { recursive: true, force: true });
  }
}

describe.skipIf(!have("bash"))("bash", () => {
  const complete: Complete = (line, withPkg = true, fromConfig = false, cwd = work) => {
    const parts = line.split(" ");
    const array = parts.map((p) => `'${p}'`).join(" ");
    return words(shell("bash", ["--norc", "--noprofile", "-c"], `source ${join(work, "pkg.bash")}; COMP_WORDS=(${array}); COMP_CWORD=${parts.length - 1}; _pkg; printf '%s\\n' "\${COMPREPLY[@]}"; complete -p pkg`, withPkg, fromConfig, cwd)).filter((w) => !["complete", "-o", "default", "-F", "_pkg", "pkg"].includes(w));
  };

  it("commands, global options, a command's options", () => {
    expect(complete("pkg sea")).toEqual(["search"]);
    expect(complete("pkg co").sort()).toEqual(["completion", "config", "context"]);
    expect(complete("pkg --pa")).toEqual(["--paths"]);
    expect(complete("pkg depends --pr")).toEqual(["--private-build-requires", "--print-graph"]);
    expect(complete("pkg -r /x search --la")).toEqual(["--latest"]);
  });

  it("family names from the list in the cache, made again when a repository folder changes", () => {
    rmSync(join(work, "cache", "completion"), { recursive: true, force: true });
    expect(complete("pkg search zi")).toEqual(["ziggurat", "zither"]); // makes the list (runs pkg)
    expect(complete("pkg env z", false)).toEqual(["ziggurat", "zither"]); // the list alone
    expect(complete("pkg depends a", false)).toEqual(["alpha"]);
    mkdirSync(join(repo, "zebra", "1.0"), { recursive: true });
    writeFileSync(join(repo, "zebra", "1.0", "package.py"), "name = 'zebra'\nversion = '1.0'\n");
    // the list older than the repository folder, whatever the clock's resolution
    const earlier = new Date(Date.now() - 10_000);
    utimesSync(join(work, "cache", "completion", "families"), earlier, earlier);
    expect(complete("pkg search ze")).toEqual(["zebra"]);
    expect(complete("pkg search ze", false)).toEqual(["zebra"]);
  });

  it("family names of the package paths set in configuration files, made again when they change", () => followsConfigFiles(complete));
});

describe.skipIf(!have("zsh"))("zsh", () => {
  // compsys's own functions need a completion widget: stand-ins print what _pkg hands them
  const harness = (line: string): string => {
    const parts = line.split(" ");
    return [
      "autoload -U compinit && compinit -u -d $ZDOTDIR/.zcompdump",
      `source ${join(work, "pkg.zsh")}`,
      "print -r -- \"compdef: $_comps[pkg]\"",
      'compadd() { local a; for a in "$@"; do [[ $a == -a ]] && { shift; print -rl -- "${(@P)1}"; return; }; shift; done }',
      '_describe() { print -rl -- "${(@P)4%%:*}" }',
      "_files() { print -r -- '(files)' }",
      `words=(${parts.map((p) => `'${p}'`).join(" ")}); CURRENT=${parts.length}`,
      "_pkg",
    ].join("\n");
  };
  const complete = (line: string, prefix: string, withPkg = true, fromConfig = false, cwd = work): string[] => {
    const out = words(shell("zsh", ["-f", "-c"], harness(line), withPkg, fromConfig, cwd));
    expect(out.slice(0, 2)).toEqual(["compdef:", "_pkg"]);
    return out.slice(2).filter((w) => w.startsWith(prefix));
  };

  it("registers with compdef; commands, options and family names", () => {
    expect(complete("pkg sea", "sea")).toEqual(["search"]);
    expect(complete("pkg depends --pr", "--pr")).toEqual(["--private-build-requires", "--print-graph"]);
    expect(complete("pkg search zi", "zi")).toEqual(["ziggurat", "zither"]);
    expect(complete("pkg view zi", "zi", false)).toEqual(["ziggurat", "zither"]);
    expect(complete("pkg context x", "(")).toEqual(["(files)"]);
  });

  it("family names of the package paths set in configuration files, made again when they change", () =>
    followsConfigFiles((line, withPkg, fromConfig, cwd) => complete(line, line.split(" ").at(-1)!, withPkg, fromConfig, cwd)));
});

describe.skipIf(!have("fish"))("fish", () => {
  const complete: Complete = (line, withPkg = true, fromConfig = false, cwd = work) =>
    shell("fish", ["--no-config", "-c"], `source ${join(work, "pkg.fish")}; complete -C'${line}'`, withPkg, fromConfig, cwd)
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\t")[0]!);

  it("commands, options and family names through complete -C", () => {
    expect(complete("pkg sea")).toEqual(["search"]);
    expect(complete("pkg depends --pr")).toEqual(["--print-graph", "--private-build-requires"]);
    expect(complete("pkg search zi")).toEqual(["ziggurat", "zither"]);
    expect(complete("pkg env zi", false)).toEqual(["ziggurat", "zither"]);
  });

  it("family names of the package paths set in configuration files, made again when they change", () => followsConfigFiles(complete));
});

describe("pkg completion", () => {
  it("an unknown shell or none: a clear error, exit 2", () => {
    for (const args of [["completion", "tcsh"], ["completion"]]) {
      const run = runPkg(work, args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("[PKG0068]");
    }
  });

  it("--families prints the family names; the list the scripts read is kept for the configured paths only", () => {
    const list = join(work, "cache", "completion", "families");
    rmSync(list, { force: true });
    const run = runPkg(work, ["-r", repo, "completion", "--families"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split("\n")).toContain("zither");
    expect(existsSync(list)).toBe(false);
    const configured = runPkg(work, ["completion", "--families"], { PKG_PACKAGES_PATH: repo });
    expect(configured.stdout.split("\n")).toContain("zither");
    const text = readFileSync(list, "utf8");
    expect(text).toContain(`\nrepo ${repo}\n`);
    expect(text).toContain(`\nnoconf ${join(work, "home", ".config", "pkg", "config.toml")}\n`);
    expect(text).toContain(`\nnoconf ${join(work, "home", ".rezconfig")}\n`);
  });

  it("--families --json prints {families}; --json without --families is bad input", () => {
    const run = runPkg(work, ["-r", repo, "completion", "--families", "--json"]);
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { families: string[] }).families).toContain("zither");
    const bad = runPkg(work, ["completion", "bash", "--json"]);
    expect(bad.status).toBe(2);
    expect((JSON.parse(bad.stdout) as { error: { code: string; message: string } }).error).toMatchObject({ code: "PKG0002", message: "--json goes with --families: a completion script is shell code" });
  });
});
