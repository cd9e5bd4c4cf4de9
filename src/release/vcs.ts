// Version control for releases behind one interface, with a registry: adding a VCS touches no core file.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PkgError } from "../errors/index.js";
import type { PackageValue } from "../package/index.js";

/** A plugin's settings (`plugins.release_vcs.<name>` merged over its defaults). */
export type PluginSettings = { readonly [key: string]: PackageValue };

export interface ReleaseVcs {
  readonly name: string;
  readonly root: string;
  /** Throws PKG0051 when the repository is not in a state to release from. */
  validateRepostate(): Promise<void>;
  currentRevision(): Promise<PackageValue>;
  /** The log since the previous release's revision (all of it without one); `max`: 0 for no limit. */
  changelog(previous: PackageValue | undefined, max: number): Promise<string>;
  tagExists(tag: string): Promise<boolean>;
  createTag(tag: string, message: string): Promise<void>;
}

export interface VcsPlugin {
  readonly name: string;
  readonly description: string;
  /** Whether `dir` is a root of this VCS. */
  isRoot(dir: string): boolean;
  /** Walks up parent folders (git) or looks only in the package folder (stub). */
  readonly searchParents: boolean;
  open(root: string, packageDir: string, settings: PluginSettings): ReleaseVcs;
}

const PLUGINS = new Map<string, VcsPlugin>();

export function registerVcs(plugin: VcsPlugin): void {
  PLUGINS.set(plugin.name, plugin);
}

export function vcsPlugins(): VcsPlugin[] {
  return [...PLUGINS.values()];
}

/** How far above `dir` each plugin finds its root (0: in dir); the closest wins. */
function depthOf(plugin: VcsPlugin, dir: string): { depth: number; root: string } | undefined {
  let current = resolve(dir);
  for (let depth = 0; ; depth++) {
    if (plugin.isRoot(current)) return { depth, root: current };
    if (!plugin.searchParents || dirname(current) === current) return undefined;
    current = dirname(current);
  }
}

export function detectVcs(packageDir: string, settingsOf: (name: string) => PluginSettings, forced?: string): ReleaseVcs {
  if (forced !== undefined) {
    const plugin = PLUGINS.get(forced);
    if (!plugin) throw new PkgError("PKG0056", `--vcs ${forced}: no such version control plugin (${[...PLUGINS.keys()].join(", ")})`);
    const found = depthOf(plugin, packageDir);
    if (!found) throw new PkgError("PKG0052", `${packageDir} is not in a ${forced} repository`);
    return plugin.open(found.root, packageDir, settingsOf(forced));
  }
  const found = vcsPlugins()
    .map((plugin) => ({ plugin, at: depthOf(plugin, packageDir) }))
    .filter((f): f is { plugin: VcsPlugin; at: { depth: number; root: string } } => f.at !== undefined);
  if (found.length === 0) {
    throw new PkgError("PKG0052", `no version control found for ${packageDir} (looked for ${[...PLUGINS.keys()].join(", ")})`, { hint: "release from a checkout; a release needs its revision" });
  }
  const closest = Math.min(...found.map((f) => f.at.depth));
  const best = found.filter((f) => f.at.depth === closest);
  if (best.length > 1) {
    throw new PkgError("PKG0052", `several version control systems at ${best[0]!.at.root}: ${best.map((f) => f.plugin.name).join(", ")}`, { hint: "choose one with --vcs" });
  }
  return best[0]!.plugin.open(best[0]!.at.root, packageDir, settingsOf(best[0]!.plugin.name));
}

export function hasFile(dir: string, name: string): boolean {
  return existsSync(join(dir, name));
}
