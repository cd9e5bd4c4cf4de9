// Reading Graphviz DOT text into a Digraph, as Rez reads the plain DOT graph older context files hold
// (pygraph's read through pydot): the first graph of the text, its node statements in order with their
// attributes as written (quotes kept, as pydot keeps them), then its edges, an edge's `label` becoming the
// edge's label and `weight` dropped. Default statements (`node [...]`, `edge [...]`, `graph [...]`, `a=b`)
// set nothing on the nodes; pydot would add a node named `node` for them (docs/compatibility.md).
import { Digraph } from "./digraph.js";
import type { GraphAttrValue } from "./digraph.js";
import { GraphFormatError } from "./compact.js";

type Token = { readonly kind: "id"; readonly text: string; readonly quoted: boolean } | { readonly kind: "punct"; readonly text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      lineStart = true;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // `#` lines are C preprocessor output, which Graphviz skips
    if (c === "#" && lineStart) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    lineStart = false;
    if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new GraphFormatError(`an unclosed comment at offset ${i}`);
      i = end + 2;
      continue;
    }
    if (text.startsWith("->", i) || text.startsWith("--", i)) {
      tokens.push({ kind: "punct", text: text.slice(i, i + 2) });
      i += 2;
      continue;
    }
    if ("{}[];,=:+".includes(c)) {
      tokens.push({ kind: "punct", text: c });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw new GraphFormatError(`an unclosed string at offset ${i}`);
      tokens.push({ kind: "id", text: text.slice(i, j + 1), quoted: true });
      i = j + 1;
      continue;
    }
    if (c === "<") {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === "<") depth++;
        else if (text[j] === ">" && --depth === 0) break;
      }
      if (j >= text.length) throw new GraphFormatError(`an unclosed HTML string at offset ${i}`);
      tokens.push({ kind: "id", text: text.slice(i, j + 1), quoted: true });
      i = j + 1;
      continue;
    }
    const word = /^(?:[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))/.exec(text.slice(i, i + 4096));
    if (!word) throw new GraphFormatError(`an unexpected '${c}' at offset ${i}`);
    tokens.push({ kind: "id", text: word[0], quoted: false });
    i += word[0].length;
  }
  return tokens;
}

const unquote = (text: string): string => (text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text);

interface PendingEdge {
  readonly from: string;
  readonly to: string;
  readonly attrs: Map<string, string>;
}

/** Reads the first graph of DOT text; GraphFormatError when it does not read or is not a digraph. */
export function readDot(text: string): Digraph {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isPunct = (p: string): boolean => peek()?.kind === "punct" && peek()!.text === p;
  const isKeyword = (k: string): boolean => {
    const t = peek();
    return t?.kind === "id" && !t.quoted && t.text.toLowerCase() === k;
  };
  const fail = (what: string): never => {
    const t = peek();
    throw new GraphFormatError(`${what}, found ${t === undefined ? "the end of the text" : `'${t.text}'`}`);
  };
  const expectPunct = (p: string): void => {
    if (!isPunct(p)) fail(`'${p}' expected`);
    at++;
  };
  const id = (what: string): string => {
    const t = peek();
    if (t?.kind !== "id") return fail(`${what} expected`);
    at++;
    let text = t.text;
    // "a" + "b": one string
    while (t.quoted && isPunct("+") && tokens[at + 1]?.kind === "id") {
      at++;
      text = `${text.slice(0, -1)}${tokens[at++]!.text.slice(1)}`;
    }
    return text;
  };

  const attrList = (into: Map<string, string>): void => {
    while (isPunct("[")) {
      at++;
      while (!isPunct("]")) {
        const key = unquote(id("an attribute name"));
        expectPunct("=");
        into.set(key, id(`a value for '${key}'`));
        if (isPunct(",") || isPunct(";")) at++;
      }
      at++;
    }
  };
  const nodeId = (): string => {
    if (isKeyword("subgraph") || isPunct("{")) fail("a node name expected (pkg reads no subgraph as an edge end)");
    const name = id("a node name");
    // a port (`a:n`) names a side of the node, not another node
    while (isPunct(":")) {
      at++;
      id("a port");
    }
    return name;
  };

  if (isKeyword("strict")) at++;
  if (isKeyword("graph")) throw new GraphFormatError("an undirected graph: a resolve graph is a digraph");
  if (!isKeyword("digraph")) fail("'digraph' expected");
  at++;
  if (peek()?.kind === "id") id("the graph's name");

  const nodes = new Map<string, Map<string, string>>();
  const edges: PendingEdge[] = [];
  const statements = (): void => {
    expectPunct("{");
    while (!isPunct("}")) {
      if (isPunct(";")) {
        at++;
        continue;
      }
      if (isKeyword("graph") || isKeyword("node") || isKeyword("edge")) {
        at++;
        attrList(new Map());
      } else if (isKeyword("subgraph") || isPunct("{")) {
        if (isKeyword("subgraph")) {
          at++;
          if (peek()?.kind === "id") id("the subgraph's name");
        }
        statements();
      } else {
        const first = nodeId();
        if (isPunct("=")) {
          at++;
          id(`a value for '${first}'`);
        } else if (isPunct("->") || isPunct("--")) {
          const ends = [first];
          while (isPunct("->") || isPunct("--")) {
            if (peek()!.text === "--") fail("'->' expected in a digraph");
            at++;
            ends.push(nodeId());
          }
          const attrs = new Map<string, string>();
          attrList(attrs);
          for (let k = 1; k < ends.length; k++) edges.push({ from: ends[k - 1]!, to: ends[k]!, attrs });
        } else {
          const attrs = nodes.get(first) ?? new Map<string, string>();
          attrList(attrs);
          nodes.set(first, attrs);
        }
      }
      if (isPunct(";")) at++;
    }
    at++;
  };
  statements();

  const g = new Digraph();
  for (const [name, attrs] of nodes) g.addNode(name, [...attrs].map(([k, v]): [string, GraphAttrValue] => [k, v]));
  for (const edge of edges) {
    const attrs = [...edge.attrs].filter(([k]) => k !== "label" && k !== "weight");
    // the label's quotes go (pygraph keeps them, and Rez's write_compacted then stores them: docs/compatibility.md)
    g.addEdge(edge.from, edge.to, { label: unquote(edge.attrs.get("label") ?? ""), attrs });
  }
  return g;
}
