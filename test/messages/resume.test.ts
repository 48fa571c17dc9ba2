import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Client, join, roomName } from "../helpers";

async function said(client: Client, count: number, prefix = "m"): Promise<void> {
  const before = client.ofType("message").length;
  for (let i = 1; i <= count; i++) client.say(`${prefix}${i}`);
  await client.next("message", before + count);
}

describe("resume with since", () => {
  it("delivers exactly the messages after since, then live ones: no gap, no duplicate", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await said(alice, 5);
    const bob = await join(room, "bob", 2);
    const welcome = await bob.welcome();
    expect(welcome.history.map((m) => m.id)).toEqual([3, 4, 5]);
    expect(welcome.gap).toBe(false);
    alice.say("live");
    await bob.next("message");
    expect(bob.messages().map((m) => m.id)).toEqual([3, 4, 5, 6]);
  });

  it("delivers nothing old when the client is up to date", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await said(alice, 3);
    const bob = await join(room, "bob", 3);
    expect((await bob.welcome()).history).toEqual([]);
    await bob.none("message");
  });

  it("streams the rest of a long absence after the welcome's first page, in order", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    // WELCOME_HISTORY is 100: 130 missed messages need a welcome page plus 30 message frames.
    for (let batch = 0; batch < 13; batch++) {
      await said(alice, 10, `b${batch}-`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const bob = await join(room, "bob", 0);
    expect((await bob.welcome()).history).toHaveLength(100);
    await bob.next("message", 30);
    expect(bob.messages().map((m) => m.id)).toEqual([...Array(130).keys()].map((i) => i + 1));
  }, 30_000);

  it("says so when messages after since are past retention", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await said(alice, 4);
    await runInDurableObject(env.ROOMS.getByName(room), (_instance, state) => {
      state.storage.sql.exec("DELETE FROM messages WHERE id <= 2");
    });
    const bob = await join(room, "bob", 1);
    const welcome = await bob.welcome();
    expect(welcome.gap).toBe(true);
    expect(welcome.history.map((m) => m.id)).toEqual([3, 4]);
  });

  it("says so when since is beyond the room's newest id", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await said(alice, 2);
    const bob = await join(room, "bob", 99);
    const welcome = await bob.welcome();
    expect(welcome.gap).toBe(true);
    expect(welcome.history.map((m) => m.id)).toEqual([1, 2]);
  });
});

describe("nonce de-duplication", () => {
  it("stores a retried nonce once and acknowledges the retry with the original id", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    alice.say("once", "retry-me");
    const first = await alice.next("message");
    alice.ws.close();
    const again = await join(room, "alice", first.id);
    again.say("once", "retry-me");
    expect(await again.next("message")).toMatchObject({ id: first.id, nonce: "retry-me", text: "once" });
    await bob.none("message", 300);
    expect(bob.ofType("message")).toHaveLength(1);
  });

  it("refuses another message that reuses a stored nonce with nonce_conflict", async () => {
    const room = roomName();
    const mallory = await join(room, "mallory");
    const alice = await join(room, "alice");
    mallory.say("first", "shared-nonce");
    await alice.next("message");
    alice.say("different", "shared-nonce");
    expect(await alice.next("error")).toMatchObject({ code: "nonce_conflict", nonce: "shared-nonce" });
    await alice.none("message", 200);
    expect(alice.ofType("message")).toHaveLength(1);
  });

  it("keeps messages without a nonce apart even when their text repeats", async () => {
    const alice = await join(roomName(), "alice");
    alice.say("same");
    alice.say("same");
    expect((await alice.next("message", 2)).id).toBe(2);
  });
});
