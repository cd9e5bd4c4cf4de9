// Files a command writes because the user named them (`-o ctx.rxt`, `--out DIR`, `--fail-graph F`): written
// whole or not at all, and a path that cannot be written is bad input with its reason, never a stack trace.
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { writeFileAtomic } from "../cache/index.js";
import { fsErrorReason } from "../errors/index.js";
import { CliError } from "./errors.js";

/** Writes `text` to the file the user named; `what` names it in the error ("the context file"). */
export function writeUserFile(path: string, text: string, what: string): void {
  try {
    // the user's folder: never sweep what looks like someone's temporaries there
    writeFileAtomic(path, text, { sweep: false });
  } catch (error) {
    throw new CliError("PKG0025", `cannot write ${what} ${path}: ${fsErrorReason(error, "write")}`, "give a path in a folder that exists and can be written", error);
  }
}

/** `--fail-graph FILE` (the same in every command): a failed resolve's graph, as DOT, written to FILE. */
export function writeFailureGraph(path: string, graph: string): void {
  writeUserFile(path, graph.endsWith("\n") ? graph : `${graph}\n`, "the failure graph");
}

/** A file the user named for pkg to read (`--rcfile`): there, a file, and readable; else bad input with the reason. */
export function checkUserFile(path: string, what: string): void {
  let why: string | undefined;
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) why = "no such file";
    else if (stats.isDirectory()) why = "it is a folder";
    else accessSync(path, constants.R_OK);
  } catch (error) {
    why = fsErrorReason(error);
  }
  if (why !== undefined) throw new CliError("PKG0025", `cannot read ${what} ${path}: ${why}`, "give a file that exists and can be read");
}

/** Creates the folder the user named for output. */
export function makeUserFolder(path: string, what: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new CliError("PKG0025", `cannot create ${what} ${path}: ${fsErrorReason(error, "write")}`, "give a folder path that can be created", error);
  }
}
