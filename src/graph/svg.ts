// SVG drawn in-process by Graphviz compiled to WebAssembly (@viz-js/viz): no `dot` program is needed. The
// Graphviz build is large, so the CLI bundle keeps it in a file of its own (dist/graphviz.cjs), read only
// when a graph is drawn.
import { join } from "node:path";

interface Viz {
  renderString(input: string, options: { readonly format: string; readonly engine?: string }): string;
}
interface VizModule {
  instance(): Promise<Viz>;
}

declare const __PKG_GRAPHVIZ_BUNDLE__: string | undefined;

let viz: Promise<Viz> | undefined;

async function loadViz(): Promise<Viz> {
  const module: VizModule =
    typeof __PKG_GRAPHVIZ_BUNDLE__ === "string" ? (require(join(__dirname, __PKG_GRAPHVIZ_BUNDLE__)) as VizModule) : await import("@viz-js/viz");
  return module.instance();
}

/** Thrown when Graphviz cannot lay the DOT text out. */
export class GraphRenderError extends Error {}

/** The DOT text laid out by Graphviz's `dot` engine, as SVG. */
export async function renderSvg(dot: string): Promise<string> {
  const instance = await (viz ??= loadViz());
  try {
    return instance.renderString(dot, { format: "svg", engine: "dot" });
  } catch (error) {
    throw new GraphRenderError(error instanceof Error ? error.message : String(error));
  }
}
