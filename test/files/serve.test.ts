import { describe, expect, it } from "vitest";
import { newSecret } from "../../src/identity/identity";
import { roomName } from "../helpers";
import { PDF, PNG } from "./fixtures";
import { bytesOf, fetchFile, uploaded } from "./helpers";

describe("serving a file", () => {
  it("shows a raster image inline, with its stored type, nosniff, a sandbox and long private caching", async () => {
    const file = await uploaded(roomName("serve"), newSecret(), PNG, "red dot.png");
    const served = await fetchFile(file.url);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("Content-Disposition")).toBe(`inline; filename="red dot.png"; filename*=UTF-8''red%20dot.png`);
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("Content-Security-Policy")).toMatch(/(^|; )sandbox($|;)/);
    expect(served.headers.get("Cache-Control")).toBe("private, max-age=31536000, immutable");
    expect(served.headers.get("ETag")).toMatch(/^".+"$/);
  });

  it("offers anything else as a download under its name, in any script", async () => {
    const file = await uploaded(roomName("serve"), newSecret(), PDF, "报告 50%.pdf");
    const served = await fetchFile(file.url);
    expect(served.headers.get("Content-Type")).toBe("application/pdf");
    expect(served.headers.get("Content-Disposition")).toBe(`attachment; filename="__ 50_.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%2050%25.pdf`);
    expect(await bytesOf(served)).toEqual(PDF);
  });

  it("answers a revalidation with its ETag by 304 and no body", async () => {
    const file = await uploaded(roomName("serve"), newSecret(), PNG);
    const etag = (await fetchFile(file.url)).headers.get("ETag")!;
    const again = await fetchFile(file.url, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("answers a Range with 206 and exactly those bytes", async () => {
    const file = await uploaded(roomName("serve"), newSecret(), PDF);
    const part = await fetchFile(file.url, { Range: "bytes=5-9" });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe(`bytes 5-9/${PDF.length}`);
    expect(await bytesOf(part)).toEqual(PDF.subarray(5, 10));
    const tail = await fetchFile(file.url, { Range: "bytes=-6" });
    expect(tail.headers.get("Content-Range")).toBe(`bytes ${PDF.length - 6}-${PDF.length - 1}/${PDF.length}`);
    expect(await bytesOf(tail)).toEqual(PDF.subarray(PDF.length - 6));
  });

  it("answers a range past the end with 416", async () => {
    const file = await uploaded(roomName("serve"), newSecret(), PDF);
    const part = await fetchFile(file.url, { Range: `bytes=${PDF.length + 10}-` });
    expect(part.status).toBe(416);
    expect(part.headers.get("Content-Range")).toBe(`bytes */${PDF.length}`);
  });

  it("answers 404 for an id the room does not have, or a file of another room", async () => {
    const file = await uploaded(roomName("serve"), newSecret(), PNG);
    expect((await fetchFile(`/api/rooms/${roomName("serve")}/files/f_AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await fetchFile(`/api/rooms/${roomName("elsewhere")}/files/${file.id}`)).status).toBe(404);
    expect((await fetchFile(`/api/rooms/${roomName("serve")}/files/..%2F..%2Fsecret`)).status).toBe(404);
  });
});
