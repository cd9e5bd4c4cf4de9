// The text files of a .dist-info folder: METADATA and WHEEL (RFC 822 style headers), RECORD (CSV),
// entry_points.txt (INI), and the wheel file name with its tags.

/** Header name (lower case) → every value, in order. */
export type Headers = ReadonlyMap<string, readonly string[]>;

/** RFC 822 style headers up to the first blank line; continuation lines join the previous value. */
export function parseHeaders(text: string): Headers {
  const out = new Map<string, string[]>();
  let last: { key: string; index: number } | undefined;
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (line === "") break;
    if (/^[ \t]/.test(line) && last) {
      const values = out.get(last.key)!;
      values[last.index] += "\n" + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = out.get(key) ?? [];
    values.push(value);
    out.set(key, values);
    last = { key, index: values.length - 1 };
  }
  return out;
}

export function header(headers: Headers, key: string): string | undefined {
  return headers.get(key.toLowerCase())?.[0];
}

export interface DistributionMetadata {
  /** As written in METADATA (distlib's dist.name). */
  readonly name: string;
  readonly version: string;
  readonly summary: string | undefined;
  readonly homePage: string | undefined;
  readonly downloadUrl: string | undefined;
  readonly author: string | undefined;
  readonly authorEmail: string | undefined;
  readonly requiresDist: readonly string[];
  readonly providesExtra: readonly string[];
}

export function parseMetadata(text: string): DistributionMetadata | undefined {
  const h = parseHeaders(text);
  const name = header(h, "name");
  const version = header(h, "version");
  if (!name || !version) return undefined;
  const value = (key: string): string | undefined => {
    const v = header(h, key);
    return v === undefined || v === "" || v === "UNKNOWN" ? undefined : v;
  };
  return {
    name,
    version,
    summary: value("summary"),
    homePage: value("home-page"),
    downloadUrl: value("download-url"),
    author: value("author"),
    authorEmail: value("author-email"),
    requiresDist: h.get("requires-dist") ?? [],
    providesExtra: h.get("provides-extra") ?? [],
  };
}

export interface RecordRow {
  readonly path: string;
  /** `sha256=<urlsafe base64 without padding>`, or empty. */
  readonly hash: string;
  readonly size: string;
}

/** RECORD: CSV rows (quoted fields may hold commas and doubled quotes). */
export function parseRecord(text: string): RecordRow[] {
  const rows: RecordRow[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (line.trim() === "") continue;
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = "";
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') {
            value += '"';
            i += 2;
          } else if (line[i] === '"') {
            i++;
            break;
          } else value += line[i++];
        }
        fields.push(value);
        i = line.indexOf(",", i) < 0 ? line.length + 1 : line.indexOf(",", i) + 1;
      } else {
        const end = line.indexOf(",", i);
        fields.push(end < 0 ? line.slice(i) : line.slice(i, end));
        i = end < 0 ? line.length + 1 : end + 1;
      }
    }
    rows.push({ path: fields[0] ?? "", hash: fields[1] ?? "", size: fields[2] ?? "" });
  }
  return rows;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatRecord(rows: readonly RecordRow[]): string {
  return rows.map((r) => `${csvField(r.path)},${csvField(r.hash)},${csvField(r.size)}`).join("\n") + "\n";
}

export interface EntryPoint {
  readonly name: string;
  readonly module: string;
  /** `obj.attr`, or undefined for a module run as a script. */
  readonly attr: string | undefined;
}

/** `[console_scripts]` and `[gui_scripts]` of entry_points.txt. */
export function parseScripts(text: string): EntryPoint[] {
  const out: EntryPoint[] = [];
  let section = "";
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const s = /^\[([^\]]+)\]$/.exec(line);
    if (s) {
      section = s[1]!.trim();
      continue;
    }
    if (section !== "console_scripts" && section !== "gui_scripts") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    const target = line.slice(eq + 1).replace(/\[.*\]\s*$/, "").trim();
    const [module, attr] = target.split(":").map((p) => p.trim());
    if (!name || !module) continue;
    out.push({ name, module, attr: attr || undefined });
  }
  return out;
}

export interface WheelName {
  readonly distribution: string;
  readonly version: string;
  readonly build: string | undefined;
  readonly pythonTags: readonly string[];
  readonly abiTags: readonly string[];
  readonly platformTags: readonly string[];
}

/** `{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl` */
export function parseWheelName(fileName: string): WheelName | undefined {
  const m = /^([^-]+)-([^-]+)(?:-(\d[^-]*))?-([^-]+)-([^-]+)-([^-]+)\.whl$/i.exec(fileName);
  if (!m) return undefined;
  return { distribution: m[1]!, version: m[2]!, build: m[3], pythonTags: m[4]!.split("."), abiTags: m[5]!.split("."), platformTags: m[6]!.split(".") };
}

export interface TagTarget {
  /** `3.11` or `3.11.7`. */
  readonly pythonVersion: string;
  readonly platform: NodeJS.Platform;
  /** Node's os.machine(): x86_64, aarch64, arm64. */
  readonly machine: string;
}

function platformFits(tag: string, target: TagTarget): boolean {
  if (tag === "any") return true;
  const machine = target.machine === "arm64" && target.platform === "linux" ? "aarch64" : target.machine;
  if (target.platform === "linux") {
    const m = /^(?:linux|manylinux1|manylinux2010|manylinux2014|manylinux_\d+_\d+|musllinux_\d+_\d+)_(.+)$/.exec(tag);
    return m !== null && m[1] === machine;
  }
  if (target.platform === "darwin") {
    const m = /^macosx_\d+_\d+_(.+)$/.exec(tag);
    if (!m) return false;
    const arch = target.machine === "arm64" || target.machine === "aarch64" ? "arm64" : "x86_64";
    return m[1] === arch || m[1] === "universal2" || (arch === "x86_64" && (m[1] === "intel" || m[1] === "universal"));
  }
  if (target.platform === "win32") {
    return tag === (target.machine === "x86_64" ? "win_amd64" : target.machine === "arm64" || target.machine === "aarch64" ? "win_arm64" : "win32");
  }
  return false;
}

/** Whether a wheel's tags fit the target python and platform (CPython). */
export function wheelTagsFit(name: WheelName, target: TagTarget): boolean {
  const [major, minor] = target.pythonVersion.split(".").map(Number) as [number, number];
  const pythonFits = (tag: string, abi: string): boolean => {
    const m = /^(py|cp)(\d)(\d*)$/.exec(tag);
    if (!m) return false;
    if (Number(m[2]) !== major) return false;
    const tagMinor = m[3] === "" ? undefined : Number(m[3]);
    if (m[1] === "py") return tagMinor === undefined || tagMinor <= minor;
    if (tagMinor === undefined) return false;
    return abi === "abi3" ? tagMinor <= minor : tagMinor === minor;
  };
  const abiFits = (abi: string): boolean => abi === "none" || abi === "abi3" || new RegExp(`^cp${major}${minor}[dmu]*$`).test(abi);
  return name.pythonTags.some((py) => name.abiTags.some((abi) => abiFits(abi) && pythonFits(py, abi) && name.platformTags.some((p) => platformFits(p, target))));
}
