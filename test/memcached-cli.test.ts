// Black-box tests of the memcached resolve cache: two "machines" (separate HOMEs and cache folders) share
// one real memcached started per test file; a silent server and a stopped one cost a miss, never a failure.
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { runPkg, writeTree } from "./support/cli.js";

const haveMemcached = spawnSync("sh", ["-c", "command -v memcached"]).status === 0;
if (!haveMemcached) console.log("skipping the memcached tests: memcached is not installed (apt-get install memcached)");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let work: string;
let memcached: ChildProcess;
let uri: string;

const machine = (name: string): Record<string, string> => ({ HOME: join(work, name), PKG_CACHE_DIR: join(work, name, "cache"), PKG_MEMCACHED_URI: uri });
const stats = (): { hits: number; misses: number } => JSON.parse(runPkg(work, ["memcache", "--json"], { PKG_MEMCACHED_URI: uri }).stdout)[0];

describe.skipIf(!haveMemcached)("memcached", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "pkg-memcached-"));
    writeTree(join(work, "repo"), { "foo/1.0/package.py": 'name = "foo"\nversion = "1.0"\n', "bar/1.0/package.py": 'name = "bar"\nversion = "1.0"\nrequires = ["foo"]\n' });
    const port = await freePort();
    uri = `127.0.0.1:${port}`;
    memcached = spawn("memcached", ["-l", "127.0.0.1", "-p", String(port), "-U", "0", ...(process.getuid?.() === 0 ? ["-u", "nobody"] : [])], { stdio: "ignore" });
    for (let i = 0; i < 50 && runPkg(work, ["memcache", "--json"], { PKG_MEMCACHED_URI: uri }).status !== 0; i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => {
    memcached?.kill();
    rmSync(work, { recursive: true, force: true });
  });

  it("shares a resolve between two machines and sees a release and a removal at once", () => {
    const a = runPkg(work, ["-r", "repo", "solve", "bar"], machine("a"));
    expect(a.status).toBe(0);
    const b = runPkg(work, ["-r", "repo", "solve", "bar"], machine("b"));
    expect(b.stdout).toBe(a.stdout);
    expect(stats().hits).toBe(1);
    writeTree(join(work, "repo"), { "foo/2.0/package.py": 'name = "foo"\nversion = "2.0"\n' });
    expect(runPkg(work, ["-r", "repo", "solve", "bar"], machine("c")).stdout).toContain("foo-2.0");
    rmSync(join(work, "repo", "foo", "2.0"), { recursive: true });
    expect(runPkg(work, ["-r", "repo", "solve", "bar"], machine("b")).stdout).toBe(a.stdout);
  });

  it("shares family definitions: a machine that cannot run Python loads what another evaluated, and sees an edit", () => {
    // computed values need Python to evaluate; machine "h" has none, so it can only take them from memcached
    writeTree(join(work, "repo"), { "calc/1.0/package.py": 'name = "calc"\nversion = "1." + "0"\nrequires = ["foo-" + "1"]\n' });
    onTestFinished(() => rmSync(join(work, "repo", "calc"), { recursive: true, force: true }));
    const noResolveCache = { PKG_RESOLVE_CACHING: "0" };
    const g = runPkg(work, ["-r", "repo", "solve", "calc"], { ...machine("g"), ...noResolveCache });
    expect(g.status).toBe(0);
    expect(g.stdout).toContain("calc-1.0");
    const before = stats().hits;
    const h = runPkg(work, ["-r", "repo", "solve", "calc"], { ...machine("h"), ...noResolveCache, PKG_PYTHON: "/nonexistent/python3" });
    expect(h.stderr).toBe("");
    expect(h.stdout).toBe(g.stdout);
    expect(stats().hits - before).toBe(2); // calc and foo
    // an edit on the shared filesystem is seen: the shared copy no longer matches the file's mtime and size
    writeTree(join(work, "repo"), { "calc/1.0/package.py": 'name = "calc"\nversion = "1.0"\nrequires = ["bar"]\n' });
    const i = runPkg(work, ["-r", "repo", "solve", "calc"], { ...machine("i"), ...noResolveCache });
    expect(i.stdout).toContain("bar-1.0");
  });

  it("--warm loads every definition into memcached for the next machine", () => {
    const warm = runPkg(work, ["-r", "repo", "memcache", "--warm", "--json"], machine("j"));
    expect(warm.status).toBe(0);
    expect(JSON.parse(warm.stdout)).toMatchObject({ families: 2, packages: 2, shared: 2 });
    // with its local cache warm, "j" offers them again (memcached may have dropped them since)
    runPkg(work, ["memcache", "--flush"], { PKG_MEMCACHED_URI: uri });
    expect(JSON.parse(runPkg(work, ["-r", "repo", "memcache", "--warm", "--json"], machine("j")).stdout)).toMatchObject({ shared: 2 });
    const before = stats().hits;
    const k = runPkg(work, ["-r", "repo", "solve", "bar"], { ...machine("k"), PKG_RESOLVE_CACHING: "0", PKG_PYTHON: "/nonexistent/python3" });
    expect(k.stdout).toContain("foo-1.0");
    expect(stats().hits - before).toBe(2);
  });

  it("a server that stops mid-run costs misses, never a failure", async () => {
    // In its own process (the CLI runs synchronously here): answers the first request as a miss, then drops
    // every connection, as a server killed mid-run does; it reports how many requests it saw when told to stop.
    const script = `
      let seen = 0;
      const server = require("node:net").createServer((socket) => socket.on("data", () => { if (seen++ === 0) socket.write("END\\r\\n"); else socket.destroy(); }));
      server.listen(0, "127.0.0.1", () => console.log(server.address().port));
      process.stdin.on("data", () => { console.log(seen); process.exit(0); });`;
    const dying = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
    const lines: string[] = [];
    const nextLine = (): Promise<string> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (lines.length > 0) resolve(lines.shift()!);
          else setTimeout(check, 10);
        };
        check();
      });
    dying.stdout!.on("data", (chunk: Buffer) => lines.push(...chunk.toString().trim().split("\n")));
    const port = await nextLine();
    const run = runPkg(work, ["-r", "repo", "solve", "-v", "bar"], { ...machine("l"), PKG_MEMCACHED_URI: `127.0.0.1:${port}` });
    dying.stdin!.write("stop\n");
    const seen = Number(await nextLine());
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("foo-1.0");
    expect(seen).toBeGreaterThan(1);
    expect(run.stderr.match(/memcached not used/g)?.length).toBe(1);
  });

  it("a server that never answers costs a miss within the budget, said once with -v", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const run = runPkg(work, ["-r", "repo", "solve", "-v", "bar"], { ...machine("d"), PKG_MEMCACHED_URI: `127.0.0.1:${port}` });
    const took = Date.now() - started;
    silent.close();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("foo-1.0");
    expect(run.stderr.match(/memcached not used/g)?.length).toBe(1);
    expect(took).toBeLessThan(3000);
  });

  it("a stopped server is a miss, and a bad address is bad input", async () => {
    const port = await freePort();
    const run = runPkg(work, ["-r", "repo", "solve", "bar"], { ...machine("e"), PKG_MEMCACHED_URI: `127.0.0.1:${port}` });
    expect(run.status).toBe(0);
    const down = runPkg(work, ["memcache", "--json"], { PKG_MEMCACHED_URI: `127.0.0.1:${port}` });
    expect(down.status).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject([{ server: `127.0.0.1:${port}`, up: false }]);
    const bad = runPkg(work, ["-r", "repo", "solve", "bar"], { ...machine("e"), PKG_MEMCACHED_URI: "host:notaport" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("PKG0060");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
