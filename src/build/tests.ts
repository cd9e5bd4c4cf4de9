// Rez's package tests (rez-test, PackageTestRunner): the `tests` attribute in all its forms, each test run
// in an environment resolved from the package, the test's requires and the variant's, with the package's
// pre_test_commands; results counted as Rez counts them.
import { isSourceCode } from "../package/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import type { ContextVariant, LatePythonPool, ResolveContextOptions, ResolvedContext } from "../context/index.js";
import { evaluateLateOutOfContext, executeShell, lazyPythonPool, resolveContext, variantBindingData, writeRxt } from "../context/index.js";
import { PkgError } from "../errors/index.js";
import { fnmatchToRegExp } from "../glob/index.js";
import type { Reporter } from "../report/index.js";
import type { RexStep } from "../rex/index.js";
import { Requirement, RequirementList, Version } from "../version/index.js";
import { cachedRootsFor } from "./cached-roots.js";
import type { BuildShellSettings } from "./process.js";
import { shlexQuote } from "./systems/format.js";
import { variantCount } from "./variants.js";

export type OnVariants = boolean | { readonly type: "requires"; readonly value: readonly string[] };

export interface PackageTest {
  readonly name: string;
  /** Shell code, or a program and its arguments. */
  readonly command: string | readonly string[];
  readonly requires: readonly string[];
  readonly runOn: readonly string[];
  readonly onVariants: OnVariants;
}

function strings(value: PackageValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? [value] : [];
}

function isTable(value: PackageValue | undefined): value is { readonly [key: string]: PackageValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isSourceCode(value);
}

/**
 * The package with a `@late` `tests` function evaluated, as Rez evaluates it when rez-test first reads
 * `tests`: outside a context (`this` the package, `in_context()` False). Other packages come back as they are.
 */
export async function withLateTests(definition: PackageDefinition, python?: () => LatePythonPool): Promise<PackageDefinition> {
  const tests = definition.attributes.tests;
  if (!isSourceCode(tests) || !tests.late) return definition;
  const own = python ? undefined : lazyPythonPool();
  let value: PackageValue;
  try {
    value = await evaluateLateOutOfContext(definition, "tests", python ? python() : own!.get());
  } catch (error) {
    if (!(error instanceof PkgError)) throw error;
    throw new PkgError("PKG0085", error.message, { hint: "fix the @late tests function at the file and line named" });
  } finally {
    await own?.close();
  }
  if (value !== null && !isTable(value)) {
    throw new PkgError("PKG0085", `${tests.file || definition.file}:${tests.line}: the @late 'tests' function of ${definition.name} returned ${Array.isArray(value) ? "a list" : typeof value}, not a dict of tests`, {
      hint: "return a dict: {name: command or {\"command\": ..., \"requires\": [...]}}",
    });
  }
  return { ...definition, attributes: { ...definition.attributes, tests: value } };
}

/** The package's tests by name (a `tests` entry is a command, a list, or a table with `command`). */
export function packageTests(definition: PackageDefinition): Map<string, PackageTest> {
  const tests = definition.attributes.tests;
  const out = new Map<string, PackageTest>();
  if (isSourceCode(tests)) {
    // withLateTests evaluates it first
    throw new PkgError("PKG0001", `${definition.file}: the @late 'tests' attribute was not evaluated`);
  }
  if (!isTable(tests)) return out;
  for (const [name, entry] of Object.entries(tests)) {
    const table = isTable(entry) ? entry : { command: entry };
    const command = table.command;
    if (typeof command !== "string" && !(Array.isArray(command) && command.every((c) => typeof c === "string"))) {
      throw new PkgError("PKG0034", `${definition.file}: test '${name}' has no command (a string or a list of strings)`);
    }
    const runOn = strings(table.run_on);
    const on = table.on_variants;
    let onVariants: OnVariants = false;
    if (on === true) onVariants = true;
    else if (isTable(on)) {
      if (on.type !== "requires") throw new PkgError("PKG0034", `${definition.file}: test '${name}': on_variants type '${String(on.type)}' is not known (Rez has 'requires')`);
      onVariants = { type: "requires", value: strings(on.value) };
    }
    out.set(name, { name, command: command as string | readonly string[], requires: strings(table.requires), runOn: runOn.length > 0 ? runOn : ["default"], onVariants });
  }
  return out;
}

/** Test names, sorted; only those whose run_on meets `runOn` when given. */
export function testNames(definition: PackageDefinition, runOn?: readonly string[]): string[] {
  return [...packageTests(definition).values()].filter((t) => runOn === undefined || t.runOn.some((r) => runOn.includes(r))).map((t) => t.name).sort();
}

/** Rez: without names, the tests whose run_on has `default`; with names (globs), the matching tests. */
export function requestedTestNames(definition: PackageDefinition, requested: readonly string[]): string[] {
  if (requested.length === 0) return testNames(definition, ["default"]);
  const all = testNames(definition);
  return all.filter((name) => requested.some((pattern) => fnmatchToRegExp(pattern).test(name)));
}

/** `on_variants: {type: requires, value: [...]}`: the variant's requires are the filter's plus its own, without conflict. */
export function variantMatchesRequires(variantRequires: readonly string[], filter: readonly string[]): boolean {
  const parse = (s: string): Requirement => Requirement.parse(s);
  const combined = new RequirementList([...variantRequires, ...filter].map(parse));
  if (combined.conflict) return false;
  const key = (reqs: readonly Requirement[]): string => reqs.map(String).sort().join(" ");
  const own = new RequirementList(variantRequires.map(parse).filter((r) => !r.conflict));
  return key(combined.requirements.filter((r) => !r.conflict)) === key(own.requirements);
}

/** The newest package the request names (Rez `get_latest_package_from_string`). */
export async function latestPackage(source: { getFamily(name: string): Promise<readonly PackageDefinition[] | undefined> }, request: string): Promise<PackageDefinition | undefined> {
  const req = Requirement.parse(request);
  const family = await source.getFamily(req.name);
  if (!family) return undefined;
  for (let i = family.length - 1; i >= 0; i--) {
    const d = family[i]!;
    if (req.range === null) return d;
    try {
      if (req.range.contains(d.version === "" ? Version.EMPTY : Version.parse(d.version))) return d;
    } catch {
      // a version that does not parse matches no range
    }
  }
  return undefined;
}

export type TestStatus = "success" | "failed" | "skipped";

export interface TestResult {
  readonly test: string;
  readonly status: TestStatus;
  /** The variant's root (or the package's file when there is none). */
  readonly variant: string;
  readonly index: number | null;
  readonly description: string;
}

export interface PackageTestOptions {
  readonly definition: PackageDefinition;
  /** Names to run (already selected). */
  readonly tests: readonly string[];
  readonly resolve: Omit<ResolveContextOptions, "testing" | "reporter">;
  readonly shell: BuildShellSettings;
  readonly reporter: Reporter;
  readonly extraPackages?: readonly string[];
  /** Arguments after `--` (one test only). */
  readonly extraArgs?: readonly string[];
  readonly dryRun?: boolean;
  readonly stopOnFail?: boolean;
  /** `--inplace`: run in this context (the current one) instead of resolving. */
  readonly current?: ResolvedContext;
  /** Only these variants (a build's pre_install tests: the variant being installed). */
  readonly variants?: readonly (number | null)[];
  /** Where test commands' output goes (default: pkg's stdout / stderr). */
  readonly output?: { stdout(chunk: Buffer): void; stderr(chunk: Buffer): void };
}

export interface PackageTestSummary {
  readonly results: readonly TestResult[];
  /** Rez's exit code: that of the first failed test, -1 when its environment did not resolve; 0 when none failed. */
  readonly exitCode: number;
}

function requirementsMet(context: ResolvedContext, requires: readonly string[]): boolean {
  const exact = context.variants.map((v) => (v.version === "" ? v.name : `${v.name}==${v.version}`));
  const parse = (s: string): Requirement => Requirement.parse(s);
  const key = (list: RequirementList): string => list.requirements.map(String).sort().join(" ");
  const current = new RequirementList(exact.map(parse));
  const combined = new RequirementList([...exact, ...requires].map(parse));
  return combined.conflict === null && key(current) === key(combined);
}

/** Runs the tests on the package's variants, as rez-test does; every outcome is in the results. */
export async function runPackageTests(options: PackageTestOptions): Promise<PackageTestSummary> {
  const { definition, reporter } = options;
  const tests = packageTests(definition);
  const results: TestResult[] = [];
  const contexts = new Map<string, ResolvedContext>();
  const timestamp = Math.floor(Date.now() / 1000);
  let exitCode = 0;
  const all: (number | null)[] = variantCount(definition) === 0 ? [null] : Array.from({ length: variantCount(definition) }, (_v, i) => i);
  const indices = options.variants ? all.filter((i) => options.variants!.includes(i)) : all;
  const variantRequiresOf = (index: number | null): string[] => {
    const variants = definition.attributes.variants;
    return index === null || !Array.isArray(variants) ? [] : strings(variants[index]).map((s) => Requirement.parse(s).toString());
  };

  const contextFor = async (requires: readonly string[], quiet: boolean): Promise<ResolvedContext | undefined> => {
    if (options.current) return requirementsMet(options.current, requires) ? options.current : undefined;
    const key = requires.join("\0");
    let context = contexts.get(key);
    if (!context) {
      if (!quiet) reporter.info(`Resolving test environment: ${requires.map(shlexQuote).join(" ")}\n`);
      context = (await resolveContext(requires, { ...options.resolve, testing: true, timestamp, reporter })).context;
      contexts.set(key, context);
    }
    return context;
  };

  const baseRequires = (test: PackageTest): string[] => [
    definition.version === "" ? definition.name : `${definition.name}==${definition.version}`,
    ...test.requires,
    ...(options.extraPackages ?? []),
  ];

  const resolvedVariant = (context: ResolvedContext): ContextVariant | undefined => context.variants.find((v) => v.name === definition.name);

  for (const name of options.tests) {
    const test = tests.get(name);
    if (!test) throw new PkgError("PKG0002", `test '${name}' not found in package ${definition.file}`);
    let targets = indices;
    if (options.current) {
      const v = resolvedVariant(options.current);
      targets = v ? [v.index] : [];
      if (!v) results.push({ test: name, status: "skipped", variant: definition.file, index: null, description: "The current environment does not contain a package matching the request" });
    } else if (test.onVariants === false) {
      for (const index of indices) {
        const context = await contextFor(baseRequires(test), true).catch(() => undefined);
        if (context?.status === "solved" && resolvedVariant(context)?.index === index) {
          targets = [index];
          break;
        }
      }
    }
    for (const index of targets) {
      const label = index === null ? definition.file : `${definition.file}[${index}]`;
      reporter.info(`\nRunning test: ${name}\nPackage: ${label}\n${"-".repeat(80)}\n`);
      const variantRequires = variantRequiresOf(index);
      if (typeof test.onVariants === "object" && !variantMatchesRequires(variantRequires, test.onVariants.value)) {
        const reason = "Test skipped as specified by on_variants 'requires' filter";
        reporter.info(reason);
        results.push({ test: name, status: "skipped", variant: label, index, description: reason });
        continue;
      }
      let context: ResolvedContext | undefined;
      let failure: string | undefined;
      try {
        context = await contextFor([...baseRequires(test), ...variantRequires], false);
      } catch (error) {
        failure = `The test environment failed to resolve: ${(error as Error).message}`;
      }
      if (!failure && context === undefined) failure = "The current environment does not meet test requirements";
      else if (!failure && context!.status !== "solved") failure = `The test environment failed to resolve${context!.failureDescription ? `:\n${context!.failureDescription}` : ""}`;
      if (failure) {
        results.push({ test: name, status: "failed", variant: label, index, description: failure.split("\n")[0]! });
        reporter.warn(failure);
        exitCode ||= -1;
        if (options.stopOnFail) return { results, exitCode };
        continue;
      }
      const ctx = context!;
      const variant = resolvedVariant(ctx);
      const root = variant?.root ?? label;
      if (!variant || variant.index !== index) {
        reporter.warn(`Could not resolve environment for this variant (${label}).`);
        results.push({ test: name, status: "skipped", variant: root, index, description: "Could not resolve to variant (known issue)" });
        continue;
      }
      const fields: Record<string, string> = { root: variant.root ?? "", base: variant.base ?? "", name: variant.name, version: variant.version, index: variant.index === null ? "" : String(variant.index) };
      const format = (s: string): string => s.replace(/\{(\w+)\}/g, (m, k: string) => fields[k] ?? m);
      const extra = options.extraArgs ?? [];
      const command: string | readonly string[] =
        typeof test.command === "string"
          ? [format(test.command), ...extra.map(shlexQuote)].join(" ").trim()
          : [...test.command.map(format), ...extra];
      reporter.info(`Running test command: ${typeof command === "string" ? command : command.map(shlexQuote).join(" ")}\n`);
      if (options.dryRun) {
        results.push({ test: name, status: "skipped", variant: root, index, description: "Dry run mode" });
        continue;
      }
      const pre = definition.attributes.pre_test_commands;
      const code = typeof pre === "string" ? { source: pre, file: definition.file, line: 1 } : isSourceCode(pre) ? pre : undefined;
      const callbackSteps: RexStep[] = code
        ? [{ op: "code", attr: "pre_test_commands", package: definition.name, source: code.source, file: code.file || definition.file, line: code.line || 1, this: variantBindingData(variant), globals: { test: { name } } }]
        : [];
      const shell = options.shell;
      const cached = await cachedRootsFor(shell, ctx);
      const status = await executeShell(ctx, {
        shell: shell.shell,
        command,
        rxtText: writeRxt(ctx),
        parentEnviron: shell.parentEnviron,
        callbackSteps,
        norc: true,
        interpret: {
          ...(shell.parentVariables !== undefined ? { parentVariables: shell.parentVariables } : {}),
          systemPaths: ctx.appendSysPath ? [...(shell.systemPaths ?? [])] : [],
          ...(shell.system ? { system: shell.system } : {}),
          ...(shell.runner ? { runner: shell.runner } : {}),
          ...shell.tools,
          ...cached,
        },
        ...(options.output ? { output: options.output } : {}),
      });
      if (status !== 0) {
        reporter.warn(`Test command exited with code ${status}`);
        results.push({ test: name, status: "failed", variant: root, index, description: `Test failed with exit code ${status}` });
        exitCode ||= status;
        if (options.stopOnFail) return { results, exitCode };
        continue;
      }
      results.push({ test: name, status: "success", variant: root, index, description: "Test succeeded" });
      if (test.onVariants === false) break;
    }
  }
  return { results, exitCode };
}

/** Rez's summary: "Test results:", the counts line, and the results table. */
export function formatTestSummary(results: readonly TestResult[]): string {
  const count = (s: TestStatus): number => results.filter((r) => r.status === s).length;
  const rows = [["Test", "Status", "Variant", "Description"], ["----", "------", "-------", "-----------"], ...results.map((r) => [r.test, r.status, r.variant, r.description])];
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
  return `Test results:\n${"-".repeat(80)}\n${count("success")} succeeded, ${count("failed")} failed, ${count("skipped")} skipped\n\n${table}\n`;
}
