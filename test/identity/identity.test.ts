import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addressOf, newSecret, uidOf } from "../../src/identity/identity";
import { UID_HEADER } from "../../src/sockets/handoff";
import { connect, join, request, roomName } from "../helpers";

const upgrade = { Upgrade: "websocket" };

/** The identity cookie a room page sets, as `name=value`, with its attributes apart. */
async function pageCookie(room: string, cookie?: string): Promise<{ pair: string; value: string; attributes: string[] }> {
  const response = await request(`/chat/${room}`, cookie === undefined ? {} : { headers: { Cookie: cookie } });
  const [setCookie] = response.headers.getSetCookie();
  const [pair, ...attributes] = setCookie!.split("; ");
  return { pair: pair!, value: pair!.slice(pair!.indexOf("=") + 1), attributes };
}

async function uidFrom(room: string, query = "", headers: Record<string, string> = {}): Promise<string> {
  const client = await connect(room, query, headers);
  const { you } = await client.welcome();
  client.close();
  return you.uid;
}

describe("identity from a key", () => {
  it("gives the same key the same uid across reconnects, on a new connection id each time", async () => {
    const room = roomName();
    const key = newSecret();
    const first = await join(room, "alice", undefined, { key });
    const { you: before } = await first.welcome();
    first.close();
    const { you: after } = await (await join(room, "alice", undefined, { key })).welcome();
    expect(after.uid).toBe(before.uid);
    expect(after.id).not.toBe(before.id);
    expect(after.uid).toBe(await uidOf(key, room));
  });

  it("gives different keys different uids", async () => {
    const room = roomName();
    const [a, b] = await Promise.all([join(room, "a", undefined, { key: newSecret() }), join(room, "b", undefined, { key: newSecret() })]);
    expect((await a.welcome()).you.uid).not.toBe((await b.welcome()).you.uid);
  });

  it("gives one key a different uid in each room, so rooms cannot link a person", async () => {
    const key = newSecret();
    expect(await uidFrom(roomName(), `?key=${key}`)).not.toBe(await uidFrom(roomName(), `?key=${key}`));
  });

  it("publishes only the uid: the key appears in no frame", async () => {
    const room = roomName();
    const key = newSecret();
    const alice = await join(room, "alice", undefined, { key });
    alice.say("hello");
    await alice.next("message");
    expect(alice.raw.join("\n")).not.toContain(key);
    expect(alice.raw.join("\n")).toContain(await uidOf(key, room));
  });

  it.each([
    ["too short", "short-key-15chr"],
    ["too long", "k".repeat(129)],
    ["with a character outside the alphabet", "SECRET-pass.word-1234"],
    ["empty", ""],
  ])("refuses a key that is %s with 400 invalid_key, without echoing it", async (_what, key) => {
    const response = await request(`/chat/${roomName()}?key=${encodeURIComponent(key)}`, { headers: upgrade });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(JSON.parse(body).error.code).toBe("invalid_key");
    if (key !== "") expect(body).not.toContain(key);
  });
});

describe("keys in logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes neither a good nor a bad key to any log line", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const room = roomName();
    const good = newSecret();
    const bad = "bad.key.with.dots.0123456789";
    await join(room, "alice", undefined, { key: good });
    await request(`/chat/${room}?key=${bad}`, { headers: upgrade });
    expect(lines.some((line) => line.includes('"event":"connect"'))).toBe(true);
    expect(lines.some((line) => line.includes('"reason":"invalid_key"'))).toBe(true);
    expect(lines.filter((line) => line.includes(good) || line.includes(bad))).toEqual([]);
  });
});

describe("identity from the cookie", () => {
  it("sets an HttpOnly, Secure, SameSite=Lax host cookie with a fresh secret on the room page", async () => {
    const { pair, value, attributes } = await pageCookie(roomName());
    expect(pair).toMatch(/^__Host-chat_id=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=34560000"]));
    expect(attributes.some((a) => a.startsWith("Domain"))).toBe(false);
    expect(value).not.toBe((await pageCookie(roomName())).value);
  });

  it("keeps the page out of shared caches, since it carries a cookie", async () => {
    const response = await request(`/chat/${roomName()}`);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
  });

  it("renews a valid cookie with the same secret", async () => {
    const secret = newSecret();
    expect((await pageCookie(roomName(), `__Host-chat_id=${secret}`)).value).toBe(secret);
  });

  it("replaces a malformed cookie with a fresh secret", async () => {
    const { value } = await pageCookie(roomName(), "__Host-chat_id=not;valid");
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("identifies the upgrade by the cookie the page set, the same uid on every connection", async () => {
    const room = roomName();
    const { pair, value } = await pageCookie(room);
    const uid = await uidFrom(room, "", { Cookie: pair });
    expect(uid).toBe(await uidOf(value, room));
    expect(await uidFrom(room, "", { Cookie: `other=1; ${pair}` })).toBe(uid);
  });

  it("lets a key win over a cookie", async () => {
    const room = roomName();
    const key = newSecret();
    expect(await uidFrom(room, `?key=${key}`, { Cookie: `__Host-chat_id=${newSecret()}` })).toBe(await uidOf(key, room));
  });

  it("ignores a cookie without the __Host- prefix", async () => {
    const room = roomName();
    const secret = newSecret();
    expect(await uidFrom(room, "", { Cookie: `chat_id=${secret}` })).not.toBe(await uidOf(secret, room));
  });
});

describe("without cookie or key", () => {
  it("gives each connection a one-off uid", async () => {
    const room = roomName();
    const [a, b] = [await uidFrom(room), await uidFrom(room)];
    expect(a).toMatch(/^u_[A-Za-z0-9_-]{22}$/);
    expect(b).toMatch(/^u_[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
  });

  it("treats a malformed cookie as none", async () => {
    const room = roomName();
    const cookie = "__Host-chat_id=short";
    expect(await uidFrom(room, "", { Cookie: cookie })).not.toBe(await uidFrom(room, "", { Cookie: cookie }));
  });
});

describe("forged and missing identity", () => {
  it("ignores a uid the client sends itself", async () => {
    const room = roomName();
    const victim = await uidOf(newSecret(), room);
    expect(await uidFrom(room, "", { [UID_HEADER]: victim })).not.toBe(victim);
  });

  it("has the room object refuse an upgrade that the worker gave no uid", async () => {
    const response = await env.ROOMS.getByName(roomName()).fetch("http://room/chat/x", { headers: upgrade });
    expect(response.status).toBe(500);
    expect(response.webSocket).toBeNull();
  });

  it("has the room object refuse a malformed uid", async () => {
    const response = await env.ROOMS.getByName(roomName()).fetch("http://room/chat/x", { headers: { ...upgrade, [UID_HEADER]: "bot:ci" } });
    expect(response.status).toBe(500);
  });
});

describe("uid on the wire", () => {
  it("puts the sender's uid in every message's from", async () => {
    const room = roomName();
    const key = newSecret();
    const alice = await join(room, "alice", undefined, { key });
    const bob = await join(room, "bob");
    alice.say("hi");
    expect((await bob.next("message")).from).toMatchObject({ name: "alice", uid: await uidOf(key, room) });
  });

  it("gives pushed bot messages the uid bot:<name>", async () => {
    const room = roomName();
    const response = await request(`/api/rooms/${room}/messages`, {
      method: "POST",
      headers: { authorization: "Bearer test-push-token", "content-type": "application/json" },
      body: JSON.stringify({ text: "deployed", from: "ci" }),
    });
    expect(((await response.json()) as { message: { from: unknown } }).message.from).toEqual({ id: "bot:ci", uid: "bot:ci", name: "ci", bot: true });
  });
});

describe("a connection's network, hashed", () => {
  it("is the whole IPv4 address", async () => {
    expect(await addressOf("203.0.113.7", "lobby")).toBe(await addressOf("203.0.113.7", "lobby"));
    expect(await addressOf("203.0.113.7", "lobby")).not.toBe(await addressOf("203.0.113.8", "lobby"));
  });

  it("is an IPv6 address's /64, however it is spelled", async () => {
    const home = await addressOf("2001:db8:1:2::5", "lobby");
    expect(await addressOf("2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd", "lobby")).toBe(home);
    expect(await addressOf("2001:db8:1:3::5", "lobby")).not.toBe(home);
    expect(await addressOf("2001:db8::", "lobby")).toBe(await addressOf("2001:db8:0:0:1::", "lobby"));
  });

  it("differs from room to room and never shows the address", async () => {
    const address = await addressOf("203.0.113.7", "lobby");
    expect(address).toMatch(/^a_[A-Za-z0-9_-]{22}$/);
    expect(await addressOf("203.0.113.7", "other")).not.toBe(address);
  });
});
