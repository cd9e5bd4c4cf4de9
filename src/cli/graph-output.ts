// The graph options rez-depends and rez-context share: print the DOT text, write a file whose extension
// chooses DOT, SVG or Mermaid, or draw an SVG into a temporary file and print its path.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GRAPH_FILE_EXTENSIONS, GraphRenderError, graphFileFormat, graphFileText } from "../graph/index.js";
import type { DrawnGraph, GraphFileFormat } from "../graph/index.js";
import { CliError } from "./errors.js";
import { cliReporter } from "./output.js";
import { writeUserFile } from "./output-files.js";

export interface GraphOutputOptions {
  /** Print the DOT text on stdout. */
  readonly print?: boolean;
  /** Write this file (form from its extension). */
  readonly write?: string;
  /** Draw an SVG into a temporary file and print its path. */
  readonly view?: boolean;
}

/** The form a --write-graph file takes; a name without a known extension is bad input. */
export function graphFileFormatOf(file: string): GraphFileFormat {
  const format = graphFileFormat(file);
  if (format === undefined) {
    throw new CliError("PKG0065", `cannot tell the graph format of ${file}`, `end the name with ${GRAPH_FILE_EXTENSIONS.join(", ")}`);
  }
  return format;
}

async function text(drawn: DrawnGraph, format: GraphFileFormat): Promise<string> {
  try {
    return await graphFileText(drawn, format);
  } catch (error) {
    if (error instanceof GraphRenderError) throw new CliError("PKG0066", `Graphviz could not draw the graph: ${error.message}`, "write a .dot file instead", error);
    throw error;
  }
}

/** Does what the options ask; false when they ask for no graph. The DOT text is printed as Rez prints it. */
export async function emitGraph(drawn: () => DrawnGraph, options: GraphOutputOptions): Promise<boolean> {
  if (!options.print && options.write === undefined && !options.view) return false;
  const reporter = cliReporter();
  const graph = drawn();
  if (options.print) {
    // Rez prints the text with print(): one more newline
    reporter.result({ text: `${graph.dot}\n` });
  } else if (options.write !== undefined) {
    const format = graphFileFormatOf(options.write);
    writeUserFile(options.write, await text(graph, format), "the graph file");
  } else {
    const file = join(mkdtempSync(join(tmpdir(), "pkg-graph-")), "graph.svg");
    writeUserFile(file, await text(graph, "svg"), "the graph file");
    reporter.result({ text: `${file}\n` });
  }
  return true;
}
