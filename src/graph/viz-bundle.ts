// The entry of dist/graphviz.cjs (see svg.ts): the WebAssembly Graphviz, bundled apart from the CLI.
export { instance } from "@viz-js/viz";
