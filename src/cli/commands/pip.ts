// pkg pip: Python distributions as packages (Rez's rez-pip; docs/pip.md).
import { Command } from "@commander-js/extra-typings";
import { resolveContext } from "../../context/index.js";
import { importDistributions, installRemap, readRequirementsFile } from "../../pip/index.js";
import type { PythonPackageEnvironment } from "../../pip/index.js";
import { defaultShellName } from "../../shells/index.js";
import { Version } from "../../version/index.js";
import { interpretForShell, lazyRexRunner, shellOf } from "../environment.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { NO_CACHE_OPTION, PATHS_OPTION, openCliRepositories, openCliRepository, repositoryOptionsOf } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";
import { resolveSettings } from "../resolve-options.js";

let remainder: readonly string[] = [];

/**
 * rez-pip's `-e/--extra` takes everything after it for pip (argparse REMAINDER): cut off before commander
 * reads the command line, so pip's options (`-r FILE`, `--no-deps`) are pip's, not pkg's.
 */
export function splitPipRemainder(argv: readonly string[]): string[] {
  // the command word: the first argument that is neither a global option nor the value of one
  let command = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-r" || a === "--repo" || a === "--paths") i++;
    else if (!a.startsWith("-")) {
      command = a === "pip" ? i : -1;
      break;
    }
  }
  if (command < 0) return [...argv];
  const extra = argv.findIndex((a, i) => i > command && (a === "-e" || a === "--extra"));
  if (extra < 0) return [...argv];
  remainder = argv.slice(extra + 1);
  return [...argv.slice(0, extra + 1)];
}

export function pipCommand() {
  return new Command("pip")
    .description("turn Python distributions (names, requirements, wheels, sdists, folders) into packages (Rez's rez-pip)")
    .argument("[packages...]", "what to import: a name, a requirement ('requests>=2,<3'), a wheel or sdist file, a folder")
    .option("--python-version <version>", "make the packages for this python (default: the latest python package, else the system python3)")
    .option("-i, --install", "install the packages (required, as for rez-pip)")
    .option("-r, --release", "install into release_packages_path (not local_packages_path)")
    .option("-p, --prefix <path>", "install into this repository")
    .option("-e, --extra", "everything after it goes to pip (added to pip_extra_args)")
    .option("--requirements <file>", "import what a pip requirements file lists (repeatable)", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option("--no-deps", "import only the packages named, not their dependencies")
    .option("-v, --verbose", "show pip's output as it runs")
    .option("--json", "print the packages installed, skipped and found already as JSON (docs/json.md)")
    .option(PATHS_OPTION[0], PATHS_OPTION[1])
    .option(NO_CACHE_OPTION[0], NO_CACHE_OPTION[1])
    .action(async (packages, options, command) => {
      const extra = options.extra ? remainder : [];
      if (!options.install) throw new CliError("PKG0049", "Expected one of: --install", "rez-pip needs -i/--install too: pkg pip -i PACKAGE");
      const sources = [...packages, ...(options.requirements ?? []).flatMap((f) => readRequirementsFile(f))];
      if (sources.length === 0) throw new CliError("PKG0049", "no package to import", "give a name, requirement, wheel, sdist or folder, or --requirements FILE");
      let pythonVersion: string | undefined;
      if (options.pythonVersion !== undefined) {
        try {
          pythonVersion = Version.parse(options.pythonVersion).trim(2).toString();
        } catch {
          throw new CliError("PKG0049", `--python-version '${options.pythonVersion}' is not a version`);
        }
      }
      const reporter = cliReporter();
      const opened: OpenedRepositories[] = [];
      try {
        const repos = openCliRepositories(repositoryOptionsOf(command));
        opened.push(repos);
        const config = repos.loaded.config;
        const to = openCliRepository(options.prefix ?? (options.release ? config.release_packages_path : config.local_packages_path), options.prefix ? "--prefix" : options.release ? "release_packages_path" : "local_packages_path");
        opened.push(to);
        const remaps = config.pip_install_remaps.map((t, i) => installRemap(t, `pip_install_remaps[${i}] (${repos.loaded.sources.pip_install_remaps})`));
        const resolvePython = async (request: string): Promise<PythonPackageEnvironment | undefined> => {
          const family = await repos.set.getFamily("python");
          if (!family || family.length === 0) return undefined;
          const { context } = await resolveContext([request], {
            ...resolveSettings({}, config),
            source: repos.set,
            packagePaths: repos.set.searchedPaths,
            reporter,
            ...(repos.resolveCache ? { resolveCache: repos.resolveCache } : {}),
          });
          const python = context.status === "solved" ? context.variants.find((v) => v.name === "python") : undefined;
          if (!python) return undefined;
          const { response } = await interpretForShell(context, { shell: shellOf(undefined, defaultShellName()), runner: lazyRexRunner(), cacheDir: config.cache_dir });
          return { version: python.version, uri: python.uri, env: response.environ };
        };
        const result = await importDistributions({
          sources,
          destination: to.repository,
          packages: repos.set,
          noDeps: options.deps === false,
          ...(pythonVersion !== undefined ? { pythonVersion } : {}),
          python: { resolvePython, systemPython: config.python_executable, cacheDir: config.cache_dir },
          pipArgs: [...config.pip_extra_args, ...extra],
          remaps,
          reporter,
          echoPip: options.verbose === true,
          ...(options.release ? { release: { hooks: config.release_hooks, plugins: config.plugins } } : {}),
        });
        if (options.json) reporter.result({ json: result });
      } finally {
        for (const o of opened) await o.close();
      }
    });
}
