// The resolve flags shared by `pkg solve`, `pkg env` and `pkg run`, and how they combine with the configuration.
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { expandImplicitPackages, parseTimeArgument } from "../context/index.js";
import type { ResolveContextOptions } from "../context/index.js";
import type { PkgConfig } from "../config/index.js";
import type { OrdererPod, PackageFilterPod, VariantSelectMode } from "../solver/index.js";
import { CliError } from "./errors.js";
import { collect } from "./repositories.js";

/** Adds the resolve flags to a command. */
export function withResolveOptions<T extends CommandUnknownOpts>(command: T): T {
  command
    .option("--ni", "do not add the implicit packages (~platform, ~arch, ~os) to the request")
    .option("-b, --build", "resolve a build environment (include every package's build_requires)")
    .option("-t, --time <time>", "ignore packages released after this time: epoch seconds or relative (-10s, -5m, -2h, -3d, -1w)")
    .option("--max-fails <n>", "give up after this many failed resolve steps", parseCount)
    .option("--time-limit <seconds>", "give up resolving after this many seconds", parseSeconds)
    .option("--exclude <rule>", "exclude packages (glob foo-1.*, range foo-<2, regex /re/, before(T)); repeatable", collect)
    .option("--include <rule>", "re-include packages an exclusion hid (same rule syntax); repeatable", collect)
    .option("--no-filters", "ignore the configured package filters")
    .option("--variant-select-mode <mode>", "version_priority (Rez's default) or intersection_priority");
  return command;
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--max-fails takes a whole number, not '${text}'`);
  return n;
}

function parseSeconds(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`--time-limit takes a number of seconds, not '${text}'`);
  return n;
}

/** The parsed resolve flags (as commander gives them). */
export interface ResolveFlags {
  readonly ni?: boolean;
  readonly build?: boolean;
  readonly time?: string;
  readonly maxFails?: number;
  readonly timeLimit?: number;
  readonly exclude?: readonly string[];
  readonly include?: readonly string[];
  readonly filters?: boolean;
  readonly variantSelectMode?: string;
}

function variantSelectMode(text: string | undefined, fallback: VariantSelectMode): VariantSelectMode {
  if (text === undefined) return fallback;
  if (text === "version_priority" || text === "intersection_priority") return text;
  throw new CliError(`unknown variant select mode '${text}'`, 2, "use version_priority or intersection_priority");
}

/** Everything a resolve needs besides the package source: configuration overlaid with the flags. */
export function resolveSettings(flags: ResolveFlags, config: PkgConfig): Omit<ResolveContextOptions, "source" | "packagePaths"> {
  const filter: PackageFilterPod[] = flags.filters === false ? [] : [...(config.package_filter as unknown as PackageFilterPod[])];
  if ((flags.exclude?.length ?? 0) > 0 || (flags.include?.length ?? 0) > 0) {
    filter.push({ excludes: [...(flags.exclude ?? [])], includes: [...(flags.include ?? [])] } as PackageFilterPod);
  }
  let timestamp: number | undefined;
  if (flags.time !== undefined) {
    try {
      timestamp = parseTimeArgument(flags.time);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  }
  return {
    implicitPackages: flags.ni ? [] : expandImplicitPackages(config.implicit_packages),
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...(flags.build ? { building: true } : {}),
    ...(flags.maxFails !== undefined ? { maxFails: flags.maxFails } : {}),
    ...(flags.timeLimit !== undefined ? { timeLimit: flags.timeLimit } : {}),
    filter,
    orderers: config.package_orderers as unknown as OrdererPod[],
    variantSelectMode: variantSelectMode(flags.variantSelectMode, config.variant_select_mode),
    errorOnMissingVariantRequires: config.error_on_missing_variant_requires,
  };
}
