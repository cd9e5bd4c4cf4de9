import { Command } from "@commander-js/extra-typings";
import { formatContextSummary } from "../context-format.js";
import { loadCliContext } from "../environment.js";
import { repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function statusCommand() {
  return withRepositoryOptions(
    new Command("status")
      .description("show what the current shell has resolved (the context of `pkg env` or `rez-env` you are in)")
      .option("--json", "print the request and the resolved packages as JSON"),
  ).action(async (options, command) => {
    const file = process.env.REZ_RXT_FILE;
    if (!file) {
      process.stdout.write("Not in a resolved environment.\n");
      process.exitCode = 1;
      return;
    }
    const { context, repos } = await loadCliContext(file, repositoryOptionsOf(command));
    void repos.close();
    if (options.json) {
      process.stdout.write(
        JSON.stringify({ context_file: file, requests: context.requests, resolved: context.variants.map((v) => `${v.name}-${v.version}`) }, null, 2) + "\n",
      );
      return;
    }
    process.stdout.write(formatContextSummary(context, file));
  });
}
