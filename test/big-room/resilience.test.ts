/**
 * A big room when objects go away: the sequencer and fan-out objects are evicted mid-conversation,
 * batches go missing, members drop and resume. Nothing is lost or doubled (src/fanout/shard.ts heals gaps
 * from the sequencer's storage).
 */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { FanOut } from "../../src/fanout/fanout";
import type { RoomShard } from "../../src/fanout/shard";
import { shardName } from "../../src/sockets/handoff";
import type { Members } from "../../src/sockets/members";
import { comparable, pickSeed, ReliableClient, seededRandom, sleep } from "../e2e/reliable-client";
import { roomName } from "../helpers";
import { dialRoom, storedLog } from "../reliability-helpers";
import { crowd, info, SHARD_MEMBERS } from "./helpers";

describe("a big room under trouble", () => {
  it("loses and doubles nothing when the sequencer and fan-out objects are evicted during traffic", async () => {
    const room = roomName("evict-big");
    const clients = Array.from({ length: 16 }, (_, i) => new ReliableClient(`c${i}`, dialRoom(room, { batch: i % 2 === 0 })));
    for (const client of clients) await client.start();
    expect((await info(room)).shards).toBe(3);
    const total = 90;
    for (let i = 1; i <= total; i++) {
      clients[(i * 7) % clients.length]!.say(`message ${i}`);
      if (i % 30 === 10) await evictDurableObject(env.ROOMS.getByName(room));
      if (i % 30 === 20) await evictDurableObject(env.SHARDS.getByName(shardName(room, 1 + ((i / 30) | 0))));
      await sleep(5);
    }
    await Promise.all(clients.map((client) => client.settle(() => total)));
    const stored = await storedLog(room);
    expect(stored.map(([id]) => id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const client of clients) expect(client.log.map(comparable)).toEqual(stored);
    expect(clients.map((client) => client.stats.reconnects)).toEqual(clients.map(() => 0));
    for (const client of clients) client.stop();
  }, 60_000);

  it("heals a fan-out object that missed a batch, before delivering anything newer", async () => {
    const room = roomName("gap");
    const members = await crowd(room, SHARD_MEMBERS + 2);
    const [local, remote] = [members[0]!, members.at(-1)!];
    local.say("one", "n1");
    await remote.next("message");
    // The next flush never reaches the fan-out object, as if the call had been lost.
    await runInDurableObject(env.ROOMS.getByName(room), (instance) => {
      const { fanout } = instance as unknown as { fanout: FanOut };
      const forward = fanout.forward.bind(fanout);
      fanout.forward = () => void (fanout.forward = forward);
    });
    local.say("two", "n2");
    await local.until(() => local.ofType("message").length === 2, 5000, "the second message here");
    local.say("three", "n3");
    await remote.until(() => remote.ofType("message").length >= 3, 5000, "the third message there");
    await remote.none("message", 200);
    expect(remote.ofType("message").map((m) => [m.id, m.text])).toEqual([
      [1, "one"],
      [2, "two"],
      [3, "three"],
    ]);
  });

  it("lets members on fan-out objects drop and resume without loss, each log equal to storage", async () => {
    const seed = pickSeed();
    const random = seededRandom(seed);
    const room = roomName("churn-big");
    const clients = Array.from({ length: 14 }, (_, i) => new ReliableClient(`c${i}`, dialRoom(room, { batch: true }), random));
    for (const client of clients) await client.start();
    const total = 80;
    for (let i = 1; i <= total; i++) {
      clients[Math.floor(random() * clients.length)]!.say(`message ${i}`);
      if (random() < 0.15) clients[Math.floor(random() * clients.length)]!.drop();
      await sleep(random() * 10);
    }
    await Promise.all(clients.map((client) => client.settle(() => total)));
    const stored = await storedLog(room);
    expect(stored.map(([id]) => id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const client of clients) expect(client.log.map(comparable)).toEqual(stored);
    await sleep(200);
    expect((await info(room)).online).toBe(clients.length);
    for (const client of clients) client.stop();
  }, 60_000);

  it("forgets members whose fan-out object no longer holds their socket, on the next stats tick", async () => {
    const room = roomName("strays");
    const members = await crowd(room, SHARD_MEMBERS + 2);
    // The fan-out object loses one socket without telling the sequencer, as a crash would.
    await runInDurableObject(env.SHARDS.getByName(shardName(room, 1)), (instance: RoomShard, state) => {
      const [ws] = state.getWebSockets();
      (instance as unknown as { members: Members }).members.remove(ws!);
      ws!.close(1001, "gone");
    });
    expect((await info(room)).online).toBe(SHARD_MEMBERS + 2);
    await runDurableObjectAlarm(env.ROOMS.getByName(room));
    expect((await info(room)).online).toBe(SHARD_MEMBERS + 1);
    expect((await members[0]!.next("leave")).member.name).toMatch(/^m[56]$/);
  });
});
