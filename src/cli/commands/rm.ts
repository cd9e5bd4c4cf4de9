// pkg rm: remove a package, an empty family, or every package ignored for some days (Rez's rez-rm).
import { Command } from "@commander-js/extra-typings";
import { PkgError } from "../../errors/index.js";
import type { WritableRepository } from "../../repository/index.js";
import { isWritableRepository } from "../../repository/index.js";
import { CliError } from "../errors.js";
import { numberOption } from "../number-options.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, openCliRepository, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";
import { exactPackage } from "./maintenance-shared.js";

const DAY_MS = 24 * 3600 * 1000;

interface Removed {
  readonly name: string;
  /** null for a whole family. */
  readonly version: string | null;
  readonly repository: string;
}

/** The versions of `repository` ignored at least `days` days ago (by the tag's change time, as Rez reads it). */
async function removeIgnoredSince(repository: WritableRepository, days: number, dryRun: boolean, verbose: boolean): Promise<Removed[]> {
  const reporter = cliReporter();
  const now = Date.now();
  const removed: Removed[] = [];
  for (const { name, version, since } of await repository.ignoredVersions()) {
    // Rez compares whole seconds of age, in days.
    if ((Math.floor(now / 1000) - Math.floor(since / 1000)) * 1000 < days * DAY_MS) continue;
    if (dryRun) {
      if (verbose) reporter.info(`Would remove ${name}-${version} from ${repository.location}`);
    } else if (await repository.removePackage(name, version)) {
      if (verbose) reporter.info(`Removed ${name}-${version} from ${repository.location}`);
    } else continue;
    removed.push({ name, version, repository: repository.location });
  }
  return removed;
}

export function rmCommand() {
  return withRepositoryOptions(
    new Command("rm")
      .description("remove packages from a repository (Rez's rez-rm)")
      .argument("[path]", "the repository holding the package or family (needed with -p and -f)")
      .option("-p, --package <pkg>", "remove this package (e.g. foo-1.2.3), even if it is ignored")
      .option("-f, --family <name>", "remove this package family; only an empty one, unless --force-family")
      .option("--force-family", "with -f: remove the family even if it still has packages")
      .option("-i, --ignored-since <days>", "remove every package ignored for DAYS days or more (in PATH, else every repository of the packages path)", numberOption("--ignored-since", { takes: "a whole number of days" }))
      .option("--dry-run", "with --ignored-since: say what would be removed, remove nothing")
      .option("-v, --verbose", "say what is searched and removed")
      .option("--json", "print what was removed as JSON (docs/json.md)"),
  ).action(async (path, options, command) => {
    const chosen = [options.package !== undefined, options.family !== undefined, options.ignoredSince !== undefined].filter(Boolean).length;
    if (chosen === 0) {
      if (options.forceFamily) throw new CliError("PKG0002", "--force-family needs the family: -f NAME --force-family");
      throw new CliError("PKG0002", "Must specify either --package, --family or --ignored-since", "run with --help for usage");
    }
    if (chosen > 1) throw new CliError("PKG0002", "give one of --package, --family and --ignored-since");
    if (options.forceFamily && options.family === undefined) throw new CliError("PKG0002", "--force-family goes with -f/--family");
    const reporter = cliReporter();
    const verbose = options.verbose === true;
    const dryRun = options.dryRun === true;
    const removed: Removed[] = [];
    let text: string;
    if (options.ignoredSince !== undefined) {
      const opened: OpenedRepositories = path !== undefined ? openCliRepository(path, "PATH") : openCliRepositories(repositoryOptionsOf(command));
      try {
        for (const repository of opened.set.repositories) {
          if (!isWritableRepository(repository)) continue;
          if (verbose) reporter.info(`Searching ${repository.location}...`);
          removed.push(...(await removeIgnoredSince(repository, options.ignoredSince, dryRun, verbose)));
        }
      } finally {
        await opened.close();
      }
      text = removed.length === 0 ? "No packages were removed.\n" : `${removed.length} packages ${dryRun ? "would be" : "were"} removed.\n`;
    } else {
      const flag = options.package !== undefined ? "--package" : "--family";
      if (dryRun) throw new CliError("PKG0002", `--dry-run is not supported with ${flag}`);
      if (path === undefined) throw new CliError("PKG0002", `Must specify PATH with ${flag}`);
      const opened = openCliRepository(path, "PATH");
      try {
        const { repository } = opened;
        if (options.package !== undefined) {
          const target = exactPackage(options.package, "--package");
          if (!(await repository.removePackage(target.name, target.version))) throw new PkgError("PKG0043", `Package not found: ${target.label} in ${repository.location}`);
          removed.push({ name: target.name, version: target.version, repository: repository.location });
          text = "Package removed.\n";
        } else {
          const name = options.family!;
          if (/[-@#]/.test(name)) throw new CliError("PKG0002", `-f ${name}: expected a package name, not a version`);
          let gone: boolean;
          try {
            gone = await repository.removeFamily(name, { force: options.forceFamily === true });
          } catch (error) {
            // Rez refuses a non-empty family with exit 1, not as bad input.
            if (error instanceof PkgError && error.code === "PKG0032") throw new PkgError("PKG0043", `Cannot remove non-empty package family ${name}: ${error.message}`, { hint: "remove its packages first, or add --force-family" });
            throw error;
          }
          if (!gone) throw new PkgError("PKG0043", `Package family not found: ${name} in ${repository.location}`);
          removed.push({ name, version: null, repository: repository.location });
          text = "Package family removed.\n";
        }
      } finally {
        await opened.close();
      }
    }
    reporter.result(options.json ? { json: { removed, dryRun } } : { text });
  });
}
