import { describe, expect, it } from "vitest";
import { CliError } from "./errors.js";
import { JsonReporter, TerminalReporter, showProgress, useColour } from "./output.js";
import type { OutputStream } from "./output.js";

function stream(isTTY = false): OutputStream & { text: string } {
  const s = {
    text: "",
    isTTY,
    write(t: string) {
      s.text += t;
      return true;
    },
  };
  return s;
}

describe("the terminal reporter's colour decision", () => {
  // [stderr is a TTY, CI, NO_COLOR, colour?]
  const table: [boolean, string | undefined, string | undefined, boolean][] = [
    [true, undefined, undefined, true],
    [true, "true", undefined, false],
    [true, undefined, "1", false],
    [true, "1", "1", false],
    [false, undefined, undefined, false],
    [false, "true", undefined, false],
    [false, undefined, "1", false],
    [false, "1", "1", false],
    // NO_COLOR counts when not empty (no-color.org); so does CI
    [true, "", "", true],
  ];
  it.each(table)("tty=%s CI=%s NO_COLOR=%s → colour %s", (tty, ci, noColor, colour) => {
    const env = { ...(ci !== undefined ? { CI: ci } : {}), ...(noColor !== undefined ? { NO_COLOR: noColor } : {}) };
    expect(useColour(tty, env)).toBe(colour);
    const err = stream(tty);
    new TerminalReporter(stream(), err, env).warn("careful");
    expect(err.text.includes("\x1b[")).toBe(colour);
    expect(err.text.replace(/\x1b\[[0-9;]*m/g, "")).toBe("pkg: warning: careful\n");
  });

  it("decides per stream: results are coloured when stdout is a terminal, status when stderr is", () => {
    // [stdout TTY, stderr TTY] → [results coloured, status coloured]
    const table: [boolean, boolean][] = [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ];
    for (const [out, err] of table) {
      const r = new TerminalReporter(stream(out), stream(err), {});
      expect(r.styles.stdout.package("foo-1.0").includes("\x1b["), `stdout ${out}`).toBe(out);
      expect(r.styles.stderr.failure("failed").includes("\x1b["), `stderr ${err}`).toBe(err);
      const plain = new TerminalReporter(stream(out), stream(err), { NO_COLOR: "1" });
      expect(plain.styles.stdout.heading("resolved packages:")).toBe("resolved packages:");
    }
    expect(new JsonReporter(stream(true), stream(true)).styles.stdout.package("foo")).toBe("foo");
  });

  it("progress only on a TTY and not in CI (NO_COLOR turns off colour only)", () => {
    expect([showProgress(true, {}), showProgress(true, { CI: "1" }), showProgress(false, {}), showProgress(true, { NO_COLOR: "1" })]).toEqual([true, false, false, true]);
    const tty = stream(true);
    const bar = new TerminalReporter(stream(), tty, {}).progress("scanning");
    bar.update(5, 5);
    bar.done();
    expect(tty.text).toBe(`\rscanning [${"#".repeat(30)}] 5/5\r\x1b[2K`);
    const pipe = stream(false);
    new TerminalReporter(stream(), pipe, {}).progress("scanning").update(5, 5);
    expect(pipe.text).toBe("");
  });
});

describe("the terminal reporter", () => {
  it("data on stdout, status on stderr, errors as formatError prints them", () => {
    const out = stream();
    const err = stream();
    const r = new TerminalReporter(out, err, {});
    r.result({ text: "foo-1.0\n", json: { ignored: true } });
    r.warn({ file: "/r/p.py", line: 3, message: "bad" });
    r.error(new CliError("PKG0002", "unknown shell 'x'", "use bash"));
    expect(out.text).toBe("foo-1.0\n");
    expect(err.text).toBe("pkg: warning: /r/p.py:3: bad\npkg: error: unknown shell 'x' [PKG0002]\nhint: use bash\n");
  });

  it("package output is passed on as it comes; pkg's next line starts on a line of its own", () => {
    const err = stream();
    const r = new TerminalReporter(stream(), err, {});
    r.output("partial");
    r.warn("careful");
    r.output("whole\n");
    r.info("done");
    r.output("xxx", true);
    expect(err.text).toBe("partial\npkg: warning: careful\nwhole\ndone\nxxx\npkg: warning: more output of package code in the python worker was dropped\n");
  });
});

describe("the JSON reporter", () => {
  it("writes one document when the command ends: the result with the warnings in it", () => {
    const out = stream();
    const err = stream();
    const r = new JsonReporter(out, err);
    r.warn("config: unknown key");
    r.result({ json: { status: "solved" }, text: "not this" });
    expect(out.text).toBe("");
    r.finish();
    r.finish();
    expect(JSON.parse(out.text)).toEqual({ status: "solved", warnings: [{ message: "config: unknown key" }] });
    expect(err.text).toBe("");
  });

  it("leaves `warnings` out when there are none, and adds to a command's own list", () => {
    const clean = stream();
    const r = new JsonReporter(clean, stream());
    r.result({ json: { added: [] } });
    r.finish();
    expect(JSON.parse(clean.text)).toEqual({ added: [] });
    const scan = stream();
    const s = new JsonReporter(scan, stream());
    s.warn("late");
    s.result({ json: { families: 1, warnings: [{ file: "f", message: "own" }] } });
    s.finish();
    expect(JSON.parse(scan.text)).toEqual({ families: 1, warnings: [{ file: "f", message: "own" }, { message: "late" }] });
  });

  it("an error is {error: {code, message, hint}}, whatever came before", () => {
    const out = stream();
    const r = new JsonReporter(out, stream());
    r.warn("w");
    r.result({ json: { status: "solved" } });
    r.error(new CliError("PKG0006", "package family not found: nope"));
    r.finish();
    expect(JSON.parse(out.text)).toEqual({ error: { code: "PKG0006", message: "package family not found: nope", hint: null }, warnings: [{ message: "w" }] });
  });

  it("a bare list keeps its shape; its warnings stay on stderr", () => {
    const out = stream();
    const err = stream();
    const r = new JsonReporter(out, err);
    r.warn({ file: "p.py", message: "bad" });
    r.result({ json: [{ name: "foo" }] });
    r.finish();
    expect(JSON.parse(out.text)).toEqual([{ name: "foo" }]);
    expect(err.text).toBe("pkg: warning: p.py: bad\n");
  });

  it("package code's output, and the note that it was cut, stay on stderr beside it", () => {
    const out = stream();
    const err = stream();
    const r = new JsonReporter(out, err);
    r.output("xx", true);
    r.result({ json: { families: 0 } });
    r.finish();
    expect(err.text).toBe("xx\npkg: warning: more output of package code in the python worker was dropped\n");
    expect(JSON.parse(out.text)).toEqual({ families: 0 });
  });

  it("a result without a JSON form is pkg's own mistake", () => {
    expect(() => new JsonReporter(stream(), stream()).result({ text: "x" })).toThrow(/no --json form/);
  });
});
