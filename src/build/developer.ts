// The package being built (Rez's DeveloperPackage): its definition file in the source folder, loaded as it
// is installed (`building` False), and re-evaluated per variant with Rez's build bindings.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PkgError } from "../errors/index.js";
import type { EarlyBindings, PackageDefinition, PackageLoader } from "../package/index.js";
import { Version } from "../version/index.js";

/** Rez looks for these, in this order. */
export const DEVELOPER_PACKAGE_FILES = ["package.py", "package.yaml", "package.yml"] as const;

export interface DeveloperPackage {
  readonly definition: PackageDefinition;
  /** The definition file (package.py / package.yaml). */
  readonly file: string;
  /** Its folder: the build's working folder. */
  readonly sourceDir: string;
  /** True when the file has `@early` code, so a build must re-evaluate it per variant. */
  readonly hasEarlyCode: boolean;
  /** Applied to every evaluation of the package (Rez's preprocess functions), when there are any. */
  readonly preprocess?: (definition: PackageDefinition) => Promise<PackageDefinition>;
}

/** The package definition file of a source folder, or PKG0034. */
export function findDeveloperPackageFile(dir: string): string {
  for (const name of DEVELOPER_PACKAGE_FILES) {
    const file = join(resolve(dir), name);
    if (existsSync(file)) return file;
  }
  throw new PkgError("PKG0034", `no package definition in ${resolve(dir)}: no ${DEVELOPER_PACKAGE_FILES.join(", ")}`, {
    hint: "run pkg build in the package's source folder (the one holding its package.py)",
  });
}

async function loadOnce(loader: PackageLoader, file: string, earlyBindings?: EarlyBindings): Promise<PackageDefinition> {
  const result = await loader.load(file, undefined, earlyBindings ? { earlyBindings, developer: true } : { developer: true });
  if (!result.definition) {
    const problems = result.warnings.map((w) => `${w.file}${w.line !== undefined ? `:${w.line}` : ""}: ${w.message}`);
    throw new PkgError("PKG0034", `cannot load the package to build:\n${problems.join("\n") || file}`, {
      hint: "fix the package definition at the file and line above",
    });
  }
  const { name, version } = result.definition;
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith(".")) {
    throw new PkgError("PKG0034", `${file}: '${name}' cannot be a package name (letters, digits, '_', '-' and '.', not first)`);
  }
  if (version !== "") {
    try {
      Version.parse(version);
    } catch (error) {
      throw new PkgError("PKG0034", `${file}: version '${version}' is not a version: ${(error as Error).message}`, { cause: error });
    }
  }
  return result.definition;
}

/** Loads the package in `dir` as it will be installed (`@early` code sees `building` False), preprocessed. */
export async function loadDeveloperPackage(
  dir: string,
  loader: PackageLoader,
  preprocess?: (definition: PackageDefinition) => Promise<PackageDefinition>,
): Promise<DeveloperPackage> {
  const file = findDeveloperPackageFile(dir);
  const loaded = await loadOnce(loader, file);
  const definition = preprocess ? await preprocess(loaded) : loaded;
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // loaded a moment ago: unreadable now only in a race; no re-evaluation then
  }
  return { definition, file, sourceDir: dirname(file), hasEarlyCode: /@early\b/.test(text), ...(preprocess ? { preprocess } : {}) };
}

/**
 * Rez's `get_reevaluated({building: True, build_variant_index, build_variant_requires})`: only code can
 * depend on them, so a package without `@early` functions is its own re-evaluation.
 */
export async function reevaluateForBuild(developer: DeveloperPackage, loader: PackageLoader, index: number | null, variantRequires: readonly string[]): Promise<PackageDefinition> {
  if (!developer.hasEarlyCode) return developer.definition;
  const loaded = await loadOnce(loader, developer.file, { building: true, build_variant_index: index ?? 0, build_variant_requires: variantRequires });
  return developer.preprocess ? developer.preprocess(loaded) : loaded;
}
