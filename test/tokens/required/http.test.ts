/**
 * HTTP reads of a room with AUTH_REQUIRED=1: every route that shows a room's contents (its state,
 * its history, one message, search, its files, and uploads) takes only an app's bearer token for
 * that room, and refuses with the sockets' codes: 401 `token_required`, `invalid_token` or
 * `token_expired` (with `WWW-Authenticate`), 403 `forbidden_room`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { newSecret } from "../../../src/identity/identity";
import { PNG } from "../../files/fixtures";
import { request, roomName } from "../../helpers";
import { mint, nowSeconds } from "../helpers";

const PUSH_TOKEN = "test-push-token"; // vitest.config.ts binds PUSH_TOKEN to this

/** A read of `room` with `headers`, and `query` (`&...`) appended to its URL. */
type Read = (room: string, headers: Record<string, string>, query?: string) => Promise<Response>;

function upload(room: string, headers: Record<string, string>, query = ""): Promise<Response> {
  const form = new FormData();
  form.set("file", new File([PNG], "red.png", { type: "image/png" }));
  return request(`/api/rooms/${room}/files?${query}`, { method: "POST", body: form, headers });
}

const get =
  (path: (room: string) => string): Read =>
  (room, headers, query = "") =>
    request(`${path(room)}${path(room).includes("?") ? "&" : "?"}${query}`, { headers });

/** Every read, by name; a file id and message 1 exist in the room `beforeAll` made. */
let fileId = "";
const READS: [string, Read][] = [
  ["GET /api/rooms/<room>", get((room) => `/api/rooms/${room}`)],
  ["GET /api/rooms/<room>/messages", get((room) => `/api/rooms/${room}/messages`)],
  ["GET /api/rooms/<room>/messages/<id>", get((room) => `/api/rooms/${room}/messages/1`)],
  ["GET /api/rooms/<room>/search", get((room) => `/api/rooms/${room}/search?q=hello`)],
  ["GET /api/rooms/<room>/files/<id>", get((room) => `/api/rooms/${room}/files/${fileId}`)],
  ["POST /api/rooms/<room>/files", upload],
];

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function errorOf(response: Response): Promise<{ status: number; code: string; challenge: string | null }> {
  const { error } = (await response.json()) as { error: { code: string } };
  return { status: response.status, code: error.code, challenge: response.headers.get("WWW-Authenticate") };
}

const room = roomName("team");

beforeAll(async () => {
  // A message (pushed by a backend: a write, not a read) and a file, uploaded by an app user.
  const pushed = await request(`/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { ...bearer(PUSH_TOKEN), "content-type": "application/json" },
    body: JSON.stringify({ text: "hello from ci", from: "ci" }),
  });
  expect(pushed.status).toBe(201);
  const uploaded = await upload(room, bearer(await mint({ sub: "uploader" })));
  expect(uploaded.status).toBe(201);
  fileId = ((await uploaded.json()) as { file: { id: string } }).file.id;
});

describe.each(READS)("with AUTH_REQUIRED=1, %s", (_route, read) => {
  it("without a token answers 401 token_required, naming the Bearer scheme", async () => {
    expect(await errorOf(await read(room, {}))).toEqual({ status: 401, code: "token_required", challenge: 'Bearer realm="chat"' });
  });

  it("with only a key or the identity cookie answers 401 token_required", async () => {
    const key = newSecret();
    const withKey = await errorOf(await read(room, {}, `key=${key}`));
    const withCookie = await errorOf(await read(room, { Cookie: `__Host-chat_id=${key}` }));
    expect([withKey.code, withCookie.code]).toEqual(["token_required", "token_required"]);
    expect([withKey.status, withCookie.status]).toEqual([401, 401]);
  });

  it("with a token of the wrong signature answers 401 invalid_token", async () => {
    const token = await mint({}, "a-secret-the-server-never-heard-of-0123");
    expect(await errorOf(await read(room, bearer(token)))).toEqual({
      status: 401,
      code: "invalid_token",
      challenge: 'Bearer realm="chat", error="invalid_token"',
    });
  });

  it("with another service's bearer (the push token) answers 401 invalid_token", async () => {
    expect(await errorOf(await read(room, bearer(PUSH_TOKEN)))).toMatchObject({ status: 401, code: "invalid_token" });
  });

  it("with an expired token answers 401 token_expired", async () => {
    const token = await mint({ iat: nowSeconds() - 600, exp: nowSeconds() - 1 });
    expect(await errorOf(await read(room, bearer(token)))).toMatchObject({ status: 401, code: "token_expired" });
  });

  it("with a token whose rooms do not include this one answers 403 forbidden_room", async () => {
    const token = await mint({ rooms: ["other-*"] });
    expect(await errorOf(await read(room, bearer(token)))).toMatchObject({ status: 403, code: "forbidden_room" });
  });

  it("never quotes the token it refuses", async () => {
    const token = await mint({ exp: nowSeconds() - 1, iat: nowSeconds() - 60 }, "a-secret-the-server-never-heard-of-0123");
    const response = await read(room, bearer(token));
    const text = `${await response.text()} ${[...response.headers].join(" ")}`;
    expect(text).not.toContain(token.split(".")[2]);
  });

  it("with a valid bearer for this room answers", async () => {
    const response = await read(room, bearer(await mint({ rooms: ["team-*"] })));
    expect(response.status).toBe(read === upload ? 201 : 200);
  });
});
