// Moving a package, as Rez's move_package does: copied into the destination while hidden there, shown,
// and only then hidden (not deleted) in the source, so at every moment some repository offers it.
import { PkgError } from "../errors/index.js";
import type { WritableRepository } from "../repository/index.js";
import { copyPackage } from "./copy.js";
import type { CopyPackageInput, CopyPackageResult } from "./copy.js";

export interface MovePackageInput extends Omit<CopyPackageInput, "name" | "version" | "variants" | "overwrite" | "shallow" | "dryRun" | "sourceLocation"> {
  readonly sourceRepository: WritableRepository;
}

export async function movePackage(input: MovePackageInput): Promise<CopyPackageResult> {
  const { source, sourceRepository, destination, reporter } = input;
  const info = (text: string): void => {
    if (input.verbose) reporter?.info(text);
  };
  const label = source.version === "" ? source.name : `${source.name}-${source.version}`;
  const existing = (await destination.loadFamily(source.name))?.find((d) => d.version === source.version);
  if (existing) throw new PkgError("PKG0044", `Package already exists at destination: ${existing.file}`, { hint: "remove it there first (pkg rm -p), or copy with pkg cp --overwrite" });
  if (destination.location === sourceRepository.location) throw new PkgError("PKG0044", `Cannot move package onto itself: ${source.file}`);
  // Hidden at the destination until every variant is there: a resolve never sees a partial package.
  await destination.ignoreVersion(source.name, source.version, { allowMissing: true });
  info(`Ignored ${label} in ${destination.location} ahead of time`);
  let result: CopyPackageResult;
  try {
    result = await copyPackage({ ...input, sourceLocation: sourceRepository.location });
  } finally {
    await destination.unignoreVersion(source.name, source.version);
    info(`Unignored ${label} in ${destination.location}`);
  }
  await sourceRepository.ignoreVersion(source.name, source.version);
  info(`Ignored ${source.file}`);
  info(`Package ${source.file} moved to ${result.copied[0]?.destination ?? destination.location}`);
  return result;
}
