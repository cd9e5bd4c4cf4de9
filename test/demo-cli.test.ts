// Black-box test of `npm run demo`: every command it shows is the command it runs, so typing one
// (from the clone's folder) prints what the demo printed under it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv } from "./support/cli.js";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-demo-"));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the demo", () => {
  it("shows the commands it really runs", () => {
    const root = resolve(".");
    const env = isolatedEnv(work);
    const demo = spawnSync(process.execPath, [join(root, "scripts", "demo.mjs")], { cwd: work, env, encoding: "utf8", timeout: 120_000 });
    expect(demo.status, demo.stderr).toBe(0);
    const sections = demo.stdout.split(/^\$ pkg /m).slice(1);
    expect(sections.length).toBeGreaterThanOrEqual(3);
    for (const section of sections) {
      const newline = section.indexOf("\n");
      const args = section.slice(0, newline).split(" ");
      const shown = section.slice(newline + 1).replace(/\n+$/, "");
      const again = spawnSync(process.execPath, [cliPath, ...args], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
      expect(again.status, args.join(" ")).toBe(0);
      expect(again.stdout.replace(/\n+$/, ""), args.join(" ")).toBe(shown);
    }
  });
});
