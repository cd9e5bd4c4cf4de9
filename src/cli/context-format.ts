// Text output of contexts (rez-context style): summary, tools, resolve graph, diff.

import { contextTools, qualifiedPackageName, qualifiedVariantName } from "../context/index.js";
import type { ContextDiff, ResolvedContext } from "../context/index.js";
import { resolve as resolvePath } from "node:path";
import { Requirement } from "../version/index.js";
import { plainStyles } from "./errors.js";
import type { Styles } from "./errors.js";

type Style = (text: string) => string;

/** Rows in aligned columns; `styles[i]`, when given, styles row i's whole line (as Rez colours its lines). */
function columns(rows: readonly (readonly string[])[], styles: readonly (Style | undefined)[] = []): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r, row) => {
      const line = r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
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
  /** local_packages_path: its packages (and its entry in the search paths) are marked `(local)`, as Rez does. */
  readonly localPackagesPath?: string;
  /** Colours of the stream it is printed to (plain by default). */
  readonly styles?: Pick<Styles, "heading" | "package" | "implicit" | "ephemeral" | "failure">;
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
  const rows: string[][] = variants.map((v) => [qualifiedPackageName(v), v.root ?? v.definition.file, local(v.location) ? "(local)" : ""]);
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

function requirementName(r: string): string | undefined {
  try {
    return Requirement.parse(r).name;
  } catch {
    return undefined;
  }
}

const dotId = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** `--graph`: the resolve as Graphviz DOT (request → package, package → required package). */
export function formatResolveGraph(ctx: ResolvedContext): string {
  const lines = ["digraph g {", '  node [fontsize=10, style=filled];'];
  const byName = new Map(ctx.variants.map((v) => [v.name, v]));
  for (const r of [...ctx.requests, ...ctx.implicitPackages]) lines.push(`  ${dotId(r)} [fillcolor="#FFFFAA", style="filled,dashed"];`);
  for (const v of ctx.variants) lines.push(`  ${dotId(qualifiedVariantName(v))} [fillcolor="#AAFFAA"];`);
  for (const r of [...ctx.requests, ...ctx.implicitPackages]) {
    const target = byName.get(requirementName(r) ?? "");
    if (target) lines.push(`  ${dotId(r)} -> ${dotId(qualifiedVariantName(target))};`);
  }
  for (const v of ctx.variants) {
    const reqs = v.definition.attributes.requires;
    const all = [...(Array.isArray(reqs) ? reqs.filter((x): x is string => typeof x === "string") : []), ...v.variantRequires];
    for (const r of all) {
      if (r.startsWith("!") || r.startsWith("~")) continue;
      const target = byName.get(requirementName(r) ?? "");
      if (target) lines.push(`  ${dotId(qualifiedVariantName(v))} -> ${dotId(qualifiedVariantName(target))} [label=${dotId(r)}];`);
    }
  }
  lines.push("}");
  return lines.join("\n") + "\n";
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
