// A context's request "patched" by new requests (rez-env --patch): Rez's get_patched_request rules.
import { Requirement, Version } from "../version/index.js";

export interface PatchOptions {
  /** Start from the resolve (`name-version` for each package, as Rez) instead of the request. */
  readonly strict?: boolean;
  /**
   * Above 1: packages not overridden may only rise from this version rank on (3: patch numbers only), by
   * weak `~name<next` limiters. Ignored with `strict`.
   */
  readonly rank?: number;
}

export interface PatchSource {
  /** The context's request, implicit packages left out. */
  readonly requests: readonly string[];
  readonly resolved: readonly { readonly name: string; readonly version: string }[];
}

/**
 * New requests replace the context's requests of the same name and kind (normal, `!` conflict, `~` weak);
 * `^name` removes a name; the rest are appended in the order given. Rez raises on `rank` with requests given
 * as text and with no requests at all; here both work as documented.
 */
export function patchedRequest(source: PatchSource, patches: readonly string[], options: PatchOptions = {}): string[] {
  const base = options.strict ? source.resolved.map((v) => `${v.name}-${v.version}`) : [...source.requests];
  const subtracted = new Set(patches.filter((p) => p.startsWith("^")).map((p) => p.slice(1)));
  const overrides = patches.filter((p) => !p.startsWith("^")).map((p) => Requirement.parse(p));

  const request = base.filter((text) => !subtracted.has(Requirement.parse(text).name));
  const slot = new Map<string, number>();
  request.forEach((text, i) => slot.set(Requirement.parse(text).name, i));
  const appended: string[] = [];
  for (const req of overrides) {
    const i = slot.get(req.name);
    const old = i === undefined ? undefined : Requirement.parse(request[i]!);
    if (i !== undefined && old !== undefined && old.conflict === req.conflict && old.weak === req.weak) {
      request[i] = req.toString();
      slot.delete(req.name);
    } else {
      appended.push(req.toString());
    }
  }
  request.push(...appended);

  const rank = options.rank ?? 0;
  if (!options.strict && rank > 1) {
    const overridden = new Set(overrides.filter((r) => !r.conflict).map((r) => r.name));
    for (const v of source.resolved) {
      if (overridden.has(v.name)) continue;
      const version = Version.parse(v.version);
      if (version.length >= rank) request.push(`~${v.name}<${version.trim(rank - 1).next().toString()}`);
    }
  }
  return request;
}
