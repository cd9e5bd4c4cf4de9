import { resolve as resolvePath } from "node:path";
import { Command, Help, Option } from "@commander-js/extra-typings";
import {
  preprocessDefinition,
  allBuildSystems,
  buildArguments,
  buildPackage,
  buildSystemNames,
  loadDeveloperPackage,
  splitArgumentGroups,
} from "../../build/index.js";
import type { BuildOptionValue, BuildSummary, DeveloperPackage } from "../../build/index.js";
import type { Reporter } from "../../report/index.js";
import { createPackageLoader, writePackagePy } from "../../package/index.js";
import type { PackageDefinition } from "../../package/index.js";
import { RELEASE_KEYS, isWritableRepository, openRepositories, createDefinitionLoader } from "../../repository/index.js";
import type { WritableRepository } from "../../repository/index.js";
import { formatContextSummary } from "../context-format.js";
import { lazyRexRunner, packageRunSettings } from "../environment.js";
import { CliError } from "../errors.js";
import { numberListOption, numberOption } from "../number-options.js";
import { writeFailureGraph } from "../output-files.js";
import { cliReporter, errorJson } from "../output.js";
import { openCliRepositories, printWarnings, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";

/** The words after the first `--` of the command line: build args, and after a second `--` child build args. */
function dashGroups(argv: readonly string[]): { after: readonly string[]; groups: readonly (readonly string[])[] } {
  const first = argv.indexOf("--");
  if (first < 0) return { after: [], groups: [] };
  const after = argv.slice(first + 1);
  const { own, groups } = splitArgumentGroups(after);
  return { after, groups: [own, ...groups] };
}

/** Rez's `--view-pre`: the package as package.py text, without release data and preprocess. */
function viewPreText(definition: PackageDefinition): string {
  const attributes = Object.fromEntries(Object.entries(definition.attributes).filter(([key]) => key !== "preprocess" && !RELEASE_KEYS.includes(key)));
  return writePackagePy({ ...definition, attributes });
}

function summaryJson(summary: BuildSummary): unknown {
  return {
    package: summary.version === "" ? summary.name : `${summary.name}-${summary.version}`,
    name: summary.name,
    version: summary.version,
    build_system: summary.buildSystem,
    build_path: summary.buildRoot,
    install: summary.install,
    install_path: summary.installRoot,
    success: summary.error === undefined,
    variants: summary.variants.map((v) => ({
      index: v.index,
      subpath: v.subpath,
      build_path: v.buildPath,
      install_path: v.installPath,
      status: v.status,
      seconds: Math.round(v.seconds * 1000) / 1000,
      log: v.log,
      scripts: v.scripts,
    })),
    error: summary.error ? errorJson(summary.error) : null,
  };
}

/** The build options every building command takes from the configuration (pkg build, pkg release). */
/** Rez's preprocess functions for the package being built (they start Python only when there is one). */
export function developerPreprocess(config: OpenedRepositories["loaded"]["config"], runner: ReturnType<typeof lazyRexRunner>, reporter: Reporter) {
  return (definition: PackageDefinition): Promise<PackageDefinition> =>
    preprocessDefinition(definition, {
      globalFunction: config.package_preprocess_function,
      mode: config.package_preprocess_mode,
      paths: config.package_definition_build_python_paths,
      python: (request) => runner.pool().request(request),
      reporter,
    });
}

export function configuredBuildSettings(config: OpenedRepositories["loaded"]["config"], runner: ReturnType<typeof lazyRexRunner>) {
  return {
    buildDirectory: config.build_directory,
    threadCount: config.build_thread_count,
    shortlinksDirname: config.variant_shortlinks_dirname,
    includePath: config.package_definition_python_path,
    lockTimeout: config.file_lock_timeout,
    plugins: config.plugins,
    launcher: [process.execPath, resolvePath(process.argv[1] ?? "pkg")],
    python: (request: Parameters<ReturnType<ReturnType<typeof lazyRexRunner>["pool"]>["request"]>[0]) => runner.pool().request(request),
    describeContext: (context: Parameters<typeof formatContextSummary>[0]) => formatContextSummary(context).trimEnd(),
  };
}

export function buildCommand() {
  const systemOptions = allBuildSystems().flatMap((system) => (system.options ?? []).map((option) => ({ system: system.name, option })));
  const command = withRepositoryOptions(
    new Command("build")
      .description("build a package from its source folder, and install it with -i (like rez-build)")
      .addHelpText(
        "after",
        "\nRun in the package's source folder (the one with package.py or package.yaml). Each variant is built in\n" +
          "build/<variant subpath> (build/ for a package without variants) inside an environment resolved from\n" +
          "the package's requires, the variant's requires, build_requires and private_build_requires, with Rez's\n" +
          "REZ_BUILD_* variables and the package's pre_build_commands. With -i the variant is installed into\n" +
          "--prefix or local_packages_path (default ~/packages); a build that fails installs nothing and leaves\n" +
          "an earlier install as it was.\n\n" +
          "Build systems: " +
          allBuildSystems().map((s) => `\n  ${s.name.padEnd(8)} ${new Help().boxWrap(s.summary, 69).replace(/\n/g, `\n${" ".repeat(11)}`)}`).join("") +
          "\nA custom build's options can be declared in parse_build_args.py beside package.py (argparse, `parser`).\n\n" +
          "Arguments after `--` go to the build system (cmake's configure, make, a custom build_command); after a\n" +
          "second `--`, to the child build system (the make that cmake drives).\n\n" +
          "Examples:\n" +
          "  pkg build                      build every variant\n" +
          "  pkg build -i                   build and install into ~/packages\n" +
          "  pkg build -i -p /studio/pkgs   install there\n" +
          "  pkg build --variants 0 -1      the first and the last variant\n" +
          "  pkg build -j 2 -i              two variants at once (a log each)\n" +
          "  pkg build -s                   write build/<variant>/build-env (a build shell)\n" +
          "  pkg build -- -DFOO=1 -- VERBOSE=1\n\n" +
          "Exit status: 0 every selected variant built, 1 a build or the build resolve failed, 2 bad input.\n" +
          "See docs/build.md.",
      )
      .argument("[build-system-options...]", "options of the build system (custom: those parse_build_args.py declares)")
      .allowUnknownOption()
      .option("-c, --clean", "delete each selected variant's build folder before building it")
      .option("-i, --install", "install the package (into --prefix, else local_packages_path)")
      .option("-p, --prefix <path>", "the repository to install into (also the install path builds see without -i)")
      .option("--fail-graph <file>", "when the build environment does not resolve, write its failure graph to FILE as Graphviz DOT")
      .option("-s, --scripts", "write a build-env script per variant (a shell in its build environment) instead of building")
      .option("--view-pre", "print the package as package.py text, as it is built, and exit")
      .addOption(new Option("--process <type>", "build process: local (remote is not available)").default("local"))
      .option("-b, --build-system <name>", `build system: ${buildSystemNames().join(", ")} (default: detected)`)
      .option("--variants <index...>", "build only these variants (negative indices count from the end)", numberListOption("--variants", { takes: "variant indices (whole numbers, negative ones count from the end)" }))
      .option("--ba, --build-args <args>", "arguments for the build system (or give them after `--`)")
      .option("--cba, --child-build-args <args>", "arguments for the child build system (or after a second `--`)")
      .option("-j, --jobs <n>", "build up to N variants at once (default 1)", numberOption("-j/--jobs", { takes: "a number of variants to build at once (1 or more)", min: 1 }))
      .option("--json", "print a summary of the build as JSON on stdout (docs/json.md); build output stays on stderr"),
  );
  for (const { system, option } of systemOptions) {
    const o = new Option(option.flags, `${option.description} (${system} build system)`);
    command.addOption(option.choices ? o.choices([...option.choices]) : o);
  }
  return command.action(async (words, options, invoked) => {
    if (options.process !== "local") {
      throw new CliError("PKG0002", `--process ${options.process}: pkg builds with the local build process only`, "Rez's remote build process is not implemented either");
    }
    const { after, groups } = dashGroups(process.argv);
    // commander passes the unknown options and everything after `--`; the former are the build system's
    const extraWords = words.slice(0, Math.max(0, words.length - after.length)).filter((w, i, all) => !(w === "--" && i === all.length - 1));
    const { buildArgs, childBuildArgs } = buildArguments(
      { ...(options.buildArgs !== undefined ? { buildArgs: options.buildArgs } : {}), ...(options.childBuildArgs !== undefined ? { childBuildArgs: options.childBuildArgs } : {}) },
      groups,
    );
    const reporter = cliReporter();
    const repoOptions = repositoryOptionsOf(invoked);
    const repos: OpenedRepositories = openCliRepositories(repoOptions);
    const config = repos.loaded.config;
    const loader = createPackageLoader({ python: config.python_executable, loadTimeout: config.package_load_timeout, reporter });
    const runner = lazyRexRunner();
    let installLoader: ReturnType<typeof createDefinitionLoader> | undefined;
    try {
      const developer: DeveloperPackage = await loadDeveloperPackage(process.cwd(), loader, developerPreprocess(config, runner, reporter));
      if (options.viewPre) {
        reporter.result({ text: viewPreText(developer.definition), json: { package: developer.definition.attributes } });
        return;
      }
      const own: Record<string, BuildOptionValue> = {};
      const given = options as Record<string, unknown>;
      for (const { option } of systemOptions) {
        const value = given[option.key];
        if (typeof value === "string" || typeof value === "boolean") own[option.key] = value;
      }
      const installRoot = resolvePath(options.prefix ?? config.local_packages_path);
      let repository: WritableRepository | undefined;
      if (options.install) {
        const known = repos.set.repositories.find((r) => (r as { location?: string }).location === installRoot);
        if (known && isWritableRepository(known)) repository = known;
        else {
          installLoader = createDefinitionLoader({ python: config.python_executable, loadTimeout: config.package_load_timeout, reporter });
          const installRepositories = openRepositories({ paths: [installRoot], loader: installLoader, lockTimeout: config.file_lock_timeout });
          const opened = installRepositories.repositories[0];
          if (!opened || !isWritableRepository(opened)) throw new CliError("PKG0030", `cannot install into ${installRoot}: not a writable repository`);
          repository = opened;
        }
      }
      const summary = await buildPackage({
        developer,
        loader,
        ...packageRunSettings(repos, runner),
        reporter,
        installRoot,
        ...(repository ? { repository } : {}),
        clean: options.clean === true,
        ...(options.variants ? { variants: options.variants } : {}),
        ...(options.buildSystem !== undefined ? { buildSystem: options.buildSystem } : {}),
        buildArgs,
        childBuildArgs,
        systemOptions: own,
        extraWords,
        writeScripts: options.scripts === true,
        jobs: options.jobs ?? 1,
        ...configuredBuildSettings(config, runner),
      });
      printWarnings(repos.warnings());
      if (options.json) reporter.result({ json: summaryJson(summary) });
      if (summary.error) {
        const failed = summary.variants.find((v) => v.status === "failed");
        if (options.failGraph !== undefined && failed?.failureGraph) writeFailureGraph(options.failGraph, failed.failureGraph);
        else if (options.failGraph !== undefined && summary.error.code === "PKG0037") reporter.info("the failed resolve context did not generate a graph.");
        if (!options.json) reporter.error(summary.error);
        process.exitCode = summary.error.exitStatus;
      }
    } finally {
      await runner.close();
      await loader.close();
      void repos.close();
      void installLoader?.close();
    }
  });
}
