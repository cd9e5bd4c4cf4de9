// How a resolve that did not succeed is shown: Rez's description, then our plain explanation.
import type { ResolveResult } from "../solver/index.js";

/** Exit status of a resolve: 0 solved, 1 failed or aborted, 2 bad input (unparsable request, unknown family). */
export function resolveExitCode(result: Pick<ResolveResult, "status">): number {
  return result.status === "solved" ? 0 : result.status === "error" ? 2 : 1;
}

/** Prints why a resolve did not succeed to stderr (the failure graph, if asked for, goes to `graph`). */
export function reportResolveFailure(
  result: Pick<ResolveResult, "status" | "failureDescription" | "explanation" | "errorType">,
): void {
  if (result.status === "error") {
    process.stderr.write(`pkg: error: ${result.failureDescription ?? "resolve error"}\n`);
    return;
  }
  const title = result.status === "aborted" ? "The resolve was aborted:" : "The context failed to resolve:";
  process.stderr.write(`${title}\n${result.failureDescription ?? ""}\n`);
  if (result.explanation) process.stderr.write(`\nIn plain words:\n${result.explanation}\n`);
}
