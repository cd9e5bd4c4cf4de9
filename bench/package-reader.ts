// Times the TypeScript declarative package.py reader on Rez's benchmark repository (18,226 files).
// Run: npx tsx bench/package-reader.ts [packages dir]   (default: extracts the tarball into a temp dir)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDeclarativePython, tryLoadDeclarative } from "../src/package/index.js";
// @ts-expect-error -- plain JavaScript helper shared by the bench scripts
import { dataDir } from "./lib.js";

let root = process.argv[2];
let temp: string | undefined;
if (!root) {
  temp = mkdtempSync(join(tmpdir(), "pkg-bench-"));
  execFileSync("tar", ["xzf", join(dataDir, "packages.tar.gz"), "-C", temp]);
  root = join(temp, "packages");
}
const files: string[] = [];
for (const family of readdirSync(root)) for (const version of readdirSync(join(root, family))) files.push(join(root, family, version, "package.py"));
const texts = files.map((f) => readFileSync(f, "utf8"));
for (let round = 1; round <= 5; round++) {
  let needsPython = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < texts.length; i++) if (readDeclarativePython(texts[i], files[i]).kind !== "ok") needsPython++;
  const us = Number(process.hrtime.bigint() - t0) / 1000 / texts.length;
  console.log(`round ${round}: ${texts.length} files, ${us.toFixed(2)} µs/file, needs python: ${needsPython}`);
}

// The whole synchronous fast path: read + Rez normalisation + schema validation (requirement parsing).
{
  for (let round = 1; round <= 3; round++) {
    let warnings = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < texts.length; i++) warnings += tryLoadDeclarative(files[i], texts[i], { name: "x", version: "1" })?.warnings.length ?? 1;
    const us = Number(process.hrtime.bigint() - t0) / 1000 / texts.length;
    console.log(`tryLoadDeclarative round ${round}: ${us.toFixed(2)} µs/file, warnings: ${warnings}`);
  }
}
if (temp) rmSync(temp, { recursive: true, force: true });
