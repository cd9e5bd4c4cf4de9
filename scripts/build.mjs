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

// Graphviz in WebAssembly (1.5 MB) is a bundle of its own, read only when an SVG is drawn (src/graph/svg.ts),
// so that no other command pays for loading it.
const apartFromGraphviz = { external: ["@viz-js/viz"], define: { ...common.define, __PKG_GRAPHVIZ_BUNDLE__: JSON.stringify("graphviz.cjs") } };

mkdirSync("dist", { recursive: true });
await Promise.all([
  build({ ...common, ...apartFromGraphviz, entryPoints: ["src/cli/main.ts"], outfile: "dist/pkg-main.cjs" }),
  build({ ...common, entryPoints: ["src/cli/launcher.ts"], outfile: "dist/pkg.cjs", sourcemap: false, banner: { js: "#!/usr/bin/env node" } }),
  build({ ...common, ...apartFromGraphviz, entryPoints: ["src/index.ts"], outfile: "dist/lib.cjs" }),
  build({ ...common, sourcemap: false, entryPoints: ["src/graph/viz-bundle.ts"], outfile: "dist/graphviz.cjs" }),
]);
// `dist/pkg.cjs` runs as a command (npm link, npm install -g, or straight from the clone).
chmodSync("dist/pkg.cjs", 0o755);
// The Python worker ships beside the bundle.
cpSync("src/python/worker", "dist/python", { recursive: true });
// So do the CMake modules of `pkg build` (include(RezBuild) and the rez_* macros).
cpSync("src/build/cmake", "dist/cmake", { recursive: true });
