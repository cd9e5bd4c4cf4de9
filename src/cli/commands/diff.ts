import { Command } from "@commander-js/extra-typings";
import { ContextDiffError, diffContexts } from "../../context/index.js";
import { formatDiff } from "../context-format.js";
import { loadCliContext } from "../environment.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

export function diffCommand() {
  return withRepositoryOptions(
    new Command("diff")
      .description("compare two resolved contexts: packages added, removed, upgraded, downgraded and whose variant changed from A to B")
      .argument("<a>", "first context file (.rxt)")
      .argument("<b>", "second context file (.rxt)")
      .option("--ignore-paths", "compare even when the contexts were resolved from different package paths")
      .option("--json", 'print {"added", "removed", "upgraded", "downgraded", "variant_changed"} as JSON (docs/json.md)'),
  ).action(async (a, b, options, command) => {
    const repoOptions = repositoryOptionsOf(command);
    const first = await loadCliContext(a, repoOptions);
    const second = await loadCliContext(b, repoOptions).finally(() => void first.repos.close());
    void second.repos.close();
    let diff;
    try {
      diff = diffContexts(first.context, second.context, options.ignorePaths === true);
    } catch (e) {
      if (e instanceof ContextDiffError) throw new CliError(e.code, e.message, "use --ignore-paths to compare anyway", e);
      throw e;
    }
    cliReporter().result(options.json ? { json: diff } : { text: formatDiff(diff) });
  });
}
