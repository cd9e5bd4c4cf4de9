// Black-box tests of `pkg release`: a package in a temporary git repository whose origin is a bare
// repository in the same temporary folder; releases into a temporary release path.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg, writeTree, type CliRun } from "./support/cli.js";

let top: string;
let count = 0;

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), "pkg-release-"));
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

const IDENTITY = { GIT_AUTHOR_NAME: "tester", GIT_AUTHOR_EMAIL: "a@b.c", GIT_COMMITTER_NAME: "tester", GIT_COMMITTER_EMAIL: "a@b.c" };

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...IDENTITY } });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

interface Fixture {
  readonly work: string;
  readonly src: string;
  readonly rel: string;
  readonly remote: string;
  release(args?: readonly string[], config?: string, input?: string): CliRun;
  commit(files: Record<string, string>, message: string): void;
}

const PACKAGE = (version: string, extra = ""): string => `name = "foo"\nversion = "${version}"\nuuid = "9982b6"\nbuild_command = "true"\n${extra}`;

function fixture(pkg = PACKAGE("1.0"), options: { upstream?: boolean } = {}): Fixture {
  const work = join(top, `t${++count}`);
  const src = join(work, "src");
  const rel = join(work, "rel");
  const remote = join(work, "remote.git");
  mkdirSync(rel, { recursive: true });
  writeTree(work, { "repo/bar/1/package.py": 'name = "bar"\nversion = "1"\n', "repo/bar/2/package.py": 'name = "bar"\nversion = "2"\n' });
  git(work, "init", "-q", "--bare", remote);
  mkdirSync(src);
  git(src, "init", "-q", "-b", "main");
  writeTree(src, { "package.py": pkg, ".gitignore": "build\n" });
  git(src, "add", ".");
  git(src, "commit", "-qm", "first");
  git(src, "remote", "add", "origin", remote);
  if (options.upstream !== false) git(src, "push", "-q", "-u", "origin", "main");
  return {
    work,
    src,
    rel,
    remote,
    release: (args = [], config = "", input?: string) => {
      writeTree(work, { "home/.config/pkg/config.toml": config });
      return runPkg(work, ["release", "--paths", join(work, "repo"), ...args], { PKG_RELEASE_PACKAGES_PATH: rel, ...IDENTITY }, src, input !== undefined ? { input } : {});
    },
    commit: (files, message) => {
      writeTree(src, files);
      git(src, "add", ".");
      git(src, "commit", "-qm", message);
      git(src, "push", "-q");
    },
  };
}

function installed(f: Fixture, version: string): string {
  return readFileSync(join(f.rel, "foo", version, "package.py"), "utf8");
}

/** The release metadata with the run's own values (hashes, times, paths) replaced. */
function normalised(f: Fixture, text: string): string {
  return text
    .replaceAll(f.work, "<work>")
    .replace(/[0-9a-f]{40}/g, "<hash>")
    .replace(/timestamp = \d+/, "timestamp = <t>")
    .replace(/Date: .*/g, "Date: <date>");
}

describe("pkg release", () => {
  it("releases, records Rez's metadata, tags and pushes the tag", () => {
    const f = fixture();
    const r = f.release(["-m", "git release"]);
    expect(r.stderr).toContain("1 of 1 releases were successful");
    expect(r.status).toBe(0);
    expect(normalised(f, installed(f, "1.0"))).toBe(
      [
        "# -*- coding: utf-8 -*-",
        "",
        "name = 'foo'",
        "",
        "version = '1.0'",
        "",
        "uuid = '9982b6'",
        "",
        "timestamp = <t>",
        "",
        "release_message = 'git release'",
        "",
        "changelog = \\",
        '    """',
        "    commit <hash>",
        "    Author: tester <a@b.c>",
        "    Date: <date>",
        "",
        "        first",
        '    """',
        "",
        "vcs = 'git'",
        "",
        "revision = \\",
        "    {'branch': 'main',",
        "     'commit': '<hash>',",
        "     'fetch_url': '<work>/remote.git',",
        "     'push_url': '<work>/remote.git',",
        "     'tracking_branch': 'origin/main'}",
        "",
        "format_version = 2",
        "",
      ].join("\n"),
    );
    expect(git(f.src, "tag")).toBe("foo-1.0");
    expect(git(f.remote, "tag")).toBe("foo-1.0");
    const info = runPkg(f.work, ["info", "--paths", f.rel, "foo"], {}, f.work);
    expect(info.stdout).toContain("git release");
  });

  it("a second release has the changelog since the first, and its version and revision", () => {
    const f = fixture();
    expect(f.release(["-m", "one"]).status).toBe(0);
    const first = git(f.src, "rev-parse", "HEAD");
    f.commit({ "package.py": PACKAGE("1.1") }, "second change");
    expect(f.release(["-m", "two"]).status).toBe(0);
    const text = installed(f, "1.1");
    expect(text).toContain("second change");
    expect(text).not.toContain("        first");
    expect(text).toContain("previous_version = '1.0'");
    expect(text).toContain(`previous_revision = \\\n    {'branch': 'main',\n     'commit': '${first}',\n`);
    expect(git(f.remote, "tag").split("\n")).toEqual(["foo-1.0", "foo-1.1"]);
  });

  it("releases every variant, or those --variants names", () => {
    const f = fixture(PACKAGE("1.0", 'variants = [["bar-1"], ["bar-2"]]\n'));
    expect(f.release(["-m", "m", "--variants", "1"]).status).toBe(0);
    expect(existsSync(join(f.rel, "foo", "1.0", "bar-2"))).toBe(true);
    expect(existsSync(join(f.rel, "foo", "1.0", "bar-1"))).toBe(false);
  });

  it("releasing an unchanged version again skips its variants without building them; a new variant is added", () => {
    const f = fixture(PACKAGE("1.0", 'variants = [["bar-1"]]\n').replace('build_command = "true"', `build_command = "echo built >> ${"{root}"}/../../built.txt"`));
    expect(f.release(["-m", "one"]).status).toBe(0);
    const first = installed(f, "1.0");
    const again = f.release(["-m", "two"]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`Skipping 1/1: destination variant already exists (${join(f.rel, "foo", "1.0", "package.py")}[0])`);
    expect(again.stderr).toContain("0 of 1 releases were successful");
    expect(installed(f, "1.0")).toBe(first);
    f.commit({ "package.py": PACKAGE("1.0", 'variants = [["bar-1"], ["bar-2"]]\n') }, "second variant");
    const more = f.release(["-m", "three"]);
    expect(more.status, more.stderr).toBe(0);
    expect(more.stderr).toContain("Skipping 1/2: destination variant already exists");
    expect(more.stderr).toContain("1 of 2 releases were successful");
    expect(installed(f, "1.0")).toMatch(/variants = \[\s*\['bar-1'\],\s*\['bar-2'\]\s*\]/);
    expect(installed(f, "1.0")).toContain("release_message = 'one'");
  });

  it("a build failing on the second variant releases nothing and tags nothing", () => {
    const f = fixture(PACKAGE("1.0", 'variants = [["bar-1"], ["bar-2"]]\n').replace('build_command = "true"', "build_command = \"test $REZ_BUILD_VARIANT_INDEX = 0\""));
    const r = f.release(["-m", "m"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("PKG0055");
    expect(r.stderr).toContain("variant 1");
    expect(r.stderr).toContain("build.log");
    expect(existsSync(join(f.rel, "foo", "1.0"))).toBe(false);
    expect(git(f.src, "tag")).toBe("");
    // fixed, the release works
    f.commit({ "package.py": PACKAGE("1.0", 'variants = [["bar-1"], ["bar-2"]]\n') }, "fix");
    expect(f.release(["-m", "m"]).status).toBe(0);
    expect(existsSync(join(f.rel, "foo", "1.0", "bar-1"))).toBe(true);
  });

  it("refuses uncommitted changes, untracked files when checked, ahead and behind", () => {
    const f = fixture();
    writeFileSync(join(f.src, "package.py"), PACKAGE("1.0", "# edited\n"));
    let r = f.release(["-m", "m"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("uncommitted changes");
    git(f.src, "checkout", "package.py");
    writeFileSync(join(f.src, "new.txt"), "x");
    expect(f.release(["-m", "m", "-n"]).status).toBe(0);
    r = f.release(["-m", "m"], "[plugins.release_vcs.git]\ncheck_untracked = true\n");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("untracked files");
    rmSync(join(f.src, "new.txt"));
    writeTree(f.src, { "a.txt": "a" });
    git(f.src, "add", ".");
    git(f.src, "commit", "-qm", "local");
    r = f.release(["-m", "m"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("1 commits ahead of origin/main");
    git(f.src, "push", "-q");
    git(f.src, "reset", "-q", "--hard", "HEAD~1");
    r = f.release(["-m", "m"]);
    expect(r.stderr).toContain("1 commits behind origin/main");
    expect(r.status).toBe(1);
    expect(existsSync(join(f.rel, "foo"))).toBe(false);
  });

  it("refuses a branch without upstream unless allowed; --skip-repo-errors goes on", () => {
    const f = fixture(PACKAGE("1.0"), { upstream: false });
    const r = f.release(["-m", "m"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("no upstream branch");
    expect(f.release(["-m", "m"], "[plugins.release_vcs.git]\nallow_no_upstream = true\n").status).toBe(0);
    const g = fixture(PACKAGE("1.0"), { upstream: false });
    const s = g.release(["-m", "m", "--skip-repo-errors"]);
    expect(s.stderr).toContain("THE FOLLOWING ERROR WAS SKIPPED");
    expect(s.status).toBe(0);
  });

  it("refuses a branch that is not releasable (matched from the start)", () => {
    const f = fixture();
    const r = f.release(["-m", "m"], '[plugins.release_vcs]\nreleasable_branches = ["ain"]\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("current branch is main");
    expect(f.release(["-m", "m"], '[plugins.release_vcs]\nreleasable_branches = ["ma"]\n').status).toBe(0);
  });

  it("refuses a newer released version (unless --no-latest), a uuid mismatch, an existing tag with check_tag", () => {
    const f = fixture(PACKAGE("2.0"));
    expect(f.release(["-m", "m"]).status).toBe(0);
    f.commit({ "package.py": PACKAGE("1.5") }, "lower");
    let r = f.release(["-m", "m"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("a newer package version already exists");
    expect(f.release(["-m", "m", "--no-latest"]).status).toBe(0);
    f.commit({ "package.py": PACKAGE("3.0").replace("9982b6", "other") }, "uuid");
    r = f.release(["-m", "m"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("UUID mismatch");
    f.commit({ "package.py": PACKAGE("3.0") }, "uuid back");
    git(f.src, "tag", "foo-3.0");
    r = f.release(["-m", "m"], "[plugins.release_vcs]\ncheck_tag = true\n");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("'foo-3.0' already exists");
    expect(f.release(["-m", "m", "--ignore-existing-tag"], "[plugins.release_vcs]\ncheck_tag = true\n").status).toBe(0);
  });

  it("a missing release path, and --dry-run writing nothing", () => {
    const f = fixture();
    const d = f.release(["-m", "m", "--dry-run"]);
    expect(d.status).toBe(0);
    expect(d.stderr).toContain("Would release foo-1.0");
    expect(existsSync(join(f.rel, "foo"))).toBe(false);
    rmSync(f.rel, { recursive: true });
    const r = f.release(["-m", "m"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Release path does not exist");
  });

  it("runs the command hook's pre and post release commands with formatted arguments", () => {
    const f = fixture();
    const out = join(f.work, "hook.txt");
    const config = `release_hooks = ["command"]\n[plugins.release_hook.command]\npost_release_commands = [{ command = "sh", args = ["-c", "echo {package.qualified_name} {num_variants} >> ${out}"] }]\npre_release_commands = [{ command = "false" }]\n`;
    const r = f.release(["-m", "m"], config);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cancelled by pre-release hook");
    expect(f.release(["-m", "m"], config.replace('pre_release_commands = [{ command = "false" }]\n', "")).status).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("foo-1.0 1\n");
  });

  it("the emailer hook mails the release to the configured recipients over SMTP", async () => {
    const f = fixture();
    const mailbox = join(f.work, "mailbox.jsonl");
    // An SMTP server of its own process (the CLI runs synchronously here) that appends each message to a file.
    const script = `
      const { SMTPServer } = require(process.argv[1]);
      const server = new SMTPServer({ authOptional: true, disabledCommands: ["STARTTLS"], onData(stream, session, done) {
        let data = "";
        stream.on("data", (c) => (data += c));
        stream.on("end", () => {
          require("node:fs").appendFileSync(process.argv[2], JSON.stringify({ from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), data }) + "\\n");
          done();
        });
      } });
      server.listen(0, "127.0.0.1", () => console.log(server.server.address().port));`;
    const smtp = spawn(process.execPath, ["-e", script, createRequire(import.meta.url).resolve("smtp-server"), mailbox], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const port = await new Promise<string>((resolve) => smtp.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())));
      const config =
        `release_hooks = ["emailer"]\n[plugins.release_hook.emailer]\nsmtp_host = "127.0.0.1"\nsmtp_port = ${port}\n` +
        `sender = "releases@studio.com"\nrecipients = ["td@studio.com", "lead@studio.com"]\n`;
      const r = f.release(["-m", "ship it"], config);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain("Sending release email to:\n- td@studio.com\n- lead@studio.com");
      expect(r.stderr).toContain("Email(s) sent.");
      const [mail] = readFileSync(mailbox, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { from: string; to: string[]; data: string });
      expect(mail!.from).toBe("releases@studio.com");
      expect(mail!.to).toEqual(["td@studio.com", "lead@studio.com"]);
      expect(mail!.data).toMatch(/^Subject: \[rez\] \[release\] \S+ released foo-1\.0\r$/m);
      const body = mail!.data.split("\r\n\r\n").slice(1).join("\r\n\r\n").replace(/=\r\n/g, "");
      expect(body).toContain("PACKAGE: foo-1.0");
      expect(body).toContain(`RELEASED TO: ${f.rel}`);
      expect(body).toContain("PREVIOUS VERSION: None.");
      expect(body).toContain(`1 VARIANTS:\r\n${join(f.rel, "foo", "1.0")}`);
      expect(body).toContain("MESSAGE:\r\nship it");
      // a server that is gone: the release still succeeds, the failure is said
      smtp.kill();
      f.commit({ "package.py": PACKAGE("1.1") }, "next");
      const late = f.release(["-m", "again"], config);
      expect(late.status).toBe(0);
      expect(late.stderr).toContain("release email delivery failed");
    } finally {
      smtp.kill();
    }
  });

  it("prompt_release_message: the editor's text is the message; an empty one asks to abort or go on; --no-message asks nothing", () => {
    const f = fixture();
    const ran = join(f.work, "editor-ran");
    const editor = join(f.work, "editor.sh");
    const notes = join(f.work, "notes.txt");
    writeFileSync(editor, `#!/bin/sh\necho ran >> ${ran}\n[ -f ${notes} ] && { cat ${notes} "$1" > "$1.new"; mv "$1.new" "$1"; }\nexit 0\n`, { mode: 0o755 });
    const config = `prompt_release_message = true\neditor = "${editor}"\n`;
    // empty: abort (the answer "a", or no answer at all), nothing released
    const aborted = f.release([], config, "a\n");
    expect(aborted.stderr).toContain("Empty release message. [A]bort or [C]ontinue release?");
    expect(aborted.status).toBe(1);
    expect(existsSync(join(f.rel, "foo"))).toBe(false);
    expect(f.release([], config).status).toBe(1);
    // --no-message: no editor, no question
    const before = readFileSync(ran, "utf8");
    const quiet = f.release(["--no-message"], config);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(readFileSync(ran, "utf8")).toBe(before);
    expect(quiet.stderr).not.toContain("Empty release message");
    f.commit({ "package.py": PACKAGE("1.1") }, "next");
    writeFileSync(notes, "notes from the editor\n");
    const edited = f.release([], config);
    expect(edited.status, edited.stderr).toBe(0);
    expect(installed(f, "1.1")).toContain("release_message = 'notes from the editor'");
    // "c" goes on with an empty message
    rmSync(notes);
    f.commit({ "package.py": PACKAGE("1.2") }, "again");
    const goOn = f.release([], config, "c\n");
    expect(goOn.status, goOn.stderr).toBe(0);
    expect(existsSync(join(f.rel, "foo", "1.2", "package.py"))).toBe(true);
  });

  it("the stub VCS (Rez's tests use it): an integer revision, Rez's changelog words, tags in .stub", () => {
    const work = join(top, `stub${++count}`);
    const src = join(work, "src");
    const rel = join(work, "rel");
    mkdirSync(rel, { recursive: true });
    writeTree(src, { "package.py": PACKAGE("1.0"), ".stub": "{}\n" });
    const release = () => runPkg(work, ["release", "-m", "stubbed", "--paths", join(work, "repo")], { PKG_RELEASE_PACKAGES_PATH: rel }, src);
    const first = release();
    expect(first.status, first.stderr).toBe(0);
    const text = readFileSync(join(rel, "foo", "1.0", "package.py"), "utf8");
    expect(text).toMatch(/\nrevision = \d+\n/);
    expect(text).toContain("changelog = 'This is the first commit'");
    expect(text).toContain("vcs = 'stub'");
    expect(readFileSync(join(src, ".stub"), "utf8")).toContain("foo-1.0: stubbed");
    writeTree(src, { "package.py": PACKAGE("1.1") });
    expect(release().status).toBe(0);
    const second = readFileSync(join(rel, "foo", "1.1", "package.py"), "utf8");
    expect(second).toMatch(/changelog = 'This commit was \d+ seconds after the last'/);
    expect(second).toMatch(/\nprevious_revision = \d+\n/);
    expect(second).toContain("previous_version = '1.0'");
  });
});
