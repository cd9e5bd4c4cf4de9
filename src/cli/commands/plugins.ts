import { Command } from "@commander-js/extra-typings";
import { allBuildSystems } from "../../build/index.js";
import { packagePlugins, pluginTable } from "../../query/index.js";
import type { PluginRow } from "../../query/index.js";
import { releaseHooks, vcsPlugins } from "../../release/index.js";
import { defaultRepositoryRegistry } from "../../repository/index.js";
import { shellNames } from "../../shells/index.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { openCliRepositories, repositoryOptionsOf, withRepositoryOptions } from "../repositories.js";

// One line each, as Rez's plugin modules' docstrings.
const REPOSITORY_TYPES: Readonly<Record<string, string>> = {
  filesystem: "Filesystem-based package repository",
  memory: "In-memory package repository",
};

function pkgPlugins(): PluginRow[] {
  return [
    ...shellNames.map((name) => ({ type: "shell", name, description: `${name} shell` })),
    ...allBuildSystems().map((system) => ({ type: "build_system", name: system.name, description: system.summary.split(/[:(]/)[0]!.trim() })),
    ...defaultRepositoryRegistry().names.map((name) => ({ type: "package_repository", name, description: REPOSITORY_TYPES[name] ?? "" })),
    ...vcsPlugins().map((vcs) => ({ type: "release_vcs", name: vcs.name, description: vcs.description })),
    ...releaseHooks().map((hook) => ({ type: "release_hook", name: hook.name, description: hook.description })),
  ];
}

export function pluginsCommand() {
  return withRepositoryOptions(
    new Command("plugins")
      .description("list pkg's plugins (shells, build systems, repository types, release VCSs and hooks), or with PKG the packages that are plugins of it (rez-plugins)")
      .argument("[package]", "a package family: list the families whose newest package has it in plugin_for")
      .option("--json", 'print {"plugins": [{"type", "name", "description"}]}, or with PKG {"package", "plugins": [names]} (docs/json.md)'),
  ).action(async (name, options, command) => {
    const reporter = cliReporter();
    // -r means the same in every command: a folder that is not there is bad input, also where it is not read
    const repositories = repositoryOptionsOf(command);
    if (name === undefined) {
      const rows = pkgPlugins();
      reporter.result({ json: { plugins: rows }, text: `${pluginTable(rows)}\n` });
      return;
    }
    const { set, close } = openCliRepositories(repositories);
    try {
      const plugins = await packagePlugins(set, name);
      // rez-plugins turns warnings off: every family is read, and broken ones elsewhere are not the question
      if (plugins === undefined) {
        throw new CliError("PKG0006", `package family '${name}' not found in ${set.searchedPaths.join(", ") || "(no package paths)"}`, "check the name, or the paths with -r/--repo, --paths or PKG_PACKAGES_PATH");
      }
      if (plugins.length === 0 && !options.json) reporter.info(`package '${name}' has no plugins.`);
      reporter.result({ json: { package: name, plugins }, text: plugins.map((p) => `${p}\n`).join("") });
    } finally {
      await close();
    }
  });
}
