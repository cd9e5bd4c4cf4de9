// What pkg ignore, rm, cp and mv share: reading an exact package (`foo-1.2.3`) and finding where it is.
import { dirname } from "node:path";
import type { RepositorySet } from "../../repository/index.js";
import type { CopyPackageResult } from "../../maintenance/index.js";
import type { PackageDefinition } from "../../package/index.js";
import { Version, VersionRange, VersionedObject } from "../../version/index.js";
import { CliError } from "../errors.js";

export interface ExactPackage {
  readonly name: string;
  /** As written in its folder name (Rez's str(Version)). */
  readonly version: string;
  /** `name-version`. */
  readonly label: string;
}

/** `foo-1.2.3` (or `foo@1.2.3`); a package without a version is refused unless `unversioned` allows it. */
export function exactPackage(text: string, what = "PKG"): ExactPackage {
  let parsed: VersionedObject;
  try {
    parsed = VersionedObject.parse(text);
  } catch (error) {
    throw new CliError("PKG0005", `${what} '${text}': ${(error as Error).message}`, "give the exact package, e.g. foo-1.2.3", error);
  }
  const version = parsed.version.toString();
  if (parsed.name === "" || version === "") throw new CliError("PKG0004", `${what} '${text}' is not an exact package`, "give the name and version, e.g. foo-1.2.3");
  return { name: parsed.name, version, label: `${parsed.name}-${version}` };
}

/** The locations of the set's repositories that hold the package (visible, that is: not ignored). */
export async function repositoriesHolding(set: RepositorySet, target: ExactPackage): Promise<string[]> {
  const found: string[] = [];
  for (const repository of set.repositories) {
    const family = await repository.loadFamily(target.name);
    if (family?.some((d) => d.version === target.version)) found.push(repository.location);
  }
  return found;
}

/** Every package of the set matching `foo`, `foo-1.2`, `foo-1+<2`, `foo==1.2` (Rez's PackageRequest). */
export async function matchingPackages(set: RepositorySet, request: string): Promise<readonly PackageDefinition[]> {
  const at = request.search(/[-@#=<>~^!]/);
  const name = at < 0 ? request : request.slice(0, at);
  if (name === "") throw new CliError("PKG0004", `PKG '${request}' has no package name`, "give e.g. foo-1.2.3");
  const rangeText = at < 0 ? "" : /[-@#]/.test(request[at]!) ? request.slice(at + 1) : request.slice(at);
  let range: VersionRange;
  try {
    range = VersionRange.parse(rangeText);
  } catch (error) {
    throw new CliError("PKG0005", `PKG '${request}': ${(error as Error).message}`, undefined, error);
  }
  const family = (await set.getFamily(name)) ?? [];
  return family.filter((d) => {
    try {
      return range.contains(Version.parse(d.version));
    } catch {
      return false;
    }
  });
}

/** Where a definition the set handed out comes from. */
export function locationOf(set: RepositorySet, definition: PackageDefinition): string | undefined {
  const location = set.variantHandle(definition, null)?.variables.location;
  return typeof location === "string" ? location : undefined;
}

/** `<repo>/<name>/<version>/package.py[<index>]` (or `<repo>/<name>/package.py`): the repository, the file, the index. */
export function splitVariantUri(uri: string): { repository: string; file: string; index: number | null } | undefined {
  const match = /^(.*\/package\.(?:py|yaml))(?:\[(\d+)\])?$/.exec(uri);
  if (!match) return undefined;
  const file = match[1]!;
  const base = dirname(file);
  return { repository: dirname(dirname(base)), file, index: match[2] === undefined ? null : Number(match[2]) };
}

/** Rez's lines: one for a package without variants, else the copied and skipped variants. */
export function copyReport(source: PackageDefinition, result: CopyPackageResult, dryRun: boolean, dryRunBase: string): string {
  const verb = dryRun ? "would be" : "were";
  if (!Array.isArray(source.attributes.variants) || source.attributes.variants.length === 0) {
    const copied = result.copied[0];
    if (copied) return `Copied ${copied.source} to ${copied.destination ?? `${dryRunBase}/?`}\n`;
    const skipped = result.skipped[0];
    return skipped ? `Target package already exists: ${skipped.destination}. Use 'overwrite' to replace it.\n` : "";
  }
  let text = "";
  if (result.copied.length > 0) {
    text += `${result.copied.length} variants ${verb} copied:\n`;
    for (const v of result.copied) text += `  ${v.source} -> ${v.destination ?? `${dryRunBase}/?`}\n`;
  }
  if (result.skipped.length > 0) {
    text += `${result.skipped.length} variants ${verb} skipped (target exists):\n`;
    for (const v of result.skipped) text += `  ${v.source} !-> ${v.destination}\n`;
  }
  return text;
}
