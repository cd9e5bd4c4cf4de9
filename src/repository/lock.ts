// The install lock of one package version, the way Rez takes it (its default "link" lock file), so pkg and
// Rez installing into the same repository at once exclude each other: a private file is hard-linked to
// `<repo>/.lock.<name>-<version>.lock`; whoever links first holds the lock. The private file names the
// holder (host and pid), so a lock left by a process that died on this host is taken over instead of
// blocking every install until someone deletes it by hand.
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { processIsGone } from "../cache/index.js";
import { PkgError } from "../errors/index.js";

/** Rez's `file_lock_timeout` default, in seconds. */
export const DEFAULT_LOCK_TIMEOUT = 10;

const RETRY_MS = 50;

let lockCounter = 0;

/** `<repo>/.lock.<name>-<version>.lock` (`.lock.<name>.lock` for an unversioned package). */
export function packageLockFile(repository: string, name: string, version: string): string {
  return join(repository, `.lock.${name}${version !== "" ? `-${version}` : ""}.lock`);
}

/** True when the holder written in the lock file is a process of this host that no longer runs. */
function holderIsGone(lockFile: string): boolean {
  let holder: string;
  try {
    holder = readFileSync(lockFile, "utf8");
  } catch {
    return false;
  }
  const match = /^(.*) (\d+)\n?$/.exec(holder);
  return match !== null && match[1] === hostname() && processIsGone(Number(match[2]));
}

/**
 * Runs `work` holding the lock. Waits up to `timeoutSeconds` (0: for ever) for another holder, then fails
 * with PKG0029. The lock is released when `work` settles, whether it succeeded or not.
 */
export async function withFileLock<T>(lockFile: string, work: () => Promise<T>, timeoutSeconds = DEFAULT_LOCK_TIMEOUT): Promise<T> {
  const own = `${lockFile}.${hostname()}.${process.pid}.${++lockCounter}`;
  writeFileSync(own, `${hostname()} ${process.pid}\n`);
  const deadline = timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : Infinity;
  try {
    for (;;) {
      try {
        linkSync(own, lockFile);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      if (holderIsGone(lockFile)) {
        try {
          unlinkSync(lockFile);
        } catch {
          // another waiter took it over first
        }
        continue;
      }
      if (Date.now() >= deadline) {
        throw new PkgError("PKG0029", `${lockFile} is held by another install (waited ${timeoutSeconds} s)`, {
          hint: "wait for the other install to finish; if no install is running, remove the lock file",
        });
      }
      await sleep(RETRY_MS);
    }
  } finally {
    unlinkSync(own);
  }
  try {
    return await work();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      // taken over as stale by someone else: nothing left to release
    }
  }
}
