// `pkg completion bash|zsh|fish`: each script loaded in the real shell and asked for completions of
// commands, options and family names; the family list read from the cache without starting pkg, and made
// again when a repository folder changes.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
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

/** Runs a shell script with pkg's test environment; `withPkg` false leaves pkg off PATH (only the list can answer). */
function shell(name: string, args: readonly string[], script: string, withPkg = true): string {
  const env = { ...isolatedEnv(work), PKG_PACKAGES_PATH: repo, PATH: `${withPkg ? `${bin}:` : ""}${process.env.PATH ?? ""}`, HOME: join(work, "home"), ZDOTDIR: work };
  const run = spawnSync(name, [...args, script], { env, encoding: "utf8", cwd: work });
  expect(run.stderr, `${name} stderr`).toBe("");
  expect(run.status).toBe(0);
  return run.stdout;
}

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== "");

describe.skipIf(!have("bash"))("bash", () => {
  const complete = (line: string, withPkg = true): string[] => {
    const parts = line.split(" ");
    const array = parts.map((p) => `'${p}'`).join(" ");
    return words(shell("bash", ["--norc", "--noprofile", "-c"], `source ${join(work, "pkg.bash")}; COMP_WORDS=(${array}); COMP_CWORD=${parts.length - 1}; _pkg; printf '%s\\n' "\${COMPREPLY[@]}"; complete -p pkg`, withPkg)).filter((w) => !["complete", "-o", "default", "-F", "_pkg", "pkg"].includes(w));
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
  const complete = (line: string, prefix: string, withPkg = true): string[] => {
    const out = words(shell("zsh", ["-f", "-c"], harness(line), withPkg));
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
});

describe.skipIf(!have("fish"))("fish", () => {
  const complete = (line: string, withPkg = true): string[] =>
    shell("fish", ["--no-config", "-c"], `source ${join(work, "pkg.fish")}; complete -C'${line}'`, withPkg)
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\t")[0]!);

  it("commands, options and family names through complete -C", () => {
    expect(complete("pkg sea")).toEqual(["search"]);
    expect(complete("pkg depends --pr")).toEqual(["--print-graph", "--private-build-requires"]);
    expect(complete("pkg search zi")).toEqual(["ziggurat", "zither"]);
    expect(complete("pkg env zi", false)).toEqual(["ziggurat", "zither"]);
  });
});

describe("pkg completion", () => {
  it("an unknown shell or none: a clear error, exit 2", () => {
    for (const args of [["completion", "tcsh"], ["completion"]]) {
      const run = runPkg(work, args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("[PKG0068]");
    }
  });

  it("--families prints the family names and keeps the list", () => {
    const run = runPkg(work, ["-r", repo, "completion", "--families"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split("\n")).toContain("zither");
  });
});
