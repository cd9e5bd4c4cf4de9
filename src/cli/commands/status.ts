import { Command } from "@commander-js/extra-typings";
import { formatContextSummary } from "../context-format.js";
import { loadCliContext } from "../environment.js";
import { cliReporter } from "../output.js";
import { repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function statusCommand() {
  return withRepositoryOptions(
    new Command("status")
      .description("show what the current shell has resolved (the context of `pkg env` or `rez-env` you are in)")
      .option("--json", 'print {"context_file", "requests", "resolved"} (docs/json.md); context_file is null outside one'),
  ).action(async (options, command) => {
    const reporter = cliReporter();
    const file = process.env.REZ_RXT_FILE;
    if (!file) {
      // an answer, not an error: "no" (exit 1)
      reporter.result(options.json ? { json: { context_file: null, requests: [], resolved: [] } } : { text: "Not in a resolved environment.\n" });
      process.exitCode = 1;
      return;
    }
    const { context, repos } = await loadCliContext(file, repositoryOptionsOf(command));
    void repos.close();
    if (options.json) {
      reporter.result({ json: { context_file: file, requests: context.requests, resolved: context.variants.map((v) => `${v.name}-${v.version}`) } });
      return;
    }
    reporter.result({ text: formatContextSummary(context, file) });
  });
}
