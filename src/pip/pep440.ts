// PEP 440 versions as the `packaging` library reads them (the version Rez vendors, 19.0, which still falls
// back to a "legacy" version for anything else): parsing, ordering and specifier matching.

export interface Pep440Version {
  readonly epoch: number;
  readonly release: readonly number[];
  /** Normalised phase: a, b or rc. */
  readonly pre: readonly ["a" | "b" | "rc", number] | undefined;
  readonly post: number | undefined;
  readonly dev: number | undefined;
  /** Normalised local label: lower case, `-`/`_` become `.`, numbers without leading zeros. */
  readonly local: string | undefined;
}

const VERSION =
  /^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?((?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?([-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/** The PEP 440 version, or undefined for a legacy (non-PEP 440) version string. */
export function parsePep440(text: string): Pep440Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const phase = m[4]?.toLowerCase();
  const pre: Pep440Version["pre"] =
    phase === undefined ? undefined : [phase === "alpha" || phase === "a" ? "a" : phase === "beta" || phase === "b" ? "b" : "rc", Number(m[5] ?? 0)];
  const post = m[6] === undefined ? undefined : Number(m[7] ?? m[9] ?? 0);
  const dev = m[10] === undefined ? undefined : Number(m[12] ?? 0);
  const local = m[13]
    ?.toLowerCase()
    .split(/[-_.]/)
    .map((part) => (/^\d+$/.test(part) ? String(Number(part)) : part))
    .join(".");
  return { epoch: Number(m[1] ?? 0), release: m[2]!.split(".").map(Number), pre, post, dev, local };
}

/** packaging's str(Version): the normal form. */
export function formatPep440(v: Pep440Version): string {
  let s = (v.epoch ? `${v.epoch}!` : "") + v.release.join(".");
  if (v.pre) s += v.pre[0] + v.pre[1];
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local !== undefined) s += `+${v.local}`;
  return s;
}

const PHASE_ORDER = { a: 0, b: 1, rc: 2 } as const;

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLocal(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const xn = /^\d+$/.test(x[i]!);
    const yn = /^\d+$/.test(y[i]!);
    // numbers sort above strings
    if (xn !== yn) return xn ? 1 : -1;
    const d = xn ? cmp(Number(x[i]), Number(y[i])) : x[i]! < y[i]! ? -1 : x[i]! > y[i]! ? 1 : 0;
    if (d !== 0) return d;
  }
  return cmp(x.length, y.length);
}

/** PEP 440 order (packaging's _cmpkey). */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  let d = cmp(a.epoch, b.epoch);
  if (d !== 0) return d;
  const ra = trimZeros(a.release);
  const rb = trimZeros(b.release);
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    d = cmp(ra[i] ?? -1, rb[i] ?? -1);
    if (d !== 0) return d;
  }
  // pre: a dev release without pre or post sorts before any pre release; no pre sorts after them
  const preKey = (v: Pep440Version): [number, number] => (v.pre ? [PHASE_ORDER[v.pre[0]], v.pre[1]] : v.post === undefined && v.dev !== undefined ? [-1, 0] : [3, 0]);
  const [pa, pb] = [preKey(a), preKey(b)];
  d = cmp(pa[0], pb[0]) || cmp(pa[1], pb[1]);
  if (d !== 0) return d;
  d = cmp(a.post ?? -1, b.post ?? -1);
  if (d !== 0) return d;
  d = cmp(a.dev ?? Infinity, b.dev ?? Infinity);
  if (d !== 0) return d;
  return compareLocal(a.local, b.local);
}

function trimZeros(release: readonly number[]): readonly number[] {
  let n = release.length;
  while (n > 1 && release[n - 1] === 0) n--;
  return release.slice(0, n);
}

function isPre(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

function publicOf(v: Pep440Version): Pep440Version {
  return { ...v, local: undefined };
}

/** Whether `version` satisfies one specifier clause (`op` `spec`), pre-releases allowed (as markers allow them). */
export function specifierContains(op: string, spec: string, version: Pep440Version): boolean {
  if (op === "===") return formatPep440(version) === spec.trim();
  const wildcard = spec.endsWith(".*");
  const target = parsePep440(wildcard ? spec.slice(0, -2) : spec);
  if (!target) return false;
  const v = target.local === undefined ? publicOf(version) : version;
  switch (op) {
    case "==":
    case "!=": {
      let equal: boolean;
      if (wildcard) {
        const prefix = target.release;
        const padded = [...v.release, ...Array<number>(Math.max(0, prefix.length - v.release.length)).fill(0)];
        equal = v.epoch === target.epoch && prefix.every((n, i) => padded[i] === n);
      } else equal = comparePep440(v, target) === 0;
      return op === "==" ? equal : !equal;
    }
    case ">=":
      return comparePep440(publicOf(version), target) >= 0;
    case "<=":
      return comparePep440(publicOf(version), target) <= 0;
    case "<":
      // <V excludes pre-releases of V unless V is one
      if (comparePep440(publicOf(version), target) >= 0) return false;
      return isPre(target) || !isPre(version) || comparePep440({ ...version, pre: undefined, dev: undefined, post: undefined, local: undefined }, { ...target, pre: undefined, dev: undefined, post: undefined }) !== 0;
    case ">":
      if (comparePep440(publicOf(version), target) <= 0) return false;
      // >V excludes post releases of V unless V is one
      return target.post !== undefined || version.post === undefined || comparePep440({ ...version, post: undefined, dev: undefined, local: undefined }, target) !== 0;
    case "~=": {
      if (target.release.length < 2) return false;
      const prefix = target.release.slice(0, -1).join(".");
      return specifierContains(">=", spec, version) && specifierContains("==", `${target.epoch ? `${target.epoch}!` : ""}${prefix}.*`, version);
    }
    default:
      return false;
  }
}
