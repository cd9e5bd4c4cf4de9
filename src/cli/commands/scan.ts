import { Command } from "@commander-js/extra-typings";
import { formatWarning, openCliRepositories, progressBar, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function scanCommand() {
  return withRepositoryOptions(
    new Command("scan")
      .description("load every package of every configured repository, fill the cache, report counts and problems")
      .option("--json", 'print {"families", "packages", "warnings": [...]}'),
  ).action(async (options, command) => {
    const { set, close } = openCliRepositories(repositoryOptionsOf(command));
    try {
      const progress = progressBar("scanning");
      let families = 0;
      const packages = await set.allPackages((done, total) => {
        families = total;
        progress.update(done, total);
      });
      progress.done();
      const warnings = set.warnings;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ families, packages: packages.length, paths: set.searchedPaths, warnings }, null, 2)}\n`);
        return;
      }
      const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
      const lines = [`${count(families, "family", "families")}, ${count(packages.length, "package", "packages")} in ${set.searchedPaths.join(", ") || "(no repositories)"}`];
      if (warnings.length > 0) lines.push(`${count(warnings.length, "warning", "warnings")}:`, ...warnings.map((w) => `  ${formatWarning(w)}`));
      process.stdout.write(`${lines.join("\n")}\n`);
    } finally {
      await close();
    }
  });
}
