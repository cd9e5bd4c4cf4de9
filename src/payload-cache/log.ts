// The payload cache's log: `.sys/log/<YYYY-MM-DD>.log`, lines as Rez's rez-pkg-cache logger writes them
// (`pkg-cache <time> PID-<pid> INFO <message>`); files older than package_cache_log_days are deleted.
import { appendFileSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** Where log lines also go (a reporter, for `pkg cache --clean` run by hand). */
export interface CacheLogSink {
  info(text: string): void;
  warn(text: string): void;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `2026-12-03 10:35:00,123` (Python logging's asctime, local time). */
export function logTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

export class CacheLog {
  private pruned = false;

  constructor(
    readonly dir: string,
    private readonly keepDays: number,
    private readonly sink?: CacheLogSink,
  ) {}

  /** Today's file. */
  get file(): string {
    const d = new Date();
    return join(this.dir, `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}.log`);
  }

  private write(level: "INFO" | "WARNING", message: string): void {
    this.prune();
    try {
      appendFileSync(this.file, `pkg-cache ${logTime(new Date())} PID-${process.pid} ${level} ${message}\n`);
    } catch {
      // a full disk: the log is a courtesy
    }
  }

  info(message: string): void {
    this.write("INFO", message);
    this.sink?.info(message);
  }

  warn(message: string): void {
    this.write("WARNING", message);
    this.sink?.warn(message);
  }

  /** Deletes log files older than the days kept, once per process. */
  private prune(): void {
    if (this.pruned) return;
    this.pruned = true;
    const now = Date.now();
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      try {
        const file = join(this.dir, name);
        if ((now - statSync(file).ctimeMs) / (24 * 3600 * 1000) > this.keepDays) unlinkSync(file);
      } catch {
        // removed by another process
      }
    }
  }
}
