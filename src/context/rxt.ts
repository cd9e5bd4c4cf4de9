// .rxt context files in Rez's format (ResolvedContext.to_dict / from_dict, serialize_version 4.9):
// JSON with sorted keys and 4-space indent, so Rez loads ours and we load Rez 3's.

import { parse as parseYaml } from "yaml";
import { contextVariant, qualifiedVariantName } from "./variant.js";
import type { ContextVariant, ResolvedVariantInput, VariantLayoutOptions } from "./variant.js";
import type { ContextStatus, ResolvedContext } from "./resolved-context.js";

export const SERIALIZE_VERSION = "4.9";

export interface VariantHandle {
  readonly key: string;
  readonly variables: {
    readonly index: number | null;
    readonly location: string;
    readonly name: string;
    readonly repository_type: string;
    /** Absent for an unversioned package (as Rez writes it). */
    readonly version?: string;
    readonly ext?: string;
  };
}

export class ContextFileError extends Error {
  override readonly name = "ContextFileError";
}

export function variantHandle(v: ContextVariant): VariantHandle {
  const combined = v.base === null;
  return {
    key: combined ? "filesystem.variant.combined" : "filesystem.variant",
    variables: {
      index: v.index,
      location: v.location,
      name: v.name,
      repository_type: "filesystem",
      ...(v.version !== "" ? { version: v.version } : {}),
      ...(combined ? { ext: v.definition.file.endsWith(".yaml") ? "yaml" : "py" } : {}),
    },
  };
}

/** Rez's compacted graph string: request nodes, resolved variant nodes, request → variant edges. */
export function compactedResolveGraph(ctx: ResolvedContext): string {
  const requestAttrs = "(('fillcolor', '#FFFFAA'), ('fontsize', 10), ('style', 'filled,dashed'))";
  const variantAttrs = "(('fillcolor', '#AAFFAA'), ('fontsize', 10), ('style', 'filled'))";
  const requests = [...ctx.requests, ...ctx.implicitPackages];
  let id = 0;
  const requestNodes = requests.map((r) => [`_${++id}`, r] as const);
  const variantNodes = ctx.variants.map((v) => [`_${++id}`, qualifiedVariantName(v)] as const);
  const edges: string[] = [];
  requestNodes.forEach(([rid, r]) => {
    const name = r.replace(/^[!~]/, "").split(/[-@#=<>]/)[0];
    const i = ctx.variants.findIndex((v) => v.name === name);
    if (i >= 0) edges.push(`('${rid}', '${variantNodes[i]![0]}')`);
  });
  const nodeList = (nodes: readonly (readonly [string, string])[]) => nodes.map(([n, l]) => `('${n}', '${l}')`).join(", ");
  const nodes: string[] = [];
  if (requestNodes.length > 0) nodes.push(`(${requestAttrs}, [${nodeList(requestNodes)}])`);
  if (variantNodes.length > 0) nodes.push(`(${variantAttrs}, [${nodeList(variantNodes)}])`);
  const edgeGroups = edges.length > 0 ? `((('arrowsize', '0.5'),), [${edges.join(", ")}])` : "";
  return `{'nodes': [${nodes.join(", ")}], 'edges': [${edgeGroups}]}`;
}

/** The dict Rez writes (`to_dict`). */
export function contextToDict(ctx: ResolvedContext): Record<string, unknown> {
  return {
    resolved_packages: ctx.variants.map(variantHandle),
    resolved_ephemerals: [...ctx.ephemerals],
    serialize_version: SERIALIZE_VERSION,
    patch_locks: { ...ctx.patchLocks },
    package_orderers: ctx.packageOrderers === null ? null : [...ctx.packageOrderers],
    package_filter: [...ctx.packageFilter],
    graph: ctx.graph ?? compactedResolveGraph(ctx),
    timestamp: ctx.timestamp,
    requested_timestamp: ctx.requestedTimestamp,
    building: ctx.building,
    testing: ctx.testing,
    caching: ctx.caching,
    implicit_packages: [...ctx.implicitPackages],
    package_requests: [...ctx.requests],
    package_paths: [...ctx.packagePaths],
    append_sys_path: ctx.appendSysPath,
    package_caching: ctx.packageCaching,
    package_cache_async: ctx.packageCacheAsync,
    default_patch_lock: ctx.defaultPatchLock,
    rez_version: ctx.rezVersion,
    rez_path: ctx.rezPath,
    user: ctx.user,
    host: ctx.host,
    platform: ctx.platform,
    arch: ctx.arch,
    os: ctx.os,
    created: ctx.created,
    parent_suite_path: ctx.parentSuitePath,
    suite_context_name: ctx.suiteContextName,
    status: ctx.status,
    failure_description: ctx.failureDescription,
    from_cache: ctx.fromCache,
    solve_time: ctx.solveTime,
    load_time: ctx.loadTime,
    num_loaded_packages: ctx.numLoadedPackages,
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** `json.dumps(doc, indent=4, separators=(",", ": "), sort_keys=True)` (ASCII-escaped, like Python). */
export function writeRxt(ctx: ResolvedContext): string {
  const text = JSON.stringify(sortKeys(contextToDict(ctx)), null, 4);
  return text.replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** A parsed .rxt file: its fields, variants still as handles. */
export interface RxtDocument {
  readonly serializeVersion: string;
  readonly handles: readonly VariantHandle[];
  readonly dict: Readonly<Record<string, unknown>>;
}

export function parseRxt(text: string, file = "<context>"): RxtDocument {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith("{") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ContextFileError(`${file}: not a context file: ${(e as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ContextFileError(`${file}: not a context file`);
  const d = doc as Record<string, unknown>;
  if (d.serialize_version === undefined) throw new ContextFileError(`${file}: no serialize_version`);
  const serializeVersion = String(d.serialize_version);
  const handles = Array.isArray(d.resolved_packages) ? (d.resolved_packages as VariantHandle[]) : [];
  for (const h of handles) {
    if (typeof h !== "object" || h === null || typeof h.variables !== "object" || typeof h.variables.name !== "string") {
      throw new ContextFileError(`${file}: bad resolved package entry ${JSON.stringify(h)}`);
    }
  }
  return { serializeVersion, handles, dict: d };
}

/** Finds the variant a handle names (through the repositories); undefined when it no longer exists. */
export type VariantFinder = (handle: VariantHandle) => Promise<ResolvedVariantInput | undefined>;

const str = (v: unknown, dflt = ""): string => (typeof v === "string" ? v : dflt);
const num = (v: unknown, dflt = 0): number => (typeof v === "number" ? v : dflt);
const bool = (v: unknown, dflt: boolean): boolean => (typeof v === "boolean" ? v : dflt);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Rez `from_dict`: re-create the context, variants looked up again (commands are never stored). */
export async function loadResolvedContext(
  doc: RxtDocument,
  findVariant: VariantFinder,
  options: VariantLayoutOptions & { readonly file?: string; readonly warn?: (m: string) => void } = {},
): Promise<ResolvedContext> {
  const d = doc.dict;
  const major = Number(doc.serializeVersion.split(".")[0]);
  if (major > 4) {
    (options.warn ?? ((m: string) => process.stderr.write(m + "\n")))(
      `The context${options.file ? ` in ${options.file}` : ""} was written by a newer version of Rez. The load may fail (serialize version ${doc.serializeVersion} > ${SERIALIZE_VERSION})`,
    );
  }
  const variants: ContextVariant[] = [];
  for (const h of doc.handles) {
    const v = await findVariant(h);
    if (v === undefined) {
      const name = h.variables.version ? `${h.variables.name}-${h.variables.version}` : h.variables.name;
      throw new ContextFileError(`${options.file ?? "context"}: package ${name} (variant ${h.variables.index ?? "none"}) no longer exists in ${h.variables.location}`);
    }
    variants.push(contextVariant(v, options));
  }
  const status = str(d.status, "solved");
  return {
    requests: strs(d.package_requests),
    implicitPackages: strs(d.implicit_packages),
    variants,
    ephemerals: strs(d.resolved_ephemerals),
    packagePaths: strs(d.package_paths),
    status: (["solved", "failed", "aborted"].includes(status) ? status : "failed") as ContextStatus,
    failureDescription: typeof d.failure_description === "string" ? d.failure_description : null,
    timestamp: num(d.timestamp),
    requestedTimestamp: typeof d.requested_timestamp === "number" ? d.requested_timestamp : null,
    created: num(d.created),
    building: bool(d.building, false),
    testing: bool(d.testing, false),
    caching: bool(d.caching, false),
    appendSysPath: bool(d.append_sys_path, true),
    packageCaching: bool(d.package_caching, true),
    packageCacheAsync: bool(d.package_cache_async, true),
    packageFilter: Array.isArray(d.package_filter) ? d.package_filter : [],
    packageOrderers: Array.isArray(d.package_orderers) ? d.package_orderers : null,
    defaultPatchLock: str(d.default_patch_lock, "no_lock"),
    patchLocks: typeof d.patch_locks === "object" && d.patch_locks !== null ? (d.patch_locks as Record<string, string>) : {},
    rezVersion: str(d.rez_version),
    rezPath: str(d.rez_path),
    user: str(d.user),
    host: str(d.host),
    platform: str(d.platform),
    arch: str(d.arch),
    os: str(d.os),
    parentSuitePath: typeof d.parent_suite_path === "string" ? d.parent_suite_path : null,
    suiteContextName: typeof d.suite_context_name === "string" ? d.suite_context_name : null,
    fromCache: bool(d.from_cache, false),
    solveTime: num(d.solve_time),
    loadTime: num(d.load_time),
    numLoadedPackages: num(d.num_loaded_packages, -1),
    graph: typeof d.graph === "string" ? d.graph : null,
  };
}
