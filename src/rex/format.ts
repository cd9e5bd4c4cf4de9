// Value formatting and expansion as Rez's ActionManager does it, for values computed without Python
// (system setup, package variables, pkg-rs environments). Python's rex.py is the authority when
// package code runs; these functions give the same results on the same plain data.

/** Data visible to `{name.attr}` fields: Rez's rex globals as plain values. */
export type RexNamespaceValue = string | number | boolean | null | { readonly [key: string]: RexNamespaceValue };
export type RexNamespace = { readonly [key: string]: RexNamespaceValue };

// `${X}` or `$X`, rewritten to `${X}` before formatting. Rez's ActionInterpreter.ENV_VAR_REGEX ends the
// name lazily (`$FOO1` is `${FOO}1` there); here the name is all its letters, digits and `_`.
const ENV_REF_FOR_FORMAT = /\$\{([^{}]+?)\}|\$([a-zA-Z_][a-zA-Z0-9_]*)/g;
// Rez's utils.formatting.ENV_VAR_REGEX, used for expansion.
const ENV_REF_FOR_EXPAND = /\$(\w+|\{[^}]*\})/g;

/** Rewrite every `$X` / `${X}` reference as `${X}`. */
export function normalizeEnvRefs(text: string): string {
  return text.replace(ENV_REF_FOR_FORMAT, (_m, braced: string | undefined, bare: string | undefined) => `\${${braced ?? bare}}`);
}

/** Rez `expandvars(text, environ)`: replace known `$X` / `${X}`, leave unknown ones as they are. */
export function expandEnvVars(text: string, environ: (name: string) => string | undefined): string {
  if (!text.includes("$")) return text;
  return text.replace(ENV_REF_FOR_EXPAND, (match, ref: string) => {
    const name = ref.startsWith("{") && ref.endsWith("}") ? ref.slice(1, -1) : ref;
    return environ(name) ?? match;
  });
}

// `$X` → `${{X}}`, which str.format turns into `${X}`.
function protectEnvRefs(text: string): string {
  return text.replace(ENV_REF_FOR_FORMAT, (_m, braced: string | undefined, bare: string | undefined) => `\${{${braced ?? bare}}}`);
}

class FormatFailure extends Error {}

function pythonStr(value: RexNamespaceValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  // a mapping used as a field: Rez would print the object's str(); plain data has a "__str__" when it matters
  const s = value["__str__"];
  return typeof s === "string" ? s : JSON.stringify(value);
}

function lookupField(field: string, namespace: RexNamespace): RexNamespaceValue {
  const m = /^([^.[]+)((?:\.[^.[]+|\[[^\]]+\])*)$/.exec(field);
  if (!m) throw new FormatFailure(field);
  const name = m[1]!;
  if (!(name in namespace)) throw new FormatFailure(name);
  let value: RexNamespaceValue = namespace[name]!;
  for (const step of m[2]!.match(/\.[^.[]+|\[[^\]]+\]/g) ?? []) {
    const key = step.startsWith(".") ? step.slice(1) : step.slice(1, -1);
    if (value === null || typeof value !== "object" || !(key in value)) throw new FormatFailure(key);
    value = value[key]!;
  }
  return value;
}

function pythonFormat(text: string, namespace: RexNamespace, depth: number): string {
  if (depth > 20) throw new FormatFailure("recursion");
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "{") {
      if (text[i + 1] === "{") {
        out += "{";
        i += 2;
        continue;
      }
      const end = text.indexOf("}", i);
      if (end < 0) throw new FormatFailure("unclosed");
      let field = text.slice(i + 1, end);
      if (field.includes("{")) throw new FormatFailure("nested");
      let spec = "";
      const colon = field.indexOf(":");
      if (colon >= 0) {
        spec = field.slice(colon + 1);
        field = field.slice(0, colon);
      }
      if (field.includes("!") || field === "" || spec !== "") throw new FormatFailure(field);
      const value = lookupField(field, namespace);
      // string fields are formatted again (Rez's NamespaceFormatter.format_field)
      out += typeof value === "string" ? pythonFormat(protectEnvRefs(value), namespace, depth + 1) : pythonStr(value);
      i = end + 1;
    } else if (c === "}") {
      if (text[i + 1] !== "}") throw new FormatFailure("single }");
      out += "}";
      i += 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/**
 * Rez's `RexExecutor.expand` on one expandable string: `$X` → `${X}`, then `str.format` with the
 * namespace. Returns undefined where Rez's formatting raises KeyError/ValueError (the caller then
 * keeps the value unformatted, as Rez does). Supports `{name}`, `{a.b.c}`, `{a[b]}` fields.
 */
export function formatRexText(text: string, namespace: RexNamespace): string | undefined {
  try {
    return pythonFormat(protectEnvRefs(text), namespace, 0);
  } catch (e) {
    if (e instanceof FormatFailure) return undefined;
    throw e;
  }
}
