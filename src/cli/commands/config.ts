import { Command } from "@commander-js/extra-typings";
import { stringify } from "yaml";
import { resolvePackagesPath, rezConfigSearchList, systemConfigFile, userConfigFile } from "../../config/index.js";
import { isSettingScalar, settingAt, settingScalarText } from "../../query/index.js";
import type { SettingValue } from "../../query/index.js";
import { CliError } from "../errors.js";
import { cliReporter } from "../output.js";
import { loadCliConfig } from "../repositories.js";

/** Block-style YAML with sorted keys and unindented lists, as Rez's dump_yaml (PyYAML) writes. */
function yamlText(value: SettingValue): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).trimEnd();
}

export function configCommand() {
  return new Command("config")
    .description("print the merged configuration, or one setting (rez-config)")
    .argument("[key]", "a setting, or a dotted path into one (package_filter.0.excludes)")
    .option("--search-list", "list the configuration files searched (Rez's REZ_CONFIG_FILE entries and ~/.rezconfig, then pkg's), lowest priority first")
    .option("--source-list", "list the configuration files read, lowest priority first")
    .option("--json", "print the value (or, without KEY, the configuration and where each value came from) as JSON (docs/json.md)")
    .action((key, options) => {
      const reporter = cliReporter();
      const loaded = loadCliConfig();
      for (const warning of loaded.warnings) reporter.warn(warning);
      if (options.searchList || options.sourceList) {
        const files = options.searchList ? [...rezConfigSearchList(), systemConfigFile(), userConfigFile()] : [...loaded.files];
        reporter.result({ json: { files }, text: files.map((f) => `${f}\n`).join("") });
        return;
      }
      // packages_path as it is searched (Rez's config shows its expanded default, never an empty list)
      const effective = resolvePackagesPath({ loaded });
      const data = { ...loaded.config, packages_path: effective.paths } as unknown as { readonly [key: string]: SettingValue };
      if (key === undefined) {
        const sources = { ...loaded.sources, packages_path: effective.source };
        reporter.result({ json: { config: data, sources, files: loaded.files }, text: `${yamlText(data)}\n` });
        return;
      }
      const value = settingAt(data, key);
      if (value === undefined) throw new CliError("PKG0041", `no such setting: '${key}'`, "run `pkg config` to see every setting");
      // --json is Rez's too: the bare value, for REZ_*_JSON style variables
      reporter.result({ json: value, text: `${isSettingScalar(value) ? settingScalarText(value) : yamlText(value)}\n` });
    });
}
