// pkg cache: show and manage the local payload cache (Rez's rez-pkg-cache).
import { basename, dirname } from "node:path";
import { readFileSync } from "node:fs";
import { Command, Option } from "@commander-js/extra-typings";
import type { PkgConfig } from "../../config/index.js";
import { contextVariant } from "../../context/index.js";
import { PkgError } from "../../errors/index.js";
import { cacheVariantOf, PayloadCache, payloadCacheSettings } from "../../payload-cache/index.js";
import type { PayloadCacheEntry, CacheStatus, CacheVariant, HandleLookup } from "../../payload-cache/index.js";
import type { VariantHandle } from "../../repository/index.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { loadCliConfig, openCliRepositories } from "../repositories.js";
import type { OpenedRepositories } from "../repositories.js";

const COLUMNS = ["status", "package", "variant_uri", "orig_path", "cache_path"] as const;
type Column = (typeof COLUMNS)[number];

/** What `pkg cache` prints for each status, and its place in the listing (Rez's order). */
const LISTED: Partial<Record<CacheStatus, readonly [string, number]>> = {
  found: ["cached", 0],
  copying: ["copying", 1],
  stalled: ["stalled", 2],
  pending: ["pending", 3],
};

/** Finds variants again from handles and uris, opening each repository once. */
class VariantFinder {
  private readonly opened = new Map<string, OpenedRepositories>();
  constructor(private readonly config: PkgConfig) {}

  private repos(location: string): OpenedRepositories {
    let repos = this.opened.get(location);
    if (!repos) {
      repos = openCliRepositories({ repos: [location], cache: true });
      this.opened.set(location, repos);
    }
    return repos;
  }

  readonly lookup: HandleLookup = async (handle: VariantHandle): Promise<CacheVariant | undefined> => {
    const repos = this.repos(handle.variables.location);
    const found = await repos.set.variantFromHandle(handle).catch(() => undefined);
    if (found === undefined) return undefined;
    const { definition, index } = found;
    const v = contextVariant({ name: definition.name, version: definition.version, index, uri: `${definition.file}[${index ?? ""}]`, definition, handle });
    return cacheVariantOf(v, this.config);
  };

  /** `<repo>/<name>/<version>/package.py[<index>]` (Rez's variant uri; `[]` or no brackets for a package without variants). */
  async fromUri(uri: string): Promise<CacheVariant | undefined> {
    const match = /^(.*\/package\.(?:py|yaml))(?:\[(\d*)\])?$/.exec(uri);
    if (!match) return undefined;
    const file = match[1]!;
    const index = match[2] === undefined || match[2] === "" ? null : Number(match[2]);
    const base = dirname(file);
    // versioned `<repo>/<name>/<version>/package.py`, else unversioned `<repo>/<name>/package.py`
    for (const [location, name] of [[dirname(dirname(base)), basename(dirname(base))], [dirname(base), basename(base)]] as const) {
      const repos = this.repos(location);
      const family = await repos.set.getFamily(name).catch(() => undefined);
      const definition = family?.find((d) => d.file === file);
      if (!definition) continue;
      const count = Array.isArray(definition.attributes.variants) ? definition.attributes.variants.length : 0;
      if (index === null ? count > 0 : index >= count) return undefined;
      const handle = repos.set.variantHandle(definition, index);
      const v = contextVariant({ name: definition.name, version: definition.version, index, uri: `${definition.file}[${index ?? ""}]`, definition, ...(handle ? { handle } : {}) });
      return cacheVariantOf(v, this.config);
    }
    return undefined;
  }

  async close(): Promise<void> {
    for (const repos of this.opened.values()) await repos.close();
  }
}

function packageLabel(e: PayloadCacheEntry): string {
  const { name, version } = e.handle.variables;
  return version ? `${name}-${version}` : name;
}

function entryUri(e: PayloadCacheEntry): string {
  if (e.variant) return e.variant.uri;
  const { location, name, version, index } = e.handle.variables;
  return `${location}/${name}${version ? `/${version}` : ""}/package.py[${index ?? ""}]`;
}

function cell(e: PayloadCacheEntry, column: Column): string {
  switch (column) {
    case "status":
      return LISTED[e.status]?.[0] ?? e.status;
    case "package":
      return packageLabel(e);
    case "variant_uri":
      return entryUri(e);
    case "orig_path":
      return e.variant?.root ?? "-";
    case "cache_path":
      return e.root || "-";
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd() + "\n").join("");
}

function parseColumn(value: string, previous: Column[] | undefined): Column[] {
  if (!(COLUMNS as readonly string[]).includes(value)) throw new CliError("PKG0002", `-c/--columns: '${value}' is not a column`, `choose from: ${COLUMNS.join(", ")}`);
  return [...(previous ?? []), value as Column];
}

export function cacheCommand() {
  return new Command("cache")
    .description(
      "show and manage the local payload cache (Rez's rez-pkg-cache): copies of variant payloads that resolved environments use instead of the originals\n\n" +
        "  pkg cache                 cached variants and their status\n" +
        "  pkg cache DIR -a URI...   copy variants into the cache\n" +
        "  pkg cache -r URI...       remove variants (deleted by the next --clean)\n" +
        "  pkg cache --clean         remove unused (package_cache_max_variant_days) and\n" +
        "                            stalled variants\n" +
        "  pkg cache --logs          what the background copies did",
    )
    .argument("[dir]", "the payload cache folder (default: cache_packages_path)")
    .option("-a, --add-variants <uri...>", "add these variants to the cache")
    .option("-r, --remove-variants <uri...>", "remove these variants from the cache")
    .option("--clean", "remove unused and stalled variants and other files pending deletion")
    .option("--logs", "print the cache's logs")
    .addOption(new Option("--daemon", "copy the pending variants, then exit (what environments start in the background)").hideHelp())
    .addOption(new Option("--pkg-cache-mode <mode>", "with --add-variants: sync waits for another process's copy of the same variant, async does not (default: package_cache_async)").choices(["sync", "async"] as const))
    .option("-c, --columns <column...>", `columns to print: ${COLUMNS.join(", ")} (default: status package variant_uri cache_path)`, parseColumn)
    .option("-f, --force", "with --add-variants: cache a variant even if it is not cachable, local or on the cache's device")
    .option("--json", "print the listing, or what was done, as JSON (docs/json.md)")
    .action(async (dir, options) => {
      const actions = [options.addVariants, options.removeVariants, options.clean, options.logs, options.daemon].filter((a) => a !== undefined);
      if (actions.length > 1) throw new CliError("PKG0002", "give one of --add-variants, --remove-variants, --clean, --logs, --daemon");
      const config = loadCliConfig().config;
      const path = dir ?? config.cache_packages_path;
      if (!path) throw new CliError("PKG0080", "DIR must be specified, as there is no configured 'cache_packages_path'", "give the cache folder, or set cache_packages_path (PKG_CACHE_PACKAGES_PATH or REZ_CACHE_PACKAGES_PATH)");
      const reporter = cliReporter();
      const cache = options.clean || options.daemon ? new PayloadCache(path, payloadCacheSettings(config), options.clean && !options.json ? { info: (t) => reporter.info(t), warn: (t) => reporter.warn(t) } : undefined) : new PayloadCache(path, payloadCacheSettings(config));
      const finder = new VariantFinder(config);
      try {
        if (options.daemon) {
          await cache.runPending(finder.lookup, { waitForCopying: false });
          return;
        }
        if (options.addVariants) {
          const sync = options.pkgCacheMode === "sync" || (options.pkgCacheMode === undefined && !config.package_cache_async);
          const results: { uri: string; status: CacheStatus; cache_path: string }[] = [];
          for (const uri of options.addVariants) {
            if (!options.json) reporter.info(`Adding variant '${uri}' to package cache at ${cache.path}:`);
            const variant = await finder.fromUri(uri);
            if (variant === undefined) throw new PkgError("PKG0082", `No such variant: ${uri}`, { hint: "give <repo>/<name>/<version>/package.py[<index>]" });
            const { status, root } = await cache.addVariant(variant, { force: options.force === true, waitForCopying: sync });
            results.push({ uri, status, cache_path: root });
            if (options.json) continue;
            if (status === "found") reporter.info(`Already exists: ${root}`);
            else if (status === "copying") reporter.warn(`Another process is currently copying to: ${root}`);
            else if (status === "stalled") reporter.warn(`A copy to ${root} has stalled: pkg cache --clean removes it`);
            else if (status === "skipped") {
              reporter.warn(`Cache no longer accepting new variant due to size limit (package_cache_space_buffer ${(config.package_cache_space_buffer / 1024 ** 2).toFixed(2)}MB, package_cache_used_threshold ${config.package_cache_used_threshold}%).`);
            } else reporter.info(`Successfully cached to: ${root}`);
          }
          if (options.json) reporter.result({ json: results });
          return;
        }
        if (options.removeVariants) {
          const results: { uri: string; status: CacheStatus }[] = [];
          for (const uri of options.removeVariants) {
            if (!options.json) reporter.info(`Removing variant '${uri}' from package cache at ${cache.path}:`);
            const variant = await finder.fromUri(uri);
            if (variant === undefined) throw new PkgError("PKG0082", `No such variant: ${uri}`);
            const status = await cache.removeVariant(variant.handle, variant.version ? `${variant.name}-${variant.version}` : variant.name);
            results.push({ uri, status });
            if (options.json) continue;
            if (status === "not_found") reporter.warn("No such variant found in cache");
            else if (status === "copying") reporter.warn("Another process is currently caching this variant");
            else reporter.info("Variant successfully removed");
          }
          if (options.json) reporter.result({ json: results });
          return;
        }
        if (options.clean) {
          const result = await cache.clean(finder.lookup);
          if (options.json) reporter.result({ json: result });
          return;
        }
        if (options.logs) {
          const files = cache.logFiles();
          if (options.json) {
            reporter.result({ json: files.map((file) => ({ file, lines: readFileSync(file, "utf8").split("\n").filter((l) => l !== "") })) });
            return;
          }
          reporter.result({ text: files.map((f) => readFileSync(f, "utf8")).join("") });
          return;
        }
        const entries = (await cache.entries(finder.lookup))
          .filter((e) => LISTED[e.status] !== undefined)
          .sort((a, b) => LISTED[a.status]![1] - LISTED[b.status]![1] || (packageLabel(a) < packageLabel(b) ? -1 : packageLabel(a) > packageLabel(b) ? 1 : 0));
        const columns = options.columns ?? ["status", "package", "variant_uri", "cache_path"];
        if (options.json) {
          reporter.result({ json: entries.map((e) => Object.fromEntries(COLUMNS.map((c) => [c, c === "cache_path" || c === "orig_path" ? (cell(e, c) === "-" ? null : cell(e, c)) : cell(e, c)]))) });
          return;
        }
        if (entries.length === 0) {
          reporter.info("No cached packages.");
          return;
        }
        const tty = process.stdout.isTTY === true;
        const rows: string[][] = [];
        if (tty) {
          rows.push(columns.map((c) => c.replace(/_/g, " ")));
          rows.push(columns.map((c) => "-".repeat(c.length)));
        }
        for (const e of entries) rows.push(columns.map((c) => cell(e, c)));
        reporter.result({ text: (tty ? `Package cache at ${cache.path}:\n\n` : "") + table(rows) });
      } finally {
        await finder.close();
      }
    });
}


