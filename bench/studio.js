#!/usr/bin/env node
// `node bench/studio`: `pkg env --ni <request #172> -- true` on Rez's benchmark repository on "machine B"
// (empty local cache, memcached warmed by machine A) against a fully cold run and a locally warm one.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { benchmarkPackages, benchmarkRequests, cli, ensureBuilt, machineNote, median, printTable, runs, scratch, timeProcess } from "./lib.js";

if (spawnSync("sh", ["-c", "command -v memcached"]).status !== 0) {
  process.stdout.write("bench/studio: memcached is not installed (apt-get install memcached)\n");
  process.exit(0);
}
ensureBuilt();
const packages = benchmarkPackages();
const request = benchmarkRequests()[172];
const work = scratch("pkg-bench-studio-");
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const server = spawn("memcached", ["-l", "127.0.0.1", "-p", String(port), "-U", "0", ...(process.getuid?.() === 0 ? ["-u", "nobody"] : [])], { stdio: "ignore" });
process.on("exit", () => server.kill());
await new Promise((r) => setTimeout(r, 300));
const uri = `127.0.0.1:${port}`;
const args = [cli, "-r", packages, "env", "--ni", ...request, "--", "true"];
const machine = (name, shared) => ({ HOME: join(work, name), PKG_CACHE_DIR: join(work, name, "cache"), XDG_CONFIG_HOME: join(work, "config"), PKG_SYSTEM_CONFIG: join(work, "none.toml"), ...(shared ? { PKG_MEMCACHED_URI: uri } : {}) });

const cold = median(Array.from({ length: runs }, (_, i) => timeProcess(process.execPath, args, machine(`cold-${i}`, false)).seconds));
const warm = median(Array.from({ length: runs }, () => timeProcess(process.execPath, args, machine("cold-0", false)).seconds));
timeProcess(process.execPath, args, machine("a", true));
const b = median(Array.from({ length: runs }, (_, i) => timeProcess(process.execPath, args, machine(`b-${i}`, true)).seconds));
process.stdout.write(`pkg env --ni <request #172> -- true, whole-process, median of ${runs} runs\n\n`);
printTable([
  { name: "fully cold (no local cache, no memcached)", value: cold },
  { name: "machine B (empty local cache, memcached warm)", value: b, goal: Math.min(0.35, cold / 2) },
  { name: "locally warm", value: warm },
]);
process.stdout.write(`${machineNote()}\n`);
// (the running server would keep this process alive)
server.kill();
