import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { RequirementError, VersionError } from "../version/index.js";
import { ERROR_CODES, EXIT_STATUS, PkgError, asPkgError, fsErrorReason } from "./index.js";
import type { ErrorCode } from "./index.js";

// docs/errors.md, read as its rows: `| PKG0001 | meaning | exit | fix |`
const docs = readFileSync(resolve("docs/errors.md"), "utf8");
const rows = docs
  .split("\n")
  .map((line) => /^\| (PKG\d{4}) \| (.+?) \| (.+?) \| (.+?) \|$/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null);

describe("error codes", () => {
  // Parallel work is given ranges of codes, so a range may end before its last number: codes are
  // unique and ascending (append-only), gaps allowed.
  it("are unique and numbered in ascending order from PKG0001 (append-only)", () => {
    const numbers = ERROR_CODES.map((c) => Number(c.code.slice(3)));
    expect(numbers[0]).toBe(1);
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
    expect(ERROR_CODES.every((c) => /^PKG\d{4}$/.test(c.code))).toBe(true);
  });

  it.each(ERROR_CODES.map((c) => [c.code, c] as const))("%s is listed in docs/errors.md exactly once, with its exit status", (code, info) => {
    const listed = rows.filter((m) => m[1] === code);
    expect(listed).toHaveLength(1);
    // the first number in the Exit column is the table's status (a note may follow)
    expect(Number(/^\d+/.exec(listed[0]![3]!)?.[0])).toBe(EXIT_STATUS[info.kind]);
    expect(listed[0]![2]!.trim()).not.toBe("");
    expect(listed[0]![4]!.trim()).not.toBe("");
  });

  it("docs/errors.md lists no code that does not exist", () => {
    const known = new Set<string>(ERROR_CODES.map((c) => c.code));
    expect(rows.map((m) => m[1]).filter((code) => !known.has(code!))).toEqual([]);
    expect(rows).toHaveLength(ERROR_CODES.length);
  });
});

describe("exit statuses", () => {
  const cases: [ErrorCode, number][] = [
    ["PKG0001", 70],
    ["PKG0002", 2],
    ["PKG0003", 2],
    ["PKG0004", 2],
    ["PKG0006", 2],
    ["PKG0008", 1],
    ["PKG0011", 1],
    ["PKG0012", 1],
    ["PKG0023", 127],
  ];
  it.each(cases)("%s exits %i", (code, status) => {
    expect(new PkgError(code, "m").exitStatus).toBe(status);
  });

  it("keeps message, hint and cause", () => {
    const cause = new Error("below");
    const e = new PkgError("PKG0002", "bad", { hint: "do this", cause });
    expect([e.message, e.hint, e.cause, e.code, e.errorKind]).toEqual(["bad", "do this", cause, "PKG0002", "usage"]);
    expect(e).toBeInstanceOf(Error);
  });

  it("gives the version module's errors a code (bad request / bad version), and nothing else", () => {
    expect(asPkgError(new RequirementError("r"))?.code).toBe("PKG0004");
    expect(asPkgError(new VersionError("v"))?.code).toBe("PKG0005");
    const own = new PkgError("PKG0006", "x");
    expect(asPkgError(own)).toBe(own);
    expect(asPkgError(new Error("x"))).toBeUndefined();
    expect(asPkgError("x")).toBeUndefined();
  });
});

describe("fsErrorReason: the one wording of filesystem errors", () => {
  const failed = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw`), { code });
  it.each([
    ["ENOENT", "no such file", "its folder does not exist"],
    ["EACCES", "permission denied", "permission denied"],
    ["EPERM", "permission denied", "permission denied"],
    ["EISDIR", "it is a folder", "it is a folder"],
    ["ENOTDIR", "a file is where a folder should be", "a file is where a folder should be"],
    ["EEXIST", "a file is there, not a folder", "a file is there, not a folder"],
    ["EROFS", "read-only file system", "read-only file system"],
    ["ENOSPC", "no space left on the device", "no space left on the device"],
    ["ELOOP", "symbolic link loop", "symbolic link loop"],
    ["ENAMETOOLONG", "name too long", "name too long"],
    ["EIO", "EIO: raw", "EIO: raw"],
  ])("%s: %j reading, %j writing", (code, read, write) => {
    expect(fsErrorReason(failed(code))).toBe(read);
    expect(fsErrorReason(failed(code), "write")).toBe(write);
  });
});
