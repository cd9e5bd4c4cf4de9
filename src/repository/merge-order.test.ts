// Variants installed out of order keep the source's order (Rez appends them in install order).
import { describe, expect, it } from "vitest";
import { mergeVariant } from "./merge.js";

const built = { name: "foo", version: "1", variants: [["python-2"], ["python-3"], ["python-4"]] };

function install(installed: { [key: string]: unknown } | undefined, index: number) {
  return mergeVariant({ name: "foo", version: "1", installed: installed as never, built, index, overwrite: false, now: 1 });
}

describe("variant order", () => {
  it.each([
    [[2, 0], [["python-2"], ["python-4"]], 0],
    [[2, 1], [["python-3"], ["python-4"]], 0],
    [[0, 2], [["python-2"], ["python-4"]], 1],
    [[2, 0, 1], [["python-2"], ["python-3"], ["python-4"]], 1],
    [[1, 0, 2], [["python-2"], ["python-3"], ["python-4"]], 2],
  ])("installing %j gives %j (the last one at %d)", (order, variants, lastIndex) => {
    let attributes: { [key: string]: unknown } | undefined;
    let index: number | null = null;
    for (const i of order) {
      const merged = install(attributes, i);
      attributes = merged.attributes as { [key: string]: unknown };
      index = merged.index;
    }
    expect(attributes?.variants).toEqual(variants);
    expect(index).toBe(lastIndex);
  });

  it("variants no longer in the source stay where they are", () => {
    const installed = { name: "foo", version: "1", variants: [["python-1"], ["python-4"]], timestamp: 5 };
    expect(install(installed, 1).attributes.variants).toEqual([["python-1"], ["python-3"], ["python-4"]]);
  });
});
