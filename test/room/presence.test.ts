import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newSecret, uidOf } from "../../src/identity/identity";
import { announcement, mergePresence } from "../../src/room/presence";
import type { Member } from "../../src/wire/protocol";
import { type Client, join, request, roomName } from "../helpers";

/** Two sockets of one person (one key), both welcomed. */
async function twoTabs(room: string, name: string): Promise<[Client, Client, string]> {
  const key = newSecret();
  const first = await join(room, name, undefined, { key });
  const second = await join(room, name, undefined, { key });
  return [first, second, await uidOf(key, room)];
}

async function online(room: string): Promise<number> {
  return ((await (await request(`/api/rooms/${room}`)).json()) as { online: number }).online;
}

describe("presence per person", () => {
  it("lists a person once in the welcome however many sockets they have open", async () => {
    const room = roomName();
    const [first, , uid] = await twoTabs(room, "alice");
    const { members } = await (await join(room, "bob")).welcome();
    expect(members.map((m) => [m.name, m.uid])).toEqual([
      ["alice", uid],
      ["bob", expect.any(String)],
    ]);
    expect(members[0]!.id).toBe((await first.welcome()).you.id);
  });

  it("shows a second socket the person's entry from the first one", async () => {
    const room = roomName();
    const [first, second] = await twoTabs(room, "alice");
    const { you, members } = await second.welcome();
    expect(members).toEqual([(await first.welcome()).you]);
    expect(members[0]!.uid).toBe(you.uid);
  });

  it("announces no join for a second socket of someone present", async () => {
    const room = roomName();
    const bob = await join(room, "bob");
    await twoTabs(room, "alice");
    await bob.next("join");
    await bob.none("join", 300);
    expect(bob.ofType("join")).toHaveLength(1);
  });

  it("announces a leave only when the person's last socket closes", async () => {
    const room = roomName();
    const bob = await join(room, "bob");
    const [first, second] = await twoTabs(room, "alice");
    first.close();
    await bob.none("leave", 300);
    second.close();
    expect((await bob.next("leave")).member.name).toBe("alice");
  });

  it("names in the leave the entry the join named, even when the first socket closed first", async () => {
    const room = roomName();
    const bob = await join(room, "bob");
    const [first, second] = await twoTabs(room, "alice");
    const joined = await bob.next("join");
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    second.close();
    expect((await bob.next("leave")).member).toEqual(joined.member);
  });

  it("keeps people and their sockets apart through an eviction", async () => {
    const room = roomName();
    const bob = await join(room, "bob");
    const [first, second] = await twoTabs(room, "alice");
    const joined = await bob.next("join");
    await evictDurableObject(env.ROOMS.getByName(room));
    first.close();
    await bob.none("leave", 300);
    await evictDurableObject(env.ROOMS.getByName(room));
    second.close();
    expect((await bob.next("leave")).member).toEqual(joined.member);
    const { members } = await (await join(room, "carol")).welcome();
    expect(members.map((m) => m.name)).toEqual(["bob", "carol"]);
  });

  it("counts people, not sockets, as online", async () => {
    const room = roomName();
    await twoTabs(room, "alice");
    await join(room, "bob");
    expect(await online(room)).toBe(2);
  });

  it("gives the same person the same uid under different names", async () => {
    const room = roomName();
    const key = newSecret();
    const a = await join(room, "alice", undefined, { key });
    const b = await join(room, "alice on phone", undefined, { key });
    expect((await b.welcome()).you.uid).toBe((await a.welcome()).you.uid);
    expect((await b.welcome()).members.map((m) => m.name)).toEqual(["alice"]);
  });
});

describe("presence in one flush", () => {
  const old: Member = { id: "tab-1", uid: "u_alice", name: "alice", joinedAt: 1 };
  const renewed: Member = { id: "tab-2", uid: "u_alice", name: "alice", joinedAt: 2 };

  it("spares a joining connection its own join", () => {
    const [join] = mergePresence([announcement("join", renewed)]);
    expect(join).toMatchObject({ except: "tab-2" });
  });

  it("tells a person's new socket both its old entry's leave and its new entry's join, in order", () => {
    // A last tab closes as a new one opens: the new one hears the leave, so it must hear the join.
    const merged = mergePresence([announcement("leave", old), announcement("join", renewed)]);
    expect(merged.map((entry) => [JSON.parse(entry.data), entry.except])).toEqual([
      [{ type: "leave", member: old }, undefined],
      [{ type: "join", member: renewed }, undefined],
    ]);
  });
});
