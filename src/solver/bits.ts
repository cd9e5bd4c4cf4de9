// Small helpers on bitsets (Uint32Array words, bit i of word i >>> 5) and integer lists, for the hot loops.

/** Bit `i` of a bitset (false beyond its end). */
export function hasBit(bits: Uint32Array, i: number): boolean {
  const w = i >>> 5;
  return w < bits.length && (bits[w]! & (1 << (i & 31))) !== 0;
}

/** Grows an integer table to at least `n` entries (keeping them), at least doubling it. */
export function ensureLength(table: Int32Array, n: number): Int32Array {
  if (n <= table.length) return table;
  const bigger = new Int32Array(Math.max(n, table.length * 2));
  bigger.set(table);
  return bigger;
}

/** a | b: into `a` when it is long enough, else into a new bitset (a may be null). */
export function orBits(a: Uint32Array | null, b: Uint32Array): Uint32Array {
  let out = a;
  if (out === null || out.length < b.length) {
    out = new Uint32Array(b.length);
    if (a !== null) out.set(a);
  }
  for (let w = 0; w < b.length; w++) out[w]! |= b[w]!;
  return out;
}

export function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false;
  return true;
}

/** A bitset with the range of words [lo, hi) outside which it is zero (empty when lo >= hi). */
export interface BitSpan {
  readonly bits: Uint32Array;
  lo: number;
  hi: number;
}

/** Narrows a span's [lo, hi) to its first and last non-zero words. */
export function trimSpan(span: BitSpan): void {
  const bits = span.bits;
  let lo = span.lo;
  let hi = span.hi;
  while (lo < hi && bits[lo] === 0) lo++;
  while (hi > lo && bits[hi - 1] === 0) hi--;
  span.lo = lo;
  span.hi = hi;
}

/** Empties a list (setting length is a runtime call: short lists are popped instead). */
export function clear(list: unknown[]): void {
  if (list.length > 32) list.length = 0;
  else while (list.length !== 0) list.pop();
}

/** Sorts integer lists in place, ascending (or descending); short ones by insertion (no comparator calls). */
export function sortInts(list: number[], descending = false): void {
  if (list.length > 64) {
    // a typed array sorts numbers natively (no comparator calls); the values are scope indices
    const sorted = Int32Array.from(list).sort();
    const n = sorted.length;
    for (let i = 0; i < n; i++) list[i] = sorted[descending ? n - 1 - i : i]!;
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const v = list[i]!;
    let j = i - 1;
    while (j >= 0 && (descending ? list[j]! < v : list[j]! > v)) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
}
