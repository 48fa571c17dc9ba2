import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newSecret } from "../../src/identity/identity";
import { request, roomName } from "../helpers";
import { act, staffedRoom } from "../moderation-helpers";
import { GIF, HTML, jpeg, PDF, PNG, SVG } from "./fixtures";
import { bytesOf, fetchFile, upload, uploaded } from "./helpers";

describe("uploading a file", () => {
  it("answers 201 with the file's record, and its URL gives back the same bytes", async () => {
    const room = roomName("files");
    const answer = await upload(room, newSecret(), PNG, "red.png", "image/png");
    expect(answer.status).toBe(201);
    expect(answer.file).toMatchObject({ name: "red.png", size: PNG.length, type: "image/png", width: 40, height: 30 });
    expect(answer.file!.id).toMatch(/^f_[A-Za-z0-9_-]{22}$/);
    expect(answer.file!.url).toBe(`/api/rooms/${room}/files/${answer.file!.id}`);
    const served = await fetchFile(answer.file!.url);
    expect(served.status).toBe(200);
    expect(await bytesOf(served)).toEqual(PNG);
  });

  it("stores a file of several megabytes byte for byte", async () => {
    const room = roomName("files");
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set(PDF);
    for (let i = PDF.length; i < big.length; i += 1) big[i] = (i * 31) & 0xff;
    const file = await uploaded(room, newSecret(), big, "big.pdf");
    expect(file).toMatchObject({ size: big.length, type: "application/pdf" });
    expect(await bytesOf(await fetchFile(file.url))).toEqual(big);
  });

  it("decides the type from the bytes, not from the client's claim or the name", async () => {
    const room = roomName("files");
    const file = await uploaded(room, newSecret(), GIF, "photo.jpg");
    expect(file).toMatchObject({ type: "image/gif", width: 7, height: 5 });
    expect((await uploaded(room, newSecret(), jpeg(), "x.png")).type).toBe("image/jpeg");
  });

  it("accepts the same person by cookie as by key", async () => {
    const room = roomName("files");
    const answer = await upload(room, undefined, PNG, "a.png", "image/png", { Cookie: `__Host-chat_id=${newSecret()}` });
    expect(answer.status).toBe(201);
  });
});

describe("refused uploads", () => {
  it("refuses someone with neither cookie nor key: 403 forbidden", async () => {
    const answer = await upload(roomName("files"), undefined, PNG, "a.png");
    expect([answer.status, answer.error?.code]).toEqual([403, "forbidden"]);
  });

  it("refuses a malformed key: 400 invalid_key", async () => {
    const answer = await upload(roomName("files"), "short", PNG, "a.png");
    expect([answer.status, answer.error?.code]).toEqual([400, "invalid_key"]);
  });

  it("refuses a type not on the list: 415 unsupported_type", async () => {
    const answer = await upload(roomName("files"), newSecret(), Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), "tool", "image/png");
    expect([answer.status, answer.error?.code]).toEqual([415, "unsupported_type"]);
  });

  it("refuses a body without the file field, an empty file, and a name with a path: 400 invalid_file", async () => {
    const room = roomName("files");
    const form = new FormData();
    form.set("other", "x");
    const noField = await fetchFormWithout(room, form);
    expect([noField.status, noField.code]).toEqual([400, "invalid_file"]);
    expect((await upload(room, newSecret(), new Uint8Array(0), "empty.txt")).error?.code).toBe("invalid_file");
    const traversal = await upload(room, newSecret(), PNG, "../../etc/passwd");
    expect([traversal.status, traversal.error?.code]).toEqual([400, "invalid_file"]);
    expect((await upload(room, newSecret(), PNG, "bell\u0007.png")).error?.code).toBe("invalid_file");
  });

  it("refuses a file over MAX_FILE_BYTES before storing anything: 413 file_too_large", async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PDF);
    const answer = await upload(roomName("files"), newSecret(), big, "big.pdf");
    expect([answer.status, answer.error?.code]).toEqual([413, "file_too_large"]);
  });

  it("refuses an upload from another site's page: 403 forbidden_origin", async () => {
    const answer = await upload(roomName("files"), newSecret(), PNG, "a.png", "image/png", { Origin: "https://evil.example" });
    expect([answer.status, answer.error?.code]).toEqual([403, "forbidden_origin"]);
  });

  it("refuses someone banned from the room: 403 banned", async () => {
    const { owner, member, room } = await staffedRoom();
    await act(owner.client, { type: "ban", uid: member.uid });
    const answer = await upload(room, member.key, PNG, "a.png");
    expect([answer.status, answer.error?.code]).toEqual([403, "banned"]);
  });

  it("refuses a member of a locked room, not its moderators: 403 locked", async () => {
    const { owner, moderator, member, room } = await staffedRoom();
    await act(owner.client, { type: "settings", locked: true });
    const answer = await upload(room, member.key, PNG, "a.png");
    expect([answer.status, answer.error?.code]).toEqual([403, "locked"]);
    expect((await upload(room, moderator.key, PNG, "a.png")).status).toBe(201);
  });

  it("refuses a person's upload past UPLOADS_PER_MINUTE (20) with Retry-After, others still upload: 429", async () => {
    const room = roomName("files");
    const key = newSecret();
    for (let i = 0; i < 20; i += 1) expect((await upload(room, key, GIF, `${i}.gif`)).status).toBe(201);
    const answer = await upload(room, key, GIF, "21.gif");
    expect([answer.status, answer.error?.code]).toEqual([429, "rate_limited"]);
    expect(answer.headers.get("Retry-After")).toBe("60");
    expect((await upload(room, newSecret(), GIF, "other.gif")).status).toBe(201);
  });

  it("refuses an upload past the room's ROOM_FILE_BYTES total: 413 file_too_large", async () => {
    const room = roomName("files");
    // Pose as a room already holding nearly 1 GiB, rather than uploading it.
    await uploaded(room, newSecret(), PNG, "seed.png");
    await runInDurableObject(env.ROOMS.getByName(room), (_r, state) => {
      state.storage.sql.exec("UPDATE files SET size = ?", 1024 ** 3 - 10);
    });
    const answer = await upload(room, newSecret(), PNG, "one-more.png");
    expect([answer.status, answer.error?.code]).toEqual([413, "file_too_large"]);
  });

  it("keeps a person's earlier uploads when a later one is refused", async () => {
    const room = roomName("files");
    const key = newSecret();
    const first = await uploaded(room, key, PNG, "keep.png");
    expect((await upload(room, key, HTML, "../x.html")).status).toBe(400);
    expect((await fetchFile(first.url)).status).toBe(200);
  });

  async function fetchFormWithout(room: string, form: FormData): Promise<{ status: number; code?: string }> {
    const response = await request(`/api/rooms/${room}/files?key=${newSecret()}`, { method: "POST", body: form });
    const body = (await response.json()) as { error?: { code: string } };
    return { status: response.status, code: body.error?.code };
  }
});

describe("files posing as images", () => {
  it.each([
    ["HTML", HTML],
    ["SVG", SVG],
  ])("serves %s bytes sent as image/png as a plain-text download, never inline", async (_kind, bytes) => {
    const room = roomName("files");
    const file = await uploaded(room, newSecret(), bytes, "cute.png");
    expect(file.type).toBe("text/plain; charset=utf-8");
    const served = await fetchFile(file.url);
    expect(served.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(served.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("Content-Security-Policy")).toContain("sandbox");
  });
});
