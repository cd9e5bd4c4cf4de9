// What an install writes into a package that may be installed already (Rez's `_create_variant` rules):
// a pure function of the installed attributes and the new ones, tested with tables of cases.
import { PkgError } from "../errors/index.js";
import { variantRequires } from "../package/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";

type Attributes = PackageDefinition["attributes"];

/** Keys only the build uses; they are not written into the installed package. */
export const BUILD_ONLY_KEYS: readonly string[] = ["requires_rez_version", "build_system", "build_command", "preprocess", "pre_build_commands"];

/** Release data: carried over from the installed package, and not a change of the package when they differ. */
export const RELEASE_KEYS: readonly string[] = ["timestamp", "revision", "changelog", "release_message", "previous_version", "previous_revision", "vcs"];

const NOT_COMPARED = new Set([...RELEASE_KEYS, "format_version", "base", "variants"]);

export interface VariantMerge {
  /** `existing`: the variant is installed and nothing needs writing. */
  readonly status: "installed" | "replaced" | "existing";
  /** The attributes to write (every installed variant in `variants`). */
  readonly attributes: Attributes;
  /** The variant's index in the written package; null without variants. */
  readonly index: number | null;
}

export interface VariantMergeInput {
  readonly name: string;
  readonly version: string;
  /** The installed package's attributes, or undefined when it is not installed. */
  readonly installed: Attributes | undefined;
  /** The package as built: its source `variants`, build-only keys not yet dropped. */
  readonly built: Attributes;
  /** The built variant's index in `built.variants`; null for a package without variants. */
  readonly index: number | null;
  readonly overwrite: boolean;
  /** Added where the installed package lacks them (for a new package: always). */
  readonly extraAttributes?: Attributes;
  /** Seconds since the epoch, for a package written without a timestamp. */
  readonly now: number;
}

/** Order-independent for objects, so two loads of the same file compare equal. */
function canonical(value: PackageValue | undefined): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function packageData(attributes: Attributes): { [key: string]: PackageValue } {
  const data: { [key: string]: PackageValue } = {};
  for (const [key, value] of Object.entries(attributes)) if (!BUILD_ONLY_KEYS.includes(key) && key !== "variants" && value !== null) data[key] = value;
  return data;
}

function changed(installed: Attributes, next: Attributes): boolean {
  const keys = new Set([...Object.keys(installed), ...Object.keys(next)]);
  for (const key of keys) {
    if (NOT_COMPARED.has(key)) continue;
    if (canonical(installed[key]) !== canonical(next[key])) return true;
  }
  return false;
}

function variantList(attributes: Attributes): PackageValue[] | undefined {
  const variants = attributes.variants;
  return Array.isArray(variants) && variants.length > 0 ? [...variants] : undefined;
}

function definitionOf(name: string, version: string, attributes: Attributes): PackageDefinition {
  return { name, version, format: "rez", file: "", attributes };
}

export function mergeVariant(input: VariantMergeInput): VariantMerge {
  const { name, version, installed, built, index } = input;
  const label = version === "" ? name : `${name}-${version}`;
  const sourceVariants = variantList(built);
  if (index !== null && (sourceVariants === undefined || index < 0 || index >= sourceVariants.length)) {
    throw new PkgError("PKG0031", `${label} has no variant ${index} to install`);
  }
  const next = packageData(built);
  next.name = name;
  if (version !== "") next.version = version;
  const newVariant = index === null ? undefined : sourceVariants![index]!;
  const finish = (data: { [key: string]: PackageValue }, variants: PackageValue[] | undefined): Attributes => {
    if (variants) data.variants = variants;
    if (data.timestamp === undefined) data.timestamp = input.now;
    // Rez always writes it, last (its loader drops it on reading)
    delete data.format_version;
    data.format_version = 2;
    return data;
  };

  if (installed === undefined) {
    const data = { ...next, ...input.extraAttributes };
    return { status: "installed", attributes: finish(data, newVariant === undefined ? undefined : [newVariant]), index: newVariant === undefined ? null : 0 };
  }

  const installedVariants = variantList(installed);
  if ((installedVariants === undefined) !== (index === null)) {
    throw new PkgError(
      "PKG0031",
      index === null ? `cannot install ${label} without variants: the installed ${label} has variants` : `cannot install a variant of ${label}: the installed ${label} has no variants`,
      { hint: "give the package a new version, or remove the installed one first" },
    );
  }
  const installedUuid = installed.uuid;
  if (typeof installedUuid === "string" && typeof next.uuid === "string" && installedUuid !== next.uuid) {
    throw new PkgError("PKG0031", `cannot install into ${label}: its uuid differs from the installed package's (${installedUuid})`, {
      hint: "a different package took this name and version; give it a new version",
    });
  }

  const wanted = index === null ? [] : variantRequires(definitionOf(name, version, built), index);
  const existingIndex =
    installedVariants === undefined
      ? null
      : installedVariants.findIndex((_v, i) => canonical(variantRequires(definitionOf(name, version, installed), i)) === canonical(wanted));
  const packageChanged = changed(installed, next);
  if (existingIndex !== null && existingIndex >= 0) {
    if (!input.overwrite) return { status: "existing", attributes: installed, index: existingIndex };
    const data = packageChanged ? { ...next } : packageData(installed);
    carryOver(data, installed, input.extraAttributes);
    return { status: "replaced", attributes: finish(data, installedVariants), index: existingIndex };
  }
  if (existingIndex === null) {
    // Without variants the one "variant" is the package itself: it is there.
    if (!input.overwrite) return { status: "existing", attributes: installed, index: null };
    const data = packageChanged ? { ...next } : packageData(installed);
    carryOver(data, installed, input.extraAttributes);
    return { status: "replaced", attributes: finish(data, undefined), index: null };
  }
  const data = packageChanged ? { ...next } : packageData(installed);
  carryOver(data, installed, input.extraAttributes);
  // In the source's order, not install order (Rez appends: `--variants 1` then `0` swaps their indices):
  // before the first installed variant that comes after it in the source, else last.
  const builtDefinition = definitionOf(name, version, built);
  const sourceKeys = sourceVariants!.map((_v, i) => canonical(variantRequires(builtDefinition, i)));
  const installedDefinition = definitionOf(name, version, installed);
  const position = installedVariants!.findIndex((_v, i) => sourceKeys.indexOf(canonical(variantRequires(installedDefinition, i))) > index!);
  const at = position < 0 ? installedVariants!.length : position;
  const variants = [...installedVariants!.slice(0, at), newVariant!, ...installedVariants!.slice(at)];
  return { status: "installed", attributes: finish(data, variants), index: at };
}

/** The installed package's release data is kept; extra attributes fill only what it lacks. */
function carryOver(data: { [key: string]: PackageValue }, installed: Attributes, extra: Attributes | undefined): void {
  for (const key of RELEASE_KEYS) if (installed[key] !== undefined && installed[key] !== null) data[key] = installed[key];
  for (const [key, value] of Object.entries(extra ?? {})) if (installed[key] === undefined) data[key] = value;
}
