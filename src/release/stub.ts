// The stub VCS Rez's own tests use: a `.stub` YAML file in the package folder holding the tags.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { PkgError } from "../errors/index.js";
import type { PackageValue } from "../package/index.js";
import { registerVcs } from "./vcs.js";
import type { ReleaseVcs } from "./vcs.js";

interface StubData {
  tags: Record<string, string>;
}

class StubVcs implements ReleaseVcs {
  readonly name = "stub";
  private readonly file: string;
  private readonly now = Math.floor(Date.now() / 1000);
  constructor(readonly root: string) {
    this.file = join(root, ".stub");
  }

  private read(): StubData {
    let data: unknown;
    try {
      data = parse(readFileSync(this.file, "utf8"));
    } catch (error) {
      throw new PkgError("PKG0056", `${this.file}: not readable YAML (${(error as Error).message})`);
    }
    const tags = data !== null && typeof data === "object" && "tags" in data ? (data as { tags: unknown }).tags : {};
    return { tags: tags !== null && typeof tags === "object" ? (tags as Record<string, string>) : {} };
  }

  async validateRepostate(): Promise<void> {}

  async currentRevision(): Promise<PackageValue> {
    return this.now;
  }

  async changelog(previous: PackageValue | undefined): Promise<string> {
    return typeof previous === "number" ? `This commit was ${this.now - previous} seconds after the last` : "This is the first commit";
  }

  async tagExists(tag: string): Promise<boolean> {
    return tag in this.read().tags;
  }

  async createTag(tag: string, message: string): Promise<void> {
    const data = this.read();
    data.tags[tag] = message;
    writeFileSync(this.file, stringify(data));
  }
}

registerVcs({
  name: "stub",
  description: "Stub version control (a .stub file), for tests",
  searchParents: false,
  isRoot: (dir) => existsSync(join(dir, ".stub")),
  open: (root) => new StubVcs(root),
});
