// Rez's custom build system: the package's own `build_command` (a string of shell code or a list of
// arguments), with placeholders, extra build arguments, and options declared in ./parse_build_args.py.
import { existsSync } from "node:fs";
import { join, normalize } from "node:path";
import { PkgError } from "../../errors/index.js";
import type { PackageDefinition, PackageValue } from "../../package/index.js";
import { literal } from "../../rex/index.js";
import type { RexStep } from "../../rex/index.js";
import { formatPlaceholders, shlexQuote } from "./format.js";
import type { BuildSystem, BuildSystemContext, BuildSystemOutcome, BuildSystemSetup } from "./types.js";

/** The placeholders of a build command (Rez custom.py). */
export function commandPlaceholders(context: Pick<BuildSystemContext, "sourceDir" | "install" | "buildPath" | "installPath" | "definition" | "index">): Record<string, string> {
  return {
    root: normalize(context.sourceDir),
    install: context.install ? "install" : "",
    build_path: normalize(context.buildPath),
    install_path: normalize(context.installPath),
    name: context.definition.name,
    variant_index: context.index === null ? "" : String(context.index),
    version: context.definition.version,
  };
}

export type CustomCommand = { readonly kind: "none" } | { readonly kind: "shell"; readonly code: string } | { readonly kind: "argv"; readonly argv: readonly string[] };

function commandOf(definition: PackageDefinition): PackageValue | undefined {
  return definition.attributes.build_command;
}

/**
 * The command to run. A string: placeholders expanded, then the build arguments appended shell-quoted (Rez
 * formats the arguments too, so braces in them break; pkg passes them as given). A list: each element
 * expanded (one that a placeholder empties, like `{install}` when not installing, is dropped where Rez
 * passes an empty argument), the build arguments appended as they are.
 */
export function customCommand(definition: PackageDefinition, placeholders: Readonly<Record<string, string>>, buildArgs: readonly string[]): CustomCommand {
  const value = commandOf(definition);
  const where = `build_command in ${definition.file}`;
  if (value === false) return { kind: "none" };
  if (typeof value === "string") {
    const code = (formatPlaceholders(value, placeholders, where) + (buildArgs.length > 0 ? " " + buildArgs.map(shlexQuote).join(" ") : "")).trim();
    return { kind: "shell", code };
  }
  if (Array.isArray(value) && value.every((v): v is string => typeof v === "string")) {
    const argv: string[] = [];
    for (const element of value as readonly string[]) {
      const expanded = formatPlaceholders(element, placeholders, where).trim();
      if (expanded === "" && element.trim() !== "") continue;
      argv.push(expanded);
    }
    argv.push(...buildArgs);
    if (argv.length === 0) throw new PkgError("PKG0034", `${where}: the command is empty`);
    return { kind: "argv", argv };
  }
  throw new PkgError("PKG0034", `${where}: must be a string, a list of strings, or False (got ${JSON.stringify(value)})`);
}

/** Rez's __PARSE_ARG_<DEST> values: booleans 1/0, lists of quoted words, anything else quoted (None too). */
export function parseArgVariables(values: Readonly<Record<string, unknown>>): [string, string][] {
  return Object.entries(values).map(([dest, value]) => {
    const name = `__PARSE_ARG_${dest.toUpperCase()}`;
    if (typeof value === "boolean") return [name, value ? "1" : "0"];
    if (Array.isArray(value)) return [name, value.map((v) => shlexQuote(pythonStr(v))).join(" ")];
    return [name, shlexQuote(pythonStr(value))];
  });
}

function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

function isStringRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const customBuildSystem: BuildSystem = {
  name: "custom",
  summary: "the package's build_command (string or list; placeholders {root} {install} {build_path} {install_path} {name} {variant_index} {version})",
  isValidRoot: (_sourceDir, definition) => {
    const value = commandOf(definition);
    return value !== undefined && value !== null;
  },
  async environment(setup: BuildSystemSetup): Promise<readonly RexStep[]> {
    const script = join(setup.sourceDir, "parse_build_args.py");
    if (!existsSync(script)) {
      if (setup.extraWords.length > 0) {
        throw new PkgError("PKG0002", `unknown option${setup.extraWords.length === 1 ? "" : "s"}: ${setup.extraWords.join(" ")}`, {
          hint: "custom build options are declared in parse_build_args.py beside package.py; see pkg build --help",
        });
      }
      return [];
    }
    if (setup.python === undefined) return [];
    const answer = await setup.python({ op: "parse_build_args", path: script, argv: [...setup.extraWords] });
    if (!answer.ok) {
      // Rez warns and goes on without the options
      setup.warn(`Error in ${script}: ${answer.error.message}`);
      if (setup.extraWords.length > 0) throw new PkgError("PKG0002", `unknown option${setup.extraWords.length === 1 ? "" : "s"}: ${setup.extraWords.join(" ")}`);
      return [];
    }
    const result = answer.result;
    const values = isStringRecord(result) && isStringRecord(result.values) ? result.values : {};
    const unknown = isStringRecord(result) && Array.isArray(result.unknown) ? result.unknown.map(String) : [];
    if (isStringRecord(result) && typeof result.error === "string") throw new PkgError("PKG0002", `${result.error} (options of ${script})`);
    if (unknown.length > 0) {
      throw new PkgError("PKG0002", `unknown option${unknown.length === 1 ? "" : "s"}: ${unknown.join(" ")}`, { hint: `the options ${script} declares: see its add_argument calls` });
    }
    return parseArgVariables(values).map(([key, value]) => ({ op: "setenv", key, value: literal(value) }));
  },
  async build(context: BuildSystemContext): Promise<BuildSystemOutcome> {
    if (context.writeScripts) return { success: true, scripts: [context.writeBuildScript()] };
    const command = customCommand(context.definition, commandPlaceholders(context), context.buildArgs);
    if (command.kind === "none") return { success: true };
    const shown = command.kind === "shell" ? command.code : command.argv.map(shlexQuote).join(" ");
    context.info(`Running build command: ${shown}`);
    const status = await context.run(command.kind === "shell" ? command.code : command.argv, { installs: context.install });
    return { success: status === 0 };
  },
};

