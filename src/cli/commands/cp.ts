// pkg cp: copy a package (or some of its variants) into another repository (Rez's rez-cp).
import { basename, dirname } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { PkgError } from "../../errors/index.js";
import { copyPackage } from "../../maintenance/index.js";
import type { PackageDefinition } from "../../package/index.js";
import type { WritableRepository } from "../../repository/index.js";
import { CliError } from "../errors.js";
import { numberListOption } from "../number-options.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, openCliRepository, repositoryOptionsOf, withoutLocalPackages, withRepositoryOptions } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";
import { copyReport, locationOf, matchingPackages, splitVariantUri } from "./maintenance-shared.js";

/** A repository with no packages at all is more likely a mistyped --dest-path than a new repository. */
async function isEmpty(repository: WritableRepository): Promise<boolean> {
  for (const name of await repository.familyNames()) if (((await repository.loadFamily(name)) ?? []).length > 0) return false;
  return true;
}

export function cpCommand() {
  return withRepositoryOptions(
    new Command("cp")
      .description("copy a package into another repository (Rez's rez-cp)")
      .argument("[pkg]", "the package to copy (e.g. foo-1.2.3); one package must match")
      .option("--dest-path <path>", "the repository to copy into (default: the package's own, with --rename or --reversion)")
      .option("--reversion <version>", "copy to another version")
      .option("--rename <name>", "copy to another package name")
      .option("-o, --overwrite", "replace variants the destination has already")
      .option("-s, --shallow", "symlink the payload's top-level entries instead of copying them")
      .option("--follow-symlinks", "copy what symbolic links in the payload point to, not the links")
      .option("-k, --keep-timestamp", "keep the source's timestamp (not when adding variants to an existing package)")
      .option("-f, --force", "copy a package marked relocatable = False")
      .option("--allow-empty", "allow copying into a repository that has no packages yet")
      .option("--dry-run", "say what would be copied, copy nothing")
      .option("--variants <index...>", "copy only these variants (negative indices count from the end)", numberListOption("--variants", { takes: "variant indices (whole numbers, negative ones count from the end)" }))
      .option("--variant-uri <uri>", "copy the variant with this uri (<repo>/<name>/<version>/package.py[<index>]); replaces PKG and --variants")
      .option("--nl", "do not search the local packages path for PKG (same as --no-local)")
      .option("--no-local", "do not search the local packages path for PKG")
      .option("-v, --verbose", "say what is copied and skipped")
      .option("--json", "print what was copied and skipped as JSON (docs/json.md)"),
  ).action(async (request, options, command) => {
    if (options.variantUri !== undefined && request !== undefined) throw new CliError("PKG0002", "Supply PKG or --variant-uri, not both.");
    if (options.variantUri === undefined && request === undefined) throw new CliError("PKG0002", "Expected PKG.", "give the package to copy, or --variant-uri");
    if (options.destPath === undefined && options.rename === undefined && options.reversion === undefined) {
      throw new CliError("PKG0002", "--dest-path must be specified unless --rename or --reversion are used.");
    }
    const reporter = cliReporter();
    let source: PackageDefinition;
    let sourceLocation: string;
    let variants: readonly number[] | undefined = options.variants;
    const opened: OpenedRepositories[] = [];
    try {
      if (options.variantUri !== undefined) {
        const uri = splitVariantUri(options.variantUri);
        const from = uri ? openCliRepositories({ repos: [uri.repository], cache: true }) : undefined;
        if (from) opened.push(from);
        const family = uri && from ? await from.set.getFamily(basename(dirname(dirname(uri.file)))) : undefined;
        const found = family?.find((d) => d.file === uri!.file);
        const count = Array.isArray(found?.attributes.variants) ? found.attributes.variants.length : 0;
        if (!found || !uri || (uri.index === null ? count > 0 : uri.index >= count)) throw new PkgError("PKG0043", `Unknown variant: ${options.variantUri}`);
        source = found;
        sourceLocation = uri.repository;
        variants = uri.index === null ? undefined : [uri.index];
      } else {
        const noLocal = options.nl === true || options.local === false;
        const from = openCliRepositories(noLocal ? withoutLocalPackages(repositoryOptionsOf(command)) : repositoryOptionsOf(command));
        opened.push(from);
        const matches = await matchingPackages(from.set, request!);
        if (matches.length === 0) throw new PkgError("PKG0043", "No matching packages found.", { hint: `searched ${from.set.searchedPaths.join(", ") || "(no repositories)"}` });
        if (matches.length > 1) {
          throw new PkgError("PKG0044", `More than one package matches, please choose:\n${matches.map((d) => `${d.name}-${d.version}`).join("\n")}`, { hint: "give the exact version, e.g. foo-1.2.3" });
        }
        source = matches[0]!;
        sourceLocation = locationOf(from.set, source) ?? dirname(dirname(dirname(source.file)));
      }
      const to = openCliRepository(options.destPath ?? sourceLocation, "--dest-path");
      opened.push(to);
      const destination = to.repository;
      if (options.destPath !== undefined && !options.allowEmpty && (await isEmpty(destination))) {
        throw new PkgError(
          "PKG0044",
          `Attempting to copy a package into an EMPTY repository (${destination.location}). Is --dest-path the repository itself, without the package name or version?`,
          { hint: "if this is a new package repository, give --allow-empty" },
        );
      }
      const result = await copyPackage({
        source,
        sourceLocation,
        destination,
        ...(variants !== undefined ? { variants } : {}),
        ...(options.rename !== undefined ? { name: options.rename } : {}),
        ...(options.reversion !== undefined ? { version: options.reversion } : {}),
        overwrite: options.overwrite === true,
        shallow: options.shallow === true,
        followSymlinks: options.followSymlinks === true,
        keepTimestamp: options.keepTimestamp === true,
        force: options.force === true,
        dryRun: options.dryRun === true,
        ...(to.loaded.config.variant_shortlinks_dirname ? { shortlinksDirname: to.loaded.config.variant_shortlinks_dirname } : {}),
        reporter,
        verbose: options.verbose === true,
      });
      const dryRunBase = destination.variantRoot(options.rename ?? source.name, options.reversion ?? source.version, null);
      reporter.result(options.json ? { json: { ...result, dryRun: options.dryRun === true } } : { text: copyReport(source, result, options.dryRun === true, dryRunBase) });
    } finally {
      for (const o of opened) await o.close();
    }
  });
}
