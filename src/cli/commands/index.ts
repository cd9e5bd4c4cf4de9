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

type CommandFactory = () => CommandUnknownOpts;

/**
 * Every top-level command, in the order `pkg --help` lists them, with the names and aliases it answers to (so
 * that a run builds only the command it runs: building all of them is a good part of start-up). `completion`
 * names none: it reads every command, so a run of it builds them all. index.test.ts checks the names against
 * the commands themselves.
 */
const table: ReadonlyArray<readonly [CommandFactory, ...string[]]> = [
  [listCommand, "list", "ls"],
  [infoCommand, "info"],
  [searchCommand, "search"],
  [viewCommand, "view"],
  [dependsCommand, "depends"],
  [configCommand, "config"],
  [pluginsCommand, "plugins"],
  [scanCommand, "scan"],
  [solveCommand, "solve"],
  [graphCommand, "graph"],
  [benchmarkCommand, "benchmark"],
  [envCommand, "env"],
  [runCommand, "run"],
  [buildCommand, "build"],
  [testCommand, "test"],
  [contextCommand, "context"],
  [statusCommand, "status"],
  [diffCommand, "diff"],
  [interpretCommand, "interpret"],
  [ignoreCommand, "ignore"],
  [rmCommand, "rm"],
  [cpCommand, "cp"],
  [mvCommand, "mv"],
  [releaseCommand, "release"],
  [pipCommand, "pip"],
  [memcacheCommand, "memcache"],
  [completionCommand],
  [cacheCommand, "cache"],
];

/** Commands other commands' files call (`build-env` scripts), left out of `pkg --help`. */
const hiddenTable: ReadonlyArray<readonly [CommandFactory, ...string[]]> = [[buildEnvCommand, "build-env"]];

export const commands: readonly CommandFactory[] = table.map(([make]) => make);
export const hiddenCommands: readonly CommandFactory[] = hiddenTable.map(([make]) => make);

/** The factory of each command name and alias. */
export const commandsByName: ReadonlyMap<string, CommandFactory> = new Map(
  [...table, ...hiddenTable].flatMap(([make, ...names]) => names.map((name): [string, CommandFactory] => [name, make])),
);
