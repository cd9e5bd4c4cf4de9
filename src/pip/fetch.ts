// What pkg asks pip: which distributions a request means (pip's resolver, `pip install --dry-run --report`,
// one process for a whole tree of dependencies; metadata only), and the files of those pkg decides to
// import (`pip wheel --no-deps`, which downloads wheels and builds sdists). A wheel already on this
// machine (a --find-links folder) is read where it is. pip older than 22.2 has no report: then each round
// is a `pip wheel --no-deps` and pkg follows the dependencies itself.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PkgError } from "../errors/index.js";
import { runPip } from "./python.js";
import type { PythonInterpreter } from "./python.js";

export interface Candidate {
  readonly name: string;
  readonly version: string;
  readonly requiresDist: readonly string[];
  /** A wheel file on this machine, when there is one. */
  readonly file?: string;
  /** What `pip wheel --no-deps` is given to get its wheel. */
  readonly spec: string;
  /** One of the things asked for (not a dependency pip found). */
  readonly requested: boolean;
  readonly requestedExtras: readonly string[];
}

export interface PipAsk {
  readonly python: PythonInterpreter;
  readonly pipArgs: readonly string[];
  /** A fresh folder for pip's output. */
  readonly dir: string;
  readonly echo?: (text: string) => void;
  readonly info: (text: string) => void;
  /** Throws when the import was interrupted. */
  readonly check: () => void;
}

/** Whether this pip writes installation reports (22.2 and later). */
export function pipHasReport(version: string | undefined): boolean {
  const [major, minor] = (version ?? "0").split(".").map(Number) as [number, number];
  return major > 22 || (major === 22 && (minor ?? 0) >= 2);
}

function pep517(pipArgs: readonly string[]): string[] {
  return pipArgs.includes("--no-use-pep517") ? [] : ["--use-pep517"];
}

async function pip(ask: PipAsk, args: readonly string[]): Promise<void> {
  const result = await runPip(ask.python, args, ask.echo);
  ask.check();
  if (result.code !== 0) {
    const tail = result.output.trim().split("\n").slice(-15).join("\n");
    throw new PkgError("PKG0048", `pip failed (exit ${result.code}): ${ask.python.executable} -m pip ${args.join(" ")}\n${tail}`, {
      hint: "read pip's message in the error; -e passes options to pip (for example --no-index --find-links DIR)",
    });
  }
}

/** `pip wheel --no-deps` of `specs` into ask.dir: the wheel files made or downloaded. */
export async function pipWheels(ask: PipAsk, specs: readonly string[]): Promise<string[]> {
  await pip(ask, ["wheel", "--no-deps", `--wheel-dir=${ask.dir}`, ...pep517(ask.pipArgs), ...ask.pipArgs, ...specs]);
  return readdirSync(ask.dir)
    .filter((f) => f.endsWith(".whl"))
    .sort()
    .map((f) => join(ask.dir, f));
}

interface ReportItem {
  readonly download_info?: { readonly url?: string; readonly dir_info?: unknown; readonly vcs_info?: { readonly vcs?: string; readonly commit_id?: string } };
  readonly requested?: boolean;
  readonly requested_extras?: readonly string[];
  readonly metadata?: { readonly name?: string; readonly version?: string; readonly requires_dist?: readonly string[] };
}

function candidateOf(item: ReportItem): Candidate | undefined {
  const meta = item.metadata;
  const url = item.download_info?.url;
  if (!meta?.name || !meta.version || !url) return undefined;
  let file: string | undefined;
  let spec = url;
  if (url.startsWith("file:")) {
    const path = fileURLToPath(url);
    spec = path;
    if (path.toLowerCase().endsWith(".whl")) file = path;
  } else if (item.download_info?.vcs_info?.vcs && item.download_info.vcs_info.commit_id) {
    spec = `${item.download_info.vcs_info.vcs}+${url}@${item.download_info.vcs_info.commit_id}`;
  }
  return {
    name: meta.name,
    version: meta.version,
    requiresDist: meta.requires_dist ?? [],
    ...(file ? { file } : {}),
    spec,
    requested: item.requested === true,
    requestedExtras: item.requested_extras ?? [],
  };
}

/**
 * The distributions `specs` mean, with their dependencies unless `noDeps`: from pip's resolver report
 * (nothing installed, nothing built but what pip needs for metadata).
 */
export async function pipResolve(ask: PipAsk, specs: readonly string[], noDeps: boolean): Promise<Candidate[]> {
  const report = join(ask.dir, "report.json");
  await pip(ask, [
    "install",
    "--dry-run",
    "--ignore-installed",
    "--quiet",
    `--report=${report}`,
    `--target=${join(ask.dir, "unused-target")}`,
    ...(noDeps ? ["--no-deps"] : []),
    ...pep517(ask.pipArgs),
    ...ask.pipArgs,
    ...specs,
  ]);
  let items: readonly ReportItem[];
  try {
    items = (JSON.parse(readFileSync(report, "utf8")) as { install?: readonly ReportItem[] }).install ?? [];
  } catch (error) {
    throw new PkgError("PKG0048", `pip's installation report ${report} cannot be read (${(error as Error).message})`);
  }
  return items.flatMap((item) => candidateOf(item) ?? []);
}
