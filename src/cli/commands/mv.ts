// pkg mv: move a package to another repository (Rez's rez-mv): copied there, then ignored (not deleted) here.
import { Command } from "@commander-js/extra-typings";
import { PkgError } from "../../errors/index.js";
import { movePackage } from "../../maintenance/index.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, openCliRepository, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";
import { exactPackage, repositoriesHolding } from "./maintenance-shared.js";

export function mvCommand() {
  return withRepositoryOptions(
    new Command("mv")
      .description("move a package to another repository (Rez's rez-mv); the source keeps it, ignored")
      .argument("<pkg>", "the exact package to move, e.g. foo-1.2.3")
      .argument("[path]", "the repository holding it; without it, the repositories of the packages path that hold it are listed")
      .requiredOption("--dest-path <path>", "the repository to move the package to")
      .option("-k, --keep-timestamp", "keep the source's timestamp")
      .option("-f, --force", "move a package marked relocatable = False")
      .option("-v, --verbose", "say each step")
      .option("--json", "print what was moved as JSON (docs/json.md)"),
  ).action(async (text, path, options, command) => {
    const target = exactPackage(text);
    const reporter = cliReporter();
    const opened: OpenedRepositories[] = [];
    try {
      if (path === undefined) {
        const all = openCliRepositories(repositoryOptionsOf(command));
        opened.push(all);
        const holding = await repositoriesHolding(all.set, target);
        if (holding.length === 0) throw new PkgError("PKG0043", `Package not found: ${target.label} is in none of ${all.set.searchedPaths.join(", ") || "(no repositories)"}`);
        reporter.result(
          options.json
            ? { json: { package: target.label, moved: false, repositories: holding } }
            : { text: `No action taken. Run again, and set PATH to one of:\n${holding.map((h) => `${h}\n`).join("")}` },
        );
        return;
      }
      const from = openCliRepository(path, "PATH");
      opened.push(from);
      const source = (await from.repository.loadFamily(target.name))?.find((d) => d.version === target.version);
      if (!source) throw new PkgError("PKG0043", `Package not found: ${target.label} in ${from.repository.location}`);
      const to = openCliRepository(options.destPath, "--dest-path");
      opened.push(to);
      const result = await movePackage({
        source,
        sourceRepository: from.repository,
        destination: to.repository,
        keepTimestamp: options.keepTimestamp === true,
        force: options.force === true,
        ...(to.loaded.config.variant_shortlinks_dirname ? { shortlinksDirname: to.loaded.config.variant_shortlinks_dirname } : {}),
        reporter,
        verbose: options.verbose === true,
      });
      // Rez's rez-mv prints nothing when it succeeds (-v says each step).
      reporter.result(options.json ? { json: { package: target.label, moved: true, from: from.repository.location, to: to.repository.location, copied: result.copied } } : { text: "" });
    } finally {
      for (const o of opened) await o.close();
    }
  });
}
