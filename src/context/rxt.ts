// .rxt context files in Rez's format (ResolvedContext.to_dict / from_dict, serialize_version 4.9):
// JSON with sorted keys and 4-space indent, so Rez loads ours and we load Rez 3's.

import { parse as parseYaml } from "yaml";
import { PkgError, type PkgErrorOptions } from "../errors/index.js";
import { GraphFormatError, isCompactedGraph, readDot, writeCompacted } from "../graph/index.js";
import type { Reporter } from "../report/index.js";
import { filesystemVariantHandle } from "../repository/index.js";
import type { VariantHandle } from "../repository/index.js";
import { contextVariant, qualifiedVariantName } from "./variant.js";
import type { ContextVariant, ResolvedVariantInput, VariantLayoutOptions } from "./variant.js";
import type { ResolvedContext } from "./resolved-context.js";

export const SERIALIZE_VERSION = "4.9";

export class ContextFileError extends PkgError {
  override readonly name = "ContextFileError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0016", message, options);
  }
}

/** The handle the variant's repository made (or the one read from a file); a filesystem one otherwise. */
export function variantHandle(v: ContextVariant): VariantHandle {
  return v.handle ?? filesystemVariantHandle(v.location, v.definition, v.index);
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

/**
 * The graph as Rez's to_dict writes it: the compacted form, a plain DOT graph of an older file converted to
 * it (one that does not read is kept as it is rather than lost).
 */
function graphForFile(ctx: ResolvedContext): string {
  if (ctx.graph === undefined || ctx.graph === null) return compactedResolveGraph(ctx);
  if (ctx.graph === "" || isCompactedGraph(ctx.graph)) return ctx.graph;
  try {
    return writeCompacted(readDot(ctx.graph));
  } catch (error) {
    if (error instanceof GraphFormatError) return ctx.graph;
    throw error;
  }
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
    graph: graphForFile(ctx),
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
    // Rez reads the keys it knows and passes over this one
    ...(ctx.writtenBy !== null ? { written_by: ctx.writtenBy } : {}),
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

/** The fields of a .rxt file pkg reads, as typed in the file (Rez's key names); absent ones are undefined. */
export interface RxtFields {
  readonly package_requests?: readonly string[];
  readonly implicit_packages?: readonly string[];
  readonly resolved_ephemerals?: readonly string[];
  readonly package_paths?: readonly string[];
  readonly status?: string;
  readonly failure_description?: string | null;
  readonly timestamp?: number;
  readonly requested_timestamp?: number | null;
  readonly created?: number;
  readonly building?: boolean;
  readonly testing?: boolean;
  readonly caching?: boolean;
  readonly append_sys_path?: boolean;
  readonly package_caching?: boolean;
  readonly package_cache_async?: boolean;
  readonly package_filter?: readonly unknown[];
  readonly package_orderers?: readonly unknown[] | null;
  readonly default_patch_lock?: string;
  readonly patch_locks?: Readonly<Record<string, string>>;
  readonly rez_version?: string;
  readonly rez_path?: string;
  readonly written_by?: string;
  readonly user?: string;
  readonly host?: string;
  readonly platform?: string;
  readonly arch?: string;
  readonly os?: string;
  readonly parent_suite_path?: string | null;
  readonly suite_context_name?: string | null;
  readonly from_cache?: boolean;
  readonly solve_time?: number;
  readonly load_time?: number;
  readonly num_loaded_packages?: number;
  readonly graph?: string | null;
}

/** A parsed .rxt file: its fields checked and typed, variants still as handles. */
export interface RxtDocument {
  readonly serializeVersion: string;
  readonly handles: readonly VariantHandle[];
  readonly fields: RxtFields;
  /** The file's whole dict, unknown keys included (pkg-rs adds `pkg_env`). */
  readonly dict: Readonly<Record<string, unknown>>;
}

/** A value as a message shows it: its kind, and a short form of it. */
function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  const kind = typeof value === "object" ? "an object" : typeof value === "boolean" ? "a boolean" : `a ${typeof value}`;
  if (typeof value === "object") return kind;
  const text = JSON.stringify(value) ?? String(value);
  return `${kind} (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/**
 * Reads typed fields out of one object of the file; a field of the wrong type is a ContextFileError naming the
 * file and the field (`where` is the field's path, e.g. `resolved_packages[2].variables`).
 */
class FieldReader {
  constructor(
    private readonly file: string,
    private readonly values: Readonly<Record<string, unknown>>,
    private readonly where = "",
  ) {}

  private path(key: string): string {
    return this.where === "" ? key : `${this.where}.${key}`;
  }

  fail(key: string, expected: string, value: unknown = this.values[key]): never {
    throw new ContextFileError(`${this.file}: '${this.path(key)}' must be ${expected}, not ${describeValue(value)}`);
  }

  private read<T>(key: string, expected: string, accept: (value: unknown) => value is T): T | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (!accept(value)) this.fail(key, expected);
    return value;
  }

  string(key: string): string | undefined {
    return this.read(key, "a string", (v): v is string => typeof v === "string");
  }

  requiredString(key: string): string {
    return this.string(key) ?? this.fail(key, "a string");
  }

  stringOrNull(key: string): string | null | undefined {
    return this.read(key, "a string or null", (v): v is string | null => v === null || typeof v === "string");
  }

  number(key: string): number | undefined {
    return this.read(key, "a number", (v): v is number => typeof v === "number" && Number.isFinite(v));
  }

  numberOrNull(key: string): number | null | undefined {
    return this.read(key, "a number or null", (v): v is number | null => v === null || (typeof v === "number" && Number.isFinite(v)));
  }

  boolean(key: string): boolean | undefined {
    return this.read(key, "true or false", (v): v is boolean => typeof v === "boolean");
  }

  strings(key: string): readonly string[] | undefined {
    const list = this.read(key, "a list of strings", isList);
    list?.forEach((item, index) => {
      if (typeof item !== "string") this.fail(`${key}[${index}]`, "a string", item);
    });
    return list as readonly string[] | undefined;
  }

  list(key: string, expected = "a list"): readonly unknown[] | undefined {
    return this.read(key, expected, isList);
  }

  listOrNull(key: string): readonly unknown[] | null | undefined {
    return this.read(key, "a list or null", (v): v is unknown[] | null => v === null || Array.isArray(v));
  }

  stringMap(key: string): Readonly<Record<string, string>> | undefined {
    const map = this.read(key, "an object of strings", isRecord);
    if (map) for (const [name, value] of Object.entries(map)) if (typeof value !== "string") this.fail(`${key}.${name}`, "a string", value);
    return map as Readonly<Record<string, string>> | undefined;
  }

  /** An object field, as a reader of its own fields. */
  object(key: string, expected: string): FieldReader {
    const value = this.values[key];
    if (!isRecord(value)) this.fail(key, expected);
    return new FieldReader(this.file, value, this.path(key));
  }
}

/** One `resolved_packages` entry: Rez's handle `{"key", "variables": {"name", "location", "index"?, "version"?, ...}}`. */
function readHandle(file: string, entry: unknown, index: number): VariantHandle {
  const where = `resolved_packages[${index}]`;
  if (!isRecord(entry)) {
    throw new ContextFileError(`${file}: '${where}' must be a variant handle ({"key", "variables"}), not ${describeValue(entry)}`);
  }
  const handle = new FieldReader(file, entry, where);
  const key = handle.requiredString("key");
  const variables = handle.object("variables", 'an object with "name" and "location"');
  const name = variables.requiredString("name");
  const location = variables.requiredString("location");
  // pkg-rs writes no index; Rez writes null or the variant's position.
  const variantIndex = variables.numberOrNull("index") ?? null;
  if (variantIndex !== null && !(Number.isInteger(variantIndex) && variantIndex >= 0)) variables.fail("index", "a variant number (0, 1, …) or null");
  const repositoryType = variables.string("repository_type") ?? "filesystem";
  const version = variables.string("version");
  const ext = variables.string("ext");
  return {
    key,
    variables: {
      index: variantIndex,
      location,
      name,
      repository_type: repositoryType,
      ...(version !== undefined ? { version } : {}),
      ...(ext !== undefined ? { ext } : {}),
    },
  };
}

/** Reads every field pkg uses, so a damaged file is rejected where it is read, not half-used later. */
function readFields(r: FieldReader): RxtFields {
  const fields: { -readonly [K in keyof RxtFields]: RxtFields[K] } = {
    package_requests: r.strings("package_requests"),
    implicit_packages: r.strings("implicit_packages"),
    resolved_ephemerals: r.strings("resolved_ephemerals"),
    package_paths: r.strings("package_paths"),
    status: r.string("status"),
    failure_description: r.stringOrNull("failure_description"),
    timestamp: r.number("timestamp"),
    requested_timestamp: r.numberOrNull("requested_timestamp"),
    created: r.number("created"),
    building: r.boolean("building"),
    testing: r.boolean("testing"),
    caching: r.boolean("caching"),
    append_sys_path: r.boolean("append_sys_path"),
    package_caching: r.boolean("package_caching"),
    package_cache_async: r.boolean("package_cache_async"),
    package_filter: r.list("package_filter"),
    package_orderers: r.listOrNull("package_orderers"),
    default_patch_lock: r.string("default_patch_lock"),
    patch_locks: r.stringMap("patch_locks"),
    rez_version: r.string("rez_version"),
    rez_path: r.string("rez_path"),
    written_by: r.string("written_by"),
    user: r.string("user"),
    host: r.string("host"),
    platform: r.string("platform"),
    arch: r.string("arch"),
    os: r.string("os"),
    parent_suite_path: r.stringOrNull("parent_suite_path"),
    suite_context_name: r.stringOrNull("suite_context_name"),
    from_cache: r.boolean("from_cache"),
    solve_time: r.number("solve_time"),
    load_time: r.number("load_time"),
    num_loaded_packages: r.number("num_loaded_packages"),
    graph: r.stringOrNull("graph"),
  };
  return fields;
}

export function parseRxt(text: string, file = "<context>"): RxtDocument {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith("{") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ContextFileError(`${file}: not a context file: ${(e as Error).message}`);
  }
  if (!isRecord(doc)) throw new ContextFileError(`${file}: not a context file`);
  if (doc.serialize_version === undefined) throw new ContextFileError(`${file}: no serialize_version`);
  const reader = new FieldReader(file, doc);
  if (typeof doc.serialize_version !== "string" && typeof doc.serialize_version !== "number") reader.fail("serialize_version", 'a version string ("4.9")');
  const serializeVersion = String(doc.serialize_version);
  // Rez reads resolved_packages unconditionally, so a file without it is not a context either.
  const expected = "a list of variant handles";
  const entries = reader.list("resolved_packages", expected) ?? reader.fail("resolved_packages", expected);
  const handles = entries.map((entry, index) => readHandle(file, entry, index));
  return { serializeVersion, handles, fields: readFields(reader), dict: doc };
}

/** Finds the variant a handle names (through the repositories); undefined when it no longer exists. */
export type VariantFinder = (handle: VariantHandle) => Promise<ResolvedVariantInput | undefined>;

/** Rez `from_dict`: re-create the context, variants looked up again (commands are never stored). */
export async function loadResolvedContext(
  doc: RxtDocument,
  findVariant: VariantFinder,
  options: VariantLayoutOptions & { readonly file?: string; readonly reporter?: Pick<Reporter, "warn"> } = {},
): Promise<ResolvedContext> {
  const d = doc.fields;
  const major = Number(doc.serializeVersion.split(".")[0]);
  if (major > 4) {
    options.reporter?.warn(
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
    variants.push(contextVariant({ ...v, handle: h }, options));
  }
  const status = d.status ?? "solved";
  return {
    requests: [...(d.package_requests ?? [])],
    implicitPackages: [...(d.implicit_packages ?? [])],
    variants,
    ephemerals: [...(d.resolved_ephemerals ?? [])],
    packagePaths: [...(d.package_paths ?? [])],
    status: status === "solved" || status === "failed" || status === "aborted" ? status : "failed",
    failureDescription: d.failure_description ?? null,
    timestamp: d.timestamp ?? 0,
    requestedTimestamp: d.requested_timestamp ?? null,
    created: d.created ?? 0,
    building: d.building ?? false,
    testing: d.testing ?? false,
    caching: d.caching ?? false,
    appendSysPath: d.append_sys_path ?? true,
    packageCaching: d.package_caching ?? true,
    packageCacheAsync: d.package_cache_async ?? true,
    packageFilter: d.package_filter ?? [],
    packageOrderers: d.package_orderers ?? null,
    defaultPatchLock: d.default_patch_lock ?? "no_lock",
    patchLocks: d.patch_locks ?? {},
    rezVersion: d.rez_version ?? "",
    rezPath: d.rez_path ?? "",
    writtenBy: d.written_by ?? null,
    user: d.user ?? "",
    host: d.host ?? "",
    platform: d.platform ?? "",
    arch: d.arch ?? "",
    os: d.os ?? "",
    parentSuitePath: d.parent_suite_path ?? null,
    suiteContextName: d.suite_context_name ?? null,
    fromCache: d.from_cache ?? false,
    solveTime: d.solve_time ?? 0,
    loadTime: d.load_time ?? 0,
    numLoadedPackages: d.num_loaded_packages ?? -1,
    graph: d.graph ?? null,
  };
}
