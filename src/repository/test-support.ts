// A stand-in loader for repository tests: "key = value" lines become attributes; a line "BROKEN" fails
// the load with a warning naming that line; "TRANSIENT" fails it for a reason that is not the file's own (not
// cached); "NEEDS_PYTHON" takes the asynchronous path.
import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import type { LoadWarning, PackageDefinition, PackageValue } from "../package/index.js";
import type { PackageIdentity } from "../package/index.js";
import type { DefinitionLoader, DefinitionLoadResult } from "./types.js";

export class StubLoader implements DefinitionLoader {
  readonly evaluated: string[] = [];
  constructor(readonly fingerprint = "stub-1") {}

  private evaluate(file: string, text: string, identity?: PackageIdentity): DefinitionLoadResult {
    this.evaluated.push(file);
    const attributes: Record<string, PackageValue> = {};
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === "BROKEN") return { warnings: [{ file, line: i + 1, message: "syntax error" }] };
      if (line === "TRANSIENT") return { warnings: [{ file, message: "the python worker died" }], transient: true };
      const match = /^(\w+)\s*=\s*(.*)$/.exec(line);
      if (match) attributes[match[1]] = match[2];
    }
    const definition: PackageDefinition = {
      name: identity?.name ?? String(attributes.name),
      version: identity?.version ?? String(attributes.version ?? ""),
      format: "rez",
      file,
      attributes,
    };
    return { definition, warnings: [] };
  }

  tryLoadDeclarative(file: string, text: string, identity?: PackageIdentity): DefinitionLoadResult | undefined {
    return text.includes("NEEDS_PYTHON") ? undefined : this.evaluate(file, text, identity);
  }

  async load(file: string, identity?: PackageIdentity): Promise<DefinitionLoadResult> {
    return this.evaluate(file, readFileSync(file, "utf8"), identity);
  }

  async loadToolsets(file: string): Promise<{ definitions: PackageDefinition[]; warnings: LoadWarning[] }> {
    const data = parseToml(readFileSync(file, "utf8")) as Record<string, { version?: string; requires?: string[] }>;
    const definitions = Object.entries(data).map(([name, table]): PackageDefinition => ({
      name,
      version: table.version ?? "1.0.0",
      format: "toolset",
      file,
      attributes: { requires: table.requires ?? [] },
    }));
    return { definitions, warnings: [] };
  }

  async close(): Promise<void> {}
}
