// What a resolve is given and how it fails: the errors that end a resolve with status "error" (Rez raises
// these out of the solve), the package source the solver asks for families, late-attribute evaluation, and
// the solver's settings.
import type { VariantSelectMode } from "../config/index.js";
import { PkgError, type ErrorCode, type PkgErrorOptions } from "../errors/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import type { PackageFilterList } from "./filters.js";
import type { PackageOrderList } from "./orderers.js";

export class ResolveError extends PkgError {
  override name = "ResolveError";
  constructor(message: string, options?: PkgErrorOptions, code: ErrorCode = "PKG0009") {
    super(code, message, options);
  }
}

export class PackageFamilyNotFoundError extends ResolveError {
  override name = "PackageFamilyNotFoundError";
  constructor(
    message: string,
    options?: PkgErrorOptions,
    /** The family asked for (for suggestions of close names). */
    readonly family?: string,
  ) {
    super(message, options, "PKG0006");
  }
}

export class PackageNotFoundError extends ResolveError {
  override name = "PackageNotFoundError";
  constructor(message: string, options?: PkgErrorOptions) {
    super(message, options, "PKG0010");
  }
}

/** What the solver needs from a repository: the packages of one family, loaded on first use. */
export interface PackageFamilySource {
  getFamily(
    name: string,
  ): Promise<readonly PackageDefinition[] | undefined> | readonly PackageDefinition[] | undefined;
  /** Every family name, for "did you mean" suggestions when a family is not found (RepositorySet has it). */
  familyNames?(): Promise<readonly string[]>;
  /** Shown in "package family not found" messages. */
  readonly searchedPaths: readonly string[];
}

/**
 * Evaluates a late-bound attribute (`@late` requires / variants / build_requires) of a package. `signal`
 * aborts when the resolve gives up waiting (its time limit): the evaluation should stop and reject.
 */
export type LateAttributeEvaluator = (definition: PackageDefinition, attribute: string, signal?: AbortSignal) => Promise<PackageValue>;


export type { VariantSelectMode };

export interface SolverSettings {
  building: boolean;
  variantSelectMode: VariantSelectMode;
  orderers: PackageOrderList;
  filter: PackageFilterList | null;
  errorOnMissingVariantRequires: boolean;
  optimised: boolean;
  /** -1 = no limit. */
  maxFails: number;
  /** Seconds; -1 = no limit. */
  timeLimit: number;
  /** Reports "package family not found" messages that do not stop the solve. */
  warn: (message: string) => void;
  /** Debugging: one line per solve step. */
  trace?: (line: string) => void;
}
