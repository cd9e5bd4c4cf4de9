// Rez's release-message prompt: the user's editor on a file that shows the changelog for reference.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PkgError } from "../errors/index.js";

const HEADER = "<Enter your release notes here>";
const MARK = "###<CHANGELOG>";

/** Rez's release-message prompt: the editor on a file holding the changelog for reference. */
export function promptMessage(editor: string, sourceDir: string): (changelog: string) => Promise<string> {
  return async (changelog) => {
    const file = join(tmpdir(), `rez-release-message-${createHash("sha1").update(sourceDir).digest("hex")}.txt`);
    writeFileSync(file, `${HEADER}\n\n${MARK} This is for reference only - this line and all following lines will be stripped from the release notes.\n\n${changelog}`);
    const r = spawnSync(editor, [file], { stdio: "inherit", shell: false });
    if (r.error) throw new PkgError("PKG0056", `cannot run the editor '${editor}': ${r.error.message}`, { hint: "set the editor configuration key or $EDITOR" });
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    const cut = text.indexOf(MARK);
    return (cut >= 0 ? text.slice(0, cut) : text).replace(HEADER, "").trim();
  };
}
