// Moving a staged variant payload into its place in a filesystem repository, all or nothing: the folder
// that was there is renamed aside first and renamed back when anything fails, so a failed install never
// removes or half-writes what was installed before.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let asideCounter = 0;

/** A hidden name beside `path` (a leading dot: repository listings skip it, so it is never read as a version). */
function besideName(path: string, suffix: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${++asideCounter}.${suffix}`);
}

/** Renames `from` to `to`; across file systems (EXDEV) it copies into a name beside `to` first, then renames. */
function moveFolder(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    const near = besideName(to, "incoming");
    try {
      cpSync(from, near, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      renameSync(near, to);
    } catch (copyError) {
      rmSync(near, { recursive: true, force: true });
      throw copyError;
    }
    rmSync(from, { recursive: true, force: true });
  }
}

/**
 * Puts `payload` at `root`. Returns a commit (drops the previous folder) and a rollback (puts it back);
 * exactly one of them must be called once the rest of the install has succeeded or failed.
 */
export function swapInPayload(payload: string, root: string): { commit(): void; rollback(): void } {
  mkdirSync(dirname(root), { recursive: true });
  const aside = existsSync(root) ? besideName(root, "previous") : undefined;
  if (aside) renameSync(root, aside);
  try {
    moveFolder(payload, root);
  } catch (error) {
    if (aside) renameSync(aside, root);
    throw error;
  }
  return {
    commit: () => {
      if (aside) rmSync(aside, { recursive: true, force: true });
    },
    rollback: () => {
      rmSync(root, { recursive: true, force: true });
      if (aside) renameSync(aside, root);
    },
  };
}
