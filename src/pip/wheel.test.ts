import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { wheelBytes, writeWheel } from "../../test/support/wheels.js";
import type { WheelSpec } from "../../test/support/wheels.js";
import { parseRecord, parseWheelName, wheelTagsFit } from "./metadata.js";
import { installRemap, openWheel } from "./wheel.js";

const dir = mkdtempSync(join(tmpdir(), "pkg-wheel-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const target = { pythonVersion: "3.11.7", platform: "linux" as const, machine: "x86_64" };
let n = 0;

async function unpack(spec: WheelSpec) {
  const wheel = await openWheel(writeWheel(join(dir, `w${++n}`), spec), target);
  const dest = join(dir, `out${n}`);
  try {
    return { wheel, dest, result: await wheel.extract(dest) };
  } finally {
    wheel.close();
  }
}

describe("wheel tags", () => {
  it.each([
    ["x-1-py3-none-any.whl", true],
    ["x-1-py2.py3-none-any.whl", true],
    ["x-1-py2-none-any.whl", false],
    ["x-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", true],
    ["x-1-cp310-cp310-manylinux_2_17_x86_64.whl", false],
    ["x-1-cp38-abi3-manylinux2014_x86_64.whl", true],
    ["x-1-cp311-cp311-manylinux2014_aarch64.whl", false],
    ["x-1-cp311-cp311-win_amd64.whl", false],
    ["x-1-cp311-cp311-macosx_11_0_arm64.whl", false],
    ["x-1-py312-none-any.whl", false],
    ["x-1-py311-none-any.whl", true],
  ])("%s fits 3.11 on linux x86_64: %s", (name, fits) => expect(wheelTagsFit(parseWheelName(name)!, target)).toBe(fits));
});

describe("extract", () => {
  it("maps files as rez-pip does, and headers, data and scripts beside them", async () => {
    const { dest, result, wheel } = await unpack({
      name: "My-Pkg",
      version: "1.0",
      files: { "my_pkg/__init__.py": "X = 1\n", "my_pkg/__pycache__/__init__.cpython-311.pyc": "junk" },
      scripts: { "my-tool": "my_pkg:main" },
      data: { "headers/my.h": "int x;\n", "data/share/my/doc.txt": "doc\n", "scripts/run.py": "#!python\nprint(1)\n" },
    });
    expect(wheel.metadata.name).toBe("My-Pkg");
    expect(result.files).toEqual([
      "bin/my-tool",
      "bin/run.py",
      "include/My-Pkg/my.h",
      "python/My_Pkg-1.0.dist-info/INSTALLER",
      "python/My_Pkg-1.0.dist-info/METADATA",
      "python/My_Pkg-1.0.dist-info/RECORD",
      "python/My_Pkg-1.0.dist-info/WHEEL",
      "python/My_Pkg-1.0.dist-info/entry_points.txt",
      "python/my_pkg/__init__.py",
      "share/my/doc.txt",
    ]);
    expect(result.tools).toEqual(["my-tool", "run.py"]);
    expect(readFileSync(join(dest, "bin/my-tool"), "utf8")).toMatch(/^#!\/usr\/bin\/env python3\n[\s\S]*from my_pkg import main\n[\s\S]*sys\.exit\(main\(\)\)/);
    expect(readFileSync(join(dest, "bin/run.py"), "utf8")).toBe("#!/usr/bin/env python3\nprint(1)\n");
    expect(statSync(join(dest, "bin/my-tool")).mode & 0o111).not.toBe(0);
    expect(existsSync(join(dest, "python/my_pkg/__pycache__"))).toBe(false);
    const record = parseRecord(readFileSync(join(dest, "python/My_Pkg-1.0.dist-info/RECORD"), "utf8")).map((r) => r.path);
    expect(record).toContain("../bin/my-tool");
    expect(record).toContain("../include/My-Pkg/my.h");
    expect(record).toContain("my_pkg/__init__.py");
    expect(record).not.toContain("my_pkg/__pycache__/__init__.cpython-311.pyc");
  });

  it("applies pip_install_remaps to what pip would record outside site-packages (Rez's tokens and groups)", async () => {
    const remaps = [
      installRemap({ record_path: "^{p}{s}{p}{s}include{s}site{s}python[0-9.]+{s}([^/]+){s}(.*)", pip_install: "\\1", rez_install: "headers{s}\\1{s}\\2" }, "test"),
      installRemap({ record_path: "^{p}{s}{p}{s}(bin{s}.*)", pip_install: "\\1", rez_install: "\\1" }, "test"),
    ];
    const wheel = await openWheel(writeWheel(join(dir, "remap"), { name: "remapped", version: "1.0", data: { "headers/r.h": "x", "scripts/tool": "#!python\n", "data/etc/conf.ini": "c" } }), target);
    const dest = join(dir, "remap-out");
    const result = await wheel.extract(dest, remaps);
    wheel.close();
    expect(result.files.filter((f) => !f.startsWith("python/"))).toEqual(["bin/tool", "etc/conf.ini", "headers/remapped/r.h"]);
  });

  it("refuses a remap that would escape the package", async () => {
    const remaps = [installRemap({ record_path: "^{p}{s}{p}{s}(share{s}.*)", rez_install: "{p}{s}{p}{s}\\1" }, "test")];
    const wheel = await openWheel(writeWheel(join(dir, "remap2"), { name: "escaping", version: "1.0", data: { "data/share/x.txt": "x" } }), target);
    await expect(wheel.extract(join(dir, "remap2-out"), remaps)).rejects.toThrow(/pip_install_remaps puts 'escaping-1\.0\.data\/data\/share\/x\.txt' at '\.\.\/\.\.\/share\/x\.txt', which has a '\.\.' component/);
    wheel.close();
  });

  const bad = (extra: Partial<WheelSpec>): WheelSpec => ({ name: "evil", version: "1.0", files: { "evil/__init__.py": "" }, ...extra });
  it.each([
    ["a '..' entry", bad({ extraEntries: [{ name: "../escape.py", data: "x" }] }), /'\.\.\/escape\.py' has a '\.\.' component/],
    ["an absolute entry", bad({ extraEntries: [{ name: "/etc/evil", data: "x" }] }), /'\/etc\/evil' has an absolute path/],
    ["a symlink", bad({ extraEntries: [{ name: "evil/link", data: "/etc/passwd", symlink: true }] }), /'evil\/link' is a symbolic link/],
    ["a RECORD row with '..'", bad({ extraRecordRows: ["../../bin/x,,"] }), /RECORD row '\.\.\/\.\.\/bin\/x' has a '\.\.' component/],
    ["a hash mismatch", bad({ badHashFor: "evil/__init__.py" }), /'evil\/__init__\.py' does not match its hash/],
    ["a file missing from RECORD", bad({ extraEntries: [{ name: "evil/extra.py", data: "x" }] }), /'evil\/extra\.py' is not listed/],
  ])("refuses %s", async (_what, spec, message) => {
    await expect(unpack(spec)).rejects.toThrow(message);
  });

  it("refuses a corrupt zip and a truncated one", async () => {
    const file = join(dir, "broken-1.0-py3-none-any.whl");
    writeFileSync(file, "not a zip at all");
    await expect(openWheel(file, target)).rejects.toThrow(/broken-1\.0-py3-none-any\.whl: not a readable zip/);
    const bytes = wheelBytes({ name: "cut", version: "1.0", files: { "cut/__init__.py": "x".repeat(5000) } });
    const cut = join(dir, "cut-1.0-py3-none-any.whl");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
    await expect(openWheel(cut, target)).rejects.toThrow(/cut-1\.0-py3-none-any\.whl/);
    expect(readdirSync(dir).some((f) => f.startsWith("out") && f.includes("cut"))).toBe(false);
  });

  it("refuses a wheel for another platform", async () => {
    const file = writeWheel(join(dir, "plat"), { name: "native", version: "1.0", tag: "cp311-cp311-win_amd64" });
    await expect(openWheel(file, target)).rejects.toThrow(/native-1\.0-cp311-cp311-win_amd64\.whl: its tags .* do not fit Python 3\.11\.7 on linux x86_64/);
  });
});
