/**
 * Signed file URLs with AUTH_REQUIRED=1: the URL a room hands out for a file (in a message, the
 * welcome, a history page) opens it without a bearer, so an `<img>` and a download link work for
 * an app's users; an expired one answers 401 `file_url_expired`, a forged one or one signed for
 * another file or room 403 `invalid_file_url`. The project derives the key from AUTH_SECRET.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { fileUrl, readUrlSigning } from "../../../src/files/file-urls";
import type { FileRef, MessageFrame } from "../../../src/wire/protocol";
import { PNG } from "../../files/fixtures";
import { answer, request, roomName } from "../../helpers";
import { enter, mint, OLD_SECRET } from "../helpers";

const HOUR_MS = 3600_000;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function uploadAs(room: string, token: string): Promise<FileRef> {
  const form = new FormData();
  form.set("file", new File([PNG], "red.png", { type: "image/png" }));
  const response = await request(`/api/rooms/${room}/files`, { method: "POST", body: form, headers: bearer(token) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { file: FileRef }).file;
}

/** An app user uploads a PNG and posts it; returns the file as the message carried it. */
async function postedFile(room: string): Promise<{ file: FileRef; token: string }> {
  const token = await mint({ sub: "poster" });
  const { id } = await uploadAs(room, token);
  const client = await enter(room, token);
  const posted = (await answer(client, { type: "message", text: "a red square", files: [id] })) as MessageFrame;
  client.close();
  return { file: posted.files![0]!, token };
}

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const { error } = (await response.json()) as { error: { code: string } };
  return { status: response.status, code: error.code };
}

function withSig(url: string, change: (params: URLSearchParams) => void): string {
  const parsed = new URL(url, "http://chat.test");
  change(parsed.searchParams);
  return `${parsed.pathname}?${parsed.searchParams}`;
}

const signing = readUrlSigning(env)!;
const room = roomName("signed");
let posted: { file: FileRef; token: string };

beforeAll(async () => {
  posted = await postedFile(room);
});

describe("signed file URLs", () => {
  it("are what a message hands out: with exp and sig, never the token, and they open the file without a bearer", async () => {
    const { file, token } = posted;
    expect(file.url).toMatch(new RegExp(`^/api/rooms/${room}/files/${file.id}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`));
    expect(file.url).not.toContain(token);
    const served = await request(file.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
  });

  it("last one to two windows (an hour each by default), the same URL for every copy within a window", async () => {
    const exp = Number(new URL(posted.file.url, "http://chat.test").searchParams.get("exp"));
    const left = exp * 1000 - Date.now();
    expect(left).toBeGreaterThan(HOUR_MS - 60_000);
    expect(left).toBeLessThanOrEqual(2 * HOUR_MS);
    const page = await request(`/api/rooms/${room}/messages`, { headers: bearer(posted.token) });
    const { messages } = (await page.json()) as { messages: MessageFrame[] };
    expect(messages.at(-1)!.files![0]!.url).toBe(posted.file.url);
  });

  it("come in the welcome's history and in history pages too", async () => {
    const reader = await enter(room, await mint({ sub: "reader" }));
    const welcome = await reader.welcome();
    reader.close();
    const url = welcome.history.at(-1)!.files![0]!.url;
    expect((await request(url)).status).toBe(200);
  });

  it("answer 401 file_url_expired once their exp has passed", async () => {
    const expired = fileUrl(room, posted.file.id, signing, Date.now() - 3 * HOUR_MS);
    expect(await errorOf(await request(expired))).toEqual({ status: 401, code: "file_url_expired" });
  });

  it("answer 403 invalid_file_url for a changed signature, or a later exp under the old one", async () => {
    const flipped = withSig(posted.file.url, (params) => {
      const sig = params.get("sig")!;
      params.set("sig", `${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`);
    });
    expect(await errorOf(await request(flipped))).toEqual({ status: 403, code: "invalid_file_url" });
    const extended = withSig(posted.file.url, (params) => params.set("exp", String(Number(params.get("exp")) + 86400)));
    expect(await errorOf(await request(extended))).toEqual({ status: 403, code: "invalid_file_url" });
  });

  it("answer 403 invalid_file_url for a signature without its exp, or a malformed one", async () => {
    const bare = withSig(posted.file.url, (params) => params.delete("exp"));
    expect(await errorOf(await request(bare))).toEqual({ status: 403, code: "invalid_file_url" });
    const junk = withSig(posted.file.url, (params) => params.set("sig", "not-a-signature"));
    expect(await errorOf(await request(junk))).toEqual({ status: 403, code: "invalid_file_url" });
  });

  it("do not open another file of the same room with one file's signature", async () => {
    const other = await uploadAs(room, posted.token);
    const borrowed = `/api/rooms/${room}/files/${other.id}${posted.file.url.slice(posted.file.url.indexOf("?"))}`;
    expect(await errorOf(await request(borrowed))).toEqual({ status: 403, code: "invalid_file_url" });
  });

  it("do not open a file of another room with that room's signature for the same id", async () => {
    const elsewhere = roomName("elsewhere");
    const forOther = fileUrl(elsewhere, posted.file.id, signing);
    const moved = `/api/rooms/${room}/files/${posted.file.id}${forOther.slice(forOther.indexOf("?"))}`;
    expect(await errorOf(await request(moved))).toEqual({ status: 403, code: "invalid_file_url" });
  });

  it("signed by the old AUTH_SECRET still open during a rotation", async () => {
    const old = readUrlSigning({ ...env, AUTH_SECRET: OLD_SECRET })!;
    expect((await request(fileUrl(room, posted.file.id, old))).status).toBe(200);
  });

  it("leave the file closed without a signature or a bearer, and a bearer is judged when one comes", async () => {
    const path = `/api/rooms/${room}/files/${posted.file.id}`;
    expect(await errorOf(await request(path))).toEqual({ status: 401, code: "token_required" });
    const expired = fileUrl(room, posted.file.id, signing, Date.now() - 3 * HOUR_MS);
    expect((await request(expired, { headers: bearer(posted.token) })).status).toBe(200);
    expect(await errorOf(await request(posted.file.url, { headers: bearer("not.a.jwt") }))).toMatchObject({ status: 401, code: "invalid_token" });
  });
});
