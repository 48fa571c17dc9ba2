/**
 * Moderation in a room spread over fan-out objects (SHARD_MEMBERS = 5 here): moderators act from
 * any object, a kick or ban closes the person's sockets in every object, bans are refused before a
 * seat is given and again at admission, and a fan-out object that missed the flush with a ban
 * still closes the banned socket on the next stats tick.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { FanOut } from "../../src/fanout/fanout";
import type { RoomShard } from "../../src/fanout/shard";
import { newSecret } from "../../src/identity/identity";
import type { ChatRoom } from "../../src/room/chat-room";
import { shardName, TICKET_HEADER, UID_HEADER } from "../../src/sockets/handoff";
import { CLOSE, type Member } from "../../src/wire/protocol";
import { type Client, connect, join, roomName } from "../helpers";
import { act, refusal, turnedAway, welcomeOf } from "../moderation-helpers";
import { crowd, info, SHARD_MEMBERS, socketsPerObject } from "./helpers";

/** Joins as the person holding `key`, reading batches like the page. */
function tab(room: string, name: string, key: string): Promise<Client> {
  return join(room, name, undefined, { batch: true, key });
}

/**
 * A claimed room whose own object is full: the owner and one tab of the target there, the
 * target's second tab and a moderator on fan-out object 1.
 */
async function spreadRoom() {
  const room = roomName("mod-big");
  const ownerKey = newSecret();
  const owner = await tab(room, "olive", ownerKey);
  await act(owner, { type: "claim" });
  const targetKey = newSecret();
  const target = [await tab(room, "tess", targetKey)];
  const crowded = await crowd(room, SHARD_MEMBERS - 2);
  target.push(await tab(room, "tess", targetKey));
  const moderator = await tab(room, "max", newSecret());
  await act(owner, { type: "promote", uid: welcomeOf(moderator).you.uid });
  expect(await socketsPerObject(room, 1)).toEqual([SHARD_MEMBERS, 2]);
  return { room, owner, target, targetKey, targetUid: welcomeOf(target[0]!).you.uid, moderator, crowded };
}

/** A seat in a fan-out object, as the room keeps one for a newcomer it sends there. */
function seatElsewhere(fanout: FanOut): { shard: number; ticket: string } {
  const placed = fanout.seat(SHARD_MEMBERS);
  if (placed.where !== "shard") throw new Error(`no seat in a fan-out object: ${placed.where}`);
  return placed;
}

describe("moderation across fan-out objects", () => {
  it("closes a kicked person's sockets in the room's object and in a fan-out object, after everyone heard why", async () => {
    const { room, owner, target, targetUid, moderator, crowded } = await spreadRoom();
    const kicked = await act(moderator, { type: "kick", uid: targetUid, reason: "off topic" });
    expect(kicked).toMatchObject({ action: "kick", uid: targetUid, by: welcomeOf(moderator).you.uid });
    for (const client of target) {
      expect(await client.until(() => client.closed, 5000, "the close")).toEqual({ code: CLOSE.kicked, reason: "off topic" });
      expect(client.ofType("moderation").at(-1)).toMatchObject({ action: "kick", uid: targetUid });
    }
    for (const client of [owner, crowded[0]!]) {
      await client.until(() => client.ofType("leave").some((l) => l.member.uid === targetUid), 5000, "the leave");
    }
    expect(await socketsPerObject(room, 1)).toEqual([SHARD_MEMBERS - 1, 1]);
    expect((await info(room)).online).toBe(SHARD_MEMBERS);
  });

  it("refuses a banned person at the door of a full room before giving them a seat anywhere", async () => {
    const { room, owner, target, targetKey, targetUid } = await spreadRoom();
    await act(owner, { type: "ban", uid: targetUid, reason: "spam" });
    for (const client of target) await client.until(() => client.closed, 5000, "the close");
    const reserved = () => runInDurableObject(env.ROOMS.getByName(room), (instance: ChatRoom) => (instance as unknown as { fanout: FanOut }).fanout.reserved());
    for (let n = 0; n < 3; n++) expect((await turnedAway(room, targetKey)).closed).toEqual({ code: CLOSE.banned, reason: "spam" });
    expect(await reserved()).toBe(0);
  });

  it("bans the network of a person whose socket is on a fan-out object, when asked", async () => {
    const { room, owner } = await spreadRoom();
    const far = await connect(room, `?name=far&batch=1&key=${newSecret()}`, { "cf-connecting-ip": "203.0.113.50" });
    const { you } = await far.welcome();
    expect(await act(owner, { type: "ban", uid: you.uid, address: true })).toMatchObject({ uid: you.uid, address: true });
    await far.until(() => far.closed, 5000, "the close");
    expect((await turnedAway(room, newSecret(), { "cf-connecting-ip": "203.0.113.50" })).error.code).toBe("banned");
  });

  it("refuses at admission someone banned after the room sent them to a fan-out object", async () => {
    const { room } = await spreadRoom();
    const newcomer: Member = { id: crypto.randomUUID(), uid: "u_BBBBBBBBBBBBBBBBBBBBBB", name: "late", joinedAt: Date.now() };
    const admitted = await runInDurableObject(env.ROOMS.getByName(room), async (instance: ChatRoom) => {
      const { fanout } = instance as unknown as { fanout: FanOut };
      const seat = seatElsewhere(fanout);
      expect(instance.operate({ action: "ban", uid: newcomer.uid }).ok).toBe(true);
      return instance.admit({ shard: seat.shard, ticket: seat.ticket, member: newcomer });
    });
    expect(admitted).toMatchObject({ ok: false, code: "banned" });
    expect((await info(room)).online).toBe(SHARD_MEMBERS + 1);
  });

  it("closes the socket of a newcomer whose kick reached its fan-out object while it waited for its welcome", async () => {
    const { room } = await spreadRoom();
    const uid = "u_CCCCCCCCCCCCCCCCCCCCCC";
    const seat = await runInDurableObject(env.ROOMS.getByName(room), (instance: ChatRoom) => seatElsewhere((instance as unknown as { fanout: FanOut }).fanout));
    const closed = await runInDurableObject(env.SHARDS.getByName(shardName(room, seat.shard)), async (shard: RoomShard) => {
      const headers = { Upgrade: "websocket", [UID_HEADER]: uid, [TICKET_HEADER]: seat.ticket };
      const upgrade = shard.fetch(new Request(`http://chat.test/chat/${room}?name=late`, { headers }));
      // Delivered while the newcomer's admission is still on its way back from the room.
      await shard.deliver({
        afterId: 0,
        entries: [
          { data: `{"type":"moderation","action":"kick","uid":"${uid}","by":"operator","ts":1}`, dismiss: { uid, code: CLOSE.kicked, reason: "kicked" } },
        ],
      });
      const ws = (await upgrade).webSocket!;
      const frames: string[] = [];
      ws.addEventListener("message", (event) => frames.push(event.data as string));
      const code = new Promise<number>((resolve) => ws.addEventListener("close", (event) => resolve(event.code)));
      ws.accept();
      return { code: await code, last: frames.at(-1) };
    });
    expect(closed).toEqual({ code: CLOSE.kicked, last: expect.stringContaining('"action":"kick"') });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await info(room)).online).toBe(SHARD_MEMBERS + 1);
  });

  it("closes a banned socket on a fan-out object that missed the flush, at the next stats tick", async () => {
    const { room, owner, target, targetUid } = await spreadRoom();
    await runInDurableObject(env.ROOMS.getByName(room), (instance: ChatRoom) => {
      const { fanout } = instance as unknown as { fanout: FanOut };
      const forward = fanout.forward.bind(fanout);
      fanout.forward = () => void (fanout.forward = forward);
    });
    await act(owner, { type: "ban", uid: targetUid });
    const [here, there] = target as [Client, Client];
    await here.until(() => here.closed, 5000, "the close here");
    await there.none("moderation", 300);
    expect(there.closed).toBeUndefined();
    await runDurableObjectAlarm(env.ROOMS.getByName(room));
    expect(await there.until(() => there.closed, 5000, "the close there")).toEqual({ code: CLOSE.banned, reason: "banned" });
    expect(there.ofType("error").at(-1)).toMatchObject({ code: "banned" });
  });

  it("tells a member on a fan-out object about slow mode once, with the time to wait", async () => {
    const { owner, moderator } = await spreadRoom();
    await act(owner, { type: "demote", uid: welcomeOf(moderator).you.uid });
    await act(owner, { type: "settings", slowSeconds: 60 });
    moderator.say("first", "n1");
    await moderator.until(() => moderator.ofType("message").some((m) => m.nonce === "n1"), 5000, "the first");
    const refused = await refusal(moderator, { type: "message", text: "second" });
    expect(refused).toMatchObject({ code: "slow_mode", retryAfter: expect.any(Number) });
    await moderator.none("error", 300);
    expect(moderator.ofType("error")).toHaveLength(1);
  });
});
