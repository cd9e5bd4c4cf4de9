// rez-config's FIELD: a dotted path into the merged configuration, and how Rez prints what it finds.

export type SettingValue = null | boolean | number | string | readonly SettingValue[] | { readonly [key: string]: SettingValue };

/** The value at `a.b.c` (a number indexes a list); undefined when there is no such setting. */
export function settingAt(data: { readonly [key: string]: SettingValue }, path: string): SettingValue | undefined {
  let value: SettingValue | undefined = data;
  for (const key of path.split(".")) {
    if (Array.isArray(value)) value = /^\d+$/.test(key) ? (value as readonly SettingValue[])[Number(key)] : undefined;
    else if (value !== null && typeof value === "object") value = Object.hasOwn(value, key) ? (value as { readonly [key: string]: SettingValue })[key] : undefined;
    else value = undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

/** Python's print of a scalar setting (`True`, `None`, `3`, the text). */
export function settingScalarText(value: Exclude<SettingValue, readonly SettingValue[] | { readonly [key: string]: SettingValue }>): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

export function isSettingScalar(value: SettingValue): value is Exclude<SettingValue, readonly SettingValue[] | { readonly [key: string]: SettingValue }> {
  return value === null || typeof value !== "object";
}
