// Python's str.format for build commands (Rez's custom build system formats build_command with it): `{key}`
// replaced, `{{` and `}}` literal braces, anything else a clear error naming the placeholder.
import { PkgError } from "../../errors/index.js";

/** Python's shlex.quote: safe words as they are, anything else in single quotes. */
export function shlexQuote(word: string): string {
  if (word === "") return "''";
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** Expands `{key}` placeholders; `where` names the text in errors (`build_command in package.py`). */
export function formatPlaceholders(text: string, values: Readonly<Record<string, string>>, where: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "{" && text[i + 1] === "{") {
      out += "{";
      i++;
    } else if (c === "}" && text[i + 1] === "}") {
      out += "}";
      i++;
    } else if (c === "{") {
      const end = text.indexOf("}", i);
      if (end < 0) throw new PkgError("PKG0034", `${where}: '{' without a closing '}' in ${JSON.stringify(text)}`, { hint: "write {{ and }} for literal braces" });
      const key = text.slice(i + 1, end);
      const value = values[key];
      if (value === undefined) {
        throw new PkgError("PKG0034", `${where}: unknown placeholder {${key}} in ${JSON.stringify(text)}`, {
          hint: `the placeholders are ${Object.keys(values).map((k) => `{${k}}`).join(", ")}; write {{ and }} for literal braces`,
        });
      }
      out += value;
      i = end;
    } else if (c === "}") {
      throw new PkgError("PKG0034", `${where}: a single '}' in ${JSON.stringify(text)}`, { hint: "write }} for a literal brace" });
    } else out += c;
  }
  return out;
}
