// The `pkg` executable: loads the CLI bundle with V8's code cache so that start-up skips compiling it.
// Node 22+ has this built in (module.enableCompileCache); on Node 20 the cache is kept by hand.
import { readFileSync, statSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";
import { keepNewestFiles, readSealedFile, writeSealedFile } from "../cache/index.js";

const mainFile = join(__dirname, "pkg-main.cjs");

function cacheDirectory(): string {
  const explicit = process.env.PKG_CACHE_DIR;
  if (explicit) return join(explicit, "v8");
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? join(xdg, "pkg") : join(homedir(), ".cache", "pkg"), "v8");
}

type EnableCompileCache = (directory?: string) => unknown;

/**
 * A pkg command is a short process: by default V8 hands functions to its optimising compiler after a little
 * work, and a fresh solve then spends about as much CPU compiling (on the second core, beside the garbage
 * collector) as solving. A budget sixteen times V8 11's own (66 KB) optimises only code that stays hot for
 * longer: a fresh solve of 386 packages takes half the CPU, long runs (pkg benchmark --cold) lose a few percent.
 * V8 flags are part of a code cache's key, so the budget is set only once pkg's code is loaded, and not in
 * a run that writes pkg's cache (which must match the flags of the runs that read it). Node 20 only: Node
 * 22's own compile cache is written at exit, under the flags of that moment. A budget given to node wins.
 */
const OPTIMISER_BUDGET = "--interrupt-budget=1048576";

function optimiserTunable(): boolean {
  return ![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => a.includes("interrupt-budget"));
}

function loadWithCodeCache(): void {
  const enable = (Module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  // `--no-cache` promises that pkg writes no cache at all.
  const noCache = process.env.PKG_NO_CODE_CACHE !== undefined || process.argv.includes("--no-cache");
  if (typeof enable === "function" || noCache) {
    if (typeof enable === "function" && !noCache) enable(cacheDirectory());
    require(mainFile);
    if (typeof enable !== "function" && optimiserTunable()) setFlagsFromString(OPTIMISER_BUDGET);
    return;
  }
  const source = readFileSync(mainFile, "utf8");
  const stat = statSync(mainFile);
  const cacheDir = cacheDirectory();
  const cacheFile = join(cacheDir, `pkg-main-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}.bin`);
  // Checked before V8 sees it: V8 trusts the bytes of code cache data it accepts.
  const sealed = readSealedFile(cacheFile);
  const cachedData = sealed.status === "ok" ? sealed.payload : undefined;
  const script = new Script(Module.wrap(source), { filename: mainFile, ...(cachedData ? { cachedData } : {}) });
  const writesCache = !cachedData || script.cachedDataRejected;
  if (writesCache) {
    // Written at exit so the functions compiled during this run are in the cache too.
    process.once("exit", () => {
      try {
        writeSealedFile(cacheFile, script.createCachedData(), { mkdir: true });
        // one cache per pkg build and Node version: the few newest stay (two installs used in turn keep theirs)
        keepNewestFiles(cacheDir, "pkg-main-", 4);
      } catch {
        // a cache we cannot write only costs start-up time
      }
    });
  }
  const mainModule = { exports: {}, filename: mainFile, id: mainFile };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run(mainModule.exports, createRequire(mainFile), mainModule, mainFile, __dirname);
  if (!writesCache && optimiserTunable()) setFlagsFromString(OPTIMISER_BUDGET);
}

loadWithCodeCache();
