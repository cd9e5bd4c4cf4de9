// Repository types by name: a packages path entry `type@location` opens a repository of that type
// (a plain path is `filesystem@path`). A new type registers here; nothing else changes.
import { isAbsolute } from "node:path";
import { PkgError } from "../errors/index.js";
import type { DefinitionCache } from "./cache.js";
import type { PackageRepository, DefinitionLoader } from "./types.js";

export interface RepositoryOpenContext {
  readonly loader: DefinitionLoader;
  readonly cache?: DefinitionCache;
  /** Seconds an install waits for another one's lock (Rez's `file_lock_timeout`). */
  readonly lockTimeout?: number;
}

export interface RepositoryType {
  readonly name: string;
  open(location: string, context: RepositoryOpenContext): PackageRepository;
}

export class RepositoryRegistry {
  private readonly types = new Map<string, RepositoryType>();

  register(type: RepositoryType): this {
    this.types.set(type.name, type);
    return this;
  }

  get names(): string[] {
    return [...this.types.keys()].sort();
  }

  /** `type@location`, or a path (filesystem). Windows drive letters (`C:\…`) are paths, not types. */
  parse(entry: string): { readonly type: string; readonly location: string } {
    const at = entry.indexOf("@");
    const type = at > 0 ? entry.slice(0, at) : "";
    if (at > 0 && /^[a-z][a-z0-9_]*$/.test(type) && !isAbsolute(entry)) return { type, location: entry.slice(at + 1) };
    return { type: "filesystem", location: entry };
  }

  open(entry: string, context: RepositoryOpenContext): PackageRepository {
    const { type, location } = this.parse(entry);
    const repositoryType = this.types.get(type);
    if (!repositoryType) {
      throw new PkgError("PKG0033", `unknown repository type '${type}' in packages path entry '${entry}'`, {
        hint: `known types: ${this.names.join(", ")}; a plain path is a filesystem repository`,
      });
    }
    return repositoryType.open(location, context);
  }
}
