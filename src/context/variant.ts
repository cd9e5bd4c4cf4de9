// A resolved variant as the context sees it: identity, definition, base/root/subpath (Rez's
// VariantResourceHelper), and the plain data behind its `this` / `resolve.<name>` binding.

import { existsSync, readdirSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import { variantRequires, variantSubpath } from "../package/index.js";
import type { PackageDefinition } from "../package/index.js";
import type { VariantHandle } from "../repository/index.js";
import type { RexVariantData } from "../rex/index.js";

/** What the solver hands over per resolved variant (src/solver ResolvedVariant). */
export interface ResolvedVariantInput {
  readonly name: string;
  readonly version: string;
  readonly index: number | null;
  readonly uri: string;
  readonly definition: PackageDefinition;
  /** What an `.rxt` file stores to find the variant again (made by its repository); absent: a filesystem one. */
  readonly handle?: VariantHandle;
}

export interface ContextVariant extends ResolvedVariantInput {
  /** Repository location (the packages path entry holding it). */
  readonly location: string;
  /** `<repo>/<name>/<version>`; null for combined-file packages. */
  readonly base: string | null;
  /** base + variant subpath. */
  readonly root: string | null;
  /** `python-2.7/maya-2017`, the sha1 dir for hashed variants, or null for the null variant. */
  readonly subpath: string | null;
  readonly variantRequires: readonly string[];
}

/** `_v/<link>` under base when a shortlink points at the hashed variant dir (use_variant_shortlinks). */
function shortlinkRoot(base: string, subpath: string): string | null {
  const dir = join(base, "_v");
  if (!existsSync(dir)) return null;
  let target: string;
  try {
    target = realpathSync(join(base, subpath));
  } catch {
    return null;
  }
  for (const entry of readdirSync(dir)) {
    try {
      if (realpathSync(join(dir, entry)) === target) return join(dir, entry);
    } catch {
      // dangling link: ignore
    }
  }
  return null;
}

export interface VariantLayoutOptions {
  /** Rez `use_variant_shortlinks` (default true). */
  readonly useShortlinks?: boolean;
}

/** Base, root, subpath and repository location of a resolved variant. */
export function contextVariant(v: ResolvedVariantInput, options: VariantLayoutOptions = {}): ContextVariant {
  const file = resolvePath(v.definition.file);
  const dir = dirname(file);
  const versioned = v.version !== "";
  // `<repo>/<name>/<version>/package.py` or `<repo>/<name>/package.py`; anything else is a combined file
  const layoutOk = versioned ? basename(dir) === v.version && basename(dirname(dir)) === v.name : basename(dir) === v.name;
  const base = layoutOk ? dir : null;
  const location = layoutOk ? (versioned ? dirname(dirname(dir)) : dirname(dir)) : dir;
  const subpath = variantSubpath(v.definition, v.index);
  let root = base;
  if (base !== null && subpath !== null) {
    const hashed = v.definition.attributes.hashed_variants === true;
    root = (hashed && options.useShortlinks !== false ? shortlinkRoot(base, subpath) : null) ?? join(base, subpath);
  }
  return { ...v, location, base, root, subpath, variantRequires: variantRequires(v.definition, v.index) };
}

/** `foo-1.0` (or `foo` when unversioned). */
export function qualifiedPackageName(v: { readonly name: string; readonly version: string }): string {
  return v.version === "" ? v.name : `${v.name}-${v.version}`;
}

/** `foo-1.0[1]` / `foo-1.0[]`. */
export function qualifiedVariantName(v: { readonly name: string; readonly version: string; readonly index: number | null }): string {
  return `${qualifiedPackageName(v)}[${v.index ?? ""}]`;
}

/** Plain data for the Python `this` / `resolve.<name>` bindings. */
export function variantBindingData(v: ContextVariant): RexVariantData {
  return {
    name: v.name,
    version: v.version,
    root: v.root,
    base: v.base,
    index: v.index,
    uri: v.uri,
    qualified_name: qualifiedVariantName(v),
    qualified_package_name: qualifiedPackageName(v),
    subpath: v.subpath,
    variant_requires: v.variantRequires,
    attributes: v.definition.attributes,
  };
}
