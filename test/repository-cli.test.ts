// Black-box tests of `pkg list`, `pkg info`, `pkg scan` and the repository options, on real temporary repositories.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarkArchive, cliPath, haveBenchmarkData, runPkg, unprivilegedUser, writeTree, type CliRun } from "./support/cli.js";


let work: string;
let repo1: string;
let repo2: string;

const write = writeTree;

function pkg(args: string[], env: Record<string, string> = {}, cacheDir = join(work, "cache")): CliRun {
  return runPkg(work, args, { ...env, PKG_CACHE_DIR: cacheDir });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-repo-cli-"));
  repo1 = join(work, "repo1");
  repo2 = join(work, "repo2");
  write(repo1, {
    "foo/1.0.0/package.py": [
      "name = 'foo'",
      "version = '1.0.0'",
      "description = 'first foo'",
      "requires = ['bar-1.2+']",
      "variants = [['python-3.10'], ['python-3.11']]",
      "",
      "def commands():",
      "    env.FOO_ROOT = '{root}'",
      "",
    ].join("\n"),
    "foo/2.0.0/package.yaml": "name: foo\nversion: 2.0.0\ndescription: yaml foo\nrequires:\n  - bar\n",
    "bar/1.2/package.py": [
      "import pkg",
      "",
      "def get_package():",
      "    p = pkg.Package('bar', '1.2')",
      "    p.reqs.append('python@>=3.10')",
      "    p.add_tag('library')",
      "    return p",
      "",
    ].join("\n"),
    "python/3.10/package.py": "name = 'python'\nversion = '3.10'\n",
    "python/3.11/package.py": "name = 'python'\nversion = '3.11'\n",
    "python/3.12/package.py": "name = 'python'\nversion = '3.12'\n",
    "python/.ignore3.12": "",
    "broken/1.0/package.py": "name = 'broken'\nversion = '1.0'\nrequires = [\n",
    "broken/2.0/package.yaml": "name: broken\nversion: 2.0\nrequires: [unclosed\n",
    "broken/3.0/package.py": "name = 'broken'\nversion = '3.0'\n",
    "tool/package.py": "name = 'tool'\n",
    ".hidden/1.0/package.py": "name = 'hidden'\n",
    ".toolsets/studio.toml": '[anim]\nversion = "1.0.0"\nrequires = ["foo", "python@>=3.10"]\ntags = ["dcc"]\n',
  });
  write(repo2, {
    "foo/1.0.0/package.py": "name = 'foo'\nversion = '1.0.0'\ndescription = 'second foo'\n",
    "foo/3.0.0/package.py": "name = 'foo'\nversion = '3.0.0'\ndescription = 'newest foo'\n",
    "baz/0.1/package.py": "name = 'baz'\nversion = '0.1'\n",
  });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("pkg list", () => {
  it("list patterns may be requests, as rez-search reads them: a version range on a family glob", () => {
    expect(pkg(["-r", repo1, "-r", repo2, "list", "foo-2"]).stdout).toBe("foo-2.0.0\n");
    expect(pkg(["-r", repo1, "-r", repo2, "list", "foo-2+", "ba*"]).stdout).toBe("bar-1.2\nbaz-0.1\nfoo-2.0.0\nfoo-3.0.0\n");
    expect(pkg(["-r", repo1, "-r", repo2, "list", "FOO-<2"]).stdout).toBe("foo-1.0.0\n");
  });

  it("lists every package of every path, earlier paths hiding the same version", () => {
    const run = pkg(["-r", repo1, "-r", repo2, "list"]);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      "anim-1.0.0",
      "bar-1.2",
      "baz-0.1",
      "broken-3.0",
      "foo-1.0.0",
      "foo-2.0.0",
      "foo-3.0.0",
      "python-3.10",
      "python-3.11",
      "tool",
    ]);
    // broken files are reported, the rest still lists
    expect(run.stderr).toContain(join(repo1, "broken", "1.0", "package.py"));
  });

  it("prints JSON with name, version and uri; filters by pattern, tag and latest", () => {
    const json = JSON.parse(pkg(["list", "--json", "-r", repo1, "--repo", repo2, "f*"]).stdout) as { name: string; version: string; uri: string }[];
    expect(json).toEqual([
      { name: "foo", version: "1.0.0", uri: join(repo1, "foo", "1.0.0", "package.py") },
      { name: "foo", version: "2.0.0", uri: join(repo1, "foo", "2.0.0", "package.yaml") },
      { name: "foo", version: "3.0.0", uri: join(repo2, "foo", "3.0.0", "package.py") },
    ]);
    expect(pkg(["list", "-L", "--paths", [repo1, repo2].join(delimiter), "foo", "PY*"]).stdout).toBe("foo-3.0.0\npython-3.11\n");
    expect(pkg(["list", "-r", repo1, "-t", "toolset"]).stdout).toBe("anim-1.0.0\n");
    expect(pkg(["list", "-r", repo1, "-t", "library"]).stdout).toBe("bar-1.2\n");
  });

  it("finds repositories through PKG_PACKAGES_PATH, REZ_PACKAGES_PATH and the configuration file", () => {
    expect(pkg(["list", "baz"], { PKG_PACKAGES_PATH: repo2, REZ_PACKAGES_PATH: repo1 }).stdout).toBe("baz-0.1\n");
    expect(pkg(["list", "baz"], { REZ_PACKAGES_PATH: repo1 }).stdout).toBe("");
    expect(pkg(["list", "baz"], { PKG_LOCATIONS: `${repo1}${delimiter}${repo2}` }).stdout).toBe("baz-0.1\n");
    const config = join(work, "config.toml");
    writeFileSync(config, `packages_path = [${JSON.stringify(repo2)}]\n`);
    expect(pkg(["list", "baz"], { PKG_CONFIG: config }).stdout).toBe("baz-0.1\n");
  });

  it("reports an invalid configuration naming the file and the key", () => {
    const config = join(work, "bad.toml");
    writeFileSync(config, 'variant_select_mode = "sometimes"\n');
    const run = pkg(["list"], { PKG_CONFIG: config });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(config);
    expect(run.stderr).toContain("variant_select_mode");
  });
});

describe("pkg info", () => {
  it("shows the newest version with every attribute and where it was loaded from", () => {
    const run = pkg(["-r", repo1, "info", "foo"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`loaded from: ${join(repo1, "foo", "2.0.0", "package.yaml")}`);
    expect(run.stdout).toContain("description: yaml foo");
  });

  it("takes a version or a range, and prints JSON or package.py", () => {
    const json = JSON.parse(pkg(["-r", repo1, "-r", repo2, "info", "foo-1.0.0", "--json"]).stdout) as Record<string, unknown> & { attributes: Record<string, unknown> };
    expect(json.file).toBe(join(repo1, "foo", "1.0.0", "package.py"));
    expect(json.attributes.description).toBe("first foo");
    expect(json.attributes.requires).toEqual(["bar-1.2+"]);
    expect(json.attributes.variants).toEqual([["python-3.10"], ["python-3.11"]]);
    expect(pkg(["-r", repo1, "-r", repo2, "info", "foo-1+<3"]).stdout).toContain("version: 2.0.0");
    const py = pkg(["-r", repo1, "info", "foo==1.0.0", "--format", "py"]).stdout;
    expect(py).toContain('requires = ["bar-1.2+"]');
    expect(py).toContain("def commands():");
  });

  it("shows pkg-rs packages and toolsets", () => {
    const bar = JSON.parse(pkg(["-r", repo1, "info", "bar", "--json"]).stdout) as { format: string; pkgrs: { tags: string[] } };
    expect(bar.format).toBe("pkg-rs");
    expect(bar.pkgrs.tags).toContain("library");
    const anim = JSON.parse(pkg(["-r", repo1, "info", "anim", "--json"]).stdout) as { format: string; attributes: { requires: string[] } };
    expect(anim.format).toBe("toolset");
    expect(anim.attributes.requires).toEqual(["foo", "python@>=3.10"]);
  });

  it("fails clearly for an unknown family or version", () => {
    const run = pkg(["-r", repo1, "-r", repo2, "info", "nope"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("'nope'");
    expect(run.stderr).toContain(repo1);
    expect(run.stderr).toContain(repo2);
    const version = pkg(["-r", repo1, "info", "foo-9"]);
    expect(version.status).toBe(2);
    expect(version.stderr).toContain("foo");
  });
});

describe("pkg scan and the cache", () => {
  it("counts families and packages and reports every warning with file and line", () => {
    const cache = join(work, "scan-cache");
    const first = pkg(["-r", repo1, "-r", repo2, "scan", "--json"], {}, cache);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as { families: number; packages: number; warnings: { file: string; line?: number; message: string }[] };
    expect(report.families).toBe(7);
    expect(report.packages).toBe(10);
    const broken = report.warnings.filter((w) => w.file.includes(`${join("broken", "1.0")}`) || w.file.includes(join("broken", "2.0")));
    expect(broken).toHaveLength(2);
    for (const warning of broken) expect(warning.line).toBeGreaterThan(0);
    expect(readdirSync(cache).length).toBeGreaterThan(0);

    // warm: same answer, failed loads come from the cache with their warnings
    const second = JSON.parse(pkg(["-r", repo1, "-r", repo2, "scan", "--json"], {}, cache).stdout) as typeof report;
    expect(second).toEqual(report);
    const text = pkg(["-r", repo1, "-r", repo2, "scan"], {}, cache).stdout;
    expect(text).toContain("7 families, 10 packages");
    expect(text).toMatch(new RegExp(`${join(repo1, "broken", "1.0", "package.py").replace(/[\\/.]/g, "\\$&")}:\\d+: `));
  });

  it("picks up an edited file and never writes with --no-cache", () => {
    const repo = join(work, "edited");
    write(repo, { "ed/1.0/package.py": "name = 'ed'\ndescription = 'before'\n" });
    const cache = join(work, "edit-cache");
    expect(pkg(["-r", repo, "info", "ed"], {}, cache).stdout).toContain("before");
    writeFileSync(join(repo, "ed/1.0/package.py"), "name = 'ed'\ndescription = 'after, and longer'\n");
    expect(pkg(["-r", repo, "info", "ed"], {}, cache).stdout).toContain("after, and longer");
    const none = join(work, "no-cache");
    expect(pkg(["-r", repo, "--no-cache", "info", "ed"], {}, none).status).toBe(0);
    expect(pkg(["-r", repo, "list", "--no-cache"], {}, none).status).toBe(0);
    expect(existsSync(none)).toBe(false);
  });

  it("is shared safely by several pkg processes running at once", async () => {
    const cache = join(work, "shared-cache");
    const env = { ...process.env, HOME: join(work, "home"), XDG_CONFIG_HOME: join(work, "home", ".config"), PKG_CACHE_DIR: cache };
    const once = () =>
      new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, [cliPath, "-r", repo1, "-r", repo2, "scan", "--json"], { env, cwd: work });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("error", fail);
        child.on("close", (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}`))));
      });
    const outputs = await Promise.all([once(), once(), once(), once()]);
    for (const output of outputs) expect(output).toBe(outputs[0]);
    expect(await once()).toBe(outputs[0]);
    const leftovers = readdirSync(join(cache, "definitions"), { recursive: true }).filter((f) => String(f).endsWith(".tmp"));
    expect(leftovers).toEqual([]);
  });

  it("survives a corrupt cache file", () => {
    const cache = join(work, "corrupt-cache");
    pkg(["-r", repo2, "scan"], {}, cache);
    const dir = join(cache, "definitions", readdirSync(join(cache, "definitions"))[0]);
    for (const file of readdirSync(dir)) writeFileSync(join(dir, file), "garbage\n{{{");
    const run = pkg(["-r", repo2, "list"], {}, cache);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("baz-0.1\nfoo-1.0.0\nfoo-3.0.0\n");
  });
});

describe("damaged repositories", () => {
  // Each damage is a warning naming the path; every command goes on with the rest of the repository.
  const user = unprivilegedUser();
  let root: string;
  let repo: string;
  let file: string;
  const run = (args: string[], as = user ?? undefined): CliRun => runPkg(root, args, {}, root, as ? { user: as } : {});
  const scan = (args: string[] = []) => {
    const result = run(["-r", repo, ...args, "scan", "--json"]);
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { families: number; packages: number; warnings: { file: string; message: string }[] };
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "pkg-damaged-"));
    // `nobody` must reach the repository and write its home and cache.
    chmodSync(root, 0o755);
    for (const dir of ["home", "cache"]) {
      mkdirSync(join(root, dir));
      chmodSync(join(root, dir), 0o777);
    }
    repo = join(root, "repo");
    write(repo, {
      "good/1.0/package.py": "name = 'good'\nversion = '1.0'\n",
      "locked/1.0/package.py": "name = 'locked'\nversion = '1.0'\n",
      "locked/2.0/package.py": "name = 'locked'\nversion = '2.0'\n",
      "shut/1.0/package.py": "name = 'shut'\nversion = '1.0'\n",
      "self/2.0/package.py": "name = 'self'\nversion = '2.0'\n",
      "sealed/0.9/package.py": "name = 'sealed'\nversion = '0.9'\n",
      "sealed/1.0/package.py": "name = 'sealed'\nversion = '1.0'\n",
    });
    chmodSync(join(repo, "sealed", "1.0", "package.py"), 0o000);
    symlinkSync(join(repo, "loopb"), join(repo, "loopa"));
    symlinkSync(join(repo, "loopa"), join(repo, "loopb"));
    mkdirSync(join(repo, "self", "1.0"));
    symlinkSync("package.py", join(repo, "self", "1.0", "package.py"));
    chmodSync(join(repo, "locked", "2.0"), 0o000);
    chmodSync(join(repo, "shut"), 0o000);
    file = join(root, "not-a-repo.txt");
    writeFileSync(file, "hello\n");
  });

  afterAll(() => {
    if (!root) return;
    for (const dir of [join(repo, "locked", "2.0"), join(repo, "shut")]) chmodSync(dir, 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  it("warns about a symlink loop between families and a package.py linked to itself", () => {
    const report = scan();
    const about = (path: string) => report.warnings.filter((w) => w.file === path).map((w) => w.message);
    expect(about(join(repo, "loopa"))).toEqual([expect.stringContaining("symbolic link loop")]);
    expect(about(join(repo, "loopb"))).toEqual([expect.stringContaining("symbolic link loop")]);
    expect(about(join(repo, "self", "1.0", "package.py"))).toEqual([expect.stringContaining("symbolic link loop")]);
    const listed = run(["-r", repo, "list"]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("good-1.0\n");
    expect(listed.stdout).toContain("self-2.0\n");
    expect(listed.stderr).toContain(`${join(repo, "loopa")}: cannot read the family folder: symbolic link loop`);
    expect(listed.stderr).not.toContain("internal error");
    const solved = run(["-r", repo, "solve", "self", "good"]);
    expect(solved.status, solved.stderr).toBe(0);
    expect(solved.stdout).toBe("self-2.0[]\ngood-1.0[]\n");
    expect(solved.stderr).toContain(join(repo, "self", "1.0", "package.py"));
    const env = run(["-r", repo, "env", "--ni", "self", "--", "true"]);
    expect(env.status, env.stderr).toBe(0);
    expect(env.stderr).toContain(join(repo, "self", "1.0", "package.py"));
    const loop = run(["-r", repo, "solve", "loopa"]);
    expect(loop.status).toBe(2);
    expect(loop.stderr).toContain(`${join(repo, "loopa")}: cannot read the family folder: symbolic link loop`);
    expect(loop.stderr).not.toContain("internal error");
  });

  it.skipIf(user === null)("warns about a version folder and a family folder it cannot read (run as nobody under root)", () => {
    const report = scan();
    const about = (path: string) => report.warnings.filter((w) => w.file === path).map((w) => w.message);
    expect(about(join(repo, "locked", "2.0"))).toEqual([expect.stringContaining("permission denied")]);
    expect(about(join(repo, "shut"))).toEqual([expect.stringContaining("permission denied")]);
    const listed = run(["-r", repo, "list", "l*", "g*", "sh*", "self"]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toBe("good-1.0\nlocked-1.0\nself-2.0\n");
    expect(listed.stderr).toContain(`${join(repo, "locked", "2.0")}: cannot read the version folder: permission denied`);
    expect(listed.stderr).toContain(`${join(repo, "shut")}: cannot read the family folder: permission denied`);
    const solved = run(["-r", repo, "solve", "locked"]);
    expect(solved.status, solved.stderr).toBe(0);
    expect(solved.stdout).toBe("locked-1.0[]\n");
    expect(solved.stderr).toContain(join(repo, "locked", "2.0"));
    const env = run(["-r", repo, "env", "--ni", "locked", "--", "true"]);
    expect(env.status, env.stderr).toBe(0);
    expect(env.stderr).toContain(join(repo, "locked", "2.0"));
    const shut = run(["-r", repo, "solve", "shut"]);
    expect(shut.stderr).toContain(`${join(repo, "shut")}: cannot read the family folder: permission denied`);
    expect(shut.stderr).not.toContain("internal error");
  });

  it.skipIf(user === null)("warns about a package file it cannot read, and reads it once it can (nothing stale in the cache)", () => {
    const sealed = join(repo, "sealed", "1.0", "package.py");
    const report = scan();
    expect(report.warnings.filter((w) => w.file === sealed).map((w) => w.message)).toEqual(["cannot read the package file: permission denied; skipped"]);
    const before = run(["-r", repo, "solve", "sealed"]);
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toBe("sealed-0.9[]\n");
    expect(before.stderr).toContain(`${sealed}: cannot read the package file: permission denied`);
    chmodSync(sealed, 0o644);
    const after = run(["-r", repo, "solve", "sealed"]);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).toBe("sealed-1.0[]\n");
    expect(after.stderr).toBe("");
  });

  it("a resolve that met a broken package file is not reused once the file is mended", () => {
    const mended = join(root, "mended");
    write(mended, { "fix/1.0/package.py": "name = 'fix'\n", "fix/2.0/package.py": "name = 'fix'\nrequires = [\n" });
    const before = run(["-r", mended, "solve", "fix"]);
    expect(before.stdout).toBe("fix-1.0[]\n");
    expect(before.stderr).toContain(join(mended, "fix", "2.0", "package.py"));
    expect(run(["-r", mended, "solve", "fix"]).stderr).toContain(join(mended, "fix", "2.0", "package.py"));
    writeFileSync(join(mended, "fix", "2.0", "package.py"), "name = 'fix'\n");
    const after = run(["-r", mended, "solve", "fix"]);
    expect(after.stdout).toBe("fix-2.0[]\n");
    expect(after.stderr).toBe("");
  });

  it("-r naming a file is bad input (exit 2), also beside a valid repository", () => {
    for (const args of [["-r", file, "list"], ["-r", repo, "-r", file, "list"], ["scan", "-r", file], ["solve", "good", "-r", repo, "-r", file], ["--paths", `${repo}${delimiter}${file}`, "list"]]) {
      const result = run(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(`${file}: not a folder`);
      expect(result.stderr).toContain("hint: give the repository folder");
    }
    const env = run(["-r", file, "env", "--ni", "good", "--", "true"]);
    expect(env.status).toBe(2);
    expect(env.stderr).toContain(`${file}: not a folder`);
  });

  it("a configured repository that is a file, or that cannot be read, is one warning and the others still list", () => {
    const closed = join(root, "closed");
    mkdirSync(join(closed, "hidden", "1.0"), { recursive: true });
    writeFileSync(join(closed, "hidden", "1.0", "package.py"), "name = 'hidden'\n");
    chmodSync(closed, user === undefined ? 0o000 : 0o700);
    try {
      const result = runPkg(root, ["list", "g*"], { PKG_PACKAGES_PATH: [file, closed, repo].join(delimiter) }, root, user ? { user } : {});
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe("good-1.0\n");
      const warnings = result.stderr.split("\n").filter((line) => line.startsWith("pkg: warning:") && !line.includes(repo));
      expect(warnings).toEqual([
        `pkg: warning: ${file}: cannot read the repository folder: not a folder; skipped`,
        ...(user === null ? [] : [`pkg: warning: ${closed}: cannot read the repository folder: permission denied; skipped`]),
      ]);
    } finally {
      chmodSync(closed, 0o755);
    }
  });

  it("a 300-character request name is bad input (exit 2)", () => {
    const name = "a".repeat(300);
    for (const args of [["solve", name], ["env", "--ni", name, "--", "true"], ["env", "--ni", `~${name}-1+`, "good", "--", "true"], ["run", name]]) {
      const result = run(["-r", repo, ...args]);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toContain("the package name is 300 characters long; a package name has at most 255");
      expect(result.stderr).not.toContain("internal error");
    }
    const info = run(["-r", repo, "info", name]);
    expect(info.status).toBe(2);
    expect(info.stderr).toContain("not found");
  });

  it("a family whose every package file failed to load says so instead of 'not found'", () => {
    const broken = join(root, "broken-repo");
    writeTree(broken, { "badyaml/1.0/package.yaml": "name: badyaml\nversion: [1\n", "badyaml/2.0/package.py": "name = 'badyaml'\nrequires = [\n" });
    const result = runPkg(root, ["-r", broken, "solve", "badyaml"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`pkg: error: no version of badyaml could be loaded: every package file of it failed to load, or it has none (searched: ${broken}) [PKG0006]`);
    expect(result.stderr).toContain(join(broken, "badyaml/2.0/package.py"));
  });

  it("pkg list with -r naming no folder, or with no repository at all, is bad input (exit 2)", () => {
    const missing = run(["-r", join(root, "nowhere"), "list"]);
    expect([missing.status, missing.stdout]).toEqual([2, ""]);
    expect(missing.stderr).toContain(`-r ${join(root, "nowhere")}: no such folder [PKG0025]`);
    const empty = join(root, "empty-cwd");
    mkdirSync(empty, { recursive: true });
    const none = runPkg(empty, ["list"], { HOME: join(root, "no-home") });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("no package repository found (searched: ");
    expect(none.stderr).toContain("hint: give one with -r DIR");
  });

  it("packages path entries are type@location: filesystem@ is a path, memory@ an empty repository, an unknown type exit 2", () => {
    const typed = run(["--paths", [`filesystem@${repo}`, "memory@scratch"].join(delimiter), "solve", "good"]);
    expect(typed.status, typed.stderr).toBe(0);
    expect(typed.stdout).toContain("good-1.0");
    const memory = run(["-r", "memory@scratch", "solve", "good"]);
    expect(memory.status).toBe(2);
    expect(memory.stderr).toContain("package family not found: good (searched: memory@scratch)");
    for (const args of [["-r", "svn@server/repo", "solve", "good"], ["-r", "svn@server/repo", "env", "--ni", "good", "--", "true"], ["-r", "svn@server/repo", "list"]]) {
      const result = run(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toContain("unknown repository type 'svn' in packages path entry 'svn@server/repo' [PKG0033]");
      expect(result.stderr).toContain("hint: known types: filesystem, memory");
    }
  });
});

const haveData = haveBenchmarkData("listing Rez's benchmark repository");

describe.skipIf(!haveData)("Rez benchmark repository", () => {
  let packages: string;
  beforeAll(() => {
    const dir = join(work, "bench");
    mkdirSync(dir);
    const tar = spawnSync("tar", ["xzf", benchmarkArchive, "-C", dir]);
    expect(tar.status).toBe(0);
    packages = join(dir, "packages");
  });

  it("lists all 18,226 packages of 1,266 families", () => {
    const run = pkg(["-r", packages, "list", "--json"], {}, join(work, "bench-cache"));
    expect(run.status).toBe(0);
    const list = JSON.parse(run.stdout) as { name: string; version: string; uri: string }[];
    expect(list).toHaveLength(18226);
    expect(new Set(list.map((p) => p.name)).size).toBe(1266);
    expect(run.stderr).toBe("");
  });

  it("shows families as their files say", () => {
    for (const family of ["ATM", "adverb", "zoo"]) {
      const versions = readdirSync(join(packages, family));
      const info = JSON.parse(pkg(["-r", packages, "info", family, "--json"], {}, join(work, "bench-cache")).stdout) as {
        version: string;
        file: string;
        attributes: { requires?: string[]; timestamp: number };
      };
      expect(versions).toContain(info.version);
      const text = readFileSync(info.file, "utf8");
      expect(text).toContain(`version = '${info.version}'`);
      expect(text).toContain(`timestamp = ${info.attributes.timestamp}`);
      for (const requirement of info.attributes.requires ?? []) expect(text).toContain(`'${requirement}'`);
    }
  });
});
