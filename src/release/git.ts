// The git VCS (Rez §6.4), with the bare-repository check that works and branches matched from the start.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PkgError } from "../errors/index.js";
import type { PackageValue } from "../package/index.js";
import { registerVcs } from "./vcs.js";
import type { PluginSettings, ReleaseVcs } from "./vcs.js";

interface GitRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Milliseconds spent in git commands by this process (bench/release subtracts them). */
export const gitTime = { ms: 0 };

function git(cwd: string, args: readonly string[]): Promise<GitRun> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (error) => fail(new PkgError("PKG0057", `cannot run git: ${error.message}`, { hint: "install git, or put it on PATH" })));
    child.on("close", (code) => {
      gitTime.ms += performance.now() - started;
      done({ status: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** Parses the `[ahead N]` / `[behind N]` of `git status --short -b`'s first line: positive ahead, negative behind. */
export function relativeToRemote(statusLine: string): number {
  const marks = [...statusLine.matchAll(/\[([^\]]+)\]/g)];
  const last = marks[marks.length - 1]?.[1];
  if (last === undefined) return 0;
  // diverged ("ahead 1, behind 4", which Rez cannot parse): behind, so the refusal says to pull
  const behind = /behind (\d+)/.exec(last);
  if (behind) return -Number(behind[1]);
  const ahead = /ahead (\d+)/.exec(last);
  return ahead ? Number(ahead[1]) : 0;
}

/** Whether a branch may be released from: every pattern anchored at the start (as Rez documents, not as it does). */
export function branchReleasable(branch: string, patterns: readonly string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => new RegExp(p.startsWith("^") ? p : `^(?:${p})`).test(branch));
}

class GitVcs implements ReleaseVcs {
  readonly name = "git";
  constructor(
    readonly root: string,
    private readonly cwd: string,
    private readonly settings: PluginSettings,
  ) {}

  private async run(args: readonly string[]): Promise<string> {
    const r = await git(this.cwd, args);
    if (r.status !== 0) throw new PkgError("PKG0057", `git ${args.join(" ")} failed in ${this.cwd}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout.replace(/\n$/, "");
  }

  private async tracking(): Promise<{ remote: string; branch: string } | undefined> {
    const r = await git(this.cwd, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]);
    if (r.status !== 0) return undefined;
    const text = r.stdout.trim();
    const slash = text.indexOf("/");
    return slash < 0 ? undefined : { remote: text.slice(0, slash), branch: text.slice(slash + 1) };
  }

  async validateRepostate(): Promise<void> {
    const refuse = (message: string, hint?: string): never => {
      throw new PkgError("PKG0051", message, hint ? { hint } : {});
    };
    if ((await this.run(["rev-parse", "--is-bare-repository"])).trim() === "true") refuse("Could not release: bare git repository");
    const upstream = await this.tracking();
    if (!upstream && this.settings.allow_no_upstream !== true) {
      refuse(
        "Release cancelled: there is no upstream branch (git cannot see a remote repository)",
        "push the branch with an upstream (git push -u), or set plugins.release_vcs.git.allow_no_upstream",
      );
    }
    const patterns = Array.isArray(this.settings.releasable_branches) ? this.settings.releasable_branches.filter((p): p is string => typeof p === "string") : [];
    if (patterns.length > 0) {
      const branch = (await this.run(["rev-parse", "--abbrev-ref", "HEAD"])).trim();
      if (!branchReleasable(branch, patterns)) refuse(`Could not release: current branch is ${branch}, must match one of: ${patterns.join(", ")}`);
    }
    if ((await git(this.cwd, ["diff-index", "--quiet", "HEAD"])).status !== 0) {
      refuse(`Could not release: there are uncommitted changes:\n${await this.run(["diff-index", "--stat", "HEAD"])}`, "commit or stash them");
    }
    if (this.settings.check_untracked === true) {
      const untracked = await this.run(["ls-files", "--others", "--exclude-standard"]);
      if (untracked.trim() !== "") refuse(`Could not release: there are untracked files:\n${untracked}`, "commit, remove or ignore them");
    }
    if (upstream) {
      await this.run(["remote", "update"]);
      const n = relativeToRemote((await this.run(["status", "--short", "-b"])).split("\n")[0] ?? "");
      if (n !== 0) refuse(`Could not release: ${Math.abs(n)} commits ${n > 0 ? "ahead of" : "behind"} ${upstream.remote}/${upstream.branch}.`, n > 0 ? "push first" : "pull first");
    }
  }

  async currentRevision(): Promise<PackageValue> {
    const doc: { [key: string]: PackageValue } = { commit: (await this.run(["rev-parse", "HEAD"])).trim() };
    doc.branch = (await this.run(["rev-parse", "--abbrev-ref", "HEAD"])).trim();
    const upstream = await this.tracking();
    if (upstream) {
      doc.tracking_branch = `${upstream.remote}/${upstream.branch}`;
      const lines = (await this.run(["remote", "-v"])).split("\n").map((l) => l.split(/\s+/));
      const url = (op: string): string | undefined => lines.find((t) => t[0] === upstream.remote && t[2] === `(${op})`)?.[1];
      const fetchUrl = url("fetch");
      const pushUrl = url("push");
      if (fetchUrl !== undefined) doc.fetch_url = fetchUrl;
      if (pushUrl !== undefined) doc.push_url = pushUrl;
    }
    // pformat writes a dict's keys sorted
    return Object.fromEntries(Object.entries(doc).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  async changelog(previous: PackageValue | undefined, max: number): Promise<string> {
    const args = ["log"];
    if (max > 0) args.push("-n", String(max));
    const commit = previous !== null && typeof previous === "object" && !Array.isArray(previous) ? (previous as { [k: string]: PackageValue }).commit : undefined;
    if (typeof commit === "string" && commit !== "") args.push(`${commit}..HEAD`);
    return this.run(args);
  }

  async tagExists(tag: string): Promise<boolean> {
    return (await this.run(["tag"])).split("\n").includes(tag);
  }

  async createTag(tag: string, message: string): Promise<void> {
    if (await this.tagExists(tag)) return;
    await this.run(["tag", "-a", tag, "-m", message]);
    const upstream = await this.tracking();
    if (upstream) await this.run(["push", upstream.remote, tag]);
  }
}

registerVcs({
  name: "git",
  description: "Git version control",
  searchParents: true,
  isRoot: (dir) => existsSync(join(dir, ".git")),
  open: (root, packageDir, settings) => new GitVcs(root, packageDir, settings),
});
