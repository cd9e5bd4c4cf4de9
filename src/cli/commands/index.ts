import type { Command } from "@commander-js/extra-typings";

/** Every top-level command, in the order `pkg --help` lists them. Each file under commands/ exports one factory. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander's typed Command generics differ per command
export const commands: Array<() => Command<any, any, any>> = [];
