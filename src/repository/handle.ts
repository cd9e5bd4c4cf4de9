// A variant's handle: what `.rxt` files store to find a resolved variant again (Rez's resource handle).
// The repository that holds the variant makes it, and the repository set turns it back into the variant.
import type { PackageDefinition } from "../package/index.js";


export interface VariantHandle {
  /** `filesystem.variant`, `filesystem.variant.combined`, `memory.variant`, … */
  readonly key: string;
  readonly variables: {
    readonly index: number | null;
    readonly location: string;
    readonly name: string;
    readonly repository_type: string;
    /** Absent for an unversioned package (as Rez writes it). */
    readonly version?: string;
    readonly ext?: string;
  };
}

/** A variant as a repository gives it back for a handle: the package's definition and the variant's index. */
export interface HandledVariant {
  readonly definition: PackageDefinition;
  readonly index: number | null;
}
