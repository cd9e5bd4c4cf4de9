// Options that take a number: a value that is not one (or out of range) is one clear error naming the flag
// and the value, exit 2, before the command does anything; never NaN printed or used.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPkg } from "./support/cli.js";

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pkg-number-options-"));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("numeric options", () => {
  it.each([
    [["memcache", "--poll", "abc"], "--poll takes a number of seconds above 0, not 'abc'", "PKG0002"],
    [["memcache", "--poll", "0"], "--poll takes a number of seconds above 0, not '0'", "PKG0002"],
    [["memcache", "--poll", "1e3"], "--poll takes a number of seconds above 0, not '1e3'", "PKG0002"],
    [["env", "--time-limit", "0x10", "foo"], "--time-limit takes a number of seconds above 0, not '0x10'", "PKG0002"],
    [["solve", "--max-fails", "", "foo"], "--max-fails takes a whole number, not ''", "PKG0002"],
    [["env", "--patch", "--patch-rank", "1.5", "foo"], "--patch-rank takes a whole number, not '1.5'", "PKG0002"],
    [["depends", "-d", "x", "foo"], "-d/--depth takes a whole number of levels (0 or more), not 'x'", "PKG0002"],
    [["depends", "--depth", "-1", "foo"], "-d/--depth takes a whole number of levels (0 or more), not '-1'", "PKG0002"],
    [["build", "-j", "0"], "-j/--jobs takes a number of variants to build at once (1 or more), not '0'", "PKG0002"],
    [["build", "--variants", "0", "one"], "--variants takes variant indices (whole numbers, negative ones count from the end), not 'one'", "PKG0002"],
    [["release", "--variants", "x"], "--variants takes variant indices (whole numbers), not 'x'", "PKG0056"],
    [["cp", "--variants", "1.0", "foo"], "--variants takes variant indices (whole numbers, negative ones count from the end), not '1.0'", "PKG0002"],
    [["rm", "--ignored-since", "3d"], "--ignored-since takes a whole number of days, not '3d'", "PKG0002"],
    [["benchmark", "--iterations", "0", "--packages", "p", "--requests", "r", "--out", "o"], "--iterations takes a whole number >= 1, not '0'", "PKG0002"],
  ])("pkg %j", (args, message, code) => {
    const run = runPkg(work, args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`pkg: error: ${message} [${code}]\n`);
    expect(run.stdout).toBe("");
  });

  it("good values still pass: a decimal --poll, a negative variant index, depth 0", () => {
    // no memcached configured: the command gets as far as saying so (the value itself was accepted)
    const poll = runPkg(work, ["memcache", "--poll", "0.5"]);
    expect(poll.stderr).toContain("[PKG0060]");
    expect(poll.stderr).not.toContain("--poll");
    const depth = runPkg(work, ["depends", "-d", "0", "nosuch"], { PKG_PACKAGES_PATH: join(work, "repo") });
    expect(depth.stderr).not.toContain("--depth");
  });
});
