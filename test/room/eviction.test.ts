import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { join, roomName } from "../helpers";

describe("eviction mid-conversation", () => {
  it("keeps names, members, ids and history, and the sockets keep working", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    alice.say("before");
    await bob.next("message");
    await evictDurableObject(env.ROOMS.getByName(room));

    bob.say("after");
    const after = await alice.next("message", 2);
    expect(after).toMatchObject({ id: 2, text: "after", from: { name: "bob", id: (await bob.welcome()).you.id } });

    const carol = await join(room, "carol");
    const welcome = await carol.welcome();
    expect(welcome.members.map((m) => m.name)).toEqual(["alice", "bob", "carol"]);
    expect(welcome.history.map((m) => [m.id, m.text, m.from.name])).toEqual([
      [1, "before", "alice"],
      [2, "after", "bob"],
    ]);
  });

  it("announces a leave that happens after eviction", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    await evictDurableObject(env.ROOMS.getByName(room));
    bob.close();
    expect((await alice.next("leave")).member.name).toBe("bob");
  });

  it("answers ping with pong", async () => {
    const alice = await join(roomName(), "alice");
    alice.send("ping");
    await alice.until(() => alice.raw.includes("pong"), 3000, "pong");
  });
});
