import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keepNewestFiles, readSealedFile, seal, unseal, writeFileAtomic, writeSealedFile } from "./index.js";

const work = mkdtempSync(join(tmpdir(), "pkg-checked-file-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("sealed cache files", () => {
  it.each(["", "{}", '{"a":[1,2,3]}', "x".repeat(10_000), "ünïcödé 🎬\n"])("round-trips %j", (text) => {
    const sealed = unseal(seal(text));
    expect(sealed.status).toBe("ok");
    if (sealed.status === "ok") expect(sealed.payload.toString("utf8")).toBe(text);
  });

  it("catches a flipped bit at every position, payload and trailer alike", () => {
    const good = seal('{"result":{"variants":["nail-2.3.3"]}}');
    for (let at = 0; at < good.length; at++) {
      for (const bit of [0, 3, 7]) {
        const bad = Buffer.from(good);
        bad[at] = bad[at]! ^ (1 << bit);
        expect(unseal(bad).status, `byte ${at} bit ${bit}`).not.toBe("ok");
      }
    }
  });

  it("tells a file without a trailer (stale: rebuilt quietly) from a damaged one", () => {
    expect(unseal(Buffer.from('{"old":"format"}')).status).toBe("stale");
    expect(unseal(Buffer.alloc(0)).status).toBe("stale");
    const truncated = seal("abcdef").subarray(0, -1);
    expect(unseal(truncated).status).toBe("stale");
    const wrongSum = Buffer.from(seal("abc").toString("latin1").replace(/[0-9a-f]{8}\n$/, "00000000\n"), "latin1");
    expect(unseal(wrongSum).status).toBe("damaged");
    expect(readSealedFile(join(work, "nope")).status).toBe("missing");
  });

  it("writes through a temporary name and leaves none behind, also when the write fails", () => {
    const folder = join(work, "atomic");
    writeSealedFile(join(folder, "a.json"), "one", { mkdir: true });
    expect(readSealedFile(join(folder, "a.json"))).toMatchObject({ status: "ok" });
    mkdirSync(join(folder, "is-a-folder"));
    expect(() => writeFileAtomic(join(folder, "is-a-folder"), "x")).toThrow();
    expect(readdirSync(folder).sort()).toEqual(["a.json", "is-a-folder"]);
  });

  it("leaves a folder that is not pkg's alone when told not to sweep it", () => {
    const folder = join(work, "users");
    mkdirSync(folder);
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(folder, `notes.${gone}.1.tmp`), "the user's own file");
    writeFileAtomic(join(folder, "ctx.rxt"), "new", { sweep: false });
    expect(readdirSync(folder).sort()).toEqual(["ctx.rxt", `notes.${gone}.1.tmp`]);
  });

  it("sweeps temporaries left by processes that are gone, not those of live ones", () => {
    const folder = join(work, "sweep");
    mkdirSync(folder);
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(folder, `x.json.${gone}.1.tmp`), "left by a killed writer");
    writeFileSync(join(folder, `x.json.${process.ppid}.1.tmp`), "a live writer's");
    writeFileAtomic(join(folder, "x.json"), "new");
    expect(readdirSync(folder).sort()).toEqual([`x.json.${process.ppid}.1.tmp`, "x.json"].sort());
    expect(readFileSync(join(folder, "x.json"), "utf8")).toBe("new");
  });
});

describe("keepNewestFiles", () => {
  it.each([
    [6, 4, ["c-5", "c-4", "c-3", "c-2"]],
    [3, 4, ["c-2", "c-1", "c-0"]],
    [2, 1, ["c-1"]],
  ])("of %i files keeps the %i newest with the prefix, and every other file", (count, keep, kept) => {
    const dir = mkdtempSync(join(work, "keep-"));
    for (let i = 0; i < count; i++) {
      writeFileSync(join(dir, `c-${i}`), "x");
      utimesSync(join(dir, `c-${i}`), 1_000_000 + i, 1_000_000 + i);
    }
    writeFileSync(join(dir, "other"), "y");
    utimesSync(join(dir, "other"), 1, 1);
    keepNewestFiles(dir, "c-", keep);
    expect(readdirSync(dir).sort()).toEqual([...kept, "other"].sort());
  });

  it("does nothing for a folder that is not there", () => {
    expect(() => keepNewestFiles(join(work, "none"), "c-", 1)).not.toThrow();
  });
});
