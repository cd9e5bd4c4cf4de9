// How a resolve that did not succeed is shown: Rez's description, then our plain explanation.
import { EXIT_STATUS } from "../errors/index.js";
import type { ResolveResult } from "../solver/index.js";
import { cliReporter } from "./output.js";

/**
 * Exit status of `pkg solve`: 0 solved, 1 failed or aborted, 2 for any resolve error (its documented
 * contract, kept: a broken package met while resolving is 2 here and 1 from env and run).
 */
export function resolveExitCode(result: Pick<ResolveResult, "status">): number {
  return result.status === "solved" ? 0 : result.status === "error" ? EXIT_STATUS.usage : EXIT_STATUS.failure;
}

/**
 * Exit status of `pkg env` and `pkg run`: from the error's code (an unparsable request or an unknown family
 * is bad input, 2), 1 for any other resolve that did not succeed.
 */
export function environmentResolveExitCode(result: Pick<ResolveResult, "status" | "error">): number {
  if (result.status === "solved") return EXIT_STATUS.success;
  return result.error?.errorKind === "usage" ? EXIT_STATUS.usage : EXIT_STATUS.failure;
}

/** Prints why a resolve did not succeed to stderr (the failure graph, if asked for, goes to `graph`). */
export function reportResolveFailure(
  result: Pick<ResolveResult, "status" | "failureDescription" | "explanation" | "errorType" | "error">,
): void {
  if (result.status === "error") {
    if (result.error) cliReporter().error(result.error);
    else cliReporter().info(`pkg: error: ${result.failureDescription ?? "resolve error"}`);
    return;
  }
  const title = result.status === "aborted" ? "The resolve was aborted:" : "The context failed to resolve:";
  const reporter = cliReporter();
  const styles = reporter.styles.stderr;
  reporter.info(`${styles.failure(`${title}\n${result.failureDescription ?? ""}`)}\n`);
  if (result.explanation) reporter.info(`\n${styles.heading("In plain words:")}\n${result.explanation.replace(/^hint:/m, styles.hint("hint:"))}\n`);
}
