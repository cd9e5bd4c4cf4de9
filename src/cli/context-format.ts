// Text output of contexts (rez-context style): summary, tools, diff.

import { contextTools, qualifiedPackageName } from "../context/index.js";
import type { ContextDiff, ResolvedContext } from "../context/index.js";
import { resolve as resolvePath } from "node:path";
import { Requirement } from "../version/index.js";
import { plainStyles } from "./errors.js";
import type { Styles } from "./errors.js";

type Style = (text: string) => string;

/**
 * Rez's columnise: every column but the last padded to its widest cell plus two spaces (`exact` keeps the
 * trailing blanks Rez prints); `styles[i]`, when given, styles row i's whole line (as Rez colours its lines).
 */
function columns(rows: readonly (readonly string[])[], styles: readonly (Style | undefined)[] = [], exact = false): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r, row) => {
      const padded = r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join("");
      const line = exact ? padded : padded.trimEnd();
      const style = styles[row];
      return `${style && line !== "" ? style(line) : line}\n`;
    })
    .join("");
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A time as Rez prints it in context summaries (`%a %b %d %H:%M:%S %Y`, local time): `Sun Nov 22 00:03:02 2026`. */
export function rezTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

export interface SummaryOptions {
  /** The context file, named under the first line. */
  readonly file?: string;
  /** Rez's verbosity: 1 adds the search paths and the resolve's details, 2 also the tools. */
  readonly verbosity?: number;
  /** Resolved packages in the order they are sourced instead of by name (rez-context --so). */
  readonly sourceOrder?: boolean;
  /** Resolved packages' URIs instead of their roots (rez-context --su). */
  readonly showUris?: boolean;
  /** local_packages_path: its packages (and its entry in the search paths) are marked `(local)`, as Rez does. */
  readonly localPackagesPath?: string;
  /** Colours of the stream it is printed to (plain by default). */
  readonly styles?: Pick<Styles, "heading" | "package" | "implicit" | "ephemeral" | "failure">;
  /** The environment, when the context is the current one: packages it runs from the payload cache are marked "(cached)". */
  readonly currentEnviron?: Readonly<Record<string, string | undefined>>;
}

/** rez-context's default print: who resolved it, the request, the resolve. */
export function formatContextSummary(ctx: ResolvedContext, options: SummaryOptions = {}): string {
  const { file, verbosity = 0, styles = plainStyles } = options;
  const heading = (text: string): string => `${styles.heading(text)}\n`;
  const when = rezTime(ctx.created);
  const tool = ctx.writtenBy !== null ? `${ctx.writtenBy} (Rez v${ctx.rezVersion} compatible)` : `Rez v${ctx.rezVersion}`;
  // as Rez: "resolve failed, by …" for a context that did not resolve
  let out = `${ctx.status === "solved" ? "resolved" : "resolve failed,"} by ${ctx.user}@${ctx.host}, on ${when}, using ${tool}\n`;
  if (file) out += `context file: ${file}\n`;
  if (ctx.requestedTimestamp) out += `packages released after ${rezTime(ctx.requestedTimestamp)} were ignored\n`;
  const local = (path: string): boolean => options.localPackagesPath !== undefined && resolvePath(path) === resolvePath(options.localPackagesPath);
  if (verbosity > 0) out += `\n${heading("search paths:")}${columns(ctx.packagePaths.map((p) => (local(p) ? [p, "(local)"] : [p])))}`;
  out += `\n${heading("requested packages:")}`;
  const req: string[][] = ctx.requests.map((r) => (r.startsWith(".") ? [r, "(ephemeral)"] : [r]));
  const reqStyles: (Style | undefined)[] = ctx.requests.map((r) => (r.startsWith(".") ? styles.ephemeral : undefined));
  for (const r of ctx.implicitPackages) {
    req.push([r, "(implicit)"]);
    reqStyles.push(styles.implicit);
  }
  out += columns(req, reqStyles);
  if (ctx.status !== "solved") {
    // as Rez: the failure in place of the resolved packages
    out += `\n${styles.failure(`The context ${ctx.status === "aborted" ? "was aborted" : "failed to resolve"}:\n${ctx.failureDescription ?? ""}`)}\n`;
    return out;
  }
  out += `\n${heading("resolved packages:")}`;
  const variants = options.sourceOrder ? ctx.variants : [...ctx.variants].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows: string[][] = variants.map((v) => {
    // as rez-context: a package of the current environment whose root was moved into the payload cache
    const prefix = `REZ_${v.name.toUpperCase().replace(/\./g, "_")}`;
    const cached = options.currentEnviron?.[`${prefix}_ORIG_ROOT`] ? (options.currentEnviron[`${prefix}_ROOT`] ?? v.root) : undefined;
    const label = cached !== undefined ? "(cached)" : local(v.location) ? "(local)" : "";
    return [qualifiedPackageName(v), options.showUris ? v.uri : (cached ?? v.root ?? v.definition.file), label];
  });
  const rowStyles: Style[] = variants.map(() => styles.package);
  for (const e of ctx.ephemerals) {
    rows.push([e, "(ephemeral)"]);
    rowStyles.push(styles.ephemeral);
  }
  out += columns(rows, rowStyles);
  if (verbosity > 0) {
    out += `\n${heading("resolve details:")}`;
    out += `load time:         ${ctx.loadTime.toFixed(2)} secs\n`;
    out += `solve time:        ${Math.max(0, ctx.solveTime - ctx.loadTime).toFixed(2)} secs\n`;
    out += `packages queried:  ${ctx.numLoadedPackages}\n`;
    out += `from cache:        ${ctx.fromCache ? "True" : "False"}\n`;
    if (file) out += `rxt file:          ${file}\n`;
  }
  if (verbosity > 1) out += `\n${heading("tools:")}${formatTools(ctx)}`;
  return out;
}

/** `--tools`: tool, package, and conflicts. */
export function formatTools(ctx: ResolvedContext): string {
  const { byPackage, conflicts } = contextTools(ctx);
  const rows: string[][] = [];
  for (const [, { variant, tools }] of byPackage) for (const t of tools) rows.push([t, qualifiedPackageName(variant), conflicts.has(t) ? "(in conflict)" : ""]);
  if (rows.length === 0) return "No tools available.\n";
  return columns([["TOOL", "PACKAGE", ""], ["----", "-------", ""], ...rows]);
}

/**
 * rez-context --diff/--fetch: Rez's columns — a heading per context, then `from  to  (+N versions)` for a changed
 * version (N counts the versions between them, both included, less one), `-  pkg` for an added package and
 * `pkg  -` for a removed one. Nothing at all when the resolves are the same, as Rez.
 */
export function formatRezResolveDiff(d: ContextDiff, heading: readonly [string, string], versionCounts: ReadonlyMap<string, number>): string {
  const rows: string[][] = [];
  const byName = <T extends { readonly name: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const c of byName(d.upgraded)) rows.push([`${c.name}-${c.from}`, `${c.name}-${c.to}`, `(+${(versionCounts.get(c.name) ?? 2) - 1} versions)`]);
  for (const c of byName(d.downgraded)) rows.push([`${c.name}-${c.from}`, `${c.name}-${c.to}`, `(-${(versionCounts.get(c.name) ?? 2) - 1} versions)`]);
  for (const p of [...d.added].sort()) rows.push(["-", p, ""]);
  for (const p of [...d.removed].sort()) rows.push([p, "-", ""]);
  if (rows.length === 0) return "";
  return columns([[heading[0], heading[1], ""], ["-".repeat(heading[0].length), "-".repeat(heading[1].length), ""], ...rows], [], true);
}

/** `-f json`: the variables as Python's json.dumps(sort_keys=True, indent=4) prints them, as rez-context does. */
export function environJson(environ: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.keys(environ).sort().map((k) => [k, environ[k]]));
  return JSON.stringify(sorted, null, 4).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) + "\n";
}

/** `-f table`: name and value in two columns, by name. */
export function environTable(environ: Readonly<Record<string, string>>): string {
  return columns(Object.keys(environ).sort().map((k) => [k, environ[k]!]), [], true);
}

/** Rez's eval output style: comments dropped, each line's trailing `;` and blanks removed, lines joined by `;`. */
export function evalStyle(script: string): string {
  const lines = script.endsWith("\n") ? script.slice(0, -1).split("\n") : script.split("\n");
  return lines.filter((line) => !line.startsWith("#")).map((line) => line.trimEnd().replace(/;+$/, "")).join(";");
}

/** `pkg diff`: one line per change. */
export function formatDiff(d: ContextDiff): string {
  const rows: string[][] = [];
  for (const c of d.upgraded) rows.push(["upgraded", c.name, `${c.from} -> ${c.to}`]);
  for (const c of d.downgraded) rows.push(["downgraded", c.name, `${c.from} -> ${c.to}`]);
  for (const p of d.added) rows.push(["added", p, ""]);
  for (const p of d.removed) rows.push(["removed", p, ""]);
  const variant = (index: number | null, requires: readonly string[]): string => `[${index ?? ""}]${requires.length > 0 ? ` (${requires.join(" ")})` : ""}`;
  for (const c of d.variant_changed) {
    rows.push(["variant", c.version ? `${c.name}-${c.version}` : c.name, `${variant(c.from, c.from_requires)} -> ${variant(c.to, c.to_requires)}`]);
  }
  if (rows.length === 0) return "The contexts resolve the same packages.\n";
  return columns(rows);
}

/** JSON view of a context. */
export function contextJson(ctx: ResolvedContext): unknown {
  return {
    status: ctx.status,
    requests: ctx.requests,
    implicit_packages: ctx.implicitPackages,
    resolved_packages: ctx.variants.map((v) => ({ name: v.name, version: v.version, index: v.index, root: v.root, uri: v.uri })),
    ephemerals: ctx.ephemerals,
    package_paths: ctx.packagePaths,
    timestamp: ctx.timestamp,
    failure_description: ctx.failureDescription,
  };
}
