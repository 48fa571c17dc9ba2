/**
 * Eviction in the middle of traffic: the object is torn down while clients are sending. The sockets
 * hibernate rather than close, so names, member ids, message ids and history must all come through.
 */
import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { comparable, ReliableClient, sleep } from "../e2e/reliable-client";
import { join, roomName } from "../helpers";
import { dialRoom, storedLog } from "../reliability-helpers";

const SENDERS = ["ana", "ben", "cho"];
const ROUNDS = 30;
const EVICT_EVERY = 10;

describe("eviction during traffic", () => {
  it("keeps names, members, ids and history intact", async () => {
    const room = roomName("evict");
    const observer = await join(room, "observer");
    const senders = SENDERS.map((name) => new ReliableClient(name, dialRoom(room)));
    for (const sender of senders) await sender.start();

    for (let round = 1; round <= ROUNDS; round++) {
      for (const sender of senders) sender.say(`${sender.name} ${round}`);
      if (round % EVICT_EVERY === 0) await evictDurableObject(env.ROOMS.getByName(room));
      await sleep(5);
    }
    const total = ROUNDS * SENDERS.length;
    await Promise.all(senders.map((sender) => sender.settle(() => total)));
    await observer.until(() => observer.messages().length >= total, 5000, "observer to see every message");

    // The sockets hibernated: nobody was disconnected, so nothing was re-sent.
    expect(senders.map((sender) => sender.stats.reconnects)).toEqual([0, 0, 0]);
    const stored = await storedLog(room);
    expect(stored.map(([id]) => id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(observer.messages().map(comparable)).toEqual(stored);
    for (const sender of senders) expect(sender.log.map(comparable)).toEqual(stored);

    // Each sender kept one identity across the evictions, and the room still knows it by name.
    const idOf = new Map(stored.map(([, id, name]) => [name, id]));
    expect(new Set(stored.map(([, id]) => id)).size).toBe(SENDERS.length);
    const newcomer = await join(room, "newcomer");
    const { members } = await newcomer.welcome();
    expect(members.map(({ id, name }) => [name, id])).toEqual(expect.arrayContaining(SENDERS.map((name) => [name, idOf.get(name)])));
    expect(members.map((member) => member.name).sort()).toEqual(["ana", "ben", "cho", "newcomer", "observer"]);
    for (const sender of senders) sender.stop();
  }, 30_000);

  it("keeps logs equal to storage and members exact when clients drop and resume across evictions and restarts", async () => {
    const room = roomName("evict-churn");
    const clients = SENDERS.map((name) => new ReliableClient(name, dialRoom(room)));
    for (const client of clients) await client.start();
    const total = 120;
    for (let i = 1; i <= total; i++) {
      clients[i % clients.length]!.say(`message ${i}`);
      if (i % 7 === 0) clients[(i / 7) % clients.length]!.drop();
      // Every other eviction closes the sockets instead, as a restart of the object would.
      if (i % 20 === 0) await evictDurableObject(env.ROOMS.getByName(room), { webSockets: i % 40 ? "hibernate" : "close" });
      await sleep(5);
    }
    await Promise.all(clients.map((client) => client.settle(() => total)));

    const stored = await storedLog(room);
    expect(stored.map(([id]) => id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const client of clients) expect(client.log.map(comparable)).toEqual(stored);
    for (const client of clients) expect(client.stats.reconnects).toBeGreaterThanOrEqual(3);
    // No ghosts: sockets that closed around an eviction left the member list.
    const { members } = await (await join(room, "newcomer")).welcome();
    expect(members.map((member) => member.name).sort()).toEqual([...SENDERS, "newcomer"]);
    for (const client of clients) client.stop();
  }, 30_000);
});
