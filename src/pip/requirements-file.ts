// pip requirements files (`--requirements FILE`): one requirement a line, comments and continuation
// lines as pip reads them, nested `-r FILE` followed; pip options refused (they go after -e).
import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { PkgError, fsErrorReason } from "../errors/index.js";

/** Lines of a pip requirements file (comments, blank lines and continuation backslashes handled; options refused). */
export function readRequirementsFile(file: string, seen: Set<string> = new Set()): string[] {
  const path = resolvePath(file);
  if (seen.has(path)) return [];
  seen.add(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PkgError("PKG0049", `--requirements ${file}: ${fsErrorReason(error)}`);
  }
  const out: string[] = [];
  // logical lines (a trailing backslash continues a line), each with the number of its first line
  const lines: [string, number][] = [];
  let pending: [string, number] | undefined;
  text.split(/\r?\n/).forEach((physical, n) => {
    const joined: [string, number] = pending ? [pending[0] + physical, pending[1]] : [physical, n];
    if (physical.endsWith("\\")) pending = [joined[0].slice(0, -1), joined[1]];
    else {
      pending = undefined;
      lines.push(joined);
    }
  });
  if (pending) lines.push(pending);
  lines.forEach(([raw, i]) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") return;
    const nested = /^(?:-r|--requirement)[\s=]+(.+)$/.exec(line);
    if (nested) {
      out.push(...readRequirementsFile(resolvePath(dirname(path), nested[1]!.trim()), seen));
      return;
    }
    if (line.startsWith("-")) {
      throw new PkgError("PKG0049", `${path}:${i + 1}: '${line}': pkg pip reads requirements only, not pip options`, { hint: "give pip options with -e (for example -e --index-url URL)" });
    }
    out.push(line);
  });
  return out;
}
