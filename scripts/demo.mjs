// `npm run demo`: resolves a request from the example repository and runs a tool in its environment.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = join(root, "examples", "packages");
const cli = join(root, "dist", "pkg.cjs");
const available = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" }).stdout;

function run(title, args) {
  process.stdout.write(`\n$ pkg ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, [cli, "-r", repo, ...args], { stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`demo: '${title}' failed with exit status ${result.status}\n`);
    process.exit(result.status ?? 1);
  }
}

const steps = [
  ["list", ["list"]],
  ["info", ["info", "redshift"]],
  ["solve", ["solve", "maya", "redshift"]],
  ["env", ["env", "maya", "redshift", "--", "maya"]],
];
for (const [command, args] of steps) {
  if (new RegExp(`^\\s+${command}\\b`, "m").test(available)) run(command, args);
}
