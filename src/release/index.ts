// pkg release: the flow, the VCS plugins (git, stub) and the release-hook plugins (command, emailer) with their registries.
export { mergeSettings, pluginSettings, releasePackage, tagName, truncateChangelog } from "./release.js";
export type { ReleaseOptions, ReleaseSummary } from "./release.js";
export { detectVcs, registerVcs, vcsPlugins } from "./vcs.js";
export type { PluginSettings, ReleaseVcs, VcsPlugin } from "./vcs.js";
export { branchReleasable, gitTime, relativeToRemote } from "./git.js";
export { expandVariables, formatHookArgument, getReleaseHook, registerReleaseHook, releaseHooks } from "./hooks.js";
export type { HookInput, ReleaseHook } from "./hooks.js";
export { promptMessage } from "./message.js";
export { EMAILER_DEFAULTS, recipientsFromRules, releaseEmail } from "./emailer.js";
