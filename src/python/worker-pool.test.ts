import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PythonUnavailableError, PythonWorkerPool, findWorkerScript, workerFingerprint } from "./worker-pool.js";

const dir = mkdtempSync(join(tmpdir(), "pkg-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("PythonWorkerPool", () => {
  it("finds the worker script and fingerprints it", () => {
    expect(findWorkerScript()).toMatch(/worker\.py$/);
    expect(workerFingerprint()).toMatch(/^[0-9a-f]{16}$/);
  });

  it("answers requests, many at once, on at most two workers", async () => {
    const pool = new PythonWorkerPool({ maxWorkers: 2 });
    try {
      const files = Array.from({ length: 20 }, (_, i) => {
        const f = join(dir, `p${i}.py`);
        writeFileSync(f, `import os\nname = "p${i}"\nprint("noise on stdout goes to stderr")\n`);
        return f;
      });
      const answers = await Promise.all(files.map((path) => pool.request({ op: "load_package", path })));
      expect(answers.map((a) => (a.ok ? (a.result as { attributes: { name: string } }).attributes.name : a.error.message))).toEqual(files.map((_, i) => `p${i}`));
    } finally {
      await pool.close();
    }
  });

  it("answers an unknown op with an error and keeps working", async () => {
    const pool = new PythonWorkerPool();
    try {
      const bad = await pool.request({ op: "nope" });
      expect(bad.ok).toBe(false);
      expect(!bad.ok && bad.error.message).toMatch(/unknown op 'nope'/);
      expect(await pool.request({ op: "ping" })).toEqual({ ok: true, result: { pong: true } });
    } finally {
      await pool.close();
    }
  });

  it("survives a package that calls sys.exit", async () => {
    const pool = new PythonWorkerPool();
    try {
      const f = join(dir, "exit.py");
      writeFileSync(f, "import sys\nsys.exit(3)\n");
      const r = await pool.request({ op: "load_package", path: f });
      expect(r.ok).toBe(false);
      expect(await pool.request({ op: "ping" })).toMatchObject({ ok: true });
    } finally {
      await pool.close();
    }
  });

  it("rejects with PythonUnavailableError when python is missing", async () => {
    const pool = new PythonWorkerPool({ python: "/nonexistent/python3" });
    await expect(pool.request({ op: "ping" })).rejects.toBeInstanceOf(PythonUnavailableError);
    await expect(pool.request({ op: "ping" })).rejects.toThrow(/nonexistent/);
    await pool.close();
  });

  it("rejects after close", async () => {
    const pool = new PythonWorkerPool();
    await pool.close();
    await expect(pool.request({ op: "ping" })).rejects.toBeInstanceOf(PythonUnavailableError);
  });

  it("does not keep a Node process alive when close() is forgotten", () => {
    const script = join(dir, "noclose.mts");
    writeFileSync(
      script,
      `import { PythonWorkerPool } from ${JSON.stringify(join(import.meta.dirname, "worker-pool.ts"))};\n` +
        `const pool = new PythonWorkerPool();\nconst r = await pool.request({ op: "ping" });\nconsole.log(JSON.stringify(r));\n`,
    );
    const out = execFileSync(process.execPath, ["--import", "tsx", script], { timeout: 30_000, cwd: join(import.meta.dirname, "..", "..") }).toString();
    expect(out.trim()).toBe('{"ok":true,"result":{"pong":true}}');
  });

  it("keeps the Node process alive while close() is awaited", () => {
    const script = join(dir, "awaitclose.mts");
    writeFileSync(
      script,
      `import { PythonWorkerPool } from ${JSON.stringify(join(import.meta.dirname, "worker-pool.ts"))};\n` +
        `const pool = new PythonWorkerPool();\nawait pool.request({ op: "ping" });\nawait pool.close();\nconsole.log("after close");\n`,
    );
    const out = execFileSync(process.execPath, ["--import", "tsx", script], { timeout: 30_000, cwd: join(import.meta.dirname, "..", "..") }).toString();
    expect(out.trim()).toBe("after close");
  });
});
