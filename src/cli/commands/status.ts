import { Command } from "@commander-js/extra-typings";
import { formatContextSummary } from "../context-format.js";
import { loadCliContext } from "../environment.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function statusCommand() {
  return withRepositoryOptions(
    new Command("status")
      .description("show what the current shell has resolved (the context of `pkg env` or `rez-env` you are in)")
      .option("--json", 'print {"context_file", "requests", "resolved"} (docs/json.md); outside one, the error document'),
  ).action(async (options, command) => {
    const reporter = cliReporter();
    const file = process.env.REZ_RXT_FILE;
    if (!file) {
      // An answer for people ("no", exit 1); for scripts the error document every command gives (PKG0024).
      if (options.json) throw new CliError("PKG0024", "not in a resolved environment (REZ_RXT_FILE is not set)", "run inside `pkg env`");
      reporter.result({ text: "Not in a resolved environment.\n" });
      process.exitCode = 1;
      return;
    }
    const { context, repos } = await loadCliContext(file, repositoryOptionsOf(command));
    void repos.close();
    if (options.json) {
      reporter.result({ json: { context_file: file, requests: context.requests, resolved: context.variants.map((v) => `${v.name}-${v.version}`) } });
      return;
    }
    reporter.result({ text: formatContextSummary(context, { file, localPackagesPath: repos.loaded.config.local_packages_path, styles: reporter.styles.stdout, currentEnviron: process.env }) });
  });
}
