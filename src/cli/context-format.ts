// Text output of contexts (rez-context style): summary, tools, diff.

import { contextTools, qualifiedPackageName } from "../context/index.js";
import type { ContextDiff, ResolvedContext } from "../context/index.js";

function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd() + "\n").join("");
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
}

/** rez-context's default print: who resolved it, the request, the resolve. */
export function formatContextSummary(ctx: ResolvedContext, options: SummaryOptions = {}): string {
  const { file, verbosity = 0 } = options;
  const when = rezTime(ctx.created);
  const tool = ctx.writtenBy !== null ? `${ctx.writtenBy} (Rez v${ctx.rezVersion} compatible)` : `Rez v${ctx.rezVersion}`;
  let out = `resolved by ${ctx.user}@${ctx.host}, on ${when}, using ${tool}\n`;
  if (file) out += `context file: ${file}\n`;
  if (ctx.requestedTimestamp) out += `packages released after ${rezTime(ctx.requestedTimestamp)} were ignored\n`;
  if (verbosity > 0) out += `\nsearch paths:\n${columns(ctx.packagePaths.map((p) => [p]))}`;
  out += "\nrequested packages:\n";
  const req: string[][] = ctx.requests.map((r) => (r.startsWith(".") ? [r, "(ephemeral)"] : [r]));
  for (const r of ctx.implicitPackages) req.push([r, "(implicit)"]);
  out += columns(req);
  out += "\nresolved packages:\n";
  if (ctx.status !== "solved") {
    out += `(none: the context ${ctx.status === "aborted" ? "was aborted" : "failed to resolve"})\n`;
    if (ctx.failureDescription) out += `\n${ctx.failureDescription}\n`;
    return out;
  }
  const variants = options.sourceOrder ? ctx.variants : [...ctx.variants].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows: string[][] = variants.map((v) => [qualifiedPackageName(v), v.root ?? v.definition.file]);
  for (const e of ctx.ephemerals) rows.push([e, "(ephemeral)"]);
  out += columns(rows);
  if (verbosity > 0) {
    out += "\nresolve details:\n";
    out += `load time:         ${ctx.loadTime.toFixed(2)} secs\n`;
    out += `solve time:        ${Math.max(0, ctx.solveTime - ctx.loadTime).toFixed(2)} secs\n`;
    out += `packages queried:  ${ctx.numLoadedPackages}\n`;
    out += `from cache:        ${ctx.fromCache ? "True" : "False"}\n`;
    if (file) out += `rxt file:          ${file}\n`;
  }
  if (verbosity > 1) out += `\ntools:\n${formatTools(ctx)}`;
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

/** `pkg diff`: one line per change. */
export function formatDiff(d: ContextDiff): string {
  const rows: string[][] = [];
  for (const c of d.upgraded) rows.push(["upgraded", c.name, `${c.from} -> ${c.to}`]);
  for (const c of d.downgraded) rows.push(["downgraded", c.name, `${c.from} -> ${c.to}`]);
  for (const p of d.added) rows.push(["added", p, ""]);
  for (const p of d.removed) rows.push(["removed", p, ""]);
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
