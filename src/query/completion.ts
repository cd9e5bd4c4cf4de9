// `pkg completion bash|zsh|fish`: completion scripts for the shells, made from the command tree (commands,
// their options, which arguments are packages), and the family-name list they read. Completing a family name
// starts no pkg process: the script reads the list pkg keeps in its cache folder, and runs
// `pkg completion --families` (which rewrites it) only when the list is missing, was made for another
// environment, a configuration file changed, came or went after it (packages_path set there), or a
// repository folder changed after it (a family added or removed).

import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../cache/index.js";

export type CompletionShell = "bash" | "zsh" | "fish";
export const COMPLETION_SHELLS: readonly CompletionShell[] = ["bash", "zsh", "fish"];

/** `pkg completion --help` (the shells are named here, in the library, not in the CLI). */
export const COMPLETION_HELP =
  "print a completion script for bash, zsh or fish: commands, options, and package family names\n\n" +
  "  source <(pkg completion bash)      in ~/.bashrc\n" +
  "  source <(pkg completion zsh)       in ~/.zshrc, after compinit\n" +
  "  pkg completion fish > ~/.config/fish/completions/pkg.fish\n\n" +
  "Family names come from a list pkg keeps in its cache folder, so completing one starts no pkg\n" +
  "process; the list is made again when a configuration file or a repository folder changes.";

export interface CompletionOption {
  /** `-t`, `--type`. */
  readonly flags: readonly string[];
  readonly takesValue: boolean;
  readonly description: string;
}

export interface CompletionCommand {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CompletionOption[];
  /** Whether its arguments are package families or requests (completed with family names). */
  readonly packages: boolean;
}

export interface CompletionSpec {
  /** The options taken before a command (`-r DIR`). */
  readonly globalOptions: readonly CompletionOption[];
  readonly commands: readonly CompletionCommand[];
  /** The cache folder when the script was made; `$PKG_CACHE_DIR` wins when set. */
  readonly cacheDir: string;
}

/**
 * The environment variables the package paths come from, directly or through which configuration files
 * are read: the family list is kept per their values.
 */
export const COMPLETION_KEY_VARIABLES: readonly string[] = [
  "PKG_PACKAGES_PATH",
  "REZ_PACKAGES_PATH",
  "PKG_LOCATIONS",
  "PKG_CONFIG",
  "PKG_SYSTEM_CONFIG",
  "XDG_CONFIG_HOME",
  "REZ_CONFIG_FILE",
  "REZ_DISABLE_HOME_CONFIG",
  "HOME",
];

/** The key a family list is made for, from the environment (the scripts compute the same text). */
export function completionKey(env: Readonly<Record<string, string | undefined>>): string {
  return COMPLETION_KEY_VARIABLES.map((name) => env[name] ?? "").join("|");
}

/** The family list file, under a cache folder. */
export function familiesFile(cacheDir: string): string {
  return `${cacheDir}/completion/families`;
}

/** What the family list was made from, besides the environment: what makes it stale. */
export interface FamiliesSources {
  /** Every configuration file that could be read (configFileCandidates), there or not. */
  readonly configFiles: readonly { readonly path: string; readonly exists: boolean }[];
  /** The repository folders searched. */
  readonly repositories: readonly string[];
  /** Set when the paths came from the working folder (its `./repo`, or none there): stale elsewhere. */
  readonly workingFolder?: string;
}

/**
 * The family list's text: the key; a `conf` line per configuration file read (the list is stale when it
 * changed after the list or is gone), a `noconf` line per one that was not there (stale once it is); a
 * `repo` line per repository folder (stale when it changed after the list); a `cwd` line when the paths
 * came from the working folder (stale in another); a `--` line; a family a line.
 */
export function familiesFileText(key: string, sources: FamiliesSources, families: readonly string[]): string {
  return [
    `key ${key}`,
    ...sources.configFiles.map((f) => `${f.exists ? "conf" : "noconf"} ${f.path}`),
    ...sources.repositories.map((r) => `repo ${r}`),
    ...(sources.workingFolder !== undefined ? [`cwd ${sources.workingFolder}`] : []),
    "--",
    ...families,
    "",
  ].join("\n");
}

/** bash's and zsh's check of one header line of the family list (`$line`, `$file`, `$key`; sets `stale`). */
const LIST_LINE_CHECKS: readonly string[] = [
  '      if [[ $line == "--" ]]; then break',
  '      elif [[ $line == "key "* ]]; then [[ ${line#key } == "$key" ]] || { stale=1; break; }',
  '      elif [[ $line == "repo "* ]]; then [[ ${line#repo } -nt $file ]] && { stale=1; break; }',
  '      elif [[ $line == "conf "* ]]; then [[ -e ${line#conf } && ! ${line#conf } -nt $file ]] || { stale=1; break; }',
  '      elif [[ $line == "noconf "* ]]; then [[ -e ${line#noconf } ]] && { stale=1; break; }',
  '      elif [[ $line == "cwd "* ]]; then [[ ${line#cwd } == "$PWD" ]] || { stale=1; break; }',
  "      fi",
];

/** POSIX single quotes. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const oneLine = (text: string): string => (text.split("\n")[0] ?? "").trim();

function valueFlags(options: readonly CompletionOption[]): string[] {
  return options.filter((o) => o.takesValue).flatMap((o) => o.flags);
}

function allFlags(options: readonly CompletionOption[]): string[] {
  return options.flatMap((o) => o.flags);
}

function bashScript(spec: CompletionSpec): string {
  const lines: string[] = [
    "# pkg completion for bash: `source <(pkg completion bash)` in ~/.bashrc",
    "_pkg_families() {",
    `  local file="\${PKG_CACHE_DIR:-${spec.cacheDir}}/completion/families" key="${COMPLETION_KEY_VARIABLES.map((v) => `\${${v}-}`).join("|")}" stale=1 n=0 line`,
    "  local -a lines",
    "  _pkg_family_list=()",
    '  if [[ -f $file ]] && mapfile -t lines < "$file"; then',
    "    stale=0",
    "    for ((n = 0; n < ${#lines[@]}; n++)); do",
    "      line=${lines[n]}",
    ...LIST_LINE_CHECKS,
    "    done",
    '    (( n < ${#lines[@]} )) || stale=1',
    "  fi",
    "  if (( stale )); then",
    '    mapfile -t _pkg_family_list < <(command pkg completion --families 2>/dev/null)',
    '  else _pkg_family_list=("${lines[@]:n+1}"); fi',
    "}",
    "",
    "_pkg() {",
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" i',
    "  COMPREPLY=()",
    "  for ((i = 1; i < COMP_CWORD; i++)); do",
    '    case ${COMP_WORDS[i]} in',
    `      ${valueFlags(spec.globalOptions).join("|") || "--"}) ((i++)) ;;`,
    "      -*) ;;",
    '      *) cmd=${COMP_WORDS[i]}; break ;;',
    "    esac",
    "  done",
    '  if [[ -z $cmd ]]; then',
    `    if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W ${sq(allFlags(spec.globalOptions).join(" "))} -- "$cur"))`,
    `    else COMPREPLY=($(compgen -W ${sq(spec.commands.map((c) => c.name).join(" "))} -- "$cur")); fi`,
    "    return",
    "  fi",
    '  local opts="" values="" packages=0',
    '  case $cmd in',
  ];
  for (const c of spec.commands) {
    const options = c.options;
    lines.push(`    ${c.name}) opts=${sq(allFlags(options).join(" "))}; values=${sq(` ${valueFlags(options).join(" ")} `)}; packages=${c.packages ? 1 : 0} ;;`);
  }
  lines.push(
    "  esac",
    '  if [[ $prev == -* && $values == *" $prev "* ]]; then',
    '    case $prev in -r|--repo) COMPREPLY=($(compgen -d -- "$cur")) ;; *) COMPREPLY=($(compgen -f -- "$cur")) ;; esac',
    "    return",
    "  fi",
    '  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi',
    "  if (( packages )); then",
    "    _pkg_families",
    '    COMPREPLY=($(compgen -W "${_pkg_family_list[*]}" -- "$cur"))',
    '  else COMPREPLY=($(compgen -f -- "$cur")); fi',
    "}",
    "complete -o default -F _pkg pkg",
    "",
  );
  return lines.join("\n");
}

/** zsh `_describe` items: `name:description` with colons in the name escaped. */
function describeItems(items: readonly (readonly [string, string])[]): string {
  return items.map(([name, description]) => sq(`${name.replace(/:/g, "\\:")}:${oneLine(description)}`)).join(" ");
}

function zshScript(spec: CompletionSpec): string {
  const optionItems = (options: readonly CompletionOption[]): string =>
    describeItems(options.flatMap((o) => o.flags.map((f): [string, string] => [f, o.description])));
  const lines: string[] = [
    "#compdef pkg",
    "# pkg completion for zsh: `source <(pkg completion zsh)` in ~/.zshrc (after compinit)",
    "_pkg_families() {",
    `  local file="\${PKG_CACHE_DIR:-${spec.cacheDir}}/completion/families" key="${COMPLETION_KEY_VARIABLES.map((v) => `\${${v}-}`).join("|")}" stale=1 n line`,
    "  local -a lines",
    "  reply=()",
    "  if [[ -f $file ]]; then",
    '    lines=("${(@f)$(<$file)}")',
    "    stale=0",
    "    for ((n = 1; n <= ${#lines}; n++)); do",
    "      line=${lines[n]}",
    ...LIST_LINE_CHECKS,
    "    done",
    "    (( n <= ${#lines} )) || stale=1",
    "  fi",
    '  if (( stale )); then reply=("${(@f)$(command pkg completion --families 2>/dev/null)}")',
    '  else reply=("${(@)lines[n+1,-1]}"); fi',
    "}",
    "",
    "_pkg() {",
    '  local cmd="" i',
    "  for ((i = 2; i < CURRENT; i++)); do",
    "    case ${words[i]} in",
    `      ${valueFlags(spec.globalOptions).join("|") || "--"}) ((i++)) ;;`,
    "      -*) ;;",
    "      *) cmd=${words[i]}; break ;;",
    "    esac",
    "  done",
    "  local cur=${words[CURRENT]} prev=${words[CURRENT-1]}",
    "  local -a items",
    '  if [[ -z $cmd ]]; then',
    `    if [[ $cur == -* ]]; then items=(${optionItems(spec.globalOptions)}); _describe -t options option items`,
    `    else items=(${describeItems(spec.commands.map((c) => [c.name, c.description]))}); _describe -t commands command items; fi`,
    "    return",
    "  fi",
    "  local values=\"\" packages=0",
    "  case $cmd in",
  ];
  for (const c of spec.commands) {
    const options = c.options;
    lines.push(`    ${c.name}) values=${sq(` ${valueFlags(options).join(" ")} `)}; packages=${c.packages ? 1 : 0}; items=(${optionItems(options)}) ;;`);
  }
  lines.push(
    "  esac",
    '  if [[ $prev == -* && $values == *" $prev "* ]]; then',
    "    case $prev in -r|--repo) _files -/ ;; *) _files ;; esac",
    "    return",
    "  fi",
    "  if [[ $cur == -* ]]; then _describe -t options option items; return; fi",
    "  if (( packages )); then",
    "    local -a reply",
    "    _pkg_families",
    "    compadd -a reply",
    "  else _files; fi",
    "}",
    "",
    "if (( $+functions[compdef] )); then compdef _pkg pkg; fi",
    "",
  );
  return lines.join("\n");
}

function fishScript(spec: CompletionSpec): string {
  const option = (o: CompletionOption, condition: string): string => {
    const parts = ["complete -c pkg", `-n ${sq(condition)}`];
    for (const f of o.flags) parts.push(f.startsWith("--") ? `-l ${f.slice(2)}` : f.length === 2 ? `-s ${f.slice(1)}` : `-o ${f.slice(1)}`);
    if (o.takesValue) parts.push("-r", o.flags.includes("-r") || o.flags.includes("--repo") ? "-a '(__fish_complete_directories)'" : "-F");
    parts.push(`-d ${sq(oneLine(o.description))}`);
    return parts.join(" ");
  };
  const lines: string[] = [
    "# pkg completion for fish: `pkg completion fish > ~/.config/fish/completions/pkg.fish`",
    "function __pkg_families",
    "    set -l dir " + sq(spec.cacheDir),
    "    set -q PKG_CACHE_DIR; and test -n \"$PKG_CACHE_DIR\"; and set dir $PKG_CACHE_DIR",
    "    set -l file $dir/completion/families",
    `    set -l key (string join '|' -- ${COMPLETION_KEY_VARIABLES.map((v) => `"$${v}"`).join(" ")})`,
    "    set -l stale 1",
    "    set -l names",
    "    if test -f $file; and read -z -l content < $file",
    "        set stale 0",
    "        set -l lines (string split -- \\n $content)",
    "        set -l mtime (path mtime -- $file)",
    "        set -l n (contains -i -- -- $lines)",
    "        if test -z \"$n\"",
    "            set stale 1",
    "        else",
    "            for line in $lines[1..(math $n - 1)]",
    "                if string match -q 'key *' -- $line",
    "                    test (string sub -s 5 -- $line) = \"$key\"; or set stale 1",
    "                else if string match -q 'repo *' -- $line",
    "                    set -l repo_mtime (path mtime -- (string sub -s 6 -- $line))",
    "                    if test -n \"$repo_mtime\"; and test $repo_mtime -gt $mtime",
    "                        set stale 1",
    "                    end",
    "                else if string match -q 'conf *' -- $line",
    "                    set -l conf_mtime (path mtime -- (string sub -s 6 -- $line))",
    "                    if test -z \"$conf_mtime\"; or test $conf_mtime -gt $mtime",
    "                        set stale 1",
    "                    end",
    "                else if string match -q 'noconf *' -- $line",
    "                    test -e (string sub -s 8 -- $line); and set stale 1",
    "                else if string match -q 'cwd *' -- $line",
    "                    test (string sub -s 5 -- $line) = \"$PWD\"; or set stale 1",
    "                end",
    "            end",
    "            set names $lines[(math $n + 1)..-1]",
    "        end",
    "    end",
    "    if test $stale = 1",
    "        command -q pkg; and command pkg completion --families 2>/dev/null",
    "    else",
    "        string join \\n -- $names",
    "    end",
    "end",
    "",
    "complete -c pkg -f",
    ...spec.globalOptions.map((o) => option(o, "__fish_use_subcommand")),
    ...spec.commands.map((c) => `complete -c pkg -n '__fish_use_subcommand' -a ${c.name} -d ${sq(oneLine(c.description))}`),
  ];
  for (const c of spec.commands) {
    const condition = `__fish_seen_subcommand_from ${c.name}`;
    for (const o of c.options) lines.push(option(o, condition));
    if (c.packages) lines.push(`complete -c pkg -n ${sq(condition)} -a '(__pkg_families)'`);
    else lines.push(`complete -c pkg -n ${sq(condition)} -F`);
  }
  lines.push("");
  return lines.join("\n");
}

/** The completion script for a shell. */
export function completionScript(shell: CompletionShell, spec: CompletionSpec): string {
  return shell === "bash" ? bashScript(spec) : shell === "zsh" ? zshScript(spec) : fishScript(spec);
}

/**
 * Writes the family list for the scripts (atomically); false when the cache folder cannot be written.
 * `made.configFiles` are the candidates (configFileCandidates): whether each is there is noted now.
 */
export function writeFamiliesFile(
  cacheDir: string,
  key: string,
  made: { readonly configFiles: readonly string[]; readonly repositories: readonly string[]; readonly workingFolder?: string },
  families: readonly string[],
): boolean {
  try {
    mkdirSync(dirname(familiesFile(cacheDir)), { recursive: true });
    const sources: FamiliesSources = { ...made, configFiles: made.configFiles.map((path) => ({ path, exists: existsSync(path) })) };
    writeFileAtomic(familiesFile(cacheDir), familiesFileText(key, sources, families));
    return true;
  } catch {
    // completion still works, only slower
    return false;
  }
}
