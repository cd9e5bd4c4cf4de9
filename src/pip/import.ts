// `pkg pip`: Python distributions into Rez packages (reference §5.3), the rez-pip way where rez-pip is
// right. pip is asked only for what pkg cannot do alone (src/pip/fetch.ts: its resolver's report for the
// whole request, then the wheels that are not on this machine yet, fetched or built at once); pkg walks
// the dependencies itself, skips those the repositories already have, checks every wheel before writing
// anything, then installs each package payload first and package.py last, under the package's lock.
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync } from "node:fs";
import { machine as osMachine, release as osRelease, tmpdir, userInfo, version as osVersion } from "node:os";
import { basename, join, resolve } from "node:path";
import { systemInfo } from "../context/index.js";
import { PkgError } from "../errors/index.js";
import { getReleaseHook, pluginSettings } from "../release/index.js";
import type { HookInput, ReleaseHook } from "../release/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { variantSubpath } from "../package/index.js";
import type { Reporter } from "../report/index.js";
import type { WritableRepository } from "../repository/index.js";
import { Version } from "../version/index.js";
import { distributionRequirements, markerEnvironment, pipSpecifierToRezRange, pipToRezName, pipToRezVersion } from "./convert.js";
import type { TargetPlatform } from "./convert.js";
import { parsePep440, specifierContains } from "./pep440.js";
import { canonicalName, formatPipRequirement, parsePipRequirement } from "./pep508.js";
import type { PipRequirement } from "./pep508.js";
import { pipHasReport, pipResolve, pipWheels } from "./fetch.js";
import type { Candidate, PipAsk } from "./fetch.js";
import { findPython } from "./python.js";
import type { FindPythonOptions, PythonInterpreter } from "./python.js";
import { openWheel } from "./wheel.js";
import type { InstallRemap, WheelFile } from "./wheel.js";

/** What the import reads existing packages from (a RepositorySet fits). */
export interface PackageLookup {
  familyNames(): Promise<string[]>;
  getFamily(name: string): Promise<readonly PackageDefinition[] | undefined>;
}

export interface PipImportOptions {
  /** Names, requirements (`requests>=2`), wheel or sdist files, folders, URLs. */
  readonly sources: readonly string[];
  readonly destination: WritableRepository;
  /** The repositories searched for dependencies that exist already (the destination is searched too). */
  readonly packages: PackageLookup;
  readonly noDeps: boolean;
  readonly pythonVersion?: string;
  readonly python: Omit<FindPythonOptions, "pythonVersion" | "reporter">;
  /** Arguments for pip (pip_extra_args, then -e). */
  readonly pipArgs: readonly string[];
  readonly remaps: readonly InstallRemap[];
  readonly reporter: Reporter;
  /** pip's output as it comes (verbose); otherwise shown only when pip fails. */
  readonly echoPip?: boolean;
  /** Where the temporary folders go (the system's by default). */
  readonly tmpDir?: string;
  /** `--release`: the release hooks to run (pre-release before anything is installed, post-release after each package). */
  readonly release?: { readonly hooks: readonly string[]; readonly plugins: PluginTable };
}

type PluginTable = Parameters<typeof pluginSettings>[0];

export interface ImportedPackage {
  readonly name: string;
  readonly version: string;
  /** distlib's name_and_version: `my-pkg (1.2.3rc1)`. */
  readonly pip_name: string;
  /** The package.py (Rez's package uri). */
  readonly uri: string;
  readonly variant: string | null;
}

export interface PipImportResult {
  readonly installed: readonly ImportedPackage[];
  /** Variants there already. */
  readonly skipped: readonly ImportedPackage[];
  /** Dependencies the repositories had already (not imported again): `name-version`. */
  readonly existing: readonly string[];
}

interface Dist {
  readonly canonical: string;
  /** As in its metadata. */
  readonly name: string;
  readonly version: string;
  readonly requiresDist: readonly string[];
  /** The wheel, once it is on this machine and opened. */
  wheel: WheelFile | undefined;
  /** A wheel file on this machine, or what pip is given to fetch it. */
  file: string | undefined;
  readonly spec: string | undefined;
  /** Extras asked for on it (by the user or a dependent). */
  readonly extras: Set<string>;
  /** The extras (sorted, joined) its dependencies were last looked at with; undefined before. */
  expandedWith: string | undefined;
  /** The first user source that named it, for messages. */
  readonly source: string;
}

/** Rez's platform and arch names for this machine. */
export function hostTarget(): TargetPlatform & { readonly host: Parameters<typeof markerEnvironment>[1] } {
  const { platform, arch } = systemInfo();
  return { platform, arch, host: { platform: process.platform, machine: osMachine(), release: osRelease(), version: osVersion() } };
}

/** A wheel file given as a source, with the extras asked for (`./foo-1.0-py3-none-any.whl[bar]`, as pip reads it). */
function wheelSource(source: string): { file: string; extras: string[] } | undefined {
  const m = /^(.*\.whl)(?:\[([^\]]*)\])?$/i.exec(source);
  if (!m || !existsSync(m[1]!) || !statSync(m[1]!).isFile()) return undefined;
  return { file: resolve(m[1]!), extras: (m[2] ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "") };
}

/** The name and extras of a requirement source, when it is one (not a file, folder or URL). */
function requirementOf(source: string): PipRequirement | undefined {
  if (existsSync(source) || /^[a-z+]+:\/\//i.test(source)) return undefined;
  try {
    return parsePipRequirement(source);
  } catch {
    return undefined;
  }
}

function matchingVersion(definitions: readonly PackageDefinition[], req: PipRequirement): string | undefined {
  const range = pipSpecifierToRezRange(req.specifiers);
  const versions = definitions
    .map((d) => d.version)
    .filter((v) => {
      try {
        return range.contains(Version.parse(v));
      } catch {
        return false;
      }
    })
    .sort((a, b) => Version.parse(b).compare(Version.parse(a)));
  return versions[0];
}

export async function importDistributions(options: PipImportOptions): Promise<PipImportResult> {
  const { reporter } = options;
  const target = hostTarget();
  const tmp = mkdtempSync(join(options.tmpDir ?? tmpdir(), "pip-"));
  const opened: WheelFile[] = [];
  const staged: string[] = [];
  // a repository folder made only to stage into is removed again when nothing was installed
  const destinationExisted = existsSync(options.destination.location);
  // Ctrl-C or a kill while pkg unpacks: stop at the next step and remove the temporary folders (what is
  // installed is whole: each package's payload goes in before its package.py)
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted ??= signal;
  };
  const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const check = (): void => {
    if (interrupted) throw new PkgError("PKG0048", `interrupted (${interrupted}): the import stopped; the packages installed before are whole, nothing else was written`);
  };
  try {
    for (const source of options.sources) {
      const path = source.replace(/\[[^\]]*\]$/, "");
      const looksLikeFile = /\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(path) || /^(\.{1,2}\/|\/|~\/)/.test(path);
      if (looksLikeFile && !/^[a-z+]+:\/\//i.test(path) && !existsSync(path)) {
        throw new PkgError("PKG0049", `${path}: no such file or folder`, { hint: "give the path of a wheel, an sdist or a source folder, or a requirement" });
      }
    }
    const wheelSources = options.sources.flatMap((s) => wheelSource(s) ?? []);
    const pipSources = options.sources.filter((s) => !wheelSource(s));
    let python: PythonInterpreter | undefined;
    const pythonFor = async (needPip: boolean): Promise<PythonInterpreter> => {
      if (python && (!needPip || python.pipVersion !== undefined)) return python;
      python = await findPython({ ...options.python, ...(options.pythonVersion ? { pythonVersion: options.pythonVersion } : {}), reporter }, needPip);
      return python;
    };
    const first = await pythonFor(pipSources.length > 0);
    // Without pip the target is the version asked for; with pip, the interpreter pip runs in decides.
    const pythonVersion = first.source === "system" && options.pythonVersion && pipSources.length === 0 ? options.pythonVersion : first.pythonVersion;
    if (first.source === "system" && options.pythonVersion && pipSources.length > 0 && !pythonVersion.startsWith(`${options.pythonVersion}.`) && pythonVersion !== options.pythonVersion) {
      reporter.warn(`pip runs with Python ${pythonVersion} (${first.executable}), not ${options.pythonVersion}: the packages are made for ${pythonVersion.split(".").slice(0, 2).join(".")}`);
    }
    const tagTarget = { pythonVersion, platform: process.platform, machine: target.host.machine };
    const environment = markerEnvironment(pythonVersion, target.host);

    const dists = new Map<string, Dist>();
    const openFile = async (file: string): Promise<WheelFile> => {
      check();
      const wheel = await openWheel(file, tagTarget);
      opened.push(wheel);
      return wheel;
    };
    const addDist = (d: Omit<Dist, "canonical" | "extras" | "expandedWith">, extras: readonly string[]): void => {
      const canonical = canonicalName(d.name);
      const known = dists.get(canonical);
      if (known) {
        for (const e of extras) known.extras.add(canonicalName(e));
        return;
      }
      dists.set(canonical, { ...d, canonical, extras: new Set(extras.map(canonicalName)), expandedWith: undefined });
    };
    const addWheel = async (file: string, source: string, extras: readonly string[]): Promise<void> => {
      const wheel = await openFile(file);
      addDist({ name: wheel.metadata.name, version: wheel.metadata.version, requiresDist: wheel.metadata.requiresDist, wheel, file, spec: undefined, source }, extras);
    };
    const addCandidate = (c: Candidate, source: string, extras: readonly string[]): void => {
      addDist({ name: c.name, version: c.version, requiresDist: c.requiresDist, wheel: undefined, file: c.file, spec: c.spec, source }, extras);
    };

    // family names of the repositories (and the destination), by PEP 503 name: one name for a dependency whatever else is installed
    const families = new Map<string, string>();
    for (const name of [...(await options.packages.familyNames()), ...(await options.destination.familyNames())]) {
      if (!families.has(canonicalName(name))) families.set(canonicalName(name), name);
    }
    const familyName = (pipName: string): string => {
      const c = canonicalName(pipName);
      const dist = dists.get(c);
      if (dist) return pipToRezName(dist.name);
      return families.get(c) ?? pipToRezName(pipName);
    };
    const existingPackages = async (family: string): Promise<readonly PackageDefinition[]> => [
      ...((await options.packages.getFamily(family)) ?? []),
      ...((await options.destination.loadFamily(family)) ?? []),
    ];

    for (const w of wheelSources) await addWheel(w.file, w.file, w.extras);
    let round = 0;
    const ask = async (): Promise<PipAsk> => {
      const dir = join(tmp, `round${round++}`);
      mkdirSync(dir);
      return { python: await pythonFor(true), pipArgs: options.pipArgs, dir, ...(options.echoPip ? { echo: (t: string) => reporter.output(t) } : {}), info: (t) => reporter.info(t), check };
    };
    // what pip's resolver found (with a report): taken from here when a dependency needs it
    const available = new Map<string, Candidate>();
    let wanted: { spec: string; extras: readonly string[]; source: string }[] = pipSources.map((s) => ({ spec: s, extras: requirementOf(s)?.extras ?? [], source: s }));
    const existing: string[] = [];
    for (;;) {
      if (wanted.length > 0) {
        const a = await ask();
        reporter.info(`Asking pip for ${wanted.map((w) => w.spec).join(", ")}`);
        const byName = new Map(wanted.flatMap((w) => {
          const req = requirementOf(w.spec);
          return req ? [[canonicalName(req.name), w] as const] : [];
        }));
        if (pipHasReport(a.python.pipVersion)) {
          const candidates = await pipResolve(a, wanted.map((w) => w.spec), options.noDeps);
          for (const c of candidates) {
            if (!available.has(canonicalName(c.name))) available.set(canonicalName(c.name), c);
            const w = byName.get(canonicalName(c.name));
            if (c.requested) addCandidate(c, w?.source ?? c.spec, [...(w?.extras ?? []), ...c.requestedExtras]);
          }
        } else {
          for (const file of await pipWheels(a, wanted.map((w) => w.spec))) {
            const w = byName.get(canonicalName(basename(file).split("-")[0]!));
            await addWheel(file, w?.source ?? basename(file), w?.extras ?? []);
          }
        }
        for (const [name, w] of byName) if (!dists.has(name)) throw new PkgError("PKG0048", `pip gave nothing for '${w.spec}'`);
        wanted = [];
      }
      if (options.noDeps) break;
      // the dependencies of every distribution (with the extras asked for) that are neither here nor installed
      const next = new Map<string, { spec: string; extras: readonly string[]; source: string }>();
      for (const dist of [...dists.values()]) {
        const extrasKey = [...dist.extras].sort();
        if (dist.expandedWith === extrasKey.join(",")) continue;
        dist.expandedWith = extrasKey.join(",");
        const reqs = distributionRequirements({
          requiresDist: dist.requiresDist,
          extras: extrasKey,
          isPurePython: true,
          hasEntryPoints: false,
          pythonVersion,
          target,
          environment,
          familyName,
          source: `${dist.name} ${dist.version} METADATA`,
        });
        for (const dep of reqs.dependencies) {
          const c = canonicalName(dep.name);
          const have = dists.get(c);
          const plain = formatPipRequirement({ ...dep, marker: undefined } as PipRequirement);
          if (have) {
            for (const e of dep.extras) have.extras.add(canonicalName(e));
            const version = parsePep440(have.version);
            if (version && !dep.specifiers.every((clause) => specifierContains(clause.op, clause.version, version))) {
              reporter.warn(`${dist.name} requires ${plain}, but ${have.name} ${have.version} is imported`);
            }
            continue;
          }
          const family = familyName(dep.name);
          const found = matchingVersion(await existingPackages(family), dep);
          if (found !== undefined && dep.extras.length === 0) {
            if (!existing.includes(`${family}-${found}`)) {
              existing.push(`${family}-${found}`);
              reporter.info(`${plain} is installed already as ${family}-${found}: not imported again`);
            }
            continue;
          }
          const candidate = available.get(c);
          const candidateVersion = candidate ? parsePep440(candidate.version) : undefined;
          if (candidate && (!candidateVersion || dep.specifiers.every((clause) => specifierContains(clause.op, clause.version, candidateVersion)))) {
            addCandidate(candidate, dist.source, dep.extras);
            continue;
          }
          const prev = next.get(c);
          const extras = [...new Set([...(prev?.extras ?? []), ...dep.extras])];
          const spec = formatPipRequirement({ name: dep.name, extras, specifiers: [...(prev ? parsePipRequirement(prev.spec).specifiers : []), ...dep.specifiers] });
          next.set(c, { spec, extras, source: dist.source });
        }
      }
      const pending = [...dists.values()].some((d) => d.expandedWith !== [...d.extras].sort().join(","));
      if (next.size === 0 && !pending) break;
      wanted = [...next.values()];
      if (round > 100) throw new PkgError("PKG0048", "the dependencies did not settle after 100 rounds of pip");
    }

    // the files of what is imported: wheels on this machine are read where they are, the rest fetched by pip at once
    const toFetch = [...dists.values()].filter((d) => d.wheel === undefined && d.file === undefined);
    if (toFetch.length > 0) {
      const a = await ask();
      reporter.info(`Fetching ${toFetch.map((d) => `${d.name} ${d.version}`).join(", ")}`);
      const files = await pipWheels(a, toFetch.map((d) => d.spec!));
      for (const file of files) {
        const wheel = await openFile(file);
        const dist = dists.get(canonicalName(wheel.metadata.name));
        if (dist && dist.wheel === undefined) {
          dist.wheel = wheel;
          dist.file = file;
        }
      }
    }
    for (const dist of dists.values()) {
      if (dist.wheel === undefined && dist.file !== undefined) dist.wheel = await openFile(dist.file);
      if (dist.wheel === undefined) throw new PkgError("PKG0048", `pip gave no wheel for ${dist.name} ${dist.version} (${dist.spec ?? "?"})`);
    }

    // Every wheel unpacked and checked before anything is written.
    const plans: { dist: Dist; definition: PackageDefinition; payload: string; subpath: string | null }[] = [];
    const skipped: ImportedPackage[] = [];
    let n = 0;
    for (const dist of dists.values()) {
      const wheel = dist.wheel!;
      const reqs = distributionRequirements({
        requiresDist: wheel.metadata.requiresDist,
        extras: [...dist.extras],
        isPurePython: wheel.isPurePython,
        hasEntryPoints: wheel.scripts.length > 0,
        pythonVersion,
        target,
        environment,
        familyName,
        source: `${wheel.distInfo}/METADATA`,
      });
      const conversion = pipToRezVersion(wheel.metadata.version);
      if (conversion.legacy) reporter.warn(`Invalid PEP440 version detected: '${wheel.metadata.version}' of ${wheel.metadata.name}. Reverting to legacy mode.`);
      const name = pipToRezName(wheel.metadata.name);
      const attributes: { [key: string]: PackageValue } = {};
      if (wheel.metadata.summary) attributes.description = wheel.metadata.summary;
      if (wheel.metadata.author) attributes.authors = [wheel.metadata.author + (wheel.metadata.authorEmail ? ` ${wheel.metadata.authorEmail}` : "")];
      const definitionBase = { name, version: conversion.version, format: "rez" as const, file: "" };
      const payload = join(options.destination.location, `.pip.${process.pid}.${++n}.staging`);
      const probe: PackageDefinition = { ...definitionBase, attributes: { variants: [reqs.variant], hashed_variants: true } };
      const subpath = variantSubpath(probe, 0);
      const root = options.destination.variantRoot(name, conversion.version, subpath);
      const packageFile = join(options.destination.variantRoot(name, conversion.version, null), "package.py");
      if (existsSync(root) && existsSync(packageFile)) {
        const variantUri = `${packageFile}[${0}]`;
        reporter.warn(`Skipping installation: Package variant already exists: ${variantUri}`);
        skipped.push({ name, version: conversion.version, pip_name: `${wheel.metadata.name} (${wheel.metadata.version})`, uri: packageFile, variant: subpath });
        continue;
      }
      check();
      staged.push(payload);
      const extracted = await wheel.extract(payload, options.remaps);
      if (extracted.files.length === 0) reporter.warn(`No source files exist for ${wheel.metadata.name} (${wheel.metadata.version})!`);
      if (extracted.tools.length > 0) attributes.tools = [...extracted.tools];
      if (reqs.requires.length > 0) attributes.requires = [...reqs.requires];
      attributes.variants = [[...reqs.variant]];
      const commands = ["env.PYTHONPATH.append('{root}/python')"];
      if (extracted.tools.length > 0) commands.push("env.PATH.append('{root}/bin')");
      attributes.commands = { kind: "source", source: commands.join("\n"), late: false, file: packageFile, line: 1 };
      const help: PackageValue[] = [];
      if (wheel.metadata.homePage) help.push(["Home Page", wheel.metadata.homePage]);
      if (wheel.metadata.downloadUrl) help.push(["Source Code", wheel.metadata.downloadUrl]);
      if (help.length > 0) attributes.help = help;
      attributes.hashed_variants = true;
      attributes.from_pip = true;
      attributes.is_pure_python = wheel.isPurePython;
      attributes.pip_name = `${wheel.metadata.name} (${wheel.metadata.version})`;
      plans.push({ dist, definition: { ...definitionBase, attributes }, payload, subpath });
    }

    // --release: the hooks see each package before anything is installed (a pre-release hook may cancel all)
    const hooks: ReleaseHook[] = (options.release?.hooks ?? []).flatMap((name) => {
      const hook = getReleaseHook(name);
      if (!hook) reporter.warn(`Release hook '${name}' is not available.`);
      return hook ? [hook] : [];
    });
    const hookInput = (definition: PackageDefinition, variants: readonly string[]): HookInput => ({
      package: definition,
      installPath: options.destination.location,
      variants,
      releaseMessage: "",
      changelog: "",
      previousVersion: null,
      previousRevision: null,
      user: userInfo().username,
      reporter,
    });
    const callHooks = async (stage: "preRelease" | "postRelease", definition: PackageDefinition, variants: readonly string[]): Promise<void> => {
      for (const hook of hooks) {
        const method = hook[stage];
        if (method) await method.call(hook, hookInput(definition, variants), pluginSettings(options.release!.plugins, "release_hook", hook.name, hook.defaults));
      }
    };
    for (const plan of plans) await callHooks("preRelease", plan.definition, ["0"]);

    const installed: ImportedPackage[] = [];
    for (const plan of plans) {
      const { definition, dist } = plan;
      check();
      const result = await options.destination.installVariant({ definition, index: 0, payload: plan.payload });
      const uri = join(options.destination.variantRoot(definition.name, definition.version, null), "package.py");
      const entry: ImportedPackage = { name: definition.name, version: definition.version, pip_name: `${dist.name} (${dist.version})`, uri, variant: plan.subpath };
      if (result.status === "existing") {
        reporter.warn(`Skipping installation: Package variant already exists: ${uri}[${result.index ?? 0}]`);
        skipped.push(entry);
      } else {
        reporter.info(`Installed [${definition.name}-${definition.version}] ${uri}${plan.subpath ? ` (${plan.subpath})` : ""}`);
        installed.push(entry);
        await callHooks("postRelease", result.definition, [result.root]);
      }
    }
    if (installed.length > 0) reporter.info(`${installed.length} packages were installed.`);
    else reporter.warn("NO packages were installed.");
    if (skipped.length > 0) reporter.warn(`${skipped.length} packages were already installed.`);
    return { installed, skipped, existing };
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    for (const wheel of opened) wheel.close();
    for (const dir of staged) rmSync(dir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
    if (!destinationExisted) {
      try {
        rmdirSync(options.destination.location);
      } catch {
        // not empty: something was installed
      }
    }
  }
}
