export type { GeneratedFile, InteractiveStartup, OutputStyle, RenderOptions, SetupCheck, ShellName, ShellRenderer, StartupRequest } from "./types.js";
export { getShell, shellNames, isShellName, defaultShellName, jsonFormatShellName } from "./registry.js";
export { splitExpandable, findExecutable, checkShellValues } from "./base.js";
export type { ExpandableSegment } from "./base.js";
export { buildShellInvocation, writeInvocationFiles, defaultShellMessage } from "./invocation.js";
export type { ShellInvocationRequest, ShellInvocation } from "./invocation.js";
export { ShellValueError } from "./errors.js";
export { detectSystemPaths } from "./system-paths.js";
export type { SystemPathsOptions } from "./system-paths.js";
