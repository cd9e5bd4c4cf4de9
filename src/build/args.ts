// The command line of a build, as Rez's "grouped" argument mode reads it: the words before the first `--`
// are pkg's, the group after it the build system's arguments, the group after a second `--` the child
// build system's (cmake's make). Pure functions, so the CLI only parses and the rules are tested in tables.
import { PkgError } from "../errors/index.js";

export interface ArgumentGroups {
  /** The words before the first `--`. */
  readonly own: readonly string[];
  /** The groups after each `--`, in order (empty groups kept). */
  readonly groups: readonly (readonly string[])[];
}

/** Splits argv on every literal `--` (Rez `_main.run` for grouped commands). */
export function splitArgumentGroups(argv: readonly string[]): ArgumentGroups {
  const groups: string[][] = [[]];
  for (const word of argv) {
    if (word === "--") groups.push([]);
    else groups[groups.length - 1]!.push(word);
  }
  const [own, ...rest] = groups;
  return { own: own!, groups: rest };
}

/**
 * Splits an option value into words as a POSIX shell would (quotes and backslashes), without expanding
 * anything. Rez splits `--ba` on white space only, so `--ba "-DX='a b'"` breaks there; pkg keeps quoted words.
 */
export function splitWords(text: string, option = "--build-args"): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== null) throw new PkgError("PKG0002", `${option} ${JSON.stringify(text)}: the ${quote === "'" ? "single" : "double"} quote is not closed`);
  if (inWord) words.push(word);
  return words;
}

export interface BuildArguments {
  readonly buildArgs: readonly string[];
  readonly childBuildArgs: readonly string[];
}

/**
 * `--ba`/`--cba` or the groups after `--` and a second `--` (not both for one of them, as in Rez). A third
 * group and later ones are ignored by Rez without a word; pkg refuses them, as they are surely a mistake.
 */
export function buildArguments(options: { readonly buildArgs?: string; readonly childBuildArgs?: string }, groups: readonly (readonly string[])[]): BuildArguments {
  if (groups.length > 2) {
    throw new PkgError("PKG0002", `more than two '--' groups: the words after a third '--' (${groups[2]!.join(" ") || "none"}) would go nowhere`, {
      hint: "pkg build [options] -- BUILD_ARGS -- CHILD_BUILD_ARGS",
    });
  }
  const pick = (value: string | undefined, group: readonly string[] | undefined, option: string): string[] => {
    if (value !== undefined && group !== undefined && group.length > 0) {
      throw new PkgError("PKG0002", `${option} is not allowed with arguments after '--'`, { hint: `give the arguments either with ${option} or after '--', not both` });
    }
    return value !== undefined ? splitWords(value, option) : [...(group ?? [])];
  };
  return {
    buildArgs: pick(options.buildArgs, groups[0], "--build-args"),
    childBuildArgs: pick(options.childBuildArgs, groups[1], "--child-build-args"),
  };
}
