import type { Command } from "@commander-js/extra-typings";
import { infoCommand } from "./info.js";
import { listCommand } from "./list.js";
import { scanCommand } from "./scan.js";

/** Every top-level command, in the order `pkg --help` lists them. Each file under commands/ exports one factory. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander's typed Command generics differ per command
export const commands: Array<() => Command<any, any, any>> = [listCommand, infoCommand, scanCommand];
