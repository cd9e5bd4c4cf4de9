// Why a file or folder could not be read, in words for a message that names the path beside it.

/** `no such file`, `permission denied`, … for a failed read of a file; Node's own message for anything else. */
export function readFailureReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder";
    case "ENOTDIR":
      return "a file is where a folder should be";
    case "ELOOP":
      return "symbolic link loop";
    case "ENAMETOOLONG":
      return "name too long";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
