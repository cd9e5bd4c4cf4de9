// Interactive shells in a real terminal (tmux): the prompt a user sees in a `pkg env` shell.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, writeTree } from "./support/cli.js";

const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const canRun = has("tmux") && has("zsh");
if (!canRun) console.log("skipping the terminal prompt tests: tmux or zsh is not installed");

let work: string;
let socket: string;

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", ["-S", socket, ...args], { encoding: "utf8" });
  return r.stdout;
}

/** Waits until the pane shows `text` (a shell's start-up takes a moment), then returns the pane. */
async function paneShowing(text: string, escapes = false): Promise<string> {
  let pane = "";
  for (let i = 0; i < 100; i++) {
    pane = tmux("capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", "0");
    if (pane.includes(text)) return pane;
    await new Promise((done) => setTimeout(done, 100));
  }
  return pane;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-terminal-"));
  socket = join(work, "tmux.sock");
  writeTree(work, {
    "repo/foo/1.0/package.py": 'name = "foo"\nversion = "1.0"\n',
    "home/.zshrc": "PS1='my> '\n",
  });
});

afterAll(() => {
  if (canRun) tmux("kill-server");
  rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

describe.skipIf(!canRun)("zsh's prompt in a pkg env shell", () => {
  it("shows a bold % before the user's prompt, as Rez's does", async () => {
    // no code cache: pkg writes it at exit, which tmux's kill-server makes race the folder's removal
    const env: Record<string, string> = { ...isolatedEnv(work), PKG_STANDARD_SYSTEM_PATHS: "/usr/bin:/bin", PKG_NO_CODE_CACHE: "1" };
    const command = [process.execPath, cliPath, "-r", join(work, "repo"), "env", "--shell", "zsh", "-q", "foo"];
    const variables = Object.entries(env).flatMap(([name, value]) => ["-e", `${name}=${value}`]);
    tmux("new-session", "-d", "-x", "100", "-y", "10", ...variables, ...command);
    const pane = await paneShowing("my>");
    expect(pane.split("\n")[0]).toBe("% my>");
    // the % is bold and the bold ends before the user's prompt
    expect(await paneShowing("my>", true)).toContain("\x1b[1m%\x1b[0m");
    tmux("send-keys", "-t", "0", 'echo "[$REZ_ENV_PROMPT]"', "Enter");
    expect(await paneShowing("[%%]")).toContain("[%%]");
  });
});
