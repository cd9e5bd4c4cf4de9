import { describe, expect, it } from "vitest";
import { Digraph, mermaidGraph, pydotGraphDot, pydotQuote, pythonRepr, readCompacted, readDot, readGraphString, resolveGraphDot, writeCompacted } from "./index.js";

/** A small resolve graph drawn as Rez's solver draws one (attributes in Rez's order). */
function resolveGraph(): Digraph {
  const g = new Digraph();
  const node = (id: string, label: string, fill: string, style: string): void =>
    g.addNode(id, [["label", label], ["fontsize", 10], ["fillcolor", fill], ["style", `"${style}"`]]);
  node("_1", "foo", "#FFFFAA", "filled,dashed");
  node("_2", "foo-1.0[0]", "#AAFFAA", "filled");
  node("_3", "bar-2", "#F6F6F6", "filled,dashed");
  g.addEdge("_1", "_2", { attrs: [["arrowsize", "0.5"]] });
  g.addEdge("_2", "_3", { attrs: [["arrowsize", "1"], ["style", "bold"], ["color", "red"], ["fontcolor", "red"]], label: "CONFLICT" });
  return g;
}

describe("resolveGraphDot (Rez's graph_utils.write_dot)", () => {
  it("writes nodes then edges, label last, quotes stripped, no final newline", () => {
    expect(resolveGraphDot(resolveGraph())).toBe(
      [
        "digraph g {",
        '_1 [label="foo", fontsize="10", fillcolor="#FFFFAA", style="filled,dashed"];',
        '_2 [label="foo-1.0[0]", fontsize="10", fillcolor="#AAFFAA", style="filled"];',
        '_3 [label="bar-2", fontsize="10", fillcolor="#F6F6F6", style="filled,dashed"];',
        '_1 -> _2 [arrowsize="0.5"];',
        '_2 -> _3 [arrowsize="1", style="bold", color="red", fontcolor="red", label="CONFLICT"];',
        "}",
      ].join("\n"),
    );
  });

  it("lists edges by source node, an edge added again last among its source's", () => {
    const g = new Digraph();
    for (const id of ["a", "b", "c"]) g.addNode(id);
    g.addEdge("b", "c");
    g.addEdge("a", "b");
    g.addEdge("a", "c");
    g.addEdge("a", "b");
    expect(g.edges.map((e) => `${e.from}${e.to}`)).toEqual(["ac", "ab", "bc"]);
  });
});

describe("compacted graphs (Rez's write_compacted / read_graph_from_string)", () => {
  const compacted =
    "{'nodes': [((('fillcolor', '#FFFFAA'), ('fontsize', 10), ('style', 'filled,dashed')), [('_1', 'foo')]), " +
    "((('fillcolor', '#AAFFAA'), ('fontsize', 10), ('style', 'filled')), [('_2', 'foo-1.0[0]')]), " +
    "((('fillcolor', '#F6F6F6'), ('fontsize', 10), ('style', 'filled,dashed')), [('_3', 'bar-2')])], " +
    "'edges': [((('arrowsize', '0.5'),), [('_1', '_2')]), " +
    "((('arrowsize', '1'), ('color', 'red'), ('fontcolor', 'red'), ('style', 'bold')), [('_2', '_3', 'CONFLICT')])]}";

  it("writes Rez's Python literal", () => {
    expect(writeCompacted(resolveGraph())).toBe(compacted);
  });

  it("reads it back as Rez does: sorted attributes, the label last", () => {
    expect(resolveGraphDot(readCompacted(compacted))).toBe(
      [
        "digraph g {",
        '_1 [fillcolor="#FFFFAA", fontsize="10", style="filled,dashed", label="foo"];',
        '_2 [fillcolor="#AAFFAA", fontsize="10", style="filled", label="foo-1.0[0]"];',
        '_3 [fillcolor="#F6F6F6", fontsize="10", style="filled,dashed", label="bar-2"];',
        '_1 -> _2 [arrowsize="0.5"];',
        '_2 -> _3 [arrowsize="1", color="red", fontcolor="red", style="bold", label="CONFLICT"];',
        "}",
      ].join("\n"),
    );
    expect(writeCompacted(readCompacted(compacted))).toBe(compacted);
  });

  it.each(["", "{'nodes': [", "[1, 2]", "{'nodes': [(1, 2)]}", "{'nodes': [], 'edges': [((), [('a',)])]}"])("rejects %j", (text) => {
    expect(() => readCompacted(text)).toThrow();
  });

  it.each([
    ["abc", "'abc'"],
    ["it's", '"it\'s"'],
    ["a'b\"c", "'a\\'b\"c'"],
    ["back\\slash\n", "'back\\\\slash\\n'"],
  ])("pythonRepr(%j)", (text, repr) => expect(pythonRepr(text)).toBe(repr));
});

describe("pydotGraphDot (rez-depends' DOT)", () => {
  it.each([
    ["base", "base"],
    ["my-app", '"my-app"'],
    ["_x1", "_x1"],
    ["123", "123"],
    ["1a", '"1a"'],
    ["#F6F6F6", '"#F6F6F6"'],
    ["node", '"node"'],
  ])("quotes %j as %s", (text, quoted) => expect(pydotQuote(text)).toBe(quoted));

  it("writes graphname, sorted attributes and a final newline", () => {
    const g = new Digraph();
    g.addNode("base");
    g.addNode("my-app", [["fillcolor", "#F6F6F6"], ["style", "filled"], ["fontsize", 10]]);
    g.addEdge("my-app", "base");
    expect(pydotGraphDot(g)).toBe('digraph graphname {\nbase;\n"my-app" [fillcolor="#F6F6F6", fontsize=10, style=filled];\n"my-app" -> base;\n}\n');
  });
});

describe("mermaidGraph", () => {
  it("draws the same nodes, labels, dashed requests and red conflict edges", () => {
    expect(mermaidGraph(resolveGraph())).toBe(
      [
        "flowchart TD",
        '  n1["foo"]',
        '  n2["foo-1.0[0]"]',
        '  n3["bar-2"]',
        "  n1 --> n2",
        '  n2 -->|"CONFLICT"| n3',
        "  style n1 fill:#FFFFAA,color:#000000,stroke:#000000,stroke-dasharray:5 5",
        "  style n2 fill:#AAFFAA,color:#000000,stroke:#000000",
        "  style n3 fill:#F6F6F6,color:#000000,stroke:#000000,stroke-dasharray:5 5",
        "  linkStyle 1 stroke:red,color:red,stroke-width:2px",
        "",
      ].join("\n"),
    );
  });
});

describe("plain DOT graphs (older context files; Rez reads them with pygraph's read_dot)", () => {
  const dot = [
    "digraph g {",
    '_1 [label="foo", fontsize="10", fillcolor="#FFFFAA", style="filled,dashed"];',
    '_2 [label="foo-1.0[0]", fontsize="10", fillcolor="#AAFFAA", style="filled"];',
    '_3 [label="bar-2", fontsize="10", fillcolor="#F6F6F6", style="filled,dashed"];',
    '_1 -> _2 [arrowsize="0.5"];',
    '_2 -> _3 [arrowsize="1", style="bold", color="red", fontcolor="red", label="CONFLICT"];',
    "}",
  ].join("\n");

  it("reads write_dot's text back to the same text, and to the compacted form Rez's to_dict writes", () => {
    expect(resolveGraphDot(readDot(dot))).toBe(dot);
    expect(resolveGraphDot(readGraphString(dot))).toBe(dot);
    expect(writeCompacted(readDot(dot))).toBe(
      "{'nodes': [((('fillcolor', '#FFFFAA'), ('fontsize', '10'), ('style', 'filled,dashed')), [('_1', 'foo')]), " +
        "((('fillcolor', '#AAFFAA'), ('fontsize', '10'), ('style', 'filled')), [('_2', 'foo-1.0[0]')]), " +
        "((('fillcolor', '#F6F6F6'), ('fontsize', '10'), ('style', 'filled,dashed')), [('_3', 'bar-2')])], " +
        "'edges': [((('arrowsize', '0.5'),), [('_1', '_2')]), " +
        "((('arrowsize', '1'), ('color', 'red'), ('fontcolor', 'red'), ('style', 'bold')), [('_2', '_3', 'CONFLICT')])]}",
    );
  });

  it("reads the rest of the language: comments, defaults, chains, ports, undeclared nodes after the declared", () => {
    const g = readDot(
      [
        "/* old */ strict digraph \"my graph\" {",
        "  // defaults set nothing on the nodes",
        "  node [shape=box]; rankdir=LR",
        '  b [label="B" "color"=blue]',
        "  a -> b:n -> c [weight=2, style=dashed]",
        '  "q r" -> a',
        "  subgraph s { d }",
        "}",
        "digraph second { z }",
      ].join("\n"),
    );
    expect(g.nodes.map((n) => n.id)).toEqual(["b", "d", "a", "c", '"q r"']);
    expect(g.attr("b", "label")).toBe('"B"');
    expect(g.attr("b", "color")).toBe("blue");
    expect(g.edges.map((e) => `${e.from}>${e.to} ${e.attrs.map(([k, v]) => `${k}=${v}`).join(",")}`)).toEqual(["b>c style=dashed", "a>b style=dashed", '"q r">a ']);
  });

  it.each(["", "graph g { a -- b }", "digraph g { a -> }", "digraph g { a [label=] }", "digraph g { a", 'digraph g { a [label="x] }', "digraph g { /* a }"])("rejects %j", (text) => {
    expect(() => readDot(text)).toThrow();
  });
});
