/**
 * Moderation actions and room states across a room's objects: they travel in the room's order like
 * messages, so a fan-out object that missed or lost some of the stream heals them from the
 * sequencer's storage (src/fanout/shard.ts), once each, in order, before anything newer.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { FanOut } from "../../src/fanout/fanout";
import { shardName } from "../../src/sockets/handoff";
import { eventSeq, type RoomEvent, type ServerFrame } from "../../src/wire/protocol";
import { type Client, join, roomName } from "../helpers";
import { crowd, SHARD_MEMBERS } from "./helpers";

/** What a client saw of the room's order, as `type@place` (a room-wide frame without a place shows as `@undefined`). */
function order(client: Client): string[] {
  const ordered = (f: ServerFrame): f is RoomEvent => f.type === "message" || f.type === "moderation" || f.type === "room";
  return client.frames.filter(ordered).map((event) => `${event.type}@${eventSeq(event)}`);
}

/** The next flush never reaches the room's fan-out objects, as if the call had been lost. */
function loseNextForward(room: string): Promise<void> {
  return runInDurableObject(env.ROOMS.getByName(room), (instance) => {
    const { fanout } = instance as unknown as { fanout: FanOut };
    const forward = fanout.forward.bind(fanout);
    fanout.forward = () => void (fanout.forward = forward);
  });
}

async function ownedCrowd(room: string): Promise<Client[]> {
  const members = await crowd(room, SHARD_MEMBERS + 2);
  members[0]!.send({ type: "claim" });
  await members.at(-1)!.next("room");
  return members;
}

describe("room-wide frames in a big room", () => {
  it("reach a fan-out object that lost the flush carrying them, before the next message", async () => {
    const room = roomName("order-gap");
    const members = await ownedCrowd(room);
    const [owner, remote] = [members[0]!, members.at(-1)!];
    await loseNextForward(room);
    owner.send({ type: "settings", topic: "lost and found" });
    await owner.until(() => owner.ofType("room").length === 2, 5000, "the new state here");
    owner.say("after", "n-after");
    await remote.until(() => remote.ofType("message").length === 1, 5000, "the message there");
    await remote.none("room", 200);
    expect(order(remote)).toEqual(order(owner));
    expect(remote.ofType("room").at(-1)).toMatchObject({ topic: "lost and found" });
  });

  it("reach every member once and in order with the messages while a fan-out object is evicted and loses flushes mid-stream", async () => {
    const room = roomName("order-evict");
    const members = await ownedCrowd(room);
    const owner = members[0]!;
    for (let i = 1; i <= 12; i++) {
      if (i % 3 === 0) owner.send({ type: "settings", topic: `topic ${i}` });
      else owner.say(`message ${i}`, `n${i}`);
      if (i % 4 === 2) await evictDurableObject(env.SHARDS.getByName(shardName(room, 1)));
      // The flush carrying each settings change is lost on its way, as a call to an object being evicted can be.
      if (i % 3 === 2) await loseNextForward(room);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const expected = await owner.until(
      () => (owner.ofType("room").length === 5 && owner.ofType("message").length === 8 ? order(owner) : false),
      5000,
      "all of it",
    );
    for (const member of members.slice(1)) {
      await member.until(() => order(member).length >= expected.length, 5000, "all of it there");
      await member.none("message", 100);
      expect(order(member)).toEqual(expected);
    }
  }, 30_000);

  it("close a kicked person's socket on a fan-out object that lost the flush announcing the kick", async () => {
    const room = roomName("order-kick");
    const key = "kicked-person-key-0123456789";
    const members = await ownedCrowd(room);
    const owner = members[0]!;
    const kicked = await join(room, "kicked", undefined, { key, batch: true });
    const { uid } = (await kicked.welcome()).you;
    await loseNextForward(room);
    owner.send({ type: "kick", uid });
    await owner.next("moderation", 2);
    owner.say("next", "n-next");
    const closed = await kicked.until(() => kicked.closed, 5000, "the kick there");
    expect(closed.code).toBe(4001);
  });
});
