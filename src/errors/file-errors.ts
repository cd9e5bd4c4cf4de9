// Why a file or folder could not be read or written, in words for a message that names the path beside it:
// the one table from Node's error codes to pkg's wording, for every command and library module.

/** What the failed call was doing: a missing path reads as "no such file" when reading, and as a missing folder when writing into it. */
export type FsAction = "read" | "write";

/** `permission denied`, `symbolic link loop`, … for a failed filesystem call; Node's own message for anything else. */
export function fsErrorReason(error: unknown, action: FsAction = "read"): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
      return action === "write" ? "its folder does not exist" : "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder";
    case "ENOTDIR":
      return "a file is where a folder should be";
    case "EEXIST":
      return "a file is there, not a folder";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on the device";
    case "ELOOP":
      return "symbolic link loop";
    case "ENAMETOOLONG":
      return "name too long";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
