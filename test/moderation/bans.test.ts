/**
 * Kicks and bans (src/moderation/moderation.ts): who may remove whom, every socket of the person closed after
 * the announcement reached it, and bans enforced at the door, through evictions, until they end.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newSecret } from "../../src/identity/identity";
import { ModerationStore } from "../../src/moderation/moderation-store";
import { CLOSE } from "../../src/wire/protocol";
import { Client, person, request, roomName } from "../helpers";
import { act, arrive, refusal, staffedRoom, turnedAway } from "../moderation-helpers";

describe("kick", () => {
  it("closes every socket of the person with 4001 after telling everyone, them included, why", async () => {
    const { room, moderator, member, owner } = await staffedRoom();
    const tab = await person(room, "mia", member.key);
    const kicked = await act(moderator.client, { type: "kick", uid: member.uid, reason: "be nice" });
    expect(kicked).toMatchObject({ action: "kick", uid: member.uid, by: moderator.uid, reason: "be nice" });
    for (const client of [member.client, tab]) {
      expect(await client.until(() => client.closed, 3000, "the close")).toEqual({ code: CLOSE.kicked, reason: "be nice" });
      expect(client.ofType("moderation").at(-1)).toMatchObject({ action: "kick", uid: member.uid });
    }
    expect((await owner.client.next("leave")).member.uid).toBe(member.uid);
  });

  it("lets the person come back", async () => {
    const { room, moderator, member } = await staffedRoom();
    await act(moderator.client, { type: "kick", uid: member.uid });
    expect(await member.client.until(() => member.client.closed, 3000, "the close")).toEqual({ code: CLOSE.kicked, reason: "kicked" });
    expect((await arrive(room, "mia", member.key)).uid).toBe(member.uid);
  });

  it("follows rank: the owner may kick a moderator; a moderator neither the owner, another moderator nor themself", async () => {
    const { room, owner, moderator, member } = await staffedRoom();
    const other = await arrive(room, "otto");
    await act(owner.client, { type: "promote", uid: other.uid });
    for (const uid of [owner.uid, other.uid, moderator.uid]) {
      expect((await refusal(moderator.client, { type: "kick", uid })).code).toBe("forbidden");
    }
    expect((await refusal(member.client, { type: "kick", uid: moderator.uid })).code).toBe("forbidden");
    expect((await act(owner.client, { type: "kick", uid: moderator.uid })).uid).toBe(moderator.uid);
    expect(member.client.closed).toBeUndefined();
  });

  it("refuses to kick someone who is not in the room with not_found", async () => {
    const { room, moderator } = await staffedRoom();
    const gone = await arrive(room, "gus");
    gone.client.close();
    await moderator.client.next("leave");
    expect((await refusal(moderator.client, { type: "kick", uid: gone.uid })).code).toBe("not_found");
  });

  it("cuts a long reason to the 123 bytes a close reason may carry; the announcement has it whole", async () => {
    const { moderator, member } = await staffedRoom();
    const reason = "é".repeat(100);
    expect((await act(moderator.client, { type: "kick", uid: member.uid, reason })).reason).toBe(reason);
    const closed = await member.client.until(() => member.client.closed, 3000, "the close");
    expect(closed.reason).toBe("é".repeat(61));
  });
});

describe("ban", () => {
  it("closes the person's sockets with 4003 and refuses them at the door with the reason", async () => {
    const { room, moderator, member, owner } = await staffedRoom();
    const banned = await act(moderator.client, { type: "ban", uid: member.uid, reason: "spam" });
    expect(banned).toMatchObject({ action: "ban", uid: member.uid, by: moderator.uid, reason: "spam" });
    expect(banned.until).toBeUndefined();
    expect(await member.client.until(() => member.client.closed, 3000, "the close")).toEqual({ code: CLOSE.banned, reason: "spam" });
    await owner.client.next("leave");
    const { error, closed } = await turnedAway(room, member.key);
    expect(error).toEqual({ type: "error", code: "banned", message: "you are banned from this room", reason: "spam" });
    expect(closed).toEqual({ code: CLOSE.banned, reason: "spam" });
    await owner.client.none("join", 200);
  });

  it("holds through an eviction of the room", async () => {
    const { room, moderator, member } = await staffedRoom();
    await act(moderator.client, { type: "ban", uid: member.uid });
    await evictDurableObject(env.ROOMS.getByName(room));
    expect((await turnedAway(room, member.key)).closed).toEqual({ code: CLOSE.banned, reason: "banned" });
  });

  it("can name someone who is not there, and refuses them when they come", async () => {
    const room = roomName();
    const owner = await arrive(room, "olive");
    await act(owner.client, { type: "claim" });
    const later = await arrive(room, "lou");
    later.client.close();
    await owner.client.next("leave");
    await act(owner.client, { type: "ban", uid: later.uid, seconds: 3600 });
    expect((await turnedAway(room, later.key)).error.retryAfter).toBeGreaterThan(3590);
  });

  it("with seconds ends by itself: refused with the time left, welcome once it is over", async () => {
    const { room, moderator, member } = await staffedRoom();
    const banned = await act(moderator.client, { type: "ban", uid: member.uid, seconds: 1 });
    expect(banned.until).toBe(banned.ts + 1000);
    const { error } = await turnedAway(room, member.key);
    expect(error).toMatchObject({ code: "banned", retryAfter: 1 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, banned.until! - Date.now()) + 100));
    expect((await arrive(room, "mia", member.key)).uid).toBe(member.uid);
  });

  it("ends exactly at its `until`", async () => {
    const until = 1_000_000;
    const state = await runInDurableObject(env.ROOMS.getByName(roomName()), (_room, { storage }) => {
      const store = new ModerationStore(storage.sql);
      store.addBan("u_AAAAAAAAAAAAAAAAAAAAAA", { until, by: "operator" }, 0);
      return [until - 1, until].map((now) => store.ban("u_AAAAAAAAAAAAAAAAAAAAAA", now) !== undefined);
    });
    expect(state).toEqual([true, false]);
  });

  it("follows the same ranks as a kick", async () => {
    const { owner, moderator, member } = await staffedRoom();
    expect((await refusal(moderator.client, { type: "ban", uid: owner.uid })).code).toBe("forbidden");
    expect((await refusal(member.client, { type: "ban", uid: moderator.uid })).code).toBe("forbidden");
    expect((await refusal(moderator.client, { type: "ban", uid: moderator.uid })).code).toBe("forbidden");
    expect((await act(owner.client, { type: "ban", uid: moderator.uid })).uid).toBe(moderator.uid);
  });

  it.each([
    ["seconds of 0", { seconds: 0 }],
    ["fractional seconds", { seconds: 1.5 }],
    ["seconds past a year", { seconds: 365 * 86_400 + 1 }],
    ["a reason that is not text", { reason: 42 }],
  ])("refuses %s, banning nobody", async (_what, fields) => {
    const { room, moderator, member } = await staffedRoom();
    expect((await refusal(moderator.client, { type: "ban", uid: member.uid, ...fields })).code).toMatch(/^invalid_/);
    member.client.close();
    expect((await arrive(room, "mia", member.key)).uid).toBe(member.uid);
  });
});

describe("ban with address", () => {
  const ip = "203.0.113.7";

  /** A claimed room, and a person connected from `ip`. */
  async function troll() {
    const room = roomName();
    const owner = await arrive(room, "olive");
    await act(owner.client, { type: "claim" });
    return { room, owner, troll: await arrive(room, "troll", newSecret(), ip) };
  }

  it("also refuses a fresh identity from the banned person's network", async () => {
    const { room, owner, troll: banned } = await troll();
    expect(await act(owner.client, { type: "ban", uid: banned.uid, address: true, reason: "again?" })).toMatchObject({ action: "ban", address: true });
    const { error } = await turnedAway(room, newSecret(), { "cf-connecting-ip": ip });
    expect(error).toMatchObject({ code: "banned", reason: "again?" });
    expect((await arrive(room, "someone else", newSecret(), "198.51.100.9")).uid).toBeDefined();
  });

  it("cannot be dodged by sending the address header yourself", async () => {
    const { room, owner, troll: banned } = await troll();
    await act(owner.client, { type: "ban", uid: banned.uid, address: true });
    expect((await turnedAway(room, newSecret(), { "cf-connecting-ip": ip, "x-chat-address": "a_AAAAAAAAAAAAAAAAAAAAAA" })).error.code).toBe("banned");
  });

  it("ignores an address a client claims for itself: only the platform's counts", async () => {
    const room = roomName();
    const owner = await arrive(room, "olive");
    await act(owner.client, { type: "claim" });
    const response = await request(`/chat/${room}?name=liar&key=${newSecret()}`, {
      headers: { Upgrade: "websocket", "x-chat-address": "a_AAAAAAAAAAAAAAAAAAAAAA" },
    });
    response.webSocket!.accept();
    const liar = new Client(response.webSocket!);
    const { you } = await liar.welcome();
    expect((await act(owner.client, { type: "ban", uid: you.uid, address: true })).address).toBeUndefined();
  });

  it("is not the default: without it, a fresh identity from the same network gets in", async () => {
    const { room, owner, troll: banned } = await troll();
    const frame = await act(owner.client, { type: "ban", uid: banned.uid });
    expect(frame.address).toBeUndefined();
    expect((await arrive(room, "neighbour", newSecret(), ip)).uid).not.toBe(banned.uid);
  });

  it("ends with the unban", async () => {
    const { room, owner, troll: banned } = await troll();
    await act(owner.client, { type: "ban", uid: banned.uid, address: true });
    await act(owner.client, { type: "unban", uid: banned.uid });
    expect((await arrive(room, "neighbour", newSecret(), ip)).uid).not.toBe(banned.uid);
  });

  it("has no network to remember for someone who is not there", async () => {
    const { room, owner, troll: banned } = await troll();
    banned.client.close();
    await owner.client.next("leave");
    expect((await act(owner.client, { type: "ban", uid: banned.uid, address: true })).address).toBeUndefined();
    expect((await arrive(room, "neighbour", newSecret(), ip)).uid).not.toBe(banned.uid);
  });
});

describe("unban", () => {
  it("lets the person back in", async () => {
    const { room, moderator, member } = await staffedRoom();
    await act(moderator.client, { type: "ban", uid: member.uid });
    expect(await act(moderator.client, { type: "unban", uid: member.uid })).toMatchObject({ action: "unban", uid: member.uid, by: moderator.uid });
    expect((await arrive(room, "mia", member.key)).uid).toBe(member.uid);
  });

  it("is for moderators only, and only for someone banned", async () => {
    const { owner, moderator, member } = await staffedRoom();
    await act(owner.client, { type: "ban", uid: moderator.uid });
    expect((await refusal(member.client, { type: "unban", uid: moderator.uid })).code).toBe("forbidden");
    expect((await refusal(owner.client, { type: "unban", uid: member.uid })).code).toBe("not_found");
  });
});
