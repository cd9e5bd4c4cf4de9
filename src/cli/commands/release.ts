import { createInterface } from "node:readline";
import { delimiter, resolve as resolvePath } from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import { buildArguments, loadDeveloperPackage, splitArgumentGroups } from "../../build/index.js";
import { resolvePackagesPath } from "../../config/index.js";
import { createPackageLoader } from "../../package/index.js";
import { gitTime, promptMessage, releasePackage, vcsPlugins } from "../../release/index.js";
import type { ReleaseSummary } from "../../release/index.js";
import { createDefinitionLoader, isWritableRepository, openRepositories } from "../../repository/index.js";
import { configuredBuildSettings, developerPreprocess } from "./build.js";
import { lazyRexRunner, packageRunSettings } from "../environment.js";
import { CliError } from "../errors.js";
import { numberListOption } from "../number-options.js";
import { cliReporter } from "../output.js";
import { loadCliConfig, openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

function summaryJson(summary: ReleaseSummary): unknown {
  return {
    package: summary.package,
    vcs: summary.vcs,
    tag: summary.tag,
    release_path: summary.releasePath,
    dry_run: summary.dryRun,
    release_data: summary.releaseData,
    variants: summary.released.map((r) => ({ index: r.index, root: r.root, status: r.status })),
  };
}

/** Rez's question when the editor left the message empty: abort (the default), or continue without one. */
function askedMessage(edit: (changelog: string) => Promise<string>): (changelog: string) => Promise<string> {
  return async (changelog) => {
    const message = await edit(changelog);
    if (message !== "") return message;
    const answer = await askLine("Empty release message. [A]bort or [C]ontinue release? ");
    if (/^c/i.test(answer.trim())) return "";
    throw new CliError("PKG0054", "release cancelled: the release message is empty", "write a message in the editor, give -m MESSAGE, or --no-message");
  };
}

/** One line from stdin after a question on stderr; "" when stdin ends first. */
async function askLine(question: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
  try {
    return await new Promise<string>((resolve) => {
      lines.once("close", () => resolve(""));
      lines.question(question, resolve);
    });
  } finally {
    lines.close();
  }
}

export function releaseCommand() {
  const command = withRepositoryOptions(
    new Command("release")
      .description("build a package from a clean, pushed checkout, install it into release_packages_path with its release data, and tag it (like rez-release)")
      .addHelpText("after", "\nRun in the package's source folder. Every variant is built and tested first; only then are all of them\ninstalled, so a failed variant releases nothing and tags nothing.\n\nExit status: 0 released, 1 a refused or failed release, 2 bad input. See docs/release.md.")
      .option("-m, --message <text>", "the release message")
      .addOption(new Option("--vcs <name>", "the version control to use (default: detected)").choices(vcsPlugins().map((p) => p.name)))
      .option("--no-latest", "allow releasing a version lower than the latest released one")
      .option("--ignore-existing-tag", "release even if the tag exists (with check_tag)")
      .option("--skip-repo-errors", "warn about version control errors instead of stopping")
      .option("--no-message", "do not prompt for a release message")
      .option("-n, --dry-run", "run every check and say what would be released; build and write nothing")
      .addOption(new Option("--process <type>", "build process: local").default("local"))
      .option("-b, --build-system <name>", "build system (default: detected)")
      .option("--variants <index...>", "release only these variants", numberListOption("--variants", { takes: "variant indices (whole numbers)", code: "PKG0056" }))
      .option("--ba, --build-args <args>", "arguments for the build system")
      .option("--cba, --child-build-args <args>", "arguments for the child build system")
      .option("--json", "print a summary of the release as JSON on stdout"),
  );
  return command.action(async (options, invoked) => {
    if (options.process !== "local") throw new CliError("PKG0056", `--process ${options.process}: pkg releases with the local build process only`);
    const first = process.argv.indexOf("--");
    const { own, groups } = splitArgumentGroups(first < 0 ? [] : process.argv.slice(first + 1));
    const { buildArgs, childBuildArgs } = buildArguments(
      { ...(options.buildArgs !== undefined ? { buildArgs: options.buildArgs } : {}), ...(options.childBuildArgs !== undefined ? { childBuildArgs: options.childBuildArgs } : {}) },
      first < 0 ? [] : [own, ...groups],
    );
    const reporter = cliReporter();
    const repoOptions = repositoryOptionsOf(invoked);
    const loaded = loadCliConfig();
    const config = loaded.config;
    // a central build resolves from the non-local packages path, as Rez's does
    const local = resolvePath(config.local_packages_path);
    const searched = resolvePackagesPath({ repos: repoOptions.repos, ...(repoOptions.paths !== undefined ? { paths: repoOptions.paths } : {}), loaded }).paths;
    const repos = openCliRepositories({ ...repoOptions, repos: [], paths: searched.filter((p) => resolvePath(p) !== local).join(delimiter) });
    const loader = createPackageLoader({ python: config.python_executable, loadTimeout: config.package_load_timeout, reporter });
    const installLoader = createDefinitionLoader({ python: config.python_executable, loadTimeout: config.package_load_timeout, reporter });
    const runner = lazyRexRunner();
    try {
      const developer = await loadDeveloperPackage(process.cwd(), loader, developerPreprocess(config, runner, reporter));
      const releasePath = resolvePath(config.release_packages_path);
      const opened = openRepositories({ paths: [releasePath], loader: installLoader, lockTimeout: config.file_lock_timeout }).repositories[0];
      if (!opened || !isWritableRepository(opened)) throw new CliError("PKG0030", `cannot release into ${releasePath}: not a writable repository`);
      const prompt = config.prompt_release_message && options.message === undefined && options.message !== false;
      const summary = await releasePackage({
        developer,
        loader,
        ...packageRunSettings(repos, runner),
        reporter,
        releasePath,
        repository: opened,
        hooks: config.release_hooks,
        message: typeof options.message === "string" ? options.message : "",
        ...(options.vcs !== undefined ? { vcs: options.vcs } : {}),
        ensureLatest: options.latest !== false,
        ignoreExistingTag: options.ignoreExistingTag === true,
        skipRepoErrors: options.skipRepoErrors === true,
        maxChangelogRevisions: config.max_package_changelog_revisions,
        maxChangelogChars: config.max_package_changelog_chars,
        dryRun: options.dryRun === true,
        ...(prompt ? { promptMessage: askedMessage(promptMessage(config.editor || process.env.EDITOR || "vi", developer.sourceDir)) } : {}),
        ...(options.variants ? { variants: options.variants } : {}),
        ...(options.buildSystem !== undefined ? { buildSystem: options.buildSystem } : {}),
        buildArgs,
        childBuildArgs,
        ...configuredBuildSettings(config, runner),
      });
      printWarnings(repos.warnings());
      if (options.json) reporter.result({ json: summaryJson(summary) });
      // for bench/release, which subtracts git's own time
      if (process.env.PKG_BENCH_GIT_TIME) reporter.info(`git time: ${gitTime.ms.toFixed(1)} ms`);
    } finally {
      await runner.close();
      await loader.close();
      void repos.close();
      void installLoader.close();
    }
  });
}
