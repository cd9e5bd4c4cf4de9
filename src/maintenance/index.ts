// Copying and moving packages between repositories (pkg cp, pkg mv): Rez's package_copy and package_move.
export { copyPackage, stageVariantPayload } from "./copy.js";
export type { CopiedVariant, CopyPackageInput, CopyPackageResult } from "./copy.js";
export { movePackage } from "./move.js";
export type { MovePackageInput } from "./move.js";
