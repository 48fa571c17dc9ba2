/**
 * The room's settings (src/moderation/moderation.ts): a topic, slow mode and a lock, set by moderators, seen
 * by everyone, and holding from their exact place in the room's order. Moderators, the owner and
 * bots are exempt.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Moderation } from "../../src/moderation/moderation";
import type { ChatRoom } from "../../src/room/chat-room";
import type { Sender } from "../../src/wire/protocol";
import { type Client, join, request } from "../helpers";
import { act, change, post, refusal, roomState, staffedRoom, welcomeOf } from "../moderation-helpers";

function sender(client: Client): Sender {
  const { id, uid, name } = welcomeOf(client).you;
  return { id, uid, name };
}

describe("topic", () => {
  it("is set by a moderator and reaches everyone as the new room state, and later welcomes", async () => {
    const { room, moderator, member } = await staffedRoom();
    const set = await act(moderator.client, { type: "settings", topic: "Release party 🎉" });
    expect(set).toMatchObject({ action: "settings", settings: { topic: "Release party 🎉" }, by: moderator.uid });
    await member.client.next("room", 1);
    expect(roomState(member.client)).toMatchObject({ topic: "Release party 🎉", slowSeconds: 0, locked: false });
    expect(welcomeOf(await join(room, "late")).room.topic).toBe("Release party 🎉");
  });

  it("is cleared with an empty string", async () => {
    const { owner, member } = await staffedRoom();
    await act(owner.client, { type: "settings", topic: "old" });
    await act(owner.client, { type: "settings", topic: "" });
    await member.client.next("room", 2);
    expect(roomState(member.client).topic).toBe("");
  });

  it.each([
    ["over 200 characters", { topic: "x".repeat(201) }, "text_too_long"],
    ["blank", { topic: "   " }, "empty_text"],
    ["with control characters", { topic: "a\u0007b" }, "invalid_text"],
    ["no setting at all", {}, "invalid_frame"],
    ["a negative slow mode", { slowSeconds: -1 }, "invalid_frame"],
    ["a fractional slow mode", { slowSeconds: 1.5 }, "invalid_frame"],
    ["a slow mode over six hours", { slowSeconds: 21_601 }, "invalid_frame"],
    ["a lock that is not a boolean", { locked: "yes" }, "invalid_frame"],
  ])("refuses settings %s, changing nothing", async (_what, fields, code) => {
    const { owner, member } = await staffedRoom();
    expect((await refusal(owner.client, { type: "settings", ...fields })).code).toBe(code);
    await member.client.none("room", 200);
  });

  it("is refused to members with forbidden", async () => {
    const { owner, member } = await staffedRoom();
    expect((await refusal(member.client, { type: "settings", topic: "mine now", locked: true })).code).toBe("forbidden");
    await owner.client.none("room", 200);
    expect(roomState(owner.client)).toMatchObject({ topic: "", locked: false });
  });

  it("keeps the settings a change leaves out", async () => {
    const { owner, member } = await staffedRoom();
    await act(owner.client, { type: "settings", topic: "t", slowSeconds: 30 });
    await act(owner.client, { type: "settings", locked: true });
    await member.client.next("room", 2);
    expect(roomState(member.client)).toMatchObject({ topic: "t", slowSeconds: 30, locked: true });
  });
});

describe("lock", () => {
  it("lets members read and delete their own messages, not post, edit or react", async () => {
    const { owner, member } = await staffedRoom();
    const mine = await post(member.client, "before the lock");
    await act(owner.client, { type: "settings", locked: true });
    const refused = await refusal(member.client, { type: "message", text: "let me in" });
    expect(refused).toMatchObject({ code: "locked", nonce: expect.any(String) });
    expect((await refusal(member.client, { type: "edit", id: mine.id, text: "edited" })).code).toBe("locked");
    expect((await refusal(member.client, { type: "react", id: mine.id, emoji: "👍" })).code).toBe("locked");
    expect((await change(member.client, { type: "delete", id: mine.id })).message.deleted).toBe(true);
    await owner.client.until(() => owner.client.ofType("update").length === 1, 3000, "the delete");
    expect(owner.client.ofType("message").map((m) => m.text)).toEqual(["before the lock"]);
  });

  it("leaves moderators, the owner and bots free to post, and lifts when unlocked", async () => {
    const { room, owner, moderator, member } = await staffedRoom();
    await act(moderator.client, { type: "settings", locked: true });
    await post(owner.client, "from the owner");
    await post(moderator.client, "from a moderator");
    const pushed = await request(`/api/rooms/${room}/messages`, {
      method: "POST",
      headers: { authorization: "Bearer test-push-token", "content-type": "application/json" },
      body: JSON.stringify({ text: "from a bot", from: "ci" }),
    });
    expect(pushed.status).toBe(201);
    await act(moderator.client, { type: "settings", locked: false });
    expect((await post(member.client, "free again")).text).toBe("free again");
  });

  it("holds from its exact place in the room's order, even inside one group commit", async () => {
    const { room, moderator, member } = await staffedRoom();
    await runInDurableObject(env.ROOMS.getByName(room), async (instance: ChatRoom) => {
      const before = instance.post(sender(member.client), { text: "just in time", nonce: "n-before" });
      instance.change(sender(moderator.client), { type: "settings", locked: true });
      const after = instance.post(sender(member.client), { text: "too late", nonce: "n-after" });
      await Promise.all([before, after]);
    });
    const { client } = member;
    await client.until(() => client.ofType("error").length === 1, 3000, "the refusal");
    expect(client.ofType("message").map((m) => [m.text, m.nonce])).toEqual([["just in time", "n-before"]]);
    expect(client.ofType("error")).toEqual([expect.objectContaining({ code: "locked", nonce: "n-after" })]);
  });
});

describe("typing", () => {
  it("is relayed in a locked room only from those who may post: moderators, not members", async () => {
    const { owner, moderator, member } = await staffedRoom();
    await act(owner.client, { type: "settings", locked: true });
    await member.client.next("room");
    member.client.send({ type: "typing" });
    moderator.client.send({ type: "typing" });
    // Frames reach the owner in the room's order: the member's typing would have come first.
    const relayed = await owner.client.next("typing");
    expect(relayed.from.uid).toBe(moderator.uid);
    await owner.client.none("typing", 300);
    expect(owner.client.ofType("typing").map((frame) => frame.from.uid)).toEqual([moderator.uid]);
  });

  it("is not relayed from a member who must wait out slow mode, and is again once they may post", async () => {
    const { owner, member } = await staffedRoom();
    await act(owner.client, { type: "settings", slowSeconds: 1 });
    await post(member.client, "first");
    member.client.send({ type: "typing" });
    await owner.client.none("typing", 300);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    member.client.send({ type: "typing" });
    expect((await owner.client.next("typing")).from.uid).toBe(member.uid);
  });
});

describe("slow mode", () => {
  it("lets a member post once per slowSeconds, telling them when they may again", async () => {
    const { owner, member } = await staffedRoom();
    await act(owner.client, { type: "settings", slowSeconds: 1 });
    await post(member.client, "first");
    const refused = await refusal(member.client, { type: "message", text: "second" });
    expect(refused.code).toBe("slow_mode");
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfter! * 1000));
    expect((await post(member.client, "second")).text).toBe("second");
  });

  it("leaves moderators and the owner out", async () => {
    const { owner, moderator } = await staffedRoom();
    await act(owner.client, { type: "settings", slowSeconds: 60 });
    for (const client of [owner.client, owner.client, moderator.client, moderator.client]) await post(client, "again");
  });

  it("counts from the member's last message, exactly at the boundary, after a wake too (from storage)", async () => {
    const { room, owner, member } = await staffedRoom();
    await act(owner.client, { type: "settings", slowSeconds: 10 });
    const { ts } = await post(member.client, "first");
    await evictDurableObject(env.ROOMS.getByName(room));
    const answers = await runInDurableObject(env.ROOMS.getByName(room), (instance: ChatRoom) => {
      const { moderation } = instance as unknown as { moderation: Moderation };
      return [ts + 9_999, ts + 10_000].map((now) => moderation.holdsBackPost(sender(member.client), now));
    });
    expect(answers).toEqual([expect.objectContaining({ code: "slow_mode", retryAfter: 0.1 }), undefined]);
  });
});
