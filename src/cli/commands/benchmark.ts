import { existsSync, readFileSync, statSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { Command } from "@commander-js/extra-typings";
import {
  BenchmarkInputError,
  compareResolves,
  openBenchmarkRepository,
  parseRequestList,
  parseResolveList,
  runBenchmark,
  summarize,
} from "../../benchmark/index.js";
import type { BenchmarkResolve } from "../../benchmark/index.js";
import { createLateEvaluator, lazyPythonPool, systemBinding } from "../../context/index.js";
import { CliError } from "../errors.js";
import { numberOption } from "../number-options.js";
import { fsErrorReason } from "../../errors/index.js";
import { makeUserFolder, writeUserFile } from "../output-files.js";
import { cliReporter } from "../output.js";
import { openCliRepositories } from "../repositories.js";
import { PKG_VERSION } from "../../meta/index.js";

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = error instanceof SyntaxError ? `not JSON (${error.message})` : fsErrorReason(error);
    throw new CliError("PKG0025", `cannot read ${what} ${file}: ${why}`);
  }
}

/** The result list of another run: a folder holding resolves.json, or such a file itself. */
function readComparison(path: string): BenchmarkResolve[] {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, "resolves.json") : path;
  try {
    return parseResolveList(readJson(file, "results"), file);
  } catch (error) {
    if (error instanceof BenchmarkInputError) throw new CliError(error.code, error.message, undefined, error);
    throw error;
  }
}


export function benchmarkCommand() {
  return new Command("benchmark")
    .description(
      "resolve a list of requests and record the results like rez-benchmark (implicit packages off)\n\n" +
        "  pkg benchmark --packages packages.tar.gz --requests requests.json \\\n" +
        "      --out results/\n" +
        "  pkg benchmark ... --compare rez-results/   exit 1 if any request differs\n\n" +
        "Writes resolves.json (per request: request, status, resolve_time, resolved_packages as\n" +
        "<family>/<version>/package.py[<index>]) and summary.json, in Rez's format.\n\n" +
        "Every family is loaded before the first request is timed (as rez-benchmark does), so\n" +
        "resolve_time is the solve alone; --cold solves each request in a new store, as a\n" +
        "fresh process would.",
    )
    .requiredOption("--packages <dir|tar.gz>", "the repository: a folder, or a .tar.gz of one")
    .requiredOption("--requests <file>", "JSON list of requests, each a list of request strings")
    .requiredOption("--out <dir>", "folder to write resolves.json and summary.json to")
    .option("--compare <dir|file>", "another result folder (or resolves.json) to compare with")
    .option("--iterations <n>", "resolve each request N times and record the fastest", numberOption("--iterations", { takes: "a whole number >= 1", min: 1 }))
    .option("--cold", "time each request in a new store of its own (families loaded, no solver facts): a fresh process's first solve")
    .option("--no-cache", "do not read or write the package definition cache")
    .option("--json", 'print {"requests", "out", "summary", "comparison"} (docs/json.md)')
    .action(async (options) => {
      const reporter = cliReporter();
      let requests: string[][];
      try {
        requests = parseRequestList(readJson(options.requests, "requests"), options.requests);
      } catch (error) {
        if (error instanceof BenchmarkInputError) throw new CliError(error.code, error.message, undefined, error);
        throw error;
      }
      const comparison = options.compare !== undefined ? readComparison(options.compare) : undefined;
      const repository = openBenchmarkRepository(options.packages);
      // A temporary extraction has a new path every run: caching it would only fill the cache.
      const useCache = options.cache !== false && repository.root === resolvePath(options.packages);
      const { set, close } = openCliRepositories({ repos: [repository.root], cache: useCache });
      const python = lazyPythonPool(undefined, reporter);
      try {
        const started = performance.now();
        const bar = reporter.progress("resolving");
        const resolves = await runBenchmark(requests, {
          source: set,
          repositoryRoot: repository.root,
          lateEvaluator: (request) => createLateEvaluator({ pool: python.get, request, system: () => systemBinding(), source: set }),
          ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
          ...(options.cold ? { cold: true } : {}),
          onProgress: (done, total) => bar.update(done, total),
        });
        bar.done();
        const total = (performance.now() - started) / 1000;
        const summary = summarize(resolves, total, {
          pkgVersion: PKG_VERSION,
          runtimeVersion: `node ${process.versions.node}`,
          platform: `${platform()}-${release()}`,
          numCpu: cpus().length,
          cpu: cpus()[0]?.model ?? "unknown",
        });
        makeUserFolder(options.out, "the output folder");
        writeUserFile(join(options.out, "resolves.json"), `${JSON.stringify(resolves, null, 2)}\n`, "the results file");
        writeUserFile(join(options.out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`, "the summary file");
        let text =
          `${resolves.length} requests: ${summary.num_success_resolves} solved, ${summary.num_failed_resolves} failed, ` +
          `${summary.num_error_resolves} errors in ${total.toFixed(2)} s ` +
          `(median ${(summary.median * 1000).toFixed(2)} ms, max ${(summary.max * 1000).toFixed(2)} ms)\n` +
          `results written to ${options.out}\n`;
        const differences = comparison ? compareResolves(resolves, comparison) : [];
        if (comparison) {
          for (const d of differences) {
            text +=
              `differs: request #${d.index} ${d.request.join(" ")}\n` +
              `  ours:   ${d.ours ? `${d.ours.status} ${d.ours.resolved_packages.join(" ")}` : "(missing)"}\n` +
              `  theirs: ${d.theirs ? `${d.theirs.status} ${d.theirs.resolved_packages.join(" ")}` : "(missing)"}\n`;
          }
          text +=
            differences.length === 0 ? `identical to ${options.compare}: all ${resolves.length} requests\n` : `${differences.length} of ${Math.max(resolves.length, comparison.length)} requests differ from ${options.compare}\n`;
          if (differences.length > 0) process.exitCode = 1;
        }
        const json = {
          requests: resolves.length,
          out: options.out,
          summary,
          comparison: comparison ? { against: options.compare, identical: differences.length === 0, differences } : null,
        };
        reporter.result(options.json ? { json } : { text });
      } finally {
        await python.close();
        await close();
        repository.cleanup();
      }
    });
}
