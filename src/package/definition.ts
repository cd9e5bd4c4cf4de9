// The package definition: what a package.py / package.yaml / toolset file says, after evaluation.
// It is plain JSON-serialisable data so the on-disk cache can store it as is.

/** Python source kept for later evaluation (commands, @late attributes, preprocess). */
export interface SourceCode {
  readonly kind: "source";
  /** The whole function as written (decorators, `def` line and body), dedented; or a plain code block (package.yaml string commands). */
  readonly source: string;
  /** `@late()` attribute: called as a function whose return value becomes the attribute. Otherwise the body runs as a Rex block. */
  readonly late: boolean;
  /** Where it was defined, for error messages. */
  readonly file: string;
  readonly line: number;
}

/** A value in a package definition. */
export type PackageValue =
  | null
  | boolean
  | number
  | string
  | SourceCode
  | readonly PackageValue[]
  | { readonly [key: string]: PackageValue };

export type PackageFormat = "rez" | "pkg-rs" | "toolset";

export type EvarAction = "set" | "append" | "insert";

export interface PkgRsEvar {
  readonly name: string;
  readonly value: string;
  readonly action: EvarAction;
}

export interface PkgRsEnv {
  readonly name: string;
  readonly evars: readonly PkgRsEvar[];
}

export interface PkgRsApp {
  readonly name: string;
  readonly path: string | null;
  readonly env_name: string | null;
  readonly args: readonly string[];
  readonly cwd: string | null;
  readonly properties: Readonly<Record<string, string>>;
}

/** The pkg-rs model (Package/Env/Evar/App), kept for packages in that format and for toolsets. */
export interface PkgRsData {
  readonly envs: readonly PkgRsEnv[];
  readonly apps: readonly PkgRsApp[];
  readonly tags: readonly string[];
  readonly icon: string | null;
}

export interface PackageDefinition {
  /** Family name: from the directory (Rez identity), or the `Package(base, ...)` for pkg-rs files outside Rez layout. */
  readonly name: string;
  /** Version string; "" for an unversioned package. */
  readonly version: string;
  readonly format: PackageFormat;
  /** Absolute path of the definition file. */
  readonly file: string;
  /**
   * Every attribute in Rez's schema terms, in file order: `requires`, `variants`, `build_requires`,
   * `commands`, `timestamp`, arbitrary extra keys, ... For pkg-rs packages `requires` holds the
   * `reqs` strings as written (`name@spec`), which the version module parses with the same engine.
   */
  readonly attributes: { readonly [key: string]: PackageValue };
  /** Present for pkg-rs packages and toolsets. */
  readonly pkgrs?: PkgRsData;
}

/** A problem found while loading a definition. Loading goes on; the package is skipped. */
export interface LoadWarning {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}
