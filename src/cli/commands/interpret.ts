import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { interpretRexCode, systemBinding } from "../../context/index.js";
import { defaultShellName, jsonFormatShellName } from "../../shells/index.js";
import { cliErrorOf, lazyRexRunner, processEnviron, shellOf } from "../environment.js";
import { CliError } from "../errors.js";
import { fsErrorReason } from "../../errors/index.js";
import { cliReporter } from "../output.js";
import { collect } from "../repositories.js";

export function interpretCommand() {
  return new Command("interpret")
    .summary("turn a file of Rex code into shell code (like rez-interpret)")
    .description(
      "turn a file of Rex code (the language of package commands(): env.PATH.append(...), setenv, alias, ...)\n" +
        "into shell code, like rez-interpret. The code runs outside any package: no {root}, this or resolve.",
    )
    .argument("[file]", "file of Rex code")
    .option("-c, --code <code>", "Rex code given on the command line instead of a file")
    .option("-f, --format <shell|json>", "shell syntax to print (default: your shell), or json for the resulting variables")
    .option("--no-env", "start from an empty environment instead of the current one")
    .option("--pv <var>", "a parent variable: its first append/prepend extends the inherited value (repeatable)", collect, [] as string[])
    .option("--json", 'print {"environ": {NAME: value}} (docs/json.md); --format then only picks the shell whose path separator values use')
    .action(async (file, options) => {
      let source: string;
      let name: string;
      if (options.code !== undefined) {
        if (file !== undefined) throw new CliError("PKG0002", "give a file or -c CODE, not both");
        source = options.code;
        name = "<command line>";
      } else {
        if (file === undefined) throw new CliError("PKG0002", "give a file of Rex code, or -c CODE");
        name = resolvePath(file);
        try {
          source = readFileSync(name, "utf8");
        } catch (e) {
          throw new CliError("PKG0027", `cannot read ${file}: ${fsErrorReason(e)}`, undefined, e);
        }
      }
      const format = options.format ?? defaultShellName();
      const shell = shellOf(format === "json" ? jsonFormatShellName : format, defaultShellName());
      const parentEnviron = options.env === false ? {} : processEnviron();
      const runner = lazyRexRunner();
      try {
        const response = await interpretRexCode(source, name, {
          parentEnviron,
          parentVariables: options.pv,
          pathsep: shell.pathSeparator(),
          system: systemBinding(),
          runner: runner.runner,
        });
        if (response.error !== null) {
          const e = response.error;
          const where = e.file ? ` (${e.file}${e.line !== null ? `:${e.line}` : ""})` : "";
          throw new CliError("PKG0028", `${e.type === e.exception ? e.type : `${e.type} (${e.exception})`}: ${e.message}${where}`);
        }
        const reporter = cliReporter();
        if (options.json) reporter.result({ json: { environ: response.environ } });
        else if (format === "json") reporter.result({ text: JSON.stringify(response.environ, null, 2) + "\n" });
        else reporter.result({ text: shell.render(response.actions, { parentEnviron }) });
      } catch (e) {
        throw cliErrorOf(e);
      } finally {
        await runner.close();
      }
    });
}
