/** A version or version range string that cannot be parsed, or an impossible range. */
export class VersionError extends Error {
  override readonly name: string = "VersionError";
}

/**
 * A requirement string that cannot be parsed (bad name, bad range, bad pkg-rs spec).
 * It extends VersionError because Rez raises VersionError for bad ranges inside requirements.
 */
export class RequirementError extends VersionError {
  override readonly name: string = "RequirementError";
}
