// Shell-style wildcard patterns as Python's fnmatch reads them (`*`, `?`, `[seq]`, `[!seq]`), used for package
// name patterns (pkg list), Rez package filter glob rules and Rez's pathed_env_vars. A leaf: imports nothing.

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** The regular expression matching the whole of a string against `pattern` (Python's fnmatch.translate). */
export function fnmatchToRegExp(pattern: string, options: { readonly ignoreCase?: boolean } = {}): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      // As in Python, a `]` right after `[` or `[!` belongs to the set.
      let j = i + 1;
      if (pattern[j] === "!") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j++;
      if (j >= pattern.length) {
        source += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, j);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      body = body.replace(/[\\\]]/g, "\\$&").replace(/^\^/, "\\^");
      source += `[${negate ? "^" : ""}${body}]`;
      i = j;
    } else source += c.replace(REGEX_SPECIAL, "\\$&");
  }
  return new RegExp(`^(?:${source})$`, options.ignoreCase ? "is" : "s");
}

const compiled = new Map<string, RegExp>();

/** Whether `name` matches `pattern` as a whole (case-sensitive, like fnmatch.fnmatchcase). */
export function fnmatch(name: string, pattern: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = fnmatchToRegExp(pattern);
    compiled.set(pattern, regex);
  }
  return regex.test(name);
}
