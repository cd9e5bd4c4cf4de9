import { Command } from "@commander-js/extra-typings";
import { MemcachedClient } from "../../cache/index.js";
import { CliError } from "../errors.js";
import { numberOption } from "../number-options.js";
import { cliReporter } from "../output.js";
import { loadCliConfig, memcachedServers, openCliRepositories, repositoryOptionsOf, withoutLocalPackages, withRepositoryOptions } from "../repositories.js";

/** What `pkg memcache` shows per server (rez-memcache's columns). */
interface ServerStats {
  readonly server: string;
  readonly up: boolean;
  readonly hits: number;
  readonly misses: number;
  readonly items: number;
  readonly bytes: number;
  readonly limit_maxbytes: number;
}

function statsOf(server: string, stats: Record<string, string> | undefined): ServerStats {
  const n = (name: string): number => Number(stats?.[name] ?? 0);
  return { server, up: stats !== undefined, hits: n("get_hits"), misses: n("get_misses"), items: n("curr_items"), bytes: n("bytes"), limit_maxbytes: n("limit_maxbytes") };
}

function table(rows: readonly ServerStats[]): string {
  const header = ["server", "hits", "misses", "hit rate", "items", "size"];
  const lines = rows.map((r) =>
    r.up
      ? [r.server, String(r.hits), String(r.misses), r.hits + r.misses > 0 ? `${Math.round((100 * r.hits) / (r.hits + r.misses))}%` : "-", String(r.items), `${(r.bytes / 1024).toFixed(1)} KiB`]
      : [r.server, "down", "", "", "", ""],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd() + "\n").join("");
}

/** `--warm`: every definition of the configured repositories but the local one, offered to memcached. */
async function warm(command: Parameters<typeof repositoryOptionsOf>[0]): Promise<{ families: number; packages: number; shared: number }> {
  const reporter = cliReporter();
  const repos = openCliRepositories({ ...withoutLocalPackages(repositoryOptionsOf(command)), publishDefinitions: true });
  try {
    const progress = reporter.progress("loading definitions");
    const packages = await repos.set.allPackages((done, total) => progress.update(done, total));
    progress.done();
    const families = new Set(packages.map((p) => p.name)).size;
    return { families, packages: packages.length, shared: repos.sharedFamilies() };
  } finally {
    await repos.close();
  }
}

export function memcacheCommand() {
  return withRepositoryOptions(new Command("memcache"))
    .description(
      "show or manage the memcached servers of memcached_uri (as rez-memcache)\n\n" +
        "  pkg memcache                 hits, misses, items and size per server\n" +
        "  pkg memcache --flush         empty every server\n" +
        "  pkg memcache --warm          load every non-local definition into memcached\n" +
        "  pkg memcache --poll 1        hit/miss rate every second",
    )
    .option("--flush", "remove every item from the servers")
    .option("--reset-stats", "reset the servers' statistics")
    .option("--warm", "load every package definition of the configured repositories (not the local one) into memcached")
    .option("--poll <seconds>", "print the hit and miss rates every SECONDS until interrupted", numberOption("--poll", { takes: "a number of seconds above 0", decimal: true, above: 0 }))
    .option("--json", 'print [{"server", "up", "hits", "misses", "items", "bytes", "limit_maxbytes"}] (docs/json.md)')
    .action(async (options, command) => {
      const servers = memcachedServers(loadCliConfig());
      if (servers.length === 0) throw new CliError("PKG0060", "no memcached server is configured", "set memcached_uri (PKG_MEMCACHED_URI or REZ_MEMCACHED_URI) to host:port");
      const names = servers.map((s) => `${s.host}:${s.port}`);
      const reporter = cliReporter();
      // A command run by hand may wait for a slow server longer than a resolve would.
      const withClient = async <T,>(work: (c: MemcachedClient) => Promise<T>): Promise<T> => {
        const client = new MemcachedClient({ servers, budgetMs: 2000 });
        try {
          return await work(client);
        } finally {
          client.close();
        }
      };
      {
        if (options.warm) {
          const warmed = await warm(command);
          reporter.result(options.json ? { json: warmed } : { text: `${warmed.packages} packages of ${warmed.families} families loaded; ${warmed.shared} families in memcached\n` });
          return;
        }
        if (options.flush || options.resetStats) {
          for (let i = 0; i < servers.length; i++) {
            const ok = await withClient((c) => c.command(i, options.flush ? "flush_all" : "stats reset", options.flush ? "OK" : "RESET"));
            if (!ok) throw new CliError("PKG0061", `memcached ${names[i]}: no answer`, "check that the server is running");
          }
          if (options.flush && options.resetStats) for (let i = 0; i < servers.length; i++) await withClient((c) => c.command(i, "stats reset", "RESET"));
          reporter.info(options.flush ? "memcached flushed" : "memcached statistics reset");
          return;
        }
        const read = async (): Promise<ServerStats[]> => Promise.all(servers.map(async (_, i) => statsOf(names[i]!, await withClient((c) => c.stats(i)))));
        if (options.poll !== undefined) {
          let last = await read();
          for (;;) {
            await new Promise((r) => setTimeout(r, options.poll! * 1000));
            const now = await read();
            const hits = now.reduce((t, r, i) => t + r.hits - last[i]!.hits, 0);
            const misses = now.reduce((t, r, i) => t + r.misses - last[i]!.misses, 0);
            reporter.result({ text: `hits/s ${(hits / options.poll!).toFixed(1)}  misses/s ${(misses / options.poll!).toFixed(1)}\n` });
            last = now;
          }
        }
        const rows = await read();
        reporter.result(options.json ? { json: rows } : { text: table(rows) });
        if (rows.every((r) => !r.up)) process.exitCode = 1; // a script checking the servers learns none answers
      }
    });
}
