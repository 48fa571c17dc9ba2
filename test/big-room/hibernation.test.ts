/**
 * Fan-out objects hibernate like the room: heartbeats are answered by the runtime without running
 * the object, and its sockets survive its eviction (src/fanout/shard.ts).
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { RoomShard } from "../../src/fanout/shard";
import { shardName } from "../../src/sockets/handoff";
import { roomName } from "../helpers";
import { crowd, SHARD_MEMBERS } from "./helpers";

describe("a fan-out object at rest", () => {
  it("answers ping with pong without calling its message handler", async () => {
    const room = roomName("ping");
    const members = await crowd(room, SHARD_MEMBERS + 1);
    const remote = members.at(-1)!;
    const spy = await runInDurableObject(env.SHARDS.getByName(shardName(room, 1)), (instance: RoomShard) => vi.spyOn(instance, "webSocketMessage"));
    for (let i = 0; i < 5; i++) remote.send("ping");
    await remote.until(() => remote.raw.filter((frame) => frame === "pong").length === 5, 3000, "5 pongs");
    expect(spy).not.toHaveBeenCalled();
    remote.send({ type: "typing" });
    await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
  });

  it("keeps its sockets through an eviction, and they still send and receive", async () => {
    const room = roomName("asleep");
    const members = await crowd(room, SHARD_MEMBERS + 2);
    const remote = members.at(-1)!;
    await evictDurableObject(env.SHARDS.getByName(shardName(room, 1)));
    remote.say("after the nap", "nap-1");
    await members[0]!.until(() => members[0]!.ofType("message").some((m) => m.text === "after the nap"), 5000, "the message");
    await remote.until(() => remote.ofType("message").some((m) => m.nonce === "nap-1"), 5000, "the acknowledgement");
    expect(remote.closed).toBeUndefined();
  });
});
