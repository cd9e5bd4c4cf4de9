// Which variants a build builds (`--variants`), and the request its build environment resolves.
import { PkgError } from "../errors/index.js";
import { variantRequires } from "../package/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { Requirement } from "../version/index.js";

/** The package's variant count; 0 for a package without variants (its one "variant" has index null). */
export function variantCount(definition: PackageDefinition): number {
  const variants = definition.attributes.variants;
  return Array.isArray(variants) ? variants.length : 0;
}

/**
 * The indices to build, in source order: every variant, or those asked for (negative ones count from the
 * end; repeats dropped). A package without variants is built as its one variant, index null, and `0` or
 * `-1` name it (Rez builds nothing then). Indices the package does not have are bad input, all named.
 */
export function selectVariants(count: number, requested: readonly number[] | undefined, label: string): (number | null)[] {
  const all: (number | null)[] = count === 0 ? [null] : Array.from({ length: count }, (_v, i) => i);
  if (requested === undefined) return all;
  const size = Math.max(count, 1);
  const invalid = [...new Set(requested.filter((i) => i >= size || i < -size))].sort((a, b) => a - b);
  if (invalid.length > 0) {
    throw new PkgError("PKG0038", `${label} does not have the variant${invalid.length === 1 ? "" : "s"} ${invalid.join(", ")}`, {
      hint: count === 0 ? `${label} has no variants: build it whole (no --variants), or with --variants 0` : `its variants are 0 to ${count - 1} (or -1 to -${count} from the end)`,
    });
  }
  const chosen = new Set(requested.map((i) => (i < 0 ? i + size : i)));
  return count === 0 ? [null] : all.filter((i) => chosen.has(i!));
}

function strings(value: PackageValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
}

/** Rez's str(Requirement): `foo>=1` is `foo-1+`; text the parser refuses is left for the resolve to report. */
export function normaliseRequest(text: string): string {
  try {
    return Requirement.parse(text).toString();
  } catch {
    return text;
  }
}

/**
 * The build request in Rez's order (`Variant.get_requires(build_requires=True, private_build_requires=True)`):
 * requires, the variant's requires, build_requires, private_build_requires.
 */
export function buildRequest(definition: PackageDefinition, index: number | null): string[] {
  const a = definition.attributes;
  return [...strings(a.requires).map(normaliseRequest), ...variantRequires(definition, index), ...strings(a.build_requires).map(normaliseRequest), ...strings(a.private_build_requires).map(normaliseRequest)];
}
