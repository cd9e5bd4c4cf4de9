import { Command } from "@commander-js/extra-typings";
import { formatTestSummary, latestPackage, packageTests, requestedTestNames, runPackageTests, testNames, withLateTests } from "../../build/index.js";
import type { ResolvedContext } from "../../context/index.js";
import { argsAfterDashDash } from "./env.js";
import { cliErrorOf, currentContextFile, lazyRexRunner, loadCliContext, packageRunSettings } from "../environment.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";

export function testCommand() {
  return withRepositoryOptions(
    new Command("test")
      .description("run the tests a package declares in its `tests` attribute (like rez-test)")
      .addHelpText(
        "after",
        "\nEach test runs in an environment resolved from the package (the newest matching PKG), the test's\n" +
          "requires and the variant's requires, after the package's pre_test_commands (`this`, `test.name`).\n" +
          "tests = {\"unit\": \"python -m pytest {root}/tests\", \"maya\": {\"command\": [...], \"requires\": [\"maya\"],\n" +
          "         \"run_on\": [\"default\", \"pre_install\"], \"on_variants\": True}}\n" +
          "Without TEST names, the tests whose run_on has `default` run (all of them when run_on is not given);\n" +
          "names are globs. A test runs on one variant (the one a resolve picks) unless on_variants is True or\n" +
          "{\"type\": \"requires\", \"value\": [...]}. Arguments after `--` go to the one test named.\n\n" +
          "Exit status: 0 when every test that ran passed, 1 otherwise, 2 for bad input.",
      )
      .argument("<package>", "the package to test (foo, foo-1.2, foo-1+<2)")
      .argument("[tests...]", "tests to run (globs; default: those with run_on 'default')")
      .option("-l, --list", "list the package's tests and exit")
      .option("--dry-run", "show what would run, run nothing")
      .option("-s, --stop-on-fail", "stop at the first failed test")
      .option("--inplace", "run the tests in the current environment ($REZ_RXT_FILE); tests it cannot satisfy are skipped")
      .option("--extra-packages <pkg...>", "more packages for the test environments")
      .option("--nl, --no-local", "do not search local_packages_path")
      .option("--json", "print the results as JSON (docs/json.md)"),
  ).action(async (request, tests, options, command) => {
    const after = argsAfterDashDash() ?? [];
    const names = tests.slice(0, Math.max(0, tests.length - after.length));
    if (options.inplace && (options.extraPackages !== undefined || options.local === false)) {
      throw new CliError("PKG0002", "--inplace cannot be combined with --extra-packages or --no-local");
    }
    if (after.length > 0 && names.length !== 1) {
      throw new CliError("PKG0002", "arguments after `--` can only go to one test: name exactly one test", "pkg test PKG TEST -- ARGS");
    }
    const reporter = cliReporter();
    const repoOptions = repositoryOptionsOf(command);
    let repos: OpenedRepositories = openCliRepositories(repoOptions);
    if (options.local === false) {
      const local = repos.loaded.config.local_packages_path;
      const paths = repos.set.searchedPaths.filter((p) => p !== local);
      void repos.close();
      repos = openCliRepositories({ ...repoOptions, repos: paths.length > 0 ? paths : ["memory@empty"] });
    }
    const runner = lazyRexRunner();
    let current: ResolvedContext | undefined;
    let currentRepos: OpenedRepositories | undefined;
    try {
      const found = await latestPackage(repos.set, request).catch((error: unknown) => {
        throw cliErrorOf(error);
      });
      if (!found) throw new CliError("PKG0006", `could not find a package to test: ${request}`, "check the name and the repositories (-r, --paths)");
      const definition = await withLateTests(found, runner.pool).catch((error: unknown) => {
        throw cliErrorOf(error);
      });
      packageTests(definition);
      const all = testNames(definition);
      if (all.length === 0) {
        reporter.info(`No tests found in ${definition.file}`);
        if (options.json) reporter.result({ json: { package: definition.file, tests: [], results: [], succeeded: 0, failed: 0, skipped: 0 } });
        return;
      }
      if (options.list) {
        reporter.result({ text: `${all.join("\n")}\n`, json: { package: definition.file, tests: all } });
        return;
      }
      const run = requestedTestNames(definition, names);
      if (run.length === 0) {
        reporter.info(names.length === 0 ? `No tests with 'default' run_on tag found in ${definition.file}` : `No tests matching ${names.join(" ")} in ${definition.file}`);
        if (options.json) reporter.result({ json: { package: definition.file, tests: [], results: [], succeeded: 0, failed: 0, skipped: 0 } });
        return;
      }
      if (options.inplace) {
        const loaded = await loadCliContext(currentContextFile(), repoOptions);
        current = loaded.context;
        currentRepos = loaded.repos;
      }
      const config = repos.loaded.config;
      const summary = await runPackageTests({
        definition,
        tests: run,
        ...packageRunSettings(repos, runner),
        reporter,
        ...(options.extraPackages ? { extraPackages: options.extraPackages } : {}),
        ...(after.length > 0 ? { extraArgs: after } : {}),
        dryRun: options.dryRun === true,
        stopOnFail: options.stopOnFail === true,
        ...(current ? { current } : {}),
        ...(options.json ? { output: { stdout: (chunk: Buffer) => reporter.output(chunk.toString("utf8")), stderr: (chunk: Buffer) => reporter.output(chunk.toString("utf8")) } } : {}),
      }).catch((error: unknown) => {
        throw cliErrorOf(error);
      });
      const count = (s: string): number => summary.results.filter((r) => r.status === s).length;
      reporter.result({
        text: `\n\n${formatTestSummary(summary.results)}\n`,
        json: { package: definition.file, tests: run, results: summary.results, succeeded: count("success"), failed: count("failed"), skipped: count("skipped") },
      });
      if (summary.exitCode !== 0) process.exitCode = 1;
    } finally {
      await runner.close();
      void repos.close();
      void currentRepos?.close();
    }
  });
}
