// pkg ignore: hide one package version from resolves (Rez's rez-pkg-ignore), or show it again (-u).
import { Command } from "@commander-js/extra-typings";
import { PkgError } from "../../errors/index.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, openCliRepository, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";
import { exactPackage, repositoriesHolding } from "./maintenance-shared.js";

const MESSAGES = {
  ignore: { changed: "Package is now ignored and will not be visible to resolves", unchanged: "No action taken - package was already ignored" },
  unignore: { changed: "Package is now visible to resolves once more", unchanged: "No action taken - package was already visible" },
} as const;

export function ignoreCommand() {
  return withRepositoryOptions(
    new Command("ignore")
      .description("hide a package version from resolves and listings (Rez's rez-pkg-ignore), without deleting it")
      .argument("<pkg>", "the exact package, e.g. foo-1.2.3")
      .argument("[repo]", "the repository holding it; without it, the repositories of the packages path that hold it are listed")
      .option("-u, --unignore", "show the package to resolves again")
      .option("-a, --allow-missing", "ignore a version even if the repository does not have it (yet)")
      .option("--json", "print what was done as JSON (docs/json.md)"),
  ).action(async (text, repo, options, command) => {
    const target = exactPackage(text);
    const reporter = cliReporter();
    if (repo === undefined) {
      // As Rez: no repository, no change; say where the package is (every repository with --allow-missing).
      const opened = openCliRepositories(repositoryOptionsOf(command));
      try {
        const holding = options.allowMissing ? opened.set.repositories.map((r) => r.location) : await repositoriesHolding(opened.set, target);
        if (holding.length === 0) throw new PkgError("PKG0043", `Package not found: ${target.label} is in none of ${opened.set.searchedPaths.join(", ") || "(no repositories)"}`);
        reporter.result(
          options.json
            ? { json: { package: target.label, action: null, changed: false, repositories: holding } }
            : { text: `No action taken. Run again, and set PATH to one of:\n${holding.map((h) => `${h}\n`).join("")}` },
        );
      } finally {
        await opened.close();
      }
      return;
    }
    const opened = openCliRepository(repo, "REPO");
    try {
      const { repository } = opened;
      const change = options.unignore
        ? await repository.unignoreVersion(target.name, target.version)
        : await repository.ignoreVersion(target.name, target.version, { allowMissing: options.allowMissing === true });
      if (change === "not-found") throw new PkgError("PKG0043", `Package not found: ${target.label} in ${repository.location}`, {
        hint: options.unignore ? undefined : "check the name and version (pkg list -r REPO), or give --allow-missing to ignore it ahead of time",
      });
      const action = options.unignore ? "unignore" : "ignore";
      reporter.result(
        options.json
          ? { json: { package: target.label, action, changed: change === "changed", repository: repository.location } }
          : { text: `${MESSAGES[action][change]}\n` },
      );
    } finally {
      await opened.close();
    }
  });
}
