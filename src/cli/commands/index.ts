import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { benchmarkCommand } from "./benchmark.js";
import { buildCommand } from "./build.js";
import { buildEnvCommand } from "./build-env.js";
import { completionCommand } from "./completion.js";
import { configCommand } from "./config.js";
import { contextCommand } from "./context.js";
import { dependsCommand } from "./depends.js";
import { cpCommand } from "./cp.js";
import { diffCommand } from "./diff.js";
import { envCommand } from "./env.js";
import { graphCommand } from "./graph.js";
import { ignoreCommand } from "./ignore.js";
import { infoCommand } from "./info.js";
import { interpretCommand } from "./interpret.js";
import { listCommand } from "./list.js";
import { pluginsCommand } from "./plugins.js";
import { mvCommand } from "./mv.js";
import { rmCommand } from "./rm.js";
import { runCommand } from "./run.js";
import { scanCommand } from "./scan.js";
import { searchCommand } from "./search.js";
import { solveCommand } from "./solve.js";
import { statusCommand } from "./status.js";
import { testCommand } from "./test.js";
import { viewCommand } from "./view.js";
import { releaseCommand } from "./release.js";
import { memcacheCommand } from "./memcache.js";
import { pipCommand } from "./pip.js";

export { splitPipRemainder } from "./pip.js";
import { cacheCommand } from "./cache.js";

/** Every top-level command, in the order `pkg --help` lists them. Each file under commands/ exports one factory. */
export const commands: ReadonlyArray<() => CommandUnknownOpts> = [
  listCommand,
  infoCommand,
  searchCommand,
  viewCommand,
  dependsCommand,
  configCommand,
  pluginsCommand,
  scanCommand,
  solveCommand,
  graphCommand,
  benchmarkCommand,
  envCommand,
  runCommand,
  buildCommand,
  testCommand,
  contextCommand,
  statusCommand,
  diffCommand,
  interpretCommand,
  ignoreCommand,
  rmCommand,
  cpCommand,
  mvCommand,
  releaseCommand,
  pipCommand,
  memcacheCommand,
  completionCommand,
  cacheCommand,
];

/** Commands other commands' files call (`build-env` scripts), left out of `pkg --help`. */
export const hiddenCommands: ReadonlyArray<() => CommandUnknownOpts> = [buildEnvCommand];

/**
 * The factory of each command name and alias, so that a run builds only the command it runs (building all of
 * them is a good part of start-up). index.test.ts checks it against the commands themselves.
 */
export const commandsByName: ReadonlyMap<string, () => CommandUnknownOpts> = new Map<string, () => CommandUnknownOpts>([
  ["list", listCommand],
  ["ls", listCommand],
  ["info", infoCommand],
  ["search", searchCommand],
  ["view", viewCommand],
  ["depends", dependsCommand],
  ["config", configCommand],
  ["plugins", pluginsCommand],
  ["scan", scanCommand],
  ["solve", solveCommand],
  ["graph", graphCommand],
  ["benchmark", benchmarkCommand],
  ["env", envCommand],
  ["run", runCommand],
  ["build", buildCommand],
  ["test", testCommand],
  ["context", contextCommand],
  ["status", statusCommand],
  ["diff", diffCommand],
  ["interpret", interpretCommand],
  ["ignore", ignoreCommand],
  ["rm", rmCommand],
  ["cp", cpCommand],
  ["mv", mvCommand],
  ["release", releaseCommand],
  ["memcache", memcacheCommand],
  ["pip", pipCommand],
  ["cache", cacheCommand],
  ["build-env", buildEnvCommand],
]);
