export { collectingReporter, formatWarning, silentReporter, warningOf } from "./reporter.js";
export type { CollectingReporter, Progress, Reporter, CommandResult, PkgWarning } from "./reporter.js";
