import { describe, expect, it } from "vitest";
import { frameValue, memcachedKey, parseGetReply, parseServer, serverIndex, unframeValue } from "./memcached.js";

describe("memcached's pure parts", () => {
  it.each([
    ["127.0.0.1:11211", { host: "127.0.0.1", port: 11211 }],
    ["cache01", { host: "cache01", port: 11211 }],
    [" cache-2.studio.lan:22122 ", { host: "cache-2.studio.lan", port: 22122 }],
    ["[::1]:11300", { host: "::1", port: 11300 }],
    ["[fe80::1]", { host: "fe80::1", port: 11211 }],
    ["host:0", undefined],
    ["host:65536", undefined],
    ["host:port", undefined],
    ["", undefined],
    ["a b:1", undefined],
    ["::1:11211", undefined],
  ])("parseServer(%j)", (uri, expected) => {
    expect(parseServer(uri)).toEqual(expected);
  });

  it.each([
    ["resolve", "abc", "pkg:resolve:abc"],
    ["family", "with space\n", "pkg:family:with_space_"],
    ["x", "é", "pkg:x:_"],
  ])("memcachedKey(%j, %j) has no space or control character", (kind, hash, expected) => {
    expect(memcachedKey(kind, hash)).toBe(expected);
  });

  it("keys are at most 250 bytes", () => {
    expect(memcachedKey("k", "h".repeat(400))).toHaveLength(250);
  });

  it.each([
    ["short", 1, true],
    ["short", 0, false],
    ["short", 100, false],
    ["x".repeat(5000), 16384, false],
    ["x".repeat(5000), 4096, true],
  ])("frameValue(%#) compresses from the threshold on and round-trips", (text, minCompress, compressed) => {
    const { data, flags } = frameValue(text, minCompress);
    expect(flags !== 0).toBe(compressed);
    expect(unframeValue(data, flags)).toBe(text);
  });

  it("a value marked compressed that is not is a miss, not an error", () => {
    expect(unframeValue(Buffer.from("plain"), 1)).toBeUndefined();
  });

  it("serverIndex is stable and within the list", () => {
    expect(serverIndex("pkg:resolve:abc", 1)).toBe(0);
    expect(serverIndex("pkg:resolve:abc", 0)).toBe(0);
    const spread = new Set(Array.from({ length: 64 }, (_, i) => serverIndex(`pkg:family:${i}`, 3)));
    expect([...spread].sort()).toEqual([0, 1, 2]);
    expect(serverIndex("pkg:family:7", 3)).toBe(serverIndex("pkg:family:7", 3));
  });

  it.each([
    ["END\r\n", { value: undefined, used: 5 }],
    ["VALUE k 1 3\r\nabc\r\nEND\r\n", { value: { data: Buffer.from("abc"), flags: 1 }, used: 23 }],
    ["VALUE k 0 3\r\nab", undefined],
    ["VALUE k 0 3\r\nabc\r\nEN", undefined],
    ["EN", undefined],
  ])("parseGetReply(%j)", (text, expected) => {
    expect(parseGetReply(Buffer.from(text))).toEqual(expected);
  });

  it.each([["SERVER_ERROR out of memory\r\n"], ["VALUE k 0 3\r\nabcdefEND\r\n\r\n"]])("parseGetReply(%j) refuses a malformed reply", (text) => {
    expect(() => parseGetReply(Buffer.from(text))).toThrow();
  });
});
