// The PKG argument of rez-search: a family-name glob, or a request whose name is the glob.
import { Requirement } from "../version/index.js";
import type { VersionRange } from "../version/index.js";

export interface SearchRequest {
  /** fnmatch pattern matched against family names (case-sensitive, as Python's fnmatch on POSIX). */
  readonly namePattern: string;
  /** Set when the request names versions (`foo-1+<2`, `~foo-2`); null for any version. */
  readonly range: VersionRange | null;
}

/**
 * Rez tries the text as a requirement and, when that fails (globs such as `pa*` are not requirements),
 * uses it whole as the name pattern. A weak or conflict request searches the range as Rez stores it.
 */
export function parseSearchRequest(text: string | undefined): SearchRequest {
  const pattern = text === undefined || text === "" ? "*" : text;
  let requirement: Requirement;
  try {
    requirement = Requirement.parse(pattern);
  } catch {
    return { namePattern: pattern, range: null };
  }
  const range = requirement.range !== null && !requirement.range.isAny() ? requirement.range : null;
  return { namePattern: requirement.name, range };
}
