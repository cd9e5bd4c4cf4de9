// What to suggest when a request names nothing: the versions a family has, or family names close to a
// mistyped one. Pure functions of names and versions.
import { distance } from "fastest-levenshtein";

const VERSIONS_SHOWN = 8;

/** "versions of maya: 2024.2, 2023.1" (newest first, capped). */
export function existingVersionsHint(family: string, versionsNewestFirst: readonly string[]): string | undefined {
  if (versionsNewestFirst.length === 0) return undefined;
  const shown = versionsNewestFirst.slice(0, VERSIONS_SHOWN).map((v) => (v === "" ? "(unversioned)" : v));
  const more = versionsNewestFirst.length - shown.length;
  return `versions of ${family}: ${shown.join(", ")}${more > 0 ? `, … and ${more} more` : ""}`;
}

/**
 * Up to three family names within a small edit distance of `name` (case ignored), closest first, then by
 * name; a name differing only in case always counts.
 */
export function closeNames(name: string, candidates: readonly string[]): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 3)));
  const scored: [string, number][] = [];
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const lower = candidate.toLowerCase();
    if (Math.abs(lower.length - wanted.length) > limit) continue;
    const d = lower === wanted ? 0 : distance(lower, wanted);
    if (d <= limit) scored.push([candidate, d]);
  }
  scored.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return scored.slice(0, 3).map(([candidate]) => candidate);
}

/** "did you mean maya?" / "did you mean maya or mayo?" */
export function didYouMean(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const last = names[names.length - 1]!;
  return `did you mean ${names.length === 1 ? last : `${names.slice(0, -1).join(", ")} or ${last}`}?`;
}
