/**
 * The client library (packages/client) in Node against a real `wrangler dev`: chatting, the
 * acknowledgement, message actions, history pages, and a kick that ends the room handle.
 */
import { describe, expect, it } from "vitest";
import type { MessageFrame } from "../../packages/client/src/index";
import { freshRoom, recordStates, until, useClientServer } from "./client-support";
import { sleep } from "./reliable-client";

const fixture = useClientServer();
const { join } = fixture;

describe("client library", () => {
  it("lets two clients chat: each sees the other's message, with the same id", async () => {
    const room = freshRoom("lib-chat");
    const ana = join(room, "ana");
    await ana.ready;
    const ben = join(room, "ben");
    await ben.ready;
    const heard = new Promise<MessageFrame>((resolve) => ben.on("message", resolve));
    const sent = await ana.send("hello ben");
    const got = await heard;
    expect(got).toMatchObject({ id: sent.id, text: "hello ben", from: { name: "ana", uid: ana.you!.uid } });
    await until(ana, () => ana.members.length === 2, "ben in ana's members");
    // Members are listed in the order they arrived.
    expect(ana.members.map((m) => m.name)).toEqual(["ana", "ben"]);
  });

  it("resolves send with the stored message once the room acknowledged it", async () => {
    const ana = join(freshRoom("lib-ack"), "ana");
    const [first, second] = await Promise.all([ana.send("one"), ana.send("two", { replyTo: undefined })]);
    expect(first.id).toBeGreaterThan(0);
    expect(second.id).toBeGreaterThan(first.id);
    expect(first).not.toHaveProperty("nonce");
    expect(ana.messages.map((m) => m.text)).toEqual(["one", "two"]);
    const reply = await ana.send("re: one", { replyTo: first.id });
    expect(reply.replyTo).toBe(first.id);
  });

  it("rejects a send the room refuses with its error code, and keeps the next one", async () => {
    const ana = join(freshRoom("lib-refuse"), "ana");
    await ana.ready;
    await expect(ana.send("   ")).rejects.toMatchObject({ code: "empty_text" });
    await expect(ana.send("fine")).resolves.toMatchObject({ text: "fine" });
  });

  it("edits, reacts and deletes, each resolving with the message's new state seen by others too", async () => {
    const room = freshRoom("lib-actions");
    const ana = join(room, "ana");
    const ben = join(room, "ben");
    await ben.ready;
    const { id } = await ana.send("typo");
    expect(await ana.edit(id, "fixed")).toMatchObject({ id, text: "fixed", editedAt: expect.any(Number) });
    expect((await ben.react(id, "👍")).reactions).toEqual([{ emoji: "👍", count: 1, uids: [ben.you!.uid] }]);
    await expect(ben.edit(id, "mine now")).rejects.toMatchObject({ code: "forbidden" });
    expect(await ana.delete(id)).toMatchObject({ id, deleted: true, text: "" });
    await until(ben, () => ben.messages.find((m) => m.id === id)?.deleted === true, "the tombstone at ben's");
  });

  it("tells others who is typing, until their message arrives", async () => {
    const room = freshRoom("lib-typing");
    const ana = join(room, "ana");
    await ana.ready;
    const ben = join(room, "ben");
    await ben.ready;
    await ana.typing();
    await until(ben, () => ben.typists.some((t) => t.name === "ana"), "ana typing at ben's");
    await ana.send("done typing");
    await until(ben, () => ben.typists.length === 0, "ana no longer typing");
  });

  it("pages backwards through history and merges older messages in order", async () => {
    const room = freshRoom("lib-history");
    const ana = join(room, "ana");
    const ids: number[] = [];
    for (let i = 1; i <= 7; i++) ids.push((await ana.send(`m${i}`)).id);
    const late = join(room, "late");
    await late.ready;
    const first = await late.history({ limit: 3 });
    expect(first.messages.map((m) => m.text)).toEqual(["m5", "m6", "m7"]);
    const second = await late.history({ before: first.nextBefore!, limit: 3 });
    expect(second.messages.map((m) => m.text)).toEqual(["m2", "m3", "m4"]);
    const last = await late.history({ before: second.nextBefore!, limit: 3 });
    expect(last).toEqual({ messages: [expect.objectContaining({ text: "m1" })], nextBefore: null });
    expect(late.messages.map((m) => m.id)).toEqual(ids);
    await expect(late.history({ limit: 500 })).rejects.toMatchObject({ code: "invalid_query" });
  });

  it("ends in state closed, kicked, without reconnecting", async () => {
    const room = freshRoom("lib-kick");
    const owner = join(room, "owner");
    await owner.ready;
    await owner.moderate({ type: "claim" });
    const ben = join(room, "ben");
    await ben.ready;
    const states = recordStates(ben);
    await owner.moderate({ type: "kick", uid: ben.you!.uid, reason: "spam" });
    await until(ben, () => ben.state.state === "closed", "ben closed", 5000);
    expect(ben.state).toMatchObject({ state: "closed", reason: "kicked", detail: "spam", by: owner.you!.uid });
    await sleep(2500);
    expect(states.map((s) => s.state)).toEqual(["closed"]);
    await until(owner, () => owner.members.length === 1, "ben gone from the owner's members");
    await expect(ben.send("again")).rejects.toMatchObject({ code: "kicked" });
  });
});
