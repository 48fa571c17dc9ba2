/**
 * A room that outgrows one object: sockets spread over fan-out objects, and every member, wherever
 * its socket lives, sees one room with one order (src/fanout/fanout.ts, src/fanout/shard.ts).
 */
import { describe, expect, it } from "vitest";
import { comparable } from "../e2e/reliable-client";
import { type Client, join, roomName } from "../helpers";
import { storedLog, storedRows } from "../reliability-helpers";
import { crowd, info, SHARD_MEMBERS, socketsPerObject } from "./helpers";

const logOf = (client: Client) => client.messages().map(comparable);

describe("spreading a room", () => {
  it("keeps the first SHARD_MEMBERS sockets in the room's object and fills fan-out objects in order", async () => {
    const room = roomName("spread");
    await crowd(room, SHARD_MEMBERS * 2 + 2);
    expect(await socketsPerObject(room, 3)).toEqual([SHARD_MEMBERS, SHARD_MEMBERS, 2, 0]);
    expect(await info(room)).toMatchObject({ online: SHARD_MEMBERS * 2 + 2, shards: 2 });
  });

  it("keeps a small room in one object", async () => {
    const room = roomName("small");
    await crowd(room, SHARD_MEMBERS);
    expect(await info(room)).toMatchObject({ online: SHARD_MEMBERS, shards: 0 });
  });

  it("gives 60 members over 12 objects every message once, in id order, equal to the stored history", async () => {
    const room = roomName("sixty");
    const members = await crowd(room, 60);
    const senders = [0, 3, 7, 22, 41, 59].map((i) => members[i]!);
    for (let round = 1; round <= 5; round++) {
      for (const [s, sender] of senders.entries()) sender.say(`round ${round} from ${s}`, `s${s}-r${round}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const total = senders.length * 5;
    await Promise.all(members.map((m) => m.until(() => m.ofType("message").length >= total, 15_000, `${total} messages`)));
    const stored = await storedLog(room);
    expect(stored.map(([id]) => id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const member of members) expect(logOf(member)).toEqual(stored);
    expect((await info(room)).shards).toBe(11);
  }, 60_000);

  it("acknowledges a member on a fan-out object exactly once, with the stored id", async () => {
    const room = roomName("ack");
    const members = await crowd(room, SHARD_MEMBERS + 2);
    const remote = members.at(-1)!;
    remote.say("from afar", "far-1");
    const echo = await remote.until(() => remote.ofType("message").find((m) => m.nonce === "far-1"), 5000, "the acknowledgement");
    await remote.none("message", 200);
    expect(remote.ofType("message").filter((m) => m.nonce === "far-1")).toHaveLength(1);
    expect((await storedRows(room)).map((row) => [row.id, row.nonce])).toEqual([[echo.id, "far-1"]]);
    expect(members[0]!.ofType("message").map((m) => [m.id, m.nonce])).toEqual([[echo.id, undefined]]);
  });

  it("relays typing from a fan-out object to everyone else, not to the typist", async () => {
    const room = roomName("typing");
    const members = await crowd(room, SHARD_MEMBERS + 3);
    const typist = members.at(-1)!;
    typist.send({ type: "typing" });
    await Promise.all(members.slice(0, -1).map((m) => m.next("typing", 1, 5000)));
    await typist.none("typing", 200);
  });

  it("serves a resume with since to a member whose socket is on a fan-out object", async () => {
    const room = roomName("resume");
    const members = await crowd(room, SHARD_MEMBERS);
    for (let n = 1; n <= 8; n++) members[0]!.say(`early ${n}`, `e${n}`);
    await members[0]!.until(() => members[0]!.ofType("message").length === 8, 5000, "8 messages");
    const late = await join(room, "late", 3, { batch: true });
    const welcome = await late.welcome();
    expect(welcome.history.map((m) => m.id)).toEqual([4, 5, 6, 7, 8]);
    expect((await info(room)).shards).toBe(1);
    members[1]!.say("live", "live-1");
    await late.until(() => late.ofType("message").some((m) => m.text === "live"), 5000, "the live message");
    expect(late.messages().map((m) => m.id)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it("counts one room's members exactly after joins, leaves and drops in every object", async () => {
    const room = roomName("count");
    const members = await crowd(room, 13);
    members[1]!.close();
    members[7]!.close();
    members[12]!.ws.close(4000, "dropped");
    await members[0]!.until(() => members[0]!.ofType("leave").length === 3, 5000, "three leaves");
    expect((await info(room)).online).toBe(10);
    const newcomer = await join(room, "newcomer", undefined, { batch: true });
    const welcome = await newcomer.welcome();
    expect(welcome.online).toBe(11);
    expect(welcome.members.map((m) => m.name).sort()).toEqual(["m0", "m10", "m11", "m2", "m3", "m4", "m5", "m6", "m8", "m9", "newcomer"]);
  });
});
