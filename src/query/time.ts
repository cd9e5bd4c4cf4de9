// rez-search's --before/--after times, read as Rez's get_epoch_time_from_str reads them.

/** A time argument that is neither epoch seconds nor a `-N[smhd]` relative time. */
export class SearchTimeError extends Error {
  override name = "SearchTimeError";
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 24 * 3600 };

// Python's int(): optional sign, digits with single underscores, surrounding whitespace.
const PYTHON_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
// Python's float() of the middle of `-1.5h` (no inf/nan: Rez's int() of them fails too).
const PYTHON_FLOAT = /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?\s*$/;

/**
 * Epoch seconds of `text`: an integer is epoch time; `-10s`, `-5m`, `-0.5h`, `-10d` are that long before
 * `nowSeconds` (never before 0). Rez reads nothing else: `1d` or `-2w` is an error, as there.
 */
export function parseSearchTime(text: string, nowSeconds: number): number {
  if (PYTHON_INT.test(text)) return Math.trunc(Number(text.replace(/_/g, "")));
  if (text.startsWith("-")) {
    const unit = UNIT_SECONDS[text[text.length - 1] ?? ""];
    const amount = text.slice(1, -1);
    if (unit !== undefined && PYTHON_FLOAT.test(amount)) {
      const seconds = Math.trunc(Number(amount.replace(/_/g, "")) * unit);
      if (Number.isFinite(seconds)) return Math.max(Math.trunc(nowSeconds) - seconds, 0);
    }
  }
  throw new SearchTimeError(`'${text}' is an unrecognised time format.`);
}
