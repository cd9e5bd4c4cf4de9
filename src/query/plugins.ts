// rez-plugins (the packages that are plugins of a package) and the table of `rez -i` (pkg's own plugin types).
import type { RepositorySet } from "../repository/index.js";

export interface PluginRow {
  /** Rez's plugin type name: `shell`, `build_system`, `package_repository`. */
  readonly type: string;
  readonly name: string;
  readonly description: string;
}

/** Rez's columnise: every column but the last padded to its widest cell plus two spaces. */
export function columnise(rows: readonly (readonly string[])[], padding = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]! + padding) : cell)).join(""));
}

/** The plugin table as `rez -i` prints it: sorted by type then name, every plugin `loaded`. */
export function pluginTable(rows: readonly PluginRow[]): string {
  const sorted = [...rows].sort((a, b) => (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type < b.type ? -1 : 1));
  return columnise([
    ["PLUGIN TYPE", "NAME", "DESCRIPTION", "STATUS"],
    ["-----------", "----", "-----------", "------"],
    ...sorted.map((r) => [r.type.replace(/_/g, " "), r.name, r.description, "loaded"]),
  ]).join("\n");
}

/**
 * The families whose newest package names `name` in `plugin_for`, when the newest `name` has `has_plugins`
 * (Rez's get_plugins); undefined when there is no such family. Read from the family heads (see repository/).
 */
export async function packagePlugins(set: RepositorySet, name: string): Promise<string[] | undefined> {
  const heads = await set.familyHeads();
  const own = heads.get(name);
  if (!own) return undefined;
  if (!own.hasPlugins) return [];
  const plugins: string[] = [];
  for (const [other, head] of [...heads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (other !== name && head.pluginFor.includes(name)) plugins.push(other);
  }
  return plugins;
}
