// package.yaml: a mapping of attributes (Rez loads it with PyYAML's FullLoader, YAML 1.1).

import { LineCounter, isMap, isNode, isScalar, parseDocument } from "yaml";
import type { ScalarTag, Tags } from "yaml";
import type { PackageValue } from "./definition.js";
import { REX_KEYS } from "./attribute-schema.js";

export type PackageYamlResult =
  | { readonly kind: "ok"; readonly attributes: { [key: string]: PackageValue }; readonly lines: { [key: string]: number } }
  | { readonly kind: "error"; readonly message: string; readonly line?: number };

/** Plain data from a YAML value: dates become ISO strings, sets sorted lists. */
function toPackageValue(v: unknown, where: string): PackageValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`'${where}' is not a finite number`);
    return v;
  }
  if (typeof v === "bigint") {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`'${where}' is an integer too large`);
    return n;
  }
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Set) return [...v].map((x) => toPackageValue(x, where)).sort();
  if (Array.isArray(v)) return v.map((x, i) => toPackageValue(x, `${where}[${i}]`));
  if (v instanceof Map) {
    const out: { [key: string]: PackageValue } = {};
    for (const [k, x] of v) out[String(k)] = toPackageValue(x, `${where}.${String(k)}`);
    return out;
  }
  if (v instanceof Uint8Array) throw new Error(`'${where}' is binary data`);
  if (typeof v === "object") {
    const out: { [key: string]: PackageValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPackageValue(x, `${where}.${k}`);
    return out;
  }
  throw new Error(`'${where}' is not plain data`);
}

/** PyYAML's YAML 1.1 booleans: y/n are strings there, not booleans as in the yaml package's 1.1 schema. */
function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== "object" || t.tag !== "tag:yaml.org,2002:bool" || !("test" in t) || !(t.test instanceof RegExp)) return t;
    const test = t.test.test("yes") ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
    const scalar: ScalarTag = { ...(t as ScalarTag), test };
    return scalar;
  });
}

export function readPackageYaml(text: string, file: string): PackageYamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: "1.1", lineCounter, uniqueKeys: false, prettyErrors: false, customTags: pyyamlBooleans });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.pos ? lineCounter.linePos(err.pos[0]).line : undefined;
    return { kind: "error", message: `YAML error: ${err.message.split("\n")[0]}`, line };
  }
  const root = doc.contents;
  if (root === null) return { kind: "ok", attributes: {}, lines: {} };
  if (!isMap(root)) return { kind: "error", message: "package.yaml must be a mapping of attributes", line: 1 };
  const attributes: { [key: string]: PackageValue } = {};
  const lines: { [key: string]: number } = {};
  for (const pair of root.items) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const line = isScalar(keyNode) && keyNode.range ? lineCounter.linePos(keyNode.range[0]).line : undefined;
    let value: PackageValue;
    try {
      const node = pair.value;
      const js: unknown = isNode(node) ? node.toJS(doc) : node;
      value = toPackageValue(js, key);
    } catch (e) {
      return { kind: "error", message: e instanceof Error ? e.message : String(e), line };
    }
    if (REX_KEYS.includes(key) && typeof value === "string") {
      // A string block of Rex code; its line is that of the code's first line (a block scalar's starts below `|`).
      const node = pair.value;
      let first = line ?? 1;
      if (isScalar(node) && node.range) {
        const at = lineCounter.linePos(node.range[0]).line;
        first = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED" ? at + 1 : at;
      }
      value = { kind: "source", source: value, late: false, file, line: first };
    }
    if (key === "__proto__") Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
    else attributes[key] = value;
    if (line !== undefined) lines[key] = line;
  }
  return { kind: "ok", attributes, lines };
}
