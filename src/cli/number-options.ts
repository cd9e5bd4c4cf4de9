// Options that take a number (`--max-fails 3`, `--poll 0.5`, `--variants -1`): one parser for all of them,
// so a bad value is one clear error naming the flag and the value (exit 2) and never NaN reaching a command.
// Only plain decimal text is a number: `''`, `0x10`, `1e3` and `Infinity` are not (Number() takes them all).
import type { ErrorCode } from "../errors/index.js";
import { CliError } from "./errors.js";

export interface NumberRule {
  /** What the flag takes, for the message: "a whole number of days". */
  readonly takes: string;
  /** Decimals allowed (`0.5`); whole numbers only otherwise. */
  readonly decimal?: boolean;
  /** The smallest value allowed. */
  readonly min?: number;
  /** A value the number must be above (`0` for a positive time). */
  readonly above?: number;
  /** The code of the error (PKG0002 unless the command has its own). */
  readonly code?: ErrorCode;
}

const WHOLE = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The number the text is under the rule, or undefined. */
export function parseNumberText(text: string, rule: Omit<NumberRule, "takes" | "code">): number | undefined {
  const trimmed = text.trim();
  if (!(rule.decimal ? DECIMAL : WHOLE).test(trimmed)) return undefined;
  const n = Number(trimmed);
  if (!Number.isFinite(n) || (!rule.decimal && !Number.isSafeInteger(n))) return undefined;
  if (rule.min !== undefined && n < rule.min) return undefined;
  if (rule.above !== undefined && !(n > rule.above)) return undefined;
  return n;
}

function parse(flag: string, text: string, rule: NumberRule): number {
  const n = parseNumberText(text, rule);
  if (n === undefined) throw new CliError(rule.code ?? "PKG0002", `${flag} takes ${rule.takes}, not '${text}'`);
  return n;
}

/** A commander parser for a flag taking one number. */
export function numberOption(flag: string, rule: NumberRule): (text: string) => number {
  return (text) => parse(flag, text, rule);
}

/** A commander parser for a repeatable flag (or one of several values) gathering numbers into a list. */
export function numberListOption(flag: string, rule: NumberRule): (text: string, previous: number[] | undefined) => number[] {
  return (text, previous) => [...(previous ?? []), parse(flag, text, rule)];
}

/** A flag taking a whole number, 0 or more. */
export function wholeNumberOption(flag: string): (text: string) => number {
  return numberOption(flag, { takes: "a whole number", min: 0 });
}
