// The folder layout is the architecture: a folder of src/ reaches another only through its index.ts, and
// src/version (the leaf) imports nothing of the project. This test reads every import of src/ and fails on
// the first that crosses a folder any other way.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = "src";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** `[file, imported module as written, the src/ folder it lands in, the path inside it]` for each relative import. */
function crossings(): { file: string; spec: string; from: string; to: string; inside: string }[] {
  const out: { file: string; spec: string; from: string; to: string; inside: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split(sep)[0]!;
    for (const imported of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
      const spec = imported.fileName;
      if (!spec.startsWith(".")) continue;
      const target = relative(SRC, normalize(join(dirname(file), spec)));
      if (target.startsWith("..")) continue; // test support outside src/
      const [to, ...rest] = target.split(sep);
      if (rest.length === 0 || to === from) continue;
      out.push({ file, spec, from, to: to!, inside: rest.join("/") });
    }
  }
  return out;
}

describe("module boundaries", () => {
  const all = crossings();

  it("finds the imports it checks", () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it("a folder imports another folder only through its index.ts", () => {
    const internal = all.filter((c) => c.inside !== "index.js" && c.inside !== "index.ts").map((c) => `${c.file}: ${c.spec}`);
    expect(internal).toEqual([]);
  });

  it("src/cli/ starts no processes: running things is library work", () => {
    const spawning = sourceFiles(join(SRC, "cli")).filter((file) => /node:child_process|\bspawn(Sync)?\(|\bexecFile(Sync)?\(/.test(readFileSync(file, "utf8")));
    expect(spawning).toEqual([]);
  });

  it("node's own modules are imported statically: a dynamic import of one fails inside the code-cached bundle", () => {
    const dynamic = sourceFiles(SRC).filter((file) => !file.endsWith(".test.ts") && /\bimport\(\s*["']node:/.test(readFileSync(file, "utf8")));
    expect(dynamic).toEqual([]);
  });

  it("src/version imports nothing of the project", () => {
    expect(all.filter((c) => c.from === "version").map((c) => `${c.file}: ${c.spec}`)).toEqual([]);
  });
});

describe("output", () => {
  // The library reports through the reporter it is given (src/report); only the CLI, whose reporters they
  // are, and the launcher write to the terminal.
  const library = sourceFiles(SRC).filter((file) => {
    const [top] = relative(SRC, file).split(sep);
    return top !== "cli" && !file.endsWith(".test.ts") && !file.endsWith("test-support.ts");
  });

  it("checks the library's files", () => {
    expect(library.length).toBeGreaterThan(50);
  });

  it("no library file writes to process.stdout, process.stderr or the console", () => {
    const writes = /process\.(stdout|stderr)\.write|\bconsole\.[a-z]+\s*\(/;
    const offenders = library.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => [line, i + 1] as const)
        .filter(([line]) => writes.test(line))
        .map(([line, n]) => `${file}:${n}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
