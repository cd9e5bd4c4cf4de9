import { Command } from "@commander-js/extra-typings";
import { formatWarning } from "../../report/index.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function scanCommand() {
  return withRepositoryOptions(
    new Command("scan")
      .description("load every package of every configured repository, fill the cache, report counts and problems")
      .option("--json", 'print {"families", "packages", "paths", "warnings": [...]} (docs/json.md)'),
  ).action(async (options, command) => {
    const reporter = cliReporter();
    const { set, close } = openCliRepositories(repositoryOptionsOf(command));
    try {
      const progress = reporter.progress("scanning");
      let families = 0;
      const packages = await set.allPackages((done, total) => {
        families = total;
        progress.update(done, total);
      });
      progress.done();
      // The repositories' warnings are scan's data: listed on stdout, not reported as status.
      const warnings = set.warnings;
      if (options.json) {
        reporter.result({ json: { families, packages: packages.length, paths: set.searchedPaths, warnings } });
        return;
      }
      const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
      const lines = [`${count(families, "family", "families")}, ${count(packages.length, "package", "packages")} in ${set.searchedPaths.join(", ") || "(no repositories)"}`];
      if (warnings.length > 0) lines.push(`${count(warnings.length, "warning", "warnings")}:`, ...warnings.map((w) => `  ${formatWarning(w)}`));
      reporter.result({ text: `${lines.join("\n")}\n` });
    } finally {
      await close();
    }
  });
}
