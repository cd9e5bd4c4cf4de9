// Release hooks behind one interface, with a registry; `command` runs the configured programs.
import { spawnSync } from "node:child_process";
import { hostname, userInfo } from "node:os";
import { DEFAULT_REZ_VERSION } from "../context/index.js";
import { PkgError } from "../errors/index.js";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import type { Reporter } from "../report/index.js";
import { findExecutable } from "../shells/index.js";
import type { PluginSettings } from "./vcs.js";

export interface HookInput {
  readonly package: PackageDefinition;
  readonly installPath: string;
  /** Roots of the released variants (post_release), or the selected indices before. */
  readonly variants: readonly string[];
  readonly releaseMessage: string;
  readonly changelog: string;
  readonly previousVersion: string | null;
  readonly previousRevision: PackageValue | null;
  readonly user: string;
  readonly reporter: Reporter;
}

export interface ReleaseHook {
  readonly name: string;
  readonly description: string;
  readonly defaults: PluginSettings;
  /** Throws PKG0054 to cancel the release. */
  preBuild?(input: HookInput, settings: PluginSettings): Promise<void>;
  preRelease?(input: HookInput, settings: PluginSettings): Promise<void>;
  postRelease?(input: HookInput, settings: PluginSettings): Promise<void>;
}

const HOOKS = new Map<string, ReleaseHook>();

export function registerReleaseHook(hook: ReleaseHook): void {
  HOOKS.set(hook.name, hook);
}

export function releaseHooks(): ReleaseHook[] {
  return [...HOOKS.values()];
}

export function getReleaseHook(name: string): ReleaseHook | undefined {
  return HOOKS.get(name);
}

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}

export type Scope = { readonly [key: string]: PackageValue | undefined };

/** What hook settings may name in braces: `{package.qualified_name}`, `{release.path}`, `{system.user}`... */
export function hookScope(input: HookInput): Scope {
  const pkg = input.package;
  return {
    package: { ...pkg.attributes, name: pkg.name, version: pkg.version, qualified_name: pkg.version ? `${pkg.name}-${pkg.version}` : pkg.name },
    release: { path: input.installPath },
    system: { user: input.user, platform: process.platform === "darwin" ? "osx" : process.platform, hostname: hostname(), fqdn: hostname(), rez_version: DEFAULT_REZ_VERSION },
  };
}

/** `{package.name}`, `{release.path}`, `{num_variants}`...: Rez's scoped formatting of hook arguments. */
export function formatHookArgument(text: string, scope: Scope, pretty: boolean): string {
  return text.replace(/\{([A-Za-z_][\w.]*)\}/g, (whole, path: string) => {
    let value: PackageValue | undefined = scope[path.split(".")[0]!];
    for (const part of path.split(".").slice(1)) {
      value = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Scope)[part] : undefined;
    }
    if (value === undefined) return whole;
    if (Array.isArray(value) && pretty) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ");
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

/** `$VAR` and `${VAR}` from the environment; unknown ones are left as written (os.path.expandvars). */
export function expandVariables(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$(\w+)|\$\{([^}]+)\}/g, (whole, a: string | undefined, b: string | undefined) => env[a ?? b ?? ""] ?? whole);
}

interface CommandSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly pretty: boolean;
  readonly user: string | undefined;
  readonly env: Readonly<Record<string, string>>;
}

function commandSpecs(value: PackageValue | undefined, where: string): CommandSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PkgError("PKG0056", `${where} must be a list of tables with a 'command'`);
  return value.map((entry, i) => {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry) || typeof (entry as Scope).command !== "string") {
      throw new PkgError("PKG0056", `${where}[${i}] must be a table with a 'command' string`);
    }
    const e = entry as Scope;
    const args = typeof e.args === "string" ? e.args.trim().split(/\s+/).filter((a) => a !== "") : Array.isArray(e.args) ? e.args.map(String) : [];
    const env = e.env !== null && typeof e.env === "object" && !Array.isArray(e.env) ? Object.fromEntries(Object.entries(e.env).map(([k, v]) => [k, String(v)])) : {};
    return { command: e.command as string, args, pretty: e.pretty_args !== false, user: typeof e.user === "string" ? e.user : undefined, env };
  });
}

function runCommands(stage: string, input: HookInput, settings: PluginSettings): string[] {
  const specs = commandSpecs(settings[`${stage}_commands`], `plugins.release_hook.command.${stage}_commands`);
  const scope: Scope = { ...hookScope(input), variants: [...input.variants], num_variants: input.variants.length };
  const errors: string[] = [];
  for (const spec of specs) {
    const env = { ...process.env, ...spec.env };
    const args = spec.args.map((a) => expandVariables(formatHookArgument(a, scope, spec.pretty), env));
    if (settings.print_commands !== false) input.reporter.info(`running command: ${[spec.command, ...args].join(" ")}`);
    const program = spec.command.includes("/") ? spec.command : findExecutable(spec.command, env.PATH);
    let ok = false;
    if (!program) errors.push(`${spec.command}: command not found`);
    else {
      const argv = spec.user === "root" ? ["sudo", program, ...args] : [program, ...args];
      const r = spawnSync(argv[0]!, argv.slice(1), { env, encoding: "utf8" });
      const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
      if (r.status === 0) {
        ok = true;
        if (settings.print_output !== false && out.trim() !== "") input.reporter.info(out.trim());
      } else errors.push(`command failed: ${spec.command}\n${out.trim()}`);
    }
    if (!ok && settings.stop_on_error !== false) break;
  }
  if (errors.length > 0 && settings.print_error !== false) for (const e of errors) input.reporter.warn(e);
  return errors;
}

registerReleaseHook({
  name: "command",
  description: "Runs programs before the build, before and after the release",
  defaults: { print_commands: true, print_output: true, print_error: true, cancel_on_error: true, stop_on_error: true, pre_build_commands: [], pre_release_commands: [], post_release_commands: [] },
  async preBuild(input, settings) {
    const errors = runCommands("pre_build", input, settings);
    if (errors.length > 0 && settings.cancel_on_error !== false) throw new PkgError("PKG0054", `release cancelled: pre-build commands failed:\n${errors.join("\n\n")}`);
  },
  async preRelease(input, settings) {
    const errors = runCommands("pre_release", input, settings);
    if (errors.length > 0 && settings.cancel_on_error !== false) throw new PkgError("PKG0054", `release cancelled by pre-release hook 'command':\n${errors.join("\n\n")}`);
  },
  async postRelease(input, settings) {
    runCommands("post_release", input, settings);
  },
});
