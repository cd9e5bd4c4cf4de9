// Where a build happens and where it installs (Rez's LocalBuildProcess paths): pure path arithmetic.
import { isAbsolute, join, normalize, resolve } from "node:path";

/** `build_directory` when absolute, else under the package's source folder (Rez default `build`). */
export function buildRoot(sourceDir: string, buildDirectory: string): string {
  return normalize(isAbsolute(buildDirectory) ? buildDirectory : resolve(sourceDir, buildDirectory));
}

export interface VariantPaths {
  /** `<build root>` for a package without variants, else `<build root>/<subpath>`. */
  readonly buildPath: string;
  /** `<repo>/<name>/<version>` (no version folder for an unversioned package). */
  readonly packageInstallPath: string;
  /** The package install path, plus `/<subpath>` for a variant. */
  readonly installPath: string;
}

export interface VariantPathsInput {
  readonly buildRoot: string;
  /** The repository installed into (`--prefix`, else local_packages_path). */
  readonly installRoot: string;
  readonly name: string;
  readonly version: string;
  /** The variant's non-shortlinked subpath (the hash for hashed variants); null without variants. */
  readonly subpath: string | null;
}

export function variantPaths(input: VariantPathsInput): VariantPaths {
  const packageInstallPath = normalize(input.version === "" ? join(input.installRoot, input.name) : join(input.installRoot, input.name, input.version));
  if (input.subpath === null) return { buildPath: input.buildRoot, packageInstallPath, installPath: packageInstallPath };
  return {
    buildPath: join(input.buildRoot, input.subpath),
    packageInstallPath,
    installPath: join(packageInstallPath, input.subpath),
  };
}
