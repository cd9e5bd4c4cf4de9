// Rez's compacted graph format (graph_utils.write_compacted / read_graph_from_string), the `graph` field of
// .rxt files: a Python literal `{'nodes': [(attrs, [node or (node, label), ...]), ...], 'edges': [(attrs,
// [(from, to) or (from, to, label), ...]), ...]}`, nodes and edges grouped by their attributes.
import { pythonStringLiteral } from "../package/index.js";
import { Digraph } from "./digraph.js";
import type { GraphAttrs, GraphAttrValue } from "./digraph.js";

/** Python's repr of a str (the package writer's). */
export const pythonRepr: (text: string) => string = pythonStringLiteral;

function valueRepr(value: GraphAttrValue): string {
  return typeof value === "number" ? String(value) : pythonRepr(value);
}

/** A tuple's repr: `()`, `(a,)`, `(a, b)`. */
function tupleRepr(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

const stripQuotes = (v: GraphAttrValue): GraphAttrValue => (typeof v === "string" ? v.replace(/^"+|"+$/g, "") : v);

function sortedAttrs(attrs: GraphAttrs): [string, GraphAttrValue][] {
  return [...attrs].map(([k, v]): [string, GraphAttrValue] => [k, stripQuotes(v)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** write_compacted: the graph as the Python literal Rez stores in a context file. */
export function writeCompacted(g: Digraph): string {
  const nodeGroups = new Map<string, string[]>();
  for (const node of g.nodes) {
    let label: GraphAttrValue | undefined;
    const attrs: [string, GraphAttrValue][] = [];
    for (const [k, v] of sortedAttrs(node.attrs)) {
      if (k === "label") label = v;
      else attrs.push([k, v]);
    }
    const key = tupleRepr(attrs.map(([k, v]) => tupleRepr([pythonRepr(k), valueRepr(v)])));
    const value = label ? tupleRepr([pythonRepr(node.id), valueRepr(label)]) : pythonRepr(node.id);
    const group = nodeGroups.get(key);
    if (group) group.push(value);
    else nodeGroups.set(key, [value]);
  }
  const edgeGroups = new Map<string, string[]>();
  for (const edge of g.edges) {
    const key = tupleRepr(sortedAttrs(edge.attrs).map(([k, v]) => tupleRepr([pythonRepr(k), valueRepr(v)])));
    const value = tupleRepr([pythonRepr(edge.from), pythonRepr(edge.to), ...(edge.label ? [pythonRepr(edge.label)] : [])]);
    const group = edgeGroups.get(key);
    if (group) group.push(value);
    else edgeGroups.set(key, [value]);
  }
  const groups = (m: Map<string, string[]>): string => `[${[...m].map(([k, vs]) => `(${k}, [${vs.join(", ")}])`).join(", ")}]`;
  return `{'nodes': ${groups(nodeGroups)}, 'edges': ${groups(edgeGroups)}}`;
}

type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

/** Thrown for text that is not a compacted graph. */
export class GraphFormatError extends Error {}

/** Reads the Python literals the compacted format uses: dicts, lists, tuples (as arrays), str, int, float. */
function parsePython(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new GraphFormatError(`${what} at offset ${i}`);
  };
  const space = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (): PyValue => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      const map = new Map<string, PyValue>();
      space();
      while (text[i] !== "}") {
        const key = value();
        if (typeof key !== "string") fail("a dict key that is not a str");
        space();
        if (text[i++] !== ":") fail("':' expected");
        map.set(key as string, value());
        space();
        if (text[i] === ",") i++;
        else if (text[i] !== "}") fail("',' or '}' expected");
        space();
      }
      i++;
      return map;
    }
    if (c === "[" || c === "(") {
      const close = c === "[" ? "]" : ")";
      i++;
      const items: PyValue[] = [];
      space();
      while (text[i] !== close) {
        if (i >= text.length) fail(`'${close}' expected`);
        items.push(value());
        space();
        if (text[i] === ",") i++;
        else if (text[i] !== close) fail(`',' or '${close}' expected`);
        space();
      }
      i++;
      return items;
    }
    if (c === "'" || c === '"') {
      i++;
      let out = "";
      while (text[i] !== c) {
        if (i >= text.length) fail("unterminated string");
        const d = text[i++]!;
        if (d !== "\\") {
          out += d;
          continue;
        }
        const e = text[i++];
        const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"' };
        if (e !== undefined && e in simple) out += simple[e];
        else if (e === "x" || e === "u" || e === "U") {
          const n = e === "x" ? 2 : e === "u" ? 4 : 8;
          out += String.fromCodePoint(Number.parseInt(text.slice(i, i + n), 16));
          i += n;
        } else out += `\\${e ?? ""}`;
      }
      i++;
      return out;
    }
    const word = /^(True|False|None|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(text.slice(i, i + 40));
    if (!word) return fail("a value expected");
    i += word[0].length;
    return word[0] === "True" ? true : word[0] === "False" ? false : word[0] === "None" ? null : Number(word[0]);
  };
  const result = value();
  space();
  if (i !== text.length) fail("text after the graph");
  return result;
}

function attrsOf(raw: PyValue): [string, GraphAttrValue][] {
  if (!Array.isArray(raw)) throw new GraphFormatError("attributes are not a tuple");
  return raw.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") throw new GraphFormatError("an attribute is not a (key, value) pair");
    const v = pair[1];
    return [pair[0], typeof v === "number" ? v : String(v)];
  });
}

/** read_graph_from_string for the compacted form: nodes and edges in the order the groups list them. */
export function readCompacted(text: string): Digraph {
  const doc = parsePython(text);
  if (!(doc instanceof Map)) throw new GraphFormatError("not a dict");
  const g = new Digraph();
  const groups = (key: string): [GraphAttrs, PyValue[]][] => {
    const list = doc.get(key) ?? [];
    if (!Array.isArray(list)) throw new GraphFormatError(`'${key}' is not a list`);
    return list.map((group) => {
      if (!Array.isArray(group) || group.length !== 2 || !Array.isArray(group[1])) throw new GraphFormatError(`a group of '${key}' is not (attributes, [items])`);
      return [attrsOf(group[0]!), group[1]];
    });
  };
  for (const [attrs, values] of groups("nodes")) {
    for (const value of values) {
      if (typeof value === "string") g.addNode(value, attrs);
      else if (Array.isArray(value) && typeof value[0] === "string") g.addNode(value[0], [...attrs, ["label", String(value[1])]]);
      else throw new GraphFormatError("a node is not a name or (name, label)");
    }
  }
  for (const [attrs, values] of groups("edges")) {
    for (const value of values) {
      if (!Array.isArray(value) || value.length < 2 || typeof value[0] !== "string" || typeof value[1] !== "string") throw new GraphFormatError("an edge is not (from, to[, label])");
      g.addEdge(value[0], value[1], { attrs, label: value.length === 3 ? String(value[2]) : "" });
    }
  }
  return g;
}
