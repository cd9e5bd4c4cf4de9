// A small memcached client over node:net speaking the text protocol (the binary one is deprecated and
// memcached's proxy rejects it). Shared caches only ever save time, so every call shares one time budget per
// command: an error, a timeout or a server that is absent makes that call a miss, spends the time it took,
// and turns the client off for the rest of the command, so a dead server costs at most the budget once.
import { connect } from "node:net";
import type { Socket } from "node:net";
import { deflateSync, inflateSync } from "node:zlib";

/** memcached's default item size limit (`-I 1m`); larger values are not stored. */
export const MEMCACHED_ITEM_LIMIT = 1024 * 1024;
/** Flag bit of a value stored deflated. */
const COMPRESSED = 1;

export interface MemcachedServer {
  readonly host: string;
  readonly port: number;
}

/** `host:port` (or `[v6]:port`, port 11211 when left out) → a server; undefined when malformed. */
export function parseServer(uri: string): MemcachedServer | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/.exec(uri.trim());
  if (!match) return undefined;
  const port = match[3] === undefined ? 11211 : Number(match[3]);
  if (!(port > 0 && port < 65536)) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

/** A key memcached accepts (at most 250 bytes, no spaces or control characters): a prefix and a hash. */
export function memcachedKey(kind: string, hash: string): string {
  return `pkg:${kind}:${hash}`.replace(/[^\x21-\x7e]/g, "_").slice(0, 250);
}

/** The bytes and flags stored for a value: deflated from `minCompress` bytes on (0 turns compression off). */
export function frameValue(value: string | Buffer, minCompress: number): { readonly data: Buffer; readonly flags: number } {
  const raw = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  if (minCompress > 0 && raw.length >= minCompress) return { data: deflateSync(raw, { level: 1 }), flags: COMPRESSED };
  return { data: raw, flags: 0 };
}

/** The bytes of a stored value; undefined when it cannot be decoded (a foreign or damaged value). */
export function unframeBytes(data: Buffer, flags: number): Buffer | undefined {
  try {
    return (flags & COMPRESSED) !== 0 ? inflateSync(data) : data;
  } catch {
    return undefined;
  }
}

/** The text of a stored value; undefined when it cannot be decoded. */
export function unframeValue(data: Buffer, flags: number): string | undefined {
  return unframeBytes(data, flags)?.toString("utf8");
}

/** Which server holds a key: a stable hash of the key over the list, as every machine must agree. */
export function serverIndex(key: string, count: number): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619) >>> 0;
  return count > 0 ? hash % count : 0;
}

/** One reply read from a connection: the lines and value blocks up to the command's terminator. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  failure: Error | undefined;

  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.waiter?.();
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed")));
  }

  /** Waits until `complete` finds a whole reply in the buffer, then consumes it. */
  async read<T>(complete: (buffer: Buffer) => { readonly value: T; readonly used: number } | undefined): Promise<T> {
    for (;;) {
      const found = complete(this.buffer);
      if (found) {
        this.buffer = this.buffer.subarray(found.used);
        return found.value;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
  }
}

export interface GetReply {
  readonly data: Buffer;
  readonly flags: number;
}

/** Parses a `get` reply (`VALUE key flags bytes` + data, then `END`); undefined until all of it is there. */
export function parseGetReply(buffer: Buffer): { readonly value: GetReply | undefined; readonly used: number } | undefined {
  const eol = buffer.indexOf("\r\n");
  if (eol < 0) return undefined;
  const line = buffer.toString("latin1", 0, eol);
  if (line === "END") return { value: undefined, used: eol + 2 };
  const match = /^VALUE \S+ (\d+) (\d+)$/.exec(line);
  if (!match) throw new Error(`unexpected reply: ${line.slice(0, 80)}`);
  const bytes = Number(match[2]);
  const end = eol + 2 + bytes + 2 + 5; // data, CRLF, END CRLF
  if (buffer.length < end) return undefined;
  if (buffer.toString("latin1", end - 7, end) !== "\r\nEND\r\n") throw new Error("malformed value reply");
  return { value: { data: Buffer.from(buffer.subarray(eol + 2, eol + 2 + bytes)), flags: Number(match[1]) }, used: end };
}

/** Parses a reply that ends with one of the given lines (`END` for stats); the lines before it. */
function untilLine(terminators: readonly string[]): (buffer: Buffer) => { readonly value: string[]; readonly used: number } | undefined {
  return (buffer) => {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const eol = buffer.indexOf("\r\n", start);
      if (eol < 0) return undefined;
      const line = buffer.toString("latin1", start, eol);
      start = eol + 2;
      if (terminators.includes(line)) return { value: lines, used: start };
      if (/^(ERROR|CLIENT_ERROR|SERVER_ERROR)/.test(line)) throw new Error(line);
      lines.push(line);
    }
  };
}

export interface MemcachedOptions {
  readonly servers: readonly MemcachedServer[];
  /** Total milliseconds the calls of one command may lose to misses (errors, timeouts). */
  readonly budgetMs?: number;
}

export class MemcachedClient {
  private readonly connections = new Map<number, Promise<Connection>>();
  private budgetMs: number;
  private disabled = false;
  /** The first problem met (reported once); set, the client answers every call as a miss. */
  problem: string | undefined;
  hits = 0;
  misses = 0;

  constructor(readonly options: MemcachedOptions) {
    this.budgetMs = options.budgetMs ?? 50;
  }

  private connection(index: number): Promise<Connection> {
    let opened = this.connections.get(index);
    if (!opened) {
      const server = this.options.servers[index]!;
      opened = new Promise<Connection>((resolve, reject) => {
        const socket = connect({ host: server.host, port: server.port });
        socket.setNoDelay(true);
        socket.once("connect", () => resolve(new Connection(socket)));
        socket.once("error", reject);
      });
      opened.catch(() => {});
      this.connections.set(index, opened);
    }
    return opened;
  }

  /** Exchanges run one after another: a connection's replies come back in order, to one reader at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private exchange<T>(index: number, request: Buffer | string, reply: (c: Connection) => Promise<T>): Promise<T | undefined> {
    const turn = this.queue.then(() => this.exchangeNow(index, request, reply));
    this.queue = turn;
    return turn;
  }

  /** Runs one exchange with a server within what is left of the budget; any failure is a miss (undefined). */
  private async exchangeNow<T>(index: number, request: Buffer | string, reply: (c: Connection) => Promise<T>): Promise<T | undefined> {
    if (this.disabled || this.options.servers.length === 0) return undefined;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    // The timer may fire late, after synchronous work (a solve) held the event loop; an answer that came in
    // meanwhile is read in the poll phase that follows the timers, so the verdict waits for that phase.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${Math.round(this.budgetMs)} ms`))), Math.max(1, this.budgetMs));
    });
    try {
      const work = (async () => {
        const connection = await this.connection(index);
        connection.socket.ref();
        connection.socket.write(request);
        return await reply(connection);
      })();
      work.catch(() => {});
      return await Promise.race([work, timeout]);
    } catch (error) {
      this.budgetMs -= performance.now() - started;
      const server = this.options.servers[index]!;
      this.problem ??= `memcached ${server.host}:${server.port}: ${(error as Error).message}`;
      this.disabled = true; // a broken server would cost the budget again on every call
      this.close();
      return undefined;
    } finally {
      clearTimeout(timer);
      for (const c of this.connections.values()) void c.then((x) => x.socket.unref(), () => {});
    }
  }

  /** The stored value's bytes, or undefined on a miss (absent, undecodable, or any failure). */
  async getBytes(key: string): Promise<Buffer | undefined> {
    const index = serverIndex(key, this.options.servers.length);
    const reply = await this.exchange(index, `get ${key}\r\n`, (c) => c.read(parseGetReply));
    const bytes = reply ? unframeBytes(reply.data, reply.flags) : undefined;
    if (bytes === undefined) this.misses++;
    else this.hits++;
    return bytes;
  }

  /** The stored value's text, or undefined on a miss. */
  async get(key: string): Promise<string | undefined> {
    return (await this.getBytes(key))?.toString("utf8");
  }

  /** Stores a value (compressed from `minCompress` bytes); false when skipped (too big) or failed. */
  async set(key: string, value: string | Buffer, minCompress: number, ttlSeconds = 0): Promise<boolean> {
    const { data, flags } = frameValue(value, minCompress);
    if (data.length + key.length + 64 > MEMCACHED_ITEM_LIMIT) return false;
    const index = serverIndex(key, this.options.servers.length);
    const request = Buffer.concat([Buffer.from(`set ${key} ${flags} ${ttlSeconds} ${data.length}\r\n`, "latin1"), data, Buffer.from("\r\n")]);
    const lines = await this.exchange(index, request, (c) => c.read(untilLine(["STORED", "NOT_STORED"])));
    return lines !== undefined;
  }

  /** One server's `stats` as name → value; undefined when it does not answer. */
  async stats(index: number): Promise<Record<string, string> | undefined> {
    const lines = await this.exchange(index, "stats\r\n", (c) => c.read(untilLine(["END"])));
    if (!lines) return undefined;
    const stats: Record<string, string> = {};
    for (const line of lines) {
      const [, name, value] = /^STAT (\S+) (.*)$/.exec(line) ?? [];
      if (name !== undefined && value !== undefined) stats[name] = value;
    }
    return stats;
  }

  /** A command answered by one line (`flush_all` → OK, `stats reset` → RESET); false on failure. */
  async command(index: number, text: string, expected: string): Promise<boolean> {
    const lines = await this.exchange(index, `${text}\r\n`, (c) => c.read(untilLine([expected])));
    return lines !== undefined;
  }

  close(): void {
    for (const c of this.connections.values()) void c.then((x) => x.socket.destroy(), () => {});
    this.connections.clear();
  }
}
