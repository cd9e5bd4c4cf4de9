// `npm run demo`: resolves a request from the example repository and runs a tool in its environment.
// Each step prints the command exactly as it runs it (from the clone's folder), so it can be typed again.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist", "pkg.cjs");
const available = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" }).stdout;
// The example repository, as a path from the clone's folder (where the commands run).
const repo = ["-r", "examples/packages"];

function run(title, args) {
  process.stdout.write(`\n$ pkg ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`demo: '${title}' failed with exit status ${result.status}\n`);
    process.exit(result.status ?? 1);
  }
}

const steps = [
  ["list", [...repo, "list"]],
  ["info", [...repo, "info", "redshift"]],
  ["solve", [...repo, "solve", "maya", "redshift"]],
  ["env", [...repo, "env", "maya", "redshift", "--", "maya"]],
];
for (const [command, args] of steps) {
  if (new RegExp(`^\\s+${command}\\b`, "m").test(available)) run(command, args);
}
