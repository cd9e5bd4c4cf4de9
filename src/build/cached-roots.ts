// The payload-cache roots a build or test environment uses, when the settings give them.
import type { ResolvedContext } from "../context/index.js";
import type { BuildShellSettings } from "./process.js";

/** `{ cachedRoots }` for a context's interpretation when the settings give payload-cache roots. */
export async function cachedRootsFor(shell: BuildShellSettings, context: ResolvedContext): Promise<{ cachedRoots?: ReadonlyMap<string, string> }> {
  if (!shell.cachedRoots) return {};
  const roots = await shell.cachedRoots(context);
  return roots.size > 0 ? { cachedRoots: roots } : {};
}
