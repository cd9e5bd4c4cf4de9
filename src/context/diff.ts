// Resolve diff between two contexts (Rez get_resolve_diff), by package; pkg also shows a package whose
// variant changed (same version, another variant), which Rez's diff leaves out.

import { PkgError, type PkgErrorOptions } from "../errors/index.js";
import { Version } from "../version/index.js";
import type { ResolvedContext } from "./resolved-context.js";
import { qualifiedPackageName } from "./variant.js";

export interface PackageChange {
  readonly name: string;
  /** Version in the first context. */
  readonly from: string;
  /** Version in the second context. */
  readonly to: string;
}

export interface VariantChange {
  readonly name: string;
  readonly version: string;
  /** Variant index in the first context, and that variant's requirements. */
  readonly from: number | null;
  readonly from_requires: readonly string[];
  readonly to: number | null;
  readonly to_requires: readonly string[];
}

export interface ContextDiff {
  /** Packages only in the second context, `name-version`. */
  readonly added: readonly string[];
  /** Packages only in the first context. */
  readonly removed: readonly string[];
  /** Same family, higher version in the second context. */
  readonly upgraded: readonly PackageChange[];
  /** Same family, lower version in the second context. */
  readonly downgraded: readonly PackageChange[];
  /** Same package (family and version), another variant in the second context. */
  readonly variant_changed: readonly VariantChange[];
}

export class ContextDiffError extends PkgError {
  override readonly name = "ContextDiffError";
  constructor(message: string, options?: PkgErrorOptions) {
    super("PKG0022", message, options);
  }
}

/**
 * What changed from `a` to `b`. Rez refuses to diff contexts with different package paths; so do we
 * unless `ignorePaths` is set.
 */
export function diffContexts(a: ResolvedContext, b: ResolvedContext, ignorePaths = false): ContextDiff {
  if (!ignorePaths && JSON.stringify(a.packagePaths) !== JSON.stringify(b.packagePaths)) {
    throw new ContextDiffError(`Cannot diff resolves, package search paths differ:\n  ${a.packagePaths.join(", ")}\n  ${b.packagePaths.join(", ")}`);
  }
  const versionsA = new Map(a.variants.map((v) => [v.name, v.version]));
  const versionsB = new Map(b.variants.map((v) => [v.name, v.version]));
  const variantsB = new Map(b.variants.map((v) => [v.name, v]));
  const added: string[] = [];
  const removed: string[] = [];
  const upgraded: PackageChange[] = [];
  const downgraded: PackageChange[] = [];
  const variantChanged: VariantChange[] = [];
  for (const v of a.variants) {
    const other = versionsB.get(v.name);
    if (other === undefined) {
      removed.push(qualifiedPackageName(v));
      continue;
    }
    const c = Version.parse(v.version).compare(Version.parse(other));
    if (c < 0) upgraded.push({ name: v.name, from: v.version, to: other });
    else if (c > 0) downgraded.push({ name: v.name, from: v.version, to: other });
    else {
      const w = variantsB.get(v.name)!;
      if (w.index !== v.index) {
        variantChanged.push({ name: v.name, version: v.version, from: v.index, from_requires: v.variantRequires, to: w.index, to_requires: w.variantRequires });
      }
    }
  }
  for (const v of b.variants) if (!versionsA.has(v.name)) added.push(qualifiedPackageName(v));
  return { added, removed, upgraded, downgraded, variant_changed: variantChanged };
}

/** True when the diff is empty. */
export function isEmptyDiff(d: ContextDiff): boolean {
  return d.added.length + d.removed.length + d.upgraded.length + d.downgraded.length === 0;
}
