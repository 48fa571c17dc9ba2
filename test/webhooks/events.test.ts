/**
 * What a room tells the app: every change as a signed event, in the room's order, with `seq`
 * counting up without gaps (src/webhooks/).
 */
import { describe, expect, it } from "vitest";
import { answer, join, person, roomName } from "../helpers";
import { attempts, received, types } from "./support";

describe("webhook events", () => {
  it("sends messages and their changes signed, in order, seq counting up by one, a deleted text never", async () => {
    const room = roomName("events");
    const alice = await join(room, "alice");
    const sent = await answer(alice, { type: "message", text: "secret plan" });
    const id = sent.type === "message" ? sent.id : 0;
    await answer(alice, { type: "edit", id, text: "secret plan v2" });
    await answer(alice, { type: "react", id, emoji: "👍" });
    await answer(alice, { type: "react", id, emoji: "👍" });
    await answer(alice, { type: "delete", id });
    const events = await received(room, (e) => e.some((event) => event.type === "message.deleted"));
    expect(types(events)).toEqual(["member.joined", "message.created", "message.edited", "reaction.added", "reaction.removed", "message.deleted"]);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((event) => event.room === room && event.id.startsWith("evt_"))).toBe(true);
    expect(events[1]!.data).toMatchObject({ message: { id, text: "secret plan", from: { name: "alice" } } });
    expect(events[2]!.data).toMatchObject({ message: { id, text: "secret plan v2" } });
    expect(events[3]!.data).toMatchObject({ id, emoji: "👍", reactions: [{ emoji: "👍", count: 1 }] });
    expect(JSON.stringify(events[5]!.data)).not.toContain("secret plan");
    expect(events[5]!.data).toMatchObject({ message: { id, deleted: true } });
    expect((await attempts(room)).unsigned).toBe(0);
  });

  it("tells of a person joining and leaving once, however many sockets they have", async () => {
    const room = roomName("people");
    const key = crypto.randomUUID();
    const first = await person(room, "bo", key);
    const second = await person(room, "bo", key);
    first.close();
    await received(room, (e) => e.length >= 1);
    second.close();
    const events = await received(room, (e) => e.some((event) => event.type === "member.left"));
    expect(types(events)).toEqual(["member.joined", "member.left"]);
    expect(events[0]!.data).toEqual({ uid: expect.stringMatching(/^u_/), name: "bo" });
  });

  it("tells of moderation actions and of the room's new state", async () => {
    const room = roomName("moderated");
    const owner = await join(room, "olga");
    await answer(owner, { type: "claim" });
    await answer(owner, { type: "settings", topic: "launch day" });
    const events = await received(room, (e) => e.filter((event) => event.type === "room.updated").length >= 2);
    expect(types(events)).toEqual(["member.joined", "moderation", "room.updated", "moderation", "room.updated"]);
    expect(events[1]!.data).toMatchObject({ action: "claim", by: expect.stringMatching(/^u_/) });
    expect(events[4]!.data).toMatchObject({ topic: "launch day", owner: expect.stringMatching(/^u_/) });
  });
});
