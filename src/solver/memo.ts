/**
 * Sets a value in a memo table, emptying the table first when full: a long-lived store meets ever new keys,
 * and a bounded table that starts over costs less than tracking which entries are still in use.
 */
export function remember<K, V>(table: Map<K, V>, key: K, value: V, limit = 256): V {
  if (table.size >= limit) table.clear();
  table.set(key, value);
  return value;
}
