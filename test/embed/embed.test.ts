/**
 * Embedded rooms at the worker: who may frame `/embed/<room>`, the partitioned identity cookie it
 * sets, and which sockets may use that cookie. The app runs with EMBED_ORIGINS (and
 * ALLOWED_ORIGINS) set per test; everything else is the real worker and its rooms.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/http/app";
import { newSecret, uidOf } from "../../src/identity/identity";
import type { WelcomeFrame } from "../../src/wire/protocol";
import { Client, roomName } from "../helpers";

const SELF = "http://chat.test";
const HOST = "https://shop.example";

function fetchWith(vars: Record<string, string>, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(app.fetch(new Request(`${SELF}${path}`, { headers }), { ...env, ...vars }, createExecutionContext()));
}

const embedding = { EMBED_ORIGINS: `${HOST}, https://blog.example` };

/** Opens a socket the way a browser would, from `origin`, with `cookie`; its welcome's uid, or the refusal's status. */
async function socketUid(vars: Record<string, string>, room: string, origin: string, cookie?: string): Promise<string | number> {
  const headers: Record<string, string> = { Upgrade: "websocket", Origin: origin, "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}` };
  if (cookie !== undefined) headers.Cookie = cookie;
  const response = await fetchWith(vars, `/chat/${room}?name=ana`, headers);
  if (!response.webSocket) return response.status;
  response.webSocket.accept();
  const client = new Client(response.webSocket);
  const welcome: WelcomeFrame = await client.welcome();
  client.close();
  return welcome.you.uid;
}

describe("framing /embed/<room>", () => {
  it("is refused to every site while EMBED_ORIGINS is empty", async () => {
    const response = await fetchWith({}, `/embed/${roomName()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("is allowed to exactly the origins in EMBED_ORIGINS, without X-Frame-Options", async () => {
    const response = await fetchWith(embedding, `/embed/${roomName()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors https://shop.example https://blog.example");
    expect(policy).toContain("default-src 'self'");
    expect(response.headers.get("x-frame-options")).toBeNull();
  });

  it("serves the room page marked as embedded, for the compact view", async () => {
    const html = await (await fetchWith(embedding, `/embed/${roomName()}`)).text();
    expect(html).toContain('<html lang="en" class="embedded">');
    expect(html).toContain('<body data-page="room">');
  });

  it("serves the frame's own script in place of the page's", async () => {
    const html = await (await fetchWith(embedding, `/embed/${roomName()}`)).text();
    expect(html).toContain('<script type="module" src="/embed-frame.js"></script>');
    expect(html).not.toContain("/app.js");
  });

  it("keeps frame-ancestors 'none' and DENY on every other path while embedding is on", async () => {
    for (const path of [`/chat/${roomName()}`, "/", "/healthz", "/embedded"]) {
      const response = await fetchWith(embedding, path);
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("refuses a malformed room name with 400", async () => {
    const response = await fetchWith(embedding, "/embed/.hidden");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_room");
  });
});

describe("the embedded identity cookie", () => {
  it("is partitioned, SameSite=None, Secure, HttpOnly and host-only", async () => {
    const cookie = (await fetchWith(embedding, `/embed/${roomName()}`)).headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^__Host-chat_embed=[A-Za-z0-9_-]{43};/);
    for (const attribute of ["Path=/", "Secure", "HttpOnly", "SameSite=None", "Partitioned"]) expect(cookie).toContain(`; ${attribute}`);
    expect(cookie).not.toContain("Domain=");
  });

  it("keeps the secret a returning frame brings, and never caches the answer in a shared cache", async () => {
    const secret = newSecret();
    const response = await fetchWith(embedding, `/embed/${roomName()}`, { Cookie: `__Host-chat_embed=${secret}` });
    expect(response.headers.get("set-cookie")).toContain(`__Host-chat_embed=${secret};`);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
  });
});

describe("sockets of an embedded room", () => {
  it("are the cookie's person when they come from the frame, that is from the worker's own origin", async () => {
    const room = roomName("embed");
    const secret = newSecret();
    expect(await socketUid(embedding, room, SELF, `__Host-chat_embed=${secret}`)).toBe(await uidOf(secret, room));
  });

  it("are refused from an embedding site's own origin: only the frame speaks for the person", async () => {
    expect(await socketUid(embedding, roomName("embed"), HOST, `__Host-chat_embed=${newSecret()}`)).toBe(403);
  });

  it("never carry the embedded person from an origin ALLOWED_ORIGINS lets in", async () => {
    const room = roomName("embed");
    const secret = newSecret();
    const uid = await socketUid({ ...embedding, ALLOWED_ORIGINS: HOST }, room, HOST, `__Host-chat_embed=${secret}`);
    expect(uid).toMatch(/^u_/);
    expect(uid).not.toBe(await uidOf(secret, room));
  });

  it("ignore the embedded cookie while embedding is off", async () => {
    const room = roomName("embed");
    const secret = newSecret();
    expect(await socketUid({}, room, SELF, `__Host-chat_embed=${secret}`)).not.toBe(await uidOf(secret, room));
  });

  it("prefer the page's own cookie when a browser brings both", async () => {
    const room = roomName("embed");
    const [page, embedded] = [newSecret(), newSecret()];
    const cookie = `__Host-chat_id=${page}; __Host-chat_embed=${embedded}`;
    expect(await socketUid(embedding, room, SELF, cookie)).toBe(await uidOf(page, room));
  });
});
