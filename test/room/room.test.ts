import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Delivery } from "../../src/delivery/delivery";
import { announcement } from "../../src/room/presence";
import type { Member } from "../../src/wire/protocol";
import { connect, join, roomName } from "../helpers";

/** Queues presence announcements inside the room at once, as a storm of arrivals would. */
function announce(room: string, ...runs: ["join" | "leave", string[]][]): Promise<void> {
  return runInDurableObject(env.ROOMS.getByName(room), (instance) => {
    const { delivery } = instance as unknown as { delivery: Delivery };
    for (const [type, names] of runs) {
      for (const name of names) delivery.enqueue(announcement(type, { id: `id-${name}`, uid: `u_${name}`, name, joinedAt: Date.now() } satisfies Member));
    }
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("broadcast", () => {
  it("delivers a message to every member, sender included, with the same id", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    alice.say("hello", "n1");
    const [a, b] = await Promise.all([alice.next("message"), bob.next("message")]);
    expect(a).toMatchObject({ id: 1, text: "hello", from: { id: a.from.id, name: "alice" }, nonce: "n1" });
    expect(b).toMatchObject({ id: 1, text: "hello", from: { name: "alice" } });
    expect(b.nonce).toBeUndefined();
  });

  it("gives every member the same messages in the same order", async () => {
    const room = roomName();
    const clients = await Promise.all(["a", "b", "c"].map((name) => join(room, name)));
    clients.forEach((client, i) => {
      for (let n = 0; n < 5; n++) client.say(`${i}:${n}`);
    });
    await Promise.all(clients.map((client) => client.next("message", 15)));
    const logs = clients.map((client) => client.ofType("message").map((m) => `${m.id}/${m.text}`));
    expect(logs[1]).toEqual(logs[0]);
    expect(logs[2]).toEqual(logs[0]);
    expect(clients[0]!.ofType("message").map((m) => m.id)).toEqual([...Array(15).keys()].map((i) => i + 1));
  });

  it("keeps rooms apart", async () => {
    const alice = await join(roomName(), "alice");
    const bob = await join(roomName(), "bob");
    alice.say("only here");
    await alice.next("message");
    await bob.none("message");
    await bob.none("join");
  });
});

describe("membership", () => {
  it("announces a newcomer to the others, not to itself", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    expect((await alice.next("join")).member.name).toBe("bob");
    await bob.none("join");
  });

  it("announces a few simultaneous arrivals one frame each", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await announce(room, ["join", ["x", "y"]]);
    await alice.next("join", 2);
    expect(alice.ofType("join").map((f) => [f.member.name, f.members])).toEqual([
      ["x", undefined],
      ["y", undefined],
    ]);
  });

  it("announces a storm of arrivals and departures as one frame per kind, in order", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await settle(); // a quiet room: the storm's first arrival goes out at once, alone
    await announce(room, ["join", ["a", "b", "c", "d", "e"]], ["leave", ["a", "b", "c", "d"]]);
    const first = await alice.next("join");
    const joined = await alice.next("join", 2);
    const left = await alice.next("leave");
    expect([first.member.name, first.members]).toEqual(["a", undefined]);
    expect(joined.members?.map((m) => m.name)).toEqual(["b", "c", "d", "e"]);
    expect(joined.member.name).toBe("b");
    expect(left.members?.map((m) => m.name)).toEqual(["a", "b", "c", "d"]);
    expect(alice.frames.indexOf(joined)).toBeLessThan(alice.frames.indexOf(left));
    await alice.none("join", 200);
  });

  it("announces a join before any later message from the newcomer", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    bob.say("hi right away");
    await alice.next("message");
    const types = alice.frames.map((f) => f.type);
    expect(types.indexOf("join")).toBeLessThan(types.indexOf("message"));
  });

  it("announces a leave exactly once", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    bob.close();
    expect((await alice.next("leave")).member.name).toBe("bob");
    await alice.none("leave", 300);
    expect(alice.ofType("leave")).toHaveLength(1);
  });

  it("lists the members present in the welcome, after joins and leaves", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    await join(room, "carol");
    bob.close();
    await alice.next("leave");
    const dave = await join(room, "dave");
    expect((await dave.welcome()).members.map((m) => m.name)).toEqual(["alice", "carol", "dave"]);
  });

  it("tells each member its own id and name", async () => {
    const alice = await join(roomName(), "  alice  ");
    const welcome = await alice.welcome();
    expect(welcome.you).toMatchObject({ name: "alice" });
    expect(welcome.members).toContainEqual(welcome.you);
  });

  it("refuses one member over the cap with room_full and close 1013", async () => {
    const room = roomName();
    // The test config sets MAX_MEMBERS to 5.
    for (let i = 0; i < 5; i++) await join(room, `m${i}`);
    const sixth = await connect(room, "?name=late");
    expect(await sixth.next("error")).toMatchObject({ code: "room_full" });
    await sixth.until(() => sixth.closed, 3000, "close");
    expect(sixth.closed?.code).toBe(1013);
    expect(sixth.ofType("welcome")).toHaveLength(0);
  });
});

describe("typing", () => {
  it("relays typing to the others, never to the typist, and stores nothing", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    alice.send({ type: "typing" });
    expect((await bob.next("typing")).from.name).toBe("alice");
    await alice.none("typing");
    const carol = await join(room, "carol");
    expect((await carol.welcome()).latestId).toBe(0);
  });

  it("relays at most one typing frame per second per member", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    for (let i = 0; i < 5; i++) alice.send({ type: "typing" });
    await bob.next("typing");
    await bob.none("typing", 300);
    expect(bob.ofType("typing")).toHaveLength(1);
  });
});

describe("history", () => {
  it("shows a newcomer the recent history, oldest first", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    for (const text of ["one", "two", "three"]) alice.say(text);
    await alice.next("message", 3);
    const bob = await join(room, "bob");
    const welcome = await bob.welcome();
    expect(welcome.history.map((m) => m.text)).toEqual(["one", "two", "three"]);
    expect(welcome.latestId).toBe(3);
    expect(welcome.gap).toBe(false);
  });
});
