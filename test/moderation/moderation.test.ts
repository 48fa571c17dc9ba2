/**
 * Roles (src/moderation/moderation.ts): claiming a new room, promoting and demoting moderators, and what
 * moderators may do to messages. Roles belong to a uid and live in the room's SQLite.
 */
import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { answer, join, request, roomName } from "../helpers";
import { act, arrive, audit, change, post, refusal, roomState, staffedRoom, welcomeOf } from "../moderation-helpers";

describe("claim", () => {
  it("makes the first claimer of a new room its owner, announced to everyone and in later welcomes", async () => {
    const room = roomName();
    const alice = await arrive(room, "alice");
    const bob = await arrive(room, "bob");
    expect(welcomeOf(bob.client).room).toEqual({ owner: null, moderators: [], topic: "", slowSeconds: 0, locked: false });
    const claimed = await act(alice.client, { type: "claim" });
    expect(claimed).toMatchObject({ type: "moderation", action: "claim", uid: alice.uid, by: alice.uid, ts: expect.any(Number), seq: 1 });
    expect(await bob.client.next("moderation")).toEqual({ ...claimed, nonce: undefined });
    expect(await bob.client.next("room")).toEqual({ type: "room", owner: alice.uid, moderators: [], topic: "", slowSeconds: 0, locked: false, seq: 2 });
    expect(welcomeOf(await join(room, "carol")).room.owner).toBe(alice.uid);
  });

  it("refuses a room that already has messages with forbidden, so nobody can seize an established room", async () => {
    const room = roomName();
    const alice = await arrive(room, "alice");
    await post(alice.client, "hello");
    expect((await refusal(alice.client, { type: "claim" })).code).toBe("forbidden");
    expect(roomState(alice.client).owner).toBeNull();
  });

  it("refuses a room that has an owner, even to the owner", async () => {
    const { owner, member } = await staffedRoom();
    expect((await refusal(member.client, { type: "claim" })).code).toBe("forbidden");
    expect((await refusal(owner.client, { type: "claim" })).code).toBe("forbidden");
  });

  it("lets exactly one of two claims sent at once win; both learn the same owner", async () => {
    const room = roomName();
    const people = [await arrive(room, "alice"), await arrive(room, "bob")];
    const answers = await Promise.all(people.map(({ client }) => answer(client, { type: "claim" })));
    expect(answers.map((a) => (a.type === "error" ? a.code : a.type)).sort()).toEqual(["forbidden", "moderation"]);
    const winner = people[answers.findIndex((a) => a.type === "moderation")]!.uid;
    for (const { client } of people) {
      await client.until(() => client.ofType("room").length > 0, 3000, "the room frame");
      expect(client.ofType("room").map((frame) => frame.owner)).toEqual([winner]);
    }
  });

  it("keeps the owner through an eviction and on another connection with the same key", async () => {
    const room = roomName();
    const alice = await arrive(room, "alice");
    await act(alice.client, { type: "claim" });
    await evictDurableObject(env.ROOMS.getByName(room));
    alice.client.close();
    const again = await arrive(room, "alice", alice.key);
    expect(welcomeOf(again.client).room.owner).toBe(alice.uid);
    const bob = await arrive(room, "bob");
    expect((await act(again.client, { type: "promote", uid: bob.uid })).action).toBe("promote");
  });
});

describe("promote and demote", () => {
  it("let the owner make a person a moderator and take it back, each announced with the new room state", async () => {
    const { owner, moderator, member } = await staffedRoom();
    expect(roomState(member.client).moderators).toEqual([moderator.uid]);
    expect(await act(owner.client, { type: "promote", uid: member.uid })).toMatchObject({ action: "promote", uid: member.uid, by: owner.uid });
    await member.client.next("room");
    expect(roomState(member.client).moderators).toEqual([moderator.uid, member.uid]);
    await act(owner.client, { type: "demote", uid: moderator.uid });
    await member.client.next("room", 2);
    expect(roomState(member.client)).toMatchObject({ owner: owner.uid, moderators: [member.uid] });
  });

  it("are the owner's alone: a moderator or member gets forbidden and nothing changes", async () => {
    const { owner, moderator, member } = await staffedRoom();
    expect((await refusal(moderator.client, { type: "promote", uid: member.uid })).code).toBe("forbidden");
    expect((await refusal(member.client, { type: "promote", uid: member.uid })).code).toBe("forbidden");
    expect((await refusal(moderator.client, { type: "demote", uid: moderator.uid })).code).toBe("forbidden");
    expect((await refusal(member.client, { type: "demote", uid: moderator.uid })).code).toBe("forbidden");
    await owner.client.none("room", 200);
    expect(roomState(owner.client).moderators).toEqual([moderator.uid]);
  });

  it("never apply to the owner", async () => {
    const { owner } = await staffedRoom();
    expect((await refusal(owner.client, { type: "demote", uid: owner.uid })).code).toBe("forbidden");
    expect((await refusal(owner.client, { type: "promote", uid: owner.uid })).code).toBe("forbidden");
    expect(roomState(owner.client).owner).toBe(owner.uid);
  });

  it("follow the person to every connection with the same key", async () => {
    const { room, owner, member } = await staffedRoom();
    await act(owner.client, { type: "promote", uid: member.uid });
    const phone = await arrive(room, "mia", member.key);
    const target = await arrive(room, "tom");
    expect((await act(phone.client, { type: "kick", uid: target.uid })).by).toBe(member.uid);
  });

  it.each([
    ["no uid", { type: "promote" }],
    ["a uid that is not one", { type: "demote", uid: "bob" }],
    ["a number", { type: "promote", uid: 7 }],
  ])("refuse a frame with %s as invalid_frame", async (_what, frame) => {
    const { owner } = await staffedRoom();
    expect((await refusal(owner.client, frame)).code).toBe("invalid_frame");
  });
});

describe("deleting others' messages", () => {
  it("lets a moderator delete a member's message: the tombstone for everyone, then the announcement", async () => {
    const { owner, moderator, member } = await staffedRoom();
    const spam = await post(member.client, "buy cheap stuff");
    const { message } = await change(moderator.client, { type: "delete", id: spam.id });
    expect(message).toMatchObject({ id: spam.id, text: "", deleted: true, from: { uid: member.uid } });
    await owner.client.next("moderation", 3);
    const seen = owner.client.frames.slice(-2);
    const seq = (seen[0] as { seq: number }).seq;
    expect(seen).toEqual([
      { type: "update", seq, message },
      { type: "moderation", action: "delete", id: spam.id, uid: member.uid, by: moderator.uid, ts: expect.any(Number), seq: seq + 1 },
    ]);
  });

  it("lets the owner delete a moderator's message, and a moderator a bot's", async () => {
    const { room, owner, moderator } = await staffedRoom();
    const said = await post(moderator.client, "oops");
    expect((await change(owner.client, { type: "delete", id: said.id })).message.deleted).toBe(true);
    const pushed = await pushBot(room);
    expect((await change(moderator.client, { type: "delete", id: pushed })).message.deleted).toBe(true);
  });

  it("refuses a moderator the owner's and other moderators' messages, and a member anyone's", async () => {
    const { owner, moderator, member } = await staffedRoom();
    await act(owner.client, { type: "promote", uid: member.uid });
    const byOwner = await post(owner.client, "rules: be kind");
    const byOther = await post(member.client, "I moderate too");
    expect((await refusal(moderator.client, { type: "delete", id: byOwner.id })).code).toBe("forbidden");
    expect((await refusal(moderator.client, { type: "delete", id: byOther.id })).code).toBe("forbidden");
    await act(owner.client, { type: "demote", uid: member.uid });
    const byModerator = await post(moderator.client, "hi");
    expect((await refusal(member.client, { type: "delete", id: byModerator.id })).code).toBe("forbidden");
    await owner.client.none("update", 200);
  });

  it("leaves a moderator's own delete unannounced, like anyone's", async () => {
    const { owner, moderator } = await staffedRoom();
    const mine = await post(moderator.client, "typo");
    await change(moderator.client, { type: "delete", id: mine.id });
    await owner.client.next("update");
    await owner.client.none("moderation", 200);
    expect(owner.client.ofType("moderation").map((m) => m.action)).toEqual(["claim", "promote"]);
  });
});

/** A bot's message through the push API (vitest.config.ts binds PUSH_TOKEN); returns its id. */
async function pushBot(room: string): Promise<number> {
  const response = await request(`/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: "Bearer test-push-token", "content-type": "application/json" },
    body: JSON.stringify({ text: "spam from a bot", from: "ci" }),
  });
  return ((await response.json()) as { message: { id: number } }).message.id;
}

describe("changes that are not moderation", () => {
  it("announces nothing and audits nothing when a member reacts to, unreacts on or replies to someone else's message", async () => {
    const room = roomName();
    const alice = await arrive(room, "alice");
    const bob = await arrive(room, "bob");
    const carol = await arrive(room, "carol");
    const { id } = await post(alice.client, "lunch?");
    expect((await change(bob.client, { type: "react", id, emoji: "👍" })).message.reactions).toHaveLength(1);
    expect((await change(bob.client, { type: "react", id, emoji: "👍" })).message.reactions).toBeUndefined();
    const reply = await answer(bob.client, { type: "message", text: "yes", replyTo: id, nonce: "reply-1" });
    expect(reply).toMatchObject({ type: "message", replyTo: id });
    // Frames arrive in the room's order: anything announced for the reactions came before the reply.
    await carol.client.until(() => carol.client.messages().some((m) => m.text === "yes"), 3000, "the reply");
    expect(carol.client.ofType("update")).toHaveLength(2);
    for (const { client } of [alice, bob, carol]) expect(client.ofType("moderation")).toEqual([]);
    expect(await (await audit(room)).json()).toMatchObject({ entries: [] });
  });

  it("still announces and audits a moderator's delete of someone else's message", async () => {
    const { room, moderator, member } = await staffedRoom();
    const { id } = await post(member.client, "spam");
    await change(moderator.client, { type: "delete", id });
    const announced = await member.client.next("moderation");
    expect(announced).toMatchObject({ action: "delete", id, uid: member.uid, by: moderator.uid });
    const { entries } = (await (await audit(room)).json()) as { entries: { action: string }[] };
    expect(entries.map((entry) => entry.action)).toContain("delete");
  });
});
