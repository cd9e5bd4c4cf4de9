// Failure reasons with Rez's exact wording (solver.py Reduction / DependencyConflict / Cycle).
import type { Requirement, Version } from "../version/index.js";

export function versionedName(name: string, version: Version): string {
  return version.isEmpty ? name : `${name}-${version.toString()}`;
}

export class Reduction {
  constructor(
    readonly name: string,
    readonly version: Version,
    readonly variantIndex: number | null,
    readonly dependency: Requirement,
    readonly conflictingRequest: Requirement,
  ) {}
  reduceeStr(): string {
    return versionedName(this.name, this.version) + (this.variantIndex === null ? "[]" : `[${this.variantIndex}]`);
  }
  toString(): string {
    return `${this.reduceeStr()} (dep(${this.dependency.toString()}) <--!--> ${this.conflictingRequest.toString()})`;
  }
}

export class DependencyConflict {
  constructor(
    readonly dependency: Requirement,
    readonly conflictingRequest: Requirement,
  ) {}
  toString(): string {
    return `${this.dependency.toString()} <--!--> ${this.conflictingRequest.toString()}`;
  }
}

export type FailureReason =
  | { readonly kind: "dependency_conflicts"; readonly conflicts: readonly DependencyConflict[] }
  | { readonly kind: "total_reduction"; readonly reductions: readonly Reduction[] }
  | { readonly kind: "cycle"; readonly packages: readonly { readonly name: string; readonly version: Version }[] };

export function describeFailure(reason: FailureReason | null): string {
  if (reason === null) return "Solver failed with unknown reason.";
  switch (reason.kind) {
    case "dependency_conflicts":
      return "The following package conflicts occurred: " + reason.conflicts.map((c) => `(${c.toString()})`).join(" ");
    case "total_reduction":
      return "A package was completely reduced: " + reason.reductions.map((r) => `(${r.toString()})`).join(" ");
    case "cycle": {
      const names = reason.packages.map((p) => versionedName(p.name, p.version));
      return "A cyclic dependency was detected: " + [...names, ...names.slice(0, 1)].join(" --> ");
    }
  }
}
