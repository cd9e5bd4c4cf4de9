import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { collectingReporter } from "../report/index.js";
import { PythonTimeoutError, PythonUnavailableError, PythonWorkerDiedError, PythonWorkerPool, findWorkerScript, workerFingerprint } from "./worker-pool.js";
import type { WorkerResponse } from "./worker-pool.js";

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

  it("passes what package code prints to its reporter, at most 64 KiB per request, then says it was cut", async () => {
    const reporter = collectingReporter();
    const pool = new PythonWorkerPool({ maxWorkers: 1, reporter });
    try {
      const quiet = join(dir, "talk.py");
      writeFileSync(quiet, `name = "talk"\nprint("hello from talk")\n`);
      await pool.request({ op: "load_package", path: quiet });
      await vi.waitFor(() => expect(reporter.outputText).toContain("hello from talk\n"));
      const loud = join(dir, "loud.py");
      writeFileSync(loud, `import sys\nname = "loud"\nsys.stderr.write("x" * 100000)\nsys.stderr.flush()\n`);
      await pool.request({ op: "load_package", path: loud });
      await vi.waitFor(() => expect(reporter.outputCuts).toBe(1));
      expect(reporter.warnings).toEqual([]);
      expect(reporter.outputText.length).toBeLessThanOrEqual(64 * 1024 + "hello from talk\n".length);
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

function nameOf(answer: WorkerResponse): string {
  return answer.ok ? (answer.result as { attributes: { name: string } }).attributes.name : `error: ${answer.error.message}`;
}

function packageFile(name: string, body: string): string {
  const f = join(dir, `${name}.py`);
  writeFileSync(f, `name = ${JSON.stringify(name)}\n${body}\n`);
  return f;
}

/** Polls (no timing asserted) until `test` holds; the test's own timeout bounds it. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 50));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie nobody reaps (a container without init) counts as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

describe("PythonWorkerPool and hostile package code", () => {
  it("keeps the protocol apart from package code that reads stdin or writes to stdout", async () => {
    const pool = new PythonWorkerPool({ maxWorkers: 1 });
    try {
      const reader = packageFile("reader", "import sys\ndescription = 'read %d' % len(sys.stdin.read())");
      const writer = packageFile(
        "writer",
        'import os, sys\nos.write(1, b\'{"id": 2, "ok": true, "result": {"attributes": {"name": "forged"}}}\\n\')\nsys.__stdout__.write("more\\n")\nprint("and more")',
      );
      const after = packageFile("after", "");
      const answers = await Promise.all([reader, writer, after].map((path) => pool.request({ op: "load_package", path })));
      expect(answers.map(nameOf)).toEqual(["reader", "writer", "after"]);
      expect(answers[0].ok && (answers[0].result as { attributes: { description: string } }).attributes.description).toBe("read 0");
    } finally {
      await pool.close();
    }
  });

  it("stops a request over its time limit, replaces the worker and answers the requests behind it", async () => {
    const pool = new PythonWorkerPool({ maxWorkers: 1 });
    try {
      const loop = packageFile("loop", "while True:\n    pass");
      const sleeper = packageFile("sleeper", "import time\ntime.sleep(600)");
      const good = packageFile("good", "");
      const results = await Promise.allSettled([
        pool.request({ op: "load_package", path: loop }, { timeoutMs: 1000 }),
        pool.request({ op: "load_package", path: good }, { timeoutMs: 1000 }),
        pool.request({ op: "load_package", path: sleeper }, { timeoutMs: 1000 }),
        pool.request({ op: "load_package", path: good }),
      ]);
      expect(results[0].status === "rejected" && results[0].reason).toBeInstanceOf(PythonTimeoutError);
      expect(results[1].status === "fulfilled" && nameOf(results[1].value)).toBe("good");
      expect(results[2].status === "rejected" && results[2].reason).toBeInstanceOf(PythonTimeoutError);
      expect(results[3].status === "fulfilled" && nameOf(results[3].value)).toBe("good");
      expect(await pool.request({ op: "ping" })).toEqual({ ok: true, result: { pong: true } });
    } finally {
      await pool.close();
    }
  });

  it("retries the requests of a worker that died once; a request that kills two workers fails alone", async () => {
    const pool = new PythonWorkerPool({ maxWorkers: 1 });
    try {
      const killer = packageFile("killer", "import os\nos._exit(3)");
      const files = [packageFile("before", "import os"), killer, packageFile("innocent1", "import os"), packageFile("innocent2", "import os")];
      const results = await Promise.allSettled(files.map((path) => pool.request({ op: "load_package", path })));
      expect(results.map((r) => (r.status === "fulfilled" ? nameOf(r.value) : r.reason instanceof PythonWorkerDiedError ? "died" : String(r.reason)))).toEqual([
        "before",
        "died",
        "innocent1",
        "innocent2",
      ]);
      expect(await pool.request({ op: "ping" })).toEqual({ ok: true, result: { pong: true } });
    } finally {
      await pool.close();
    }
  });

  it("evaluates again a request whose worker was killed from outside", async () => {
    const pool = new PythonWorkerPool({ maxWorkers: 1 });
    try {
      const pidFile = join(dir, "victim.pid");
      const victim = packageFile(
        "victim",
        `import os, time\nif not os.path.exists(${JSON.stringify(pidFile)}):\n    open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\n    time.sleep(600)`,
      );
      const answer = pool.request({ op: "load_package", path: victim });
      await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "");
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
      expect(nameOf(await answer)).toBe("victim");
    } finally {
      await pool.close();
    }
  });

  it("a worker stuck in package code exits when its Node process is killed", async () => {
    const pidFile = join(dir, "stuck.pid");
    const stuck = packageFile("stuck", `import os\nopen(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\nwhile True:\n    pass`);
    const script = join(dir, "stuck.mts");
    writeFileSync(
      script,
      `import { PythonWorkerPool } from ${JSON.stringify(join(import.meta.dirname, "worker-pool.ts"))};\n` +
        `await new PythonWorkerPool().request({ op: "load_package", path: ${JSON.stringify(stuck)} });\n`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: join(import.meta.dirname, "..", ".."), stdio: "ignore" });
    try {
      await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "");
      const pid = Number(readFileSync(pidFile, "utf8"));
      expect(isRunning(pid)).toBe(true);
      child.kill("SIGKILL");
      await until(() => !isRunning(pid));
    } finally {
      child.kill("SIGKILL");
    }
  });
});
