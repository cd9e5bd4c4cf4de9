// Bundles the CLI and the library into dist/ with esbuild (CJS: starts fast, works as a Node SEA entry).
import { build } from "esbuild";
import { chmodSync, cpSync, mkdirSync, readFileSync } from "node:fs";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  define: { __PKG_VERSION__: JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).version) },
  logLevel: "warning",
};

// Large dependencies few commands use are bundles of their own, read only when needed, so that no other
// command pays for loading them: Graphviz in WebAssembly (1.5 MB) when an SVG is drawn (src/graph/svg.ts),
// nodemailer (0.5 MB) when a release mail is sent (src/release/emailer.ts).
const apartBundles = [
  { module: "@viz-js/viz", constant: "__PKG_GRAPHVIZ_BUNDLE__", file: "graphviz.cjs", entry: "src/graph/viz-bundle.ts" },
  { module: "nodemailer", constant: "__PKG_MAILER_BUNDLE__", file: "mailer.cjs", entry: "src/release/mailer-bundle.ts" },
];
const apart = {
  external: apartBundles.map((b) => b.module),
  define: { ...common.define, ...Object.fromEntries(apartBundles.map((b) => [b.constant, JSON.stringify(b.file)])) },
};

mkdirSync("dist", { recursive: true });
await Promise.all([
  build({ ...common, ...apart, entryPoints: ["src/cli/main.ts"], outfile: "dist/pkg-main.cjs" }),
  build({ ...common, entryPoints: ["src/cli/launcher.ts"], outfile: "dist/pkg.cjs", sourcemap: false, banner: { js: "#!/usr/bin/env node" } }),
  build({ ...common, ...apart, entryPoints: ["src/index.ts"], outfile: "dist/lib.cjs" }),
  ...apartBundles.map((b) => build({ ...common, sourcemap: false, entryPoints: [b.entry], outfile: `dist/${b.file}` })),
]);
// `dist/pkg.cjs` runs as a command (npm link, npm install -g, or straight from the clone).
chmodSync("dist/pkg.cjs", 0o755);
// The Python worker ships beside the bundle.
cpSync("src/python/worker", "dist/python", { recursive: true });
// So do the CMake modules of `pkg build` (include(RezBuild) and the rez_* macros).
cpSync("src/build/cmake", "dist/cmake", { recursive: true });
