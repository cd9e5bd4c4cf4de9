// Rez's local build process (§2.1–§2.2), variant by variant: build folder, re-evaluation with the build
// bindings, the build resolve (build.rxt always written), variant.json, the build system run in the build
// environment, and, when installing, the staged install (install.ts) handed to the repository.
import { createWriteStream, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { PkgError, asPkgError } from "../errors/index.js";
import { isSourceCode, variantRequires, variantSubpath } from "../package/index.js";
import type { PackageDefinition, PackageLoader, PackageValue } from "../package/index.js";
import type { ChildOutput, ResolveContextOptions, ResolvedContext, ShellEnvironment, ToolsOnPath } from "../context/index.js";
import { openShellEnvironment, resolveContext, writeRxt } from "../context/index.js";
import type { RexCodeRunner, RexNamespace, RexStep } from "../rex/index.js";
import type { Reporter } from "../report/index.js";
import type { WritableRepository } from "../repository/index.js";
import type { ShellRenderer } from "../shells/index.js";
import { findExecutable } from "../shells/index.js";
import type { DeveloperPackage } from "./developer.js";
import { reevaluateForBuild } from "./developer.js";
import { buildThreadCount, buildVariables, preBuildSteps, setenvSteps } from "./environment.js";
import type { BuildType } from "./environment.js";
import { copyExtraFiles, createVariantShortlink, includedModules, installIncludeModules, stageVariant } from "./install.js";
import type { StagedVariant } from "./install.js";
import { buildRoot, variantPaths } from "./paths.js";
import { writeBuildEnvScript } from "./scripts.js";
import { shlexQuote } from "./systems/format.js";
import { allBuildSystems, chooseBuildSystem } from "./systems/registry.js";
import type { BuildOptionValue, BuildSystem, BuildSystemContext, PythonRequest } from "./systems/types.js";
import { formatTestSummary, runPackageTests, testNames, withLateTests } from "./tests.js";
import { cachedRootsFor } from "./cached-roots.js";
import { buildRequest, selectVariants, variantCount } from "./variants.js";
import type { PackageFamilySource } from "../solver/index.js";

export type VariantStatus = "built" | "installed" | "failed" | "skipped" | "not-run";

export interface VariantBuildResult {
  readonly index: number | null;
  readonly subpath: string | null;
  readonly buildPath: string;
  readonly installPath: string;
  readonly status: VariantStatus;
  readonly seconds: number;
  /** The variant's build log (its commands' output). */
  readonly log: string | null;
  readonly scripts: readonly string[];
  readonly error?: PkgError;
  /** A failed build resolve's graph (DOT), for --fail-graph. */
  readonly failureGraph?: string | null;
  /** With `deferInstall`: the built variant, staged, for the caller to install (or discard). */
  readonly pending?: PendingInstall;
}

/** A built and tested variant not installed yet (a release installs every variant or none). */
export interface PendingInstall {
  readonly definition: PackageDefinition;
  readonly index: number | null;
  readonly payload: string;
  /** Removes the staged files (after the install, or instead of it). */
  discard(): void;
}

export interface BuildSummary {
  readonly name: string;
  readonly version: string;
  readonly buildSystem: string;
  readonly buildRoot: string;
  readonly installRoot: string;
  readonly install: boolean;
  readonly variants: readonly VariantBuildResult[];
  /** The first error (the build stops at it, as Rez's does); undefined when every selected variant built. */
  readonly error?: PkgError;
}

/** How build commands are interpreted and run (the CLI fills these from the configuration). */
export interface BuildShellSettings {
  readonly shell: ShellRenderer;
  readonly parentEnviron: Readonly<Record<string, string>>;
  readonly parentVariables?: boolean | readonly string[];
  readonly systemPaths?: readonly string[];
  readonly system?: RexNamespace;
  readonly runner?: RexCodeRunner;
  /** pkg's own command on PATH, as Rez puts its tools there. */
  readonly tools?: ToolsOnPath;
  /** The payload-cache roots a build or test environment uses (package_cache_during_build), by package name. */
  readonly cachedRoots?: (context: ResolvedContext) => Promise<ReadonlyMap<string, string>>;
}

export interface BuildOptions {
  readonly developer: DeveloperPackage;
  /** Loads the package again per variant when it has `@early` code. */
  readonly loader: PackageLoader;
  /** Everything the build resolve needs except the request (building is set). */
  readonly resolve: Omit<ResolveContextOptions, "building" | "reporter">;
  readonly shell: BuildShellSettings;
  readonly reporter: Reporter;
  /** The repository installed into (`--prefix`, else local_packages_path). */
  readonly installRoot: string;
  /** Set to install: the repository at installRoot. */
  readonly repository?: WritableRepository;
  readonly clean?: boolean;
  readonly variants?: readonly number[];
  readonly buildSystem?: string;
  readonly buildArgs?: readonly string[];
  readonly childBuildArgs?: readonly string[];
  readonly systemOptions?: Readonly<Record<string, BuildOptionValue>>;
  /** Command-line words for the build system's own options (custom's parse_build_args.py). */
  readonly extraWords?: readonly string[];
  readonly writeScripts?: boolean;
  /** Variants built at once (default 1). */
  readonly jobs?: number;
  readonly buildType?: BuildType;
  /** Rez `build_directory` (default "build"), `build_thread_count`, `variant_shortlinks_dirname`. */
  readonly buildDirectory?: string;
  readonly threadCount?: string;
  readonly shortlinksDirname?: string;
  readonly includePath?: readonly string[];
  readonly lockTimeout?: number;
  /** The program and arguments that start pkg, for --scripts (`build-env` runs `pkg build-env DIR`). */
  readonly launcher?: readonly string[];
  readonly python?: PythonRequest;
  /** A context's summary for people, printed after the build resolve (Rez prints the context). */
  readonly describeContext?: (context: ResolvedContext) => string;
  /** Stage and test each variant but leave installing it to the caller (`pending` of each result). */
  readonly deferInstall?: boolean;
  /** The configuration's `plugins` table, for the build systems' settings. */
  readonly plugins?: PackageValue;
}

const RULE = "=".repeat(80);

function header(reporter: Reporter, text: string): void {
  reporter.info(`\n${RULE}\n${text}\n${RULE}`);
}

/** The built package as it will be installed: without build-only data, as the pre-build evaluation has it. */
function qualifiedName(definition: PackageDefinition): string {
  return definition.version === "" ? definition.name : `${definition.name}-${definition.version}`;
}

/** Writes what a child prints to the reporter (prefixed when several variants build at once) and to the log. */
class VariantOutput implements ChildOutput {
  private pending: Record<"stdout" | "stderr", string> = { stdout: "", stderr: "" };
  constructor(
    private readonly reporter: Reporter,
    private readonly log: WriteStream | undefined,
    private readonly prefix: string,
  ) {}

  private write(stream: "stdout" | "stderr", chunk: Buffer): void {
    this.log?.write(chunk);
    if (this.prefix === "") {
      this.reporter.output(chunk.toString("utf8"));
      return;
    }
    const text = this.pending[stream] + chunk.toString("utf8");
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.pending[stream] = text;
      return;
    }
    this.pending[stream] = text.slice(end + 1);
    this.reporter.output(
      text
        .slice(0, end + 1)
        .split("\n")
        .slice(0, -1)
        .map((line) => `${this.prefix}${line}\n`)
        .join(""),
    );
  }

  stdout(chunk: Buffer): void {
    this.write("stdout", chunk);
  }

  stderr(chunk: Buffer): void {
    this.write("stderr", chunk);
  }

  /** A status line of pkg's own for this variant, in the log too. */
  line(text: string): void {
    this.log?.write(`${text}\n`);
    this.reporter.info(this.prefix === "" ? text : text.split("\n").map((l) => `${this.prefix}${l}`).join("\n"));
  }

  flush(): void {
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.pending[stream] !== "") this.reporter.output(`${this.prefix}${this.pending[stream]}\n`);
      this.pending[stream] = "";
    }
  }
}

function codeSources(definition: PackageDefinition): string[] {
  return Object.values(definition.attributes).filter((v): v is Extract<PackageValue, { kind: "source" }> => isSourceCode(v)).map((v) => v.source);
}

interface VariantPlan {
  readonly index: number | null;
  readonly subpath: string | null;
  readonly requires: readonly string[];
  readonly buildPath: string;
  readonly installPath: string;
  readonly packageInstallPath: string;
}

/**
 * Builds the selected variants (and installs them with a repository). Bad input found before anything is
 * built (no build system, unknown variants) throws; a failure while building ends the build and is
 * returned in the summary with every variant's status.
 */
export async function buildPackage(options: BuildOptions): Promise<BuildSummary> {
  const { developer, reporter } = options;
  const definition = developer.definition;
  const install = options.repository !== undefined;
  const label = qualifiedName(definition);
  const indices = selectVariants(variantCount(definition), options.variants, label);
  const system = chooseBuildSystem(developer.sourceDir, definition, options.buildSystem);
  const own = new Set((system.options ?? []).map((o) => o.key));
  for (const key of Object.keys(options.systemOptions ?? {})) {
    if (!own.has(key)) {
      const owner = allBuildSystems().find((s) => (s.options ?? []).some((o) => o.key === key));
      const flag = owner?.options?.find((o) => o.key === key)?.flags.split(",")[0] ?? key;
      throw new PkgError("PKG0002", `${flag} is an option of the ${owner?.name ?? "?"} build system, and ${label} builds with ${system.name}`, { hint: `drop ${flag}, or choose the build system with -b` });
    }
  }
  const root = buildRoot(developer.sourceDir, options.buildDirectory ?? "build");
  const threads = buildThreadCount(options.threadCount ?? "physical_cores");
  const buildType = options.buildType ?? "local";
  const plans: VariantPlan[] = (variantCount(definition) === 0 ? [null] : Array.from({ length: variantCount(definition) }, (_v, i) => i)).map((index) => {
    const subpath = variantSubpath(definition, index);
    const paths = variantPaths({ buildRoot: root, installRoot: options.installRoot, name: definition.name, version: definition.version, subpath });
    return { index, subpath, requires: variantRequires(definition, index), ...paths };
  });

  header(reporter, `Building ${label}...`);
  const results = new Map<number | null, VariantBuildResult>();
  const selected = plans.filter((p) => indices.includes(p.index));
  const total = Math.max(plans.length, 1);
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, selected.length));
  let failed: PkgError | undefined;
  let next = 0;

  const worker = async (): Promise<void> => {
    while (failed === undefined && next < selected.length) {
      const plan = selected[next++]!;
      const result = await buildOneVariant(options, system, plan, { threads, buildType, install, total, parallel: jobs > 1 });
      results.set(plan.index, result);
      if (result.error) failed ??= result.error;
    }
  };
  for (const plan of plans) {
    if (!indices.includes(plan.index)) {
      header(reporter, `Skipping variant ${plan.index} (${(plan.index ?? 0) + 1}/${total})...`);
      results.set(plan.index, { index: plan.index, subpath: plan.subpath, buildPath: plan.buildPath, installPath: plan.installPath, status: "skipped", seconds: 0, log: null, scripts: [] });
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker));
  for (const plan of selected) {
    if (!results.has(plan.index)) {
      results.set(plan.index, { index: plan.index, subpath: plan.subpath, buildPath: plan.buildPath, installPath: plan.installPath, status: "not-run", seconds: 0, log: null, scripts: [] });
    }
  }

  const variants = plans.map((p) => results.get(p.index)!);
  header(reporter, "Build Summary");
  if (failed === undefined) {
    const built = variants.filter((v) => v.status === "built" || v.status === "installed").length;
    reporter.info(`\nAll ${built} build(s) were successful.\n`);
    const scripts = variants.flatMap((v) => v.scripts);
    if (scripts.length > 0) reporter.info(`\nThe following executable script(s) have been created:\n${scripts.join("\n")}\n`);
  } else {
    const bad = variants.find((v) => v.status === "failed");
    reporter.info(`\nThe build of ${label}${bad && bad.index !== null ? ` variant ${bad.index}` : ""} failed${bad?.log ? `; its log: ${bad.log}` : ""}.\n`);
  }
  return {
    name: definition.name,
    version: definition.version,
    buildSystem: system.name,
    buildRoot: root,
    installRoot: options.installRoot,
    install,
    variants,
    ...(failed !== undefined ? { error: failed } : {}),
  };
}

/**
 * Tests with `run_on: pre_install`, on the staged variant (Rez installs it into a temporary repository
 * first): the package is resolved from a folder beside the staging one whose variant root is the payload.
 */
async function runPreInstallTests(options: BuildOptions, plan: VariantPlan, payload: string, stagingRoot: string, output: VariantOutput): Promise<void> {
  const definition = await withLateTests(options.developer.definition, options.resolve.python);
  const names = testNames(definition, ["pre_install"]);
  if (names.length === 0) return;
  const base = join(stagingRoot, "tests", definition.name, definition.version || "");
  if (plan.subpath === null) {
    mkdirSync(dirname(base), { recursive: true });
    symlinkSync(payload, base, "dir");
  } else {
    mkdirSync(dirname(join(base, plan.subpath)), { recursive: true });
    symlinkSync(payload, join(base, plan.subpath), "dir");
  }
  const staged: PackageDefinition = { ...definition, file: join(base, "package.py") };
  const source = options.resolve.source;
  const testSource: PackageFamilySource = {
    searchedPaths: [join(stagingRoot, "tests"), ...source.searchedPaths],
    getFamily: (name) => (name === definition.name ? [staged] : source.getFamily(name)),
  };
  output.line(`\nRunning pre_install tests: ${names.join(", ")}`);
  const summary = await runPackageTests({
    definition: staged,
    tests: names,
    variants: [plan.index],
    resolve: { ...options.resolve, source: testSource, packagePaths: [join(stagingRoot, "tests"), ...options.resolve.packagePaths] },
    shell: options.shell,
    reporter: options.reporter,
    output,
  });
  const failed = summary.results.filter((r) => r.status === "failed");
  output.line(formatTestSummary(summary.results));
  if (failed.length > 0) {
    throw new PkgError("PKG0040", `pre_install test${failed.length === 1 ? "" : "s"} of ${qualifiedName(definition)}${plan.index !== null ? ` variant ${plan.index}` : ""} failed: ${failed.map((r) => `${r.test} (${r.description})`).join(", ")}`, {
      hint: "nothing was installed; fix the package or its tests",
    });
  }
}

interface RunSettings {
  readonly threads: number;
  readonly buildType: BuildType;
  readonly install: boolean;
  readonly total: number;
  readonly parallel: boolean;
}

async function buildOneVariant(options: BuildOptions, system: BuildSystem, plan: VariantPlan, settings: RunSettings): Promise<VariantBuildResult> {
  const { developer, reporter } = options;
  const started = Date.now();
  const base = { index: plan.index, subpath: plan.subpath, buildPath: plan.buildPath, installPath: plan.installPath };
  if (plan.index !== null) header(reporter, `Building variant ${plan.index} (${plan.index + 1}/${settings.total})...`);
  if (options.clean && existsSync(plan.buildPath)) {
    try {
      rmSync(plan.buildPath, { recursive: true, force: true });
    } catch (error) {
      reporter.warn(`Failed to delete ${plan.buildPath} - ${(error as Error).message}`);
    }
  }
  mkdirSync(plan.buildPath, { recursive: true });
  const logFile = join(plan.buildPath, "build.log");
  const log = createWriteStream(logFile);
  const output = new VariantOutput(reporter, log, settings.parallel ? `[${plan.index ?? developer.definition.name}] ` : "");
  let staged: StagedVariant | undefined;
  let environment: ShellEnvironment | undefined;
  let scripts: string[] = [];
  try {
    const definition = await reevaluateForBuild(developer, options.loader, plan.index, plan.requires);
    const request = buildRequest(definition, plan.index);
    output.line(`Resolving build environment: ${request.map(shlexQuote).join(" ")}`);
    const { context, result } = await resolveContext(request, { ...options.resolve, building: true, reporter });
    const rxtFile = join(plan.buildPath, "build.rxt");
    const rxtText = writeRxt(context);
    writeFileSync(rxtFile, rxtText);
    if (context.status !== "solved") {
      const why = [result.failureDescription ?? context.status, result.explanation ? `\nIn plain words:\n${result.explanation}` : ""].join("");
      const error = new PkgError("PKG0037", `the build environment of ${qualifiedName(definition)}${plan.index !== null ? ` variant ${plan.index}` : ""} did not resolve (${rxtFile} written):\n${why}`, {
        hint: "install the packages the build needs, or change the package's requires / build_requires",
      });
      return { ...base, status: "failed", seconds: (Date.now() - started) / 1000, log: logFile, scripts, error, failureGraph: result.failureGraph };
    }
    if (options.describeContext) output.line(options.describeContext(context));
    const extraFiles = [rxtFile];
    if (plan.index !== null) {
      const variants = developer.definition.attributes.variants;
      const data = Array.isArray(variants) ? variants[plan.index] : [];
      const file = join(plan.buildPath, "variant.json");
      writeFileSync(file, JSON.stringify({ index: plan.index, data }, null, 2));
      extraFiles.push(file);
    }

    const systemOptions = options.systemOptions ?? {};
    const systemSteps = system.environment
      ? await system.environment({
          sourceDir: developer.sourceDir,
          definition,
          options: systemOptions,
          install: settings.install,
          extraWords: options.extraWords ?? [],
          ...(options.plugins !== undefined ? { plugins: options.plugins } : {}),
          ...(options.python ? { python: options.python } : {}),
          warn: (text) => reporter.warn(text),
        })
      : [];
    const callbackSteps: RexStep[] = [
      ...setenvSteps(
        buildVariables({
          definition,
          index: plan.index,
          variantRequires: plan.requires,
          subpath: plan.subpath,
          buildPath: plan.buildPath,
          installPath: plan.installPath,
          install: settings.install,
          buildType: settings.buildType,
          threads: settings.threads,
          requires: [...context.requests, ...context.implicitPackages],
        }),
      ),
      ...systemSteps,
    ];
    const postSteps = preBuildSteps({
      definition,
      index: plan.index,
      variantRequires: plan.requires,
      subpath: plan.subpath,
      packageInstallPath: plan.packageInstallPath,
      installPath: plan.installPath,
      buildPath: plan.buildPath,
      install: settings.install,
      buildType: settings.buildType,
    });
    const shell = options.shell;
    const cached = await cachedRootsFor(shell, context);
    environment = await openShellEnvironment(context, {
      shell: shell.shell,
      rxtText,
      rxtFile,
      parentEnviron: shell.parentEnviron,
      callbackSteps,
      postSteps,
      interpret: {
        ...(shell.parentVariables !== undefined ? { parentVariables: shell.parentVariables } : {}),
        systemPaths: context.appendSysPath ? [...(shell.systemPaths ?? [])] : [],
        ...(shell.system ? { system: shell.system } : {}),
        ...(shell.runner ? { runner: shell.runner } : {}),
        ...shell.tools,
        ...cached,
      },
    });
    const env = environment;
    const variable = (name: string): string | undefined => env.environ[name] ?? shell.parentEnviron[name];
    if (settings.install && options.repository && !options.writeScripts) {
      staged = stageVariant({
        installRoot: options.installRoot,
        name: definition.name,
        version: definition.version,
        finalPath: plan.installPath,
        unvarianted: plan.index === null,
        lockTimeout: options.lockTimeout ?? 10,
      });
    }
    const stage = staged;
    const buildContext: BuildSystemContext = {
      sourceDir: developer.sourceDir,
      definition,
      index: plan.index,
      buildPath: plan.buildPath,
      installPath: plan.installPath,
      install: settings.install,
      buildType: settings.buildType,
      buildArgs: options.buildArgs ?? [],
      childBuildArgs: options.childBuildArgs ?? [],
      threads: settings.threads,
      options: systemOptions,
      writeScripts: options.writeScripts ?? false,
      ...(options.plugins !== undefined ? { plugins: options.plugins } : {}),
      run: async (command, runOptions = {}) => {
        const run = () =>
          env.run({ command, cwd: plan.buildPath, norc: true, output, stdin: settings.parallel ? "ignore" : "inherit" });
        return runOptions.installs && stage ? stage.installing(run) : run();
      },
      which: (program) => findExecutable(program, variable("PATH")),
      variable,
      info: (text) => output.line(text),
      warn: (text) => reporter.warn(text),
      writeBuildScript: () =>
        writeBuildEnvScript(
          { package: qualifiedName(definition), index: plan.index, buildPath: plan.buildPath, callbackSteps, postSteps, shell: shell.shell.name },
          options.launcher ?? ["pkg"],
        ),
    };
    output.line(`\nInvoking ${system.name} build system...`);
    const outcome = await system.build(buildContext);
    output.flush();
    scripts = [...(outcome.scripts ?? [])];
    if (!outcome.success) {
      const error = new PkgError("PKG0036", `The ${system.name} build system failed: ${qualifiedName(developer.definition)}${plan.index !== null ? ` variant ${plan.index}` : ""} did not build (log: ${logFile})`, {
        hint: settings.install ? "nothing was installed; an earlier install of the package is as it was" : "read the log above",
      });
      return { ...base, status: "failed", seconds: (Date.now() - started) / 1000, log: logFile, scripts, error };
    }
    if (stage && options.repository) {
      const payload = stage.ensurePayload();
      copyExtraFiles([...extraFiles, ...(outcome.extraFiles ?? [])], payload);
      const includes = includedModules(codeSources(developer.definition));
      installIncludeModules(includes, options.includePath ?? [], plan.index === null ? payload : plan.packageInstallPath);
      await runPreInstallTests(options, plan, payload, stage.stagingRoot, output);
      if (options.deferInstall) {
        staged = undefined;
        const pending: PendingInstall = { definition: developer.definition, index: plan.index, payload, discard: () => stage.discard() };
        return { ...base, status: "built", seconds: (Date.now() - started) / 1000, log: logFile, scripts, pending };
      }
      const installed = await options.repository.installVariant({ definition: developer.definition, index: plan.index, payload, overwrite: true });
      if (plan.subpath !== null && developer.definition.attributes.hashed_variants === true && options.shortlinksDirname) {
        try {
          createVariantShortlink(plan.packageInstallPath, options.shortlinksDirname, plan.subpath);
        } catch (error) {
          reporter.warn(`Error creating variant shortlink for ${plan.installPath}: ${(error as Error).message}`);
        }
      }
      output.line(`Installed ${qualifiedName(developer.definition)}${plan.index !== null ? ` variant ${plan.index}` : ""} (${installed.status}) into ${installed.root}`);
      return { ...base, status: "installed", seconds: (Date.now() - started) / 1000, log: logFile, scripts };
    }
    return { ...base, status: "built", seconds: (Date.now() - started) / 1000, log: logFile, scripts };
  } catch (error) {
    output.flush();
    const known = asPkgError(error);
    if (!known) throw error;
    return { ...base, status: "failed", seconds: (Date.now() - started) / 1000, log: logFile, scripts, error: known };
  } finally {
    environment?.close();
    staged?.discard();
    await new Promise<void>((done) => log.end(done));
  }
}
