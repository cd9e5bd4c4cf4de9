// The stable error codes and the one table from an error's kind to pkg's exit status.
// Codes are append-only: a code never changes meaning and is never reused (docs/errors.md lists them).

/** What went wrong, as far as the exit status is concerned. */
export type ErrorKind = "failure" | "usage" | "command-not-found" | "internal";

/** The one exit-status table: 0 success, 1 something failed, 2 bad input. */
export const EXIT_STATUS: { readonly [K in ErrorKind | "success"]: number } = {
  success: 0,
  failure: 1,
  usage: 2,
  // as shells do for a command they cannot start
  "command-not-found": 127,
  internal: 70,
};

export interface ErrorCodeInfo {
  readonly code: string;
  readonly kind: ErrorKind;
  /** One line: what the code means (docs/errors.md says more). */
  readonly title: string;
}

export const ERROR_CODES = [
  { code: "PKG0001", kind: "internal", title: "pkg itself went wrong" },
  { code: "PKG0002", kind: "usage", title: "an option or argument the command cannot use" },
  { code: "PKG0003", kind: "usage", title: "bad configuration" },
  { code: "PKG0004", kind: "usage", title: "a package request that cannot be parsed" },
  { code: "PKG0005", kind: "usage", title: "a version or version range that cannot be parsed" },
  { code: "PKG0006", kind: "usage", title: "a package family that does not exist" },
  { code: "PKG0007", kind: "usage", title: "no package of the family matches" },
  { code: "PKG0008", kind: "failure", title: "the resolve did not succeed" },
  { code: "PKG0009", kind: "failure", title: "the resolve stopped on an error" },
  { code: "PKG0010", kind: "failure", title: "a package needed by the resolve could not be found" },
  { code: "PKG0011", kind: "failure", title: "a late-bound attribute could not be evaluated" },
  { code: "PKG0012", kind: "failure", title: "a package's commands failed" },
  { code: "PKG0013", kind: "failure", title: "a value or name a shell cannot carry" },
  { code: "PKG0014", kind: "failure", title: "a variable or alias name that cannot be written into shell code" },
  { code: "PKG0015", kind: "failure", title: "a pkg-rs environment token that cannot be solved" },
  { code: "PKG0016", kind: "failure", title: "a damaged or unreadable context file" },
  { code: "PKG0017", kind: "failure", title: "Python is needed but cannot be run" },
  { code: "PKG0018", kind: "failure", title: "the Python worker died" },
  { code: "PKG0019", kind: "failure", title: "Python took longer than its time limit" },
  { code: "PKG0020", kind: "usage", title: "a package filter that cannot be parsed" },
  { code: "PKG0021", kind: "failure", title: "the app or tool is not in the context" },
  { code: "PKG0022", kind: "failure", title: "contexts that cannot be compared" },
  { code: "PKG0023", kind: "command-not-found", title: "the command cannot be started" },
  { code: "PKG0024", kind: "failure", title: "not inside a resolved environment" },
  { code: "PKG0025", kind: "usage", title: "a file or folder given on the command line that cannot be used" },
  { code: "PKG0026", kind: "usage", title: "bad benchmark input" },
  { code: "PKG0027", kind: "failure", title: "a file that cannot be read" },
  { code: "PKG0028", kind: "failure", title: "Rex code failed" },
  { code: "PKG0029", kind: "failure", title: "a package is locked by another install" },
  { code: "PKG0030", kind: "failure", title: "a repository that cannot be written" },
  { code: "PKG0031", kind: "usage", title: "a variant that cannot be installed into the package there" },
  { code: "PKG0032", kind: "usage", title: "a family that still has packages" },
  { code: "PKG0033", kind: "usage", title: "an unknown repository type" },
  { code: "PKG0034", kind: "usage", title: "no package to build, or a package definition that cannot be built" },
  { code: "PKG0035", kind: "usage", title: "no build system, or an unknown one" },
  { code: "PKG0036", kind: "failure", title: "a build failed" },
  { code: "PKG0037", kind: "failure", title: "the build environment did not resolve" },
  { code: "PKG0038", kind: "usage", title: "variants the package does not have" },
  { code: "PKG0039", kind: "failure", title: "a build tool cannot be found" },
  { code: "PKG0040", kind: "failure", title: "package tests failed" },
  { code: "PKG0041", kind: "usage", title: "a bad search time or setting name" },
  { code: "PKG0042", kind: "failure", title: "no package to view" },
  { code: "PKG0043", kind: "failure", title: "a package or family to change is not there" },
  { code: "PKG0044", kind: "failure", title: "a package that cannot be copied or moved" },
  { code: "PKG0045", kind: "failure", title: "no usable pip (missing, too old, or its Python cannot be asked)" },
  { code: "PKG0046", kind: "usage", title: "a Python requirement, version or marker pkg cannot read or convert" },
  { code: "PKG0047", kind: "usage", title: "a hostile or broken wheel: nothing of it was written" },
  { code: "PKG0048", kind: "failure", title: "pip failed to find, download or build a distribution, or the import was interrupted" },
  { code: "PKG0049", kind: "usage", title: "a bad pkg pip argument or requirements file" },
  { code: "PKG0050", kind: "failure", title: "the release path does not exist" },
  { code: "PKG0051", kind: "failure", title: "the version control state refuses a release" },
  { code: "PKG0052", kind: "failure", title: "no version control, or several, for a release" },
  { code: "PKG0053", kind: "failure", title: "a release that would clash with released packages" },
  { code: "PKG0054", kind: "failure", title: "a release hook cancelled the release" },
  { code: "PKG0055", kind: "failure", title: "a variant of a release failed: nothing was released" },
  { code: "PKG0056", kind: "usage", title: "a bad release setting or option" },
  { code: "PKG0057", kind: "failure", title: "a version control command failed" },
  { code: "PKG0060", kind: "usage", title: "a bad memcached server address" },
  { code: "PKG0061", kind: "failure", title: "a memcached server does not answer" },
  { code: "PKG0065", kind: "usage", title: "a graph file whose name says no graph format" },
  { code: "PKG0066", kind: "failure", title: "a graph that cannot be drawn" },
  { code: "PKG0067", kind: "failure", title: "a context without a graph, or a package not in it" },
  { code: "PKG0068", kind: "usage", title: "an unknown shell for completion" },
  { code: "PKG0080", kind: "usage", title: "no payload cache folder, or not a folder" },
  { code: "PKG0081", kind: "failure", title: "a variant that may not be cached" },
  { code: "PKG0082", kind: "failure", title: "no such variant to cache" },
  { code: "PKG0083", kind: "failure", title: "a copy into the payload cache failed" },
  { code: "PKG0084", kind: "failure", title: "a package.py to install as it is cannot be read" },
  { code: "PKG0085", kind: "usage", title: "a @late tests function that raised or gave no dict" },
] as const satisfies readonly ErrorCodeInfo[];

export type ErrorCode = (typeof ERROR_CODES)[number]["code"];

const BY_CODE: ReadonlyMap<string, ErrorCodeInfo> = new Map(ERROR_CODES.map((info) => [info.code, info]));

export function errorCodeInfo(code: ErrorCode): ErrorCodeInfo {
  // every ErrorCode is in the table by construction of the type
  return BY_CODE.get(code)!;
}

export function exitStatusOf(kind: ErrorKind): number {
  return EXIT_STATUS[kind];
}
