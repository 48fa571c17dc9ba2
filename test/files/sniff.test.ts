import { describe, expect, it } from "vitest";
import { nameProblem, readFileConfig } from "../../src/files/rules";
import { KNOWN_TYPES, sniff } from "../../src/files/sniff";
import { GIF, HTML, jpeg, PDF, PNG, SVG, webp } from "./fixtures";

const ALL = new Set<string>(KNOWN_TYPES);

describe("type from the first bytes", () => {
  it("finds a PNG and its size in pixels", () => {
    expect(sniff(PNG, ALL)).toEqual({ type: "image/png", width: 40, height: 30 });
  });

  it("finds a JPEG's size past a large EXIF segment", () => {
    expect(sniff(jpeg(60_000), ALL)).toEqual({ type: "image/jpeg", width: 640, height: 480 });
  });

  it("finds a GIF and its size", () => {
    expect(sniff(GIF, ALL)).toEqual({ type: "image/gif", width: 7, height: 5 });
  });

  it.each(["VP8 ", "VP8L", "VP8X"] as const)("finds a WebP (%s) and its size", (kind) => {
    expect(sniff(webp(kind), ALL)).toEqual({ type: "image/webp", width: 300, height: 200 });
  });

  it("finds a PDF, without a size", () => {
    expect(sniff(PDF, ALL)).toEqual({ type: "application/pdf" });
  });

  it("takes UTF-8 text as plain text", () => {
    expect(sniff(new TextEncoder().encode("notes\tand ümlauts\r\n"), ALL)).toEqual({ type: "text/plain; charset=utf-8" });
  });

  it("never takes HTML or SVG for an image: they are plain text at most", () => {
    expect(sniff(HTML, ALL)?.type).toBe("text/plain; charset=utf-8");
    expect(sniff(SVG, ALL)?.type).toBe("text/plain; charset=utf-8");
    expect(sniff(HTML, new Set(["image/png"]))).toBeUndefined();
  });

  it("refuses binary data it does not know, and a PNG cut short before its size", () => {
    expect(sniff(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), ALL)).toBeUndefined();
    expect(sniff(PNG.subarray(0, 20), ALL)).toBeUndefined();
  });

  it("refuses a type the operator left out of FILE_TYPES", () => {
    const { types } = readFileConfig({ FILE_TYPES: "image/png, image/jpeg, image/svg+xml" });
    expect([...types]).toEqual(["image/png", "image/jpeg"]);
    expect(sniff(PDF, types)).toBeUndefined();
  });
});

describe("file names", () => {
  it("keeps an ordinary name, spaces and other scripts included", () => {
    expect(nameProblem("Screenshot 2026-12-06 at 10.00.png")).toBeUndefined();
    expect(nameProblem("报告.pdf")).toBeUndefined();
  });

  it.each(["../etc/passwd", "a/b.png", "..\\win.ini", "..", " ", "tab\there.png", "evil\u202egnp.exe", "x".repeat(256)])("refuses %j", (name) => {
    expect(nameProblem(name)).toBeDefined();
  });
});

describe("limits", () => {
  it("defaults to 10 MiB a file, 1 GiB a room and 20 uploads a minute", () => {
    expect(readFileConfig({})).toMatchObject({ maxFileBytes: 10 * 1024 * 1024, roomFileBytes: 1024 ** 3, uploadsPerMinute: 20 });
    expect([...readFileConfig({}).types]).toEqual([...KNOWN_TYPES]);
  });
});
