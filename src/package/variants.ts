// A variant's requirements and its folder under the package (Rez's variant subpath), from the definition alone.
import { createHash } from "node:crypto";
import { Requirement } from "../version/index.js";
import type { PackageDefinition, PackageValue } from "./definition.js";

function normaliseRequirement(s: string): string {
  try {
    return Requirement.parse(s).toString();
  } catch {
    return s;
  }
}

function stringList(v: PackageValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Python's `str(list_of_str)` for requirement strings (they never contain quotes). */
function pythonListRepr(items: readonly string[]): string {
  return "[" + items.map((s) => `'${s}'`).join(", ") + "]";
}

/** The variant's requires (the `variants[index]` entry), normalised as Rez's str(PackageRequest). */
export function variantRequires(def: PackageDefinition, index: number | null): string[] {
  if (index === null) return [];
  const variants = def.attributes.variants;
  if (!Array.isArray(variants)) return [];
  return stringList(variants[index] as PackageValue).map(normaliseRequirement);
}

/** Rez's variant subpath: requirement strings joined with `/`, or the sha1 of their list repr for hashed_variants. */
export function variantSubpath(def: PackageDefinition, index: number | null): string | null {
  if (index === null) return null;
  const reqs = variantRequires(def, index);
  if (def.attributes.hashed_variants === true) return createHash("sha1").update(pythonListRepr(reqs)).digest("hex");
  return reqs.join("/");
}
