// The release flow (Rez §6.2) made all-or-nothing: checks, release data, pre-release hooks, every variant
// built and tested into staging, then all installed with the release data (rolled back if one install
// fails), post-release hooks and the tag last, so nothing is tagged when nothing was released.
import { existsSync } from "node:fs";
import { buildPackage, selectVariants, variantCount } from "../build/index.js";
import type { BuildOptions, BuildSummary, PendingInstall } from "../build/index.js";
import { PkgError, asPkgError } from "../errors/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { mergeVariant } from "../repository/index.js";
import type { VariantInstallResult, WritableRepository } from "../repository/index.js";
import { Version } from "../version/index.js";
import { currentUser, getReleaseHook } from "./hooks.js";
import type { HookInput, ReleaseHook } from "./hooks.js";
import { detectVcs } from "./vcs.js";
import type { PluginSettings, ReleaseVcs } from "./vcs.js";
import "./git.js";
import "./stub.js";

type Table = { readonly [key: string]: PackageValue };

export interface ReleaseOptions extends Omit<BuildOptions, "repository" | "installRoot" | "buildType" | "deferInstall" | "clean" | "writeScripts"> {
  /** release_packages_path, and its repository. */
  readonly releasePath: string;
  readonly repository: WritableRepository;
  /** The configuration's `plugins` table (Rez's plugin settings). */
  readonly plugins: Table;
  readonly hooks: readonly string[];
  readonly message: string;
  readonly vcs?: string;
  readonly ensureLatest: boolean;
  readonly ignoreExistingTag: boolean;
  readonly skipRepoErrors: boolean;
  readonly maxChangelogRevisions: number;
  readonly maxChangelogChars: number;
  /** Checks and prints what would be released; builds and writes nothing. */
  readonly dryRun?: boolean;
  /** Asked once the changelog is known, when no message was given (the `prompt_release_message` editor). */
  readonly promptMessage?: (changelog: string) => Promise<string>;
}

export interface ReleaseSummary {
  readonly package: string;
  readonly vcs: string;
  readonly tag: string;
  readonly releasePath: string;
  readonly released: readonly VariantInstallResult[];
  readonly skipped: number;
  readonly build?: BuildSummary;
  readonly releaseData: Table;
  readonly dryRun: boolean;
}

const VCS_DEFAULTS: Table = { tag_name: "{qualified_name}", releasable_branches: [], check_tag: false };
const PER_VCS_DEFAULTS: { readonly [name: string]: Table } = { git: { allow_no_upstream: false, check_untracked: false } };

function isTable(v: PackageValue | undefined): v is Table {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

/** `over` merged into `under`, tables key by key (Rez's plugin settings over their defaults). */
export function mergeSettings(under: Table, over: Table | undefined): Table {
  const out: { [key: string]: PackageValue } = { ...under };
  for (const [key, value] of Object.entries(over ?? {})) out[key] = isTable(value) && isTable(out[key]) ? mergeSettings(out[key] as Table, value) : value;
  return out;
}

export function pluginSettings(plugins: Table, type: string, name: string, defaults: Table, shared: Table = {}): Table {
  const ofType = isTable(plugins[type]) ? (plugins[type] as Table) : {};
  const sharedPart = Object.fromEntries(Object.entries(ofType).filter(([k]) => k in shared));
  return mergeSettings(mergeSettings(shared, sharedPart), mergeSettings(defaults, isTable(ofType[name]) ? (ofType[name] as Table) : undefined));
}

/** Rez's cap: kept whole up to max+3 characters, else the first max and "...". */
export function truncateChangelog(text: string, max: number): string {
  return max > 0 && text.length > max + 3 ? `${text.slice(0, max)}...` : text;
}

/** `{name}`, `{version}`, `{qualified_name}` and other attributes; empty gives `unversioned` as Rez's does. */
export function tagName(format: string, definition: PackageDefinition): string {
  const values: { [k: string]: string } = { name: definition.name, version: definition.version, qualified_name: definition.version ? `${definition.name}-${definition.version}` : definition.name };
  const tag = format.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? (typeof definition.attributes[key] === "string" ? (definition.attributes[key] as string) : whole));
  return tag === "" ? "unversioned" : tag;
}

function qualified(definition: PackageDefinition): string {
  return definition.version ? `${definition.name}-${definition.version}` : definition.name;
}

/**
 * The selected variants already released unchanged (Rez's dry-run install before each variant): they are
 * skipped with Rez's warning instead of being built again. A variant that cannot merge is left to the
 * install, which says why.
 */
function alreadyReleased(
  options: ReleaseOptions,
  definition: PackageDefinition,
  selected: readonly (number | null)[],
  same: PackageDefinition | undefined,
): Set<number | null> {
  const skip = new Set<number | null>();
  if (!same) return skip;
  selected.forEach((index, position) => {
    let status: string;
    try {
      status = mergeVariant({ name: definition.name, version: definition.version, installed: same.attributes, built: definition.attributes, index, overwrite: false, now: 0 }).status;
    } catch {
      return;
    }
    if (status !== "existing") return;
    skip.add(index);
    options.reporter.warn(`Skipping ${position + 1}/${selected.length}: destination variant already exists (${same.file}[${index ?? ""}])`);
  });
  return skip;
}

/** The checks against released versions; the previous release and the released package of this version, if any. */
async function checkReleased(options: ReleaseOptions, definition: PackageDefinition): Promise<{ previous?: PackageDefinition; same?: PackageDefinition }> {
  const released = (await options.repository.loadFamily(definition.name)) ?? [];
  const current = Version.parse(definition.version);
  const uuid = definition.attributes.uuid;
  // every released version, not only the latest (Rez compares the latest only)
  for (const other of released) {
    if (typeof uuid === "string" && typeof other.attributes.uuid === "string" && other.attributes.uuid !== uuid) {
      throw new PkgError("PKG0053", `Cannot release - the packages are not the same (UUID mismatch): ${qualified(other)} in ${options.releasePath} has uuid ${other.attributes.uuid}`, { hint: "a different package has this name; rename it or fix its uuid" });
    }
  }
  if (options.ensureLatest) {
    const newer = released.find((p) => Version.compare(Version.parse(p.version), current) > 0);
    if (newer) throw new PkgError("PKG0053", `Cannot release - a newer package version already exists (${newer.file})`, { hint: "release a higher version, or use --no-latest" });
  }
  const previous = released.filter((p) => Version.compare(Version.parse(p.version), current) < 0).sort((a, b) => Version.compare(Version.parse(a.version), Version.parse(b.version))).pop();
  const same = released.find((p) => Version.compare(Version.parse(p.version), current) === 0);
  return { ...(previous ? { previous } : {}), ...(same ? { same } : {}) };
}

async function callHooks(hooks: readonly ReleaseHook[], stage: "preBuild" | "preRelease" | "postRelease", input: HookInput, plugins: Table): Promise<void> {
  for (const hook of hooks) {
    const method = hook[stage];
    if (method) await method.call(hook, input, pluginSettings(plugins, "release_hook", hook.name, hook.defaults));
  }
}

/** Installs every staged variant, or none: a failed install removes what this release installed. */
async function installAll(options: ReleaseOptions, pending: readonly PendingInstall[], data: Table): Promise<VariantInstallResult[]> {
  const first = pending[0]!.definition;
  const wasThere = existsSync(options.repository.variantRoot(first.name, first.version, null));
  const results: VariantInstallResult[] = [];
  try {
    for (const p of pending) results.push(await options.repository.installVariant({ definition: p.definition, index: p.index, payload: p.payload, extraAttributes: data }));
    return results;
  } catch (error) {
    if (!wasThere && results.length > 0) await options.repository.removePackage(first.name, first.version);
    throw error;
  } finally {
    for (const p of pending) p.discard();
  }
}

export async function releasePackage(options: ReleaseOptions): Promise<ReleaseSummary> {
  const { reporter } = options;
  const definition = options.developer.definition;
  const label = qualified(definition);
  if (!existsSync(options.releasePath)) throw new PkgError("PKG0050", `Release path does not exist: ${options.releasePath}`, { hint: "create it, or set release_packages_path" });
  const hooks = options.hooks.flatMap((name) => {
    const hook = getReleaseHook(name);
    if (!hook) reporter.warn(`Release hook '${name}' is not available.`);
    return hook ? [hook] : [];
  });
  const vcs: ReleaseVcs = detectVcs(options.developer.sourceDir, (name) => pluginSettings(options.plugins, "release_vcs", name, PER_VCS_DEFAULTS[name] ?? {}, VCS_DEFAULTS), options.vcs);
  const vcsSettings: PluginSettings = pluginSettings(options.plugins, "release_vcs", vcs.name, PER_VCS_DEFAULTS[vcs.name] ?? {}, VCS_DEFAULTS);
  const repoStep = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const known = asPkgError(error);
      if (!options.skipRepoErrors || !known || (known.code !== "PKG0051" && known.code !== "PKG0057")) throw error;
      reporter.warn(`THE FOLLOWING ERROR WAS SKIPPED:\n${known.message}`);
      return fallback;
    }
  };
  await repoStep(() => vcs.validateRepostate(), undefined);
  const tag = tagName(typeof vcsSettings.tag_name === "string" ? vcsSettings.tag_name : "{qualified_name}", definition);
  if (vcsSettings.check_tag === true && !options.ignoreExistingTag && (await vcs.tagExists(tag))) {
    throw new PkgError("PKG0053", `Cannot release - the tag '${tag}' already exists in ${vcs.root}`, { hint: "use --ignore-existing-tag, or release a new version" });
  }
  const { previous, same } = await checkReleased(options, definition);
  const revision = await repoStep(() => vcs.currentRevision(), null);
  const changelog = truncateChangelog(await repoStep(() => vcs.changelog(previous?.attributes.revision ?? undefined, options.maxChangelogRevisions), ""), options.maxChangelogChars);
  const message = options.message === "" && options.promptMessage ? await options.promptMessage(changelog) : options.message;
  const releaseData: { [key: string]: PackageValue } = { timestamp: Math.floor(Date.now() / 1000), revision, changelog, release_message: message, vcs: vcs.name };
  if (previous) {
    releaseData.previous_version = previous.version;
    if (previous.attributes.revision !== undefined) releaseData.previous_revision = previous.attributes.revision;
  }
  const base = { package: label, vcs: vcs.name, tag, releasePath: options.releasePath, releaseData };
  if (options.dryRun) {
    reporter.info(`Would release ${label} into ${options.releasePath} and tag it '${tag}' (${vcs.name}).`);
    return { ...base, released: [], skipped: 0, dryRun: true };
  }
  const hookInput: HookInput = {
    package: definition,
    installPath: options.releasePath,
    variants: [],
    releaseMessage: message,
    changelog,
    previousVersion: previous?.version ?? null,
    previousRevision: previous?.attributes.revision ?? null,
    user: currentUser(),
    reporter,
  };
  await callHooks(hooks, "preBuild", hookInput, options.plugins);
  await callHooks(hooks, "preRelease", hookInput, options.plugins);

  const selected = selectVariants(variantCount(definition), options.variants, label);
  const skip = alreadyReleased(options, definition, selected, same);
  const toBuild = selected.filter((index) => !skip.has(index));
  if (toBuild.length === 0) {
    reporter.info(`\n${"=".repeat(80)}\nRelease Summary\n${"=".repeat(80)}\n\n0 of ${selected.length} releases were successful`);
    return { ...base, released: [], skipped: selected.length, dryRun: false };
  }
  const variants = toBuild.length === selected.length ? options.variants : toBuild.filter((i): i is number => i !== null);
  const build = await buildPackage({
    ...options,
    ...(variants ? { variants } : {}),
    installRoot: options.releasePath,
    repository: options.repository,
    buildType: "central",
    clean: true,
    deferInstall: true,
  });
  const pending = build.variants.flatMap((v) => (v.pending ? [v.pending] : []));
  if (build.error) {
    for (const p of pending) p.discard();
    const bad = build.variants.find((v) => v.status === "failed");
    throw new PkgError("PKG0055", `the release of ${label} failed${bad && bad.index !== null ? ` at variant ${bad.index}` : ""}: ${build.error.message}`, {
      hint: `nothing of ${label} was released and nothing was tagged${bad?.log ? `; the log: ${bad.log}` : ""}`,
      cause: build.error,
    });
  }
  let released: VariantInstallResult[] = [];
  if (pending.length > 0) {
    try {
      released = await installAll(options, pending, releaseData);
    } catch (error) {
      const known = asPkgError(error);
      throw new PkgError("PKG0055", `the release of ${label} failed while installing: ${known?.message ?? String(error)}`, { hint: "nothing of this release was left installed and nothing was tagged" });
    }
  }
  for (const r of released) reporter.info(`Released ${label}${r.index !== null ? ` variant ${r.index}` : ""} (${r.status}) into ${r.root}`);
  const done = released.filter((r) => r.status !== "existing");
  if (done.length > 0) {
    await callHooks(hooks, "postRelease", { ...hookInput, variants: done.map((r) => r.root) }, options.plugins);
    reporter.info(`Creating tag '${tag}'...`);
    await repoStep(() => vcs.createTag(tag, message), undefined);
  }
  const total = build.variants.filter((v) => v.status !== "skipped").length + skip.size;
  reporter.info(`\n${"=".repeat(80)}\nRelease Summary\n${"=".repeat(80)}\n\n${done.length} of ${total} releases were successful`);
  return { ...base, released, skipped: total - done.length, build, dryRun: false };
}
