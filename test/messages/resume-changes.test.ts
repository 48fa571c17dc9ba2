import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { History } from "../../src/messages/history";
import { eventSeq, type MessageFrame, type UpdateFrame } from "../../src/wire/protocol";

/** The events about messages (room-wide ones are tested in test/moderation/order.test.ts). */
type RoomEvent = MessageFrame | UpdateFrame;

import { answer, type Client, join, person, request, roomName } from "../helpers";

/** Sends a frame and waits until its answer is stored; returns its place in the order. */
async function done(client: Client, frame: Record<string, unknown>): Promise<number> {
  const reply = await answer(client, frame);
  if (reply.type === "error" || reply.type === "moderation") throw new Error(`not a change: ${JSON.stringify(reply)}`);
  return eventSeq(reply);
}

function roomEvents(client: Client): RoomEvent[] {
  return client.frames.filter((f): f is RoomEvent => f.type === "message" || f.type === "update");
}

/**
 * Everything a client resuming with `since` receives, the welcome's history first. A replay always
 * ends with the room's latest event, so it is complete once that arrived; nothing may follow.
 */
async function resume(room: string, since: number): Promise<{ events: RoomEvent[]; latestId: number }> {
  const client = await join(room, "returning", since);
  const welcome = await client.welcome();
  const replayed = () => [...welcome.history, ...roomEvents(client)];
  const complete = () => {
    const last = replayed().at(-1);
    return since === welcome.latestId || (last !== undefined && eventSeq(last) === welcome.latestId);
  };
  await client.until(complete, 5000, "the latest event");
  const count = replayed().length;
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(replayed().length, "events after the latest").toBe(count);
  client.close();
  return { events: replayed(), latestId: welcome.latestId };
}

const describeEvent = (e: RoomEvent) => (e.type === "message" ? `message ${e.id}` : `update ${e.message.id}@${e.seq}`);

/** A log as a client keeps it: messages by id, each replaced by any later state of it. */
function apply(log: Map<number, MessageFrame>, events: RoomEvent[]): Map<number, MessageFrame> {
  for (const event of events) {
    const message = event.type === "message" ? event : event.message;
    const { nonce: _nonce, ...state } = message;
    log.set(message.id, state);
  }
  return log;
}

function storage<T>(room: string, run: (history: History) => T): Promise<T> {
  return runInDurableObject(env.ROOMS.getByName(room), (instance) => run((instance as unknown as { history: History }).history));
}

describe("resume across changes", () => {
  it("replays new messages and changes made while away, each once, in the room's order", async () => {
    const room = roomName();
    const alice = await person(room, "alice");
    const [m1, m2, m3] = [
      await done(alice, { type: "message", text: "one" }),
      await done(alice, { type: "message", text: "two" }),
      await done(alice, { type: "message", text: "three" }),
    ];
    const edited = await done(alice, { type: "edit", id: m1, text: "one!" });
    const m5 = await done(alice, { type: "message", text: "five" });
    const reacted = await done(alice, { type: "react", id: m2, emoji: "👍" });
    const deleted = await done(alice, { type: "delete", id: m3 });
    const { events, latestId } = await resume(room, m3);
    expect(events.map(describeEvent)).toEqual([`update 1@${edited}`, `message ${m5}`, `update 2@${reacted}`, `update 3@${deleted}`]);
    expect(events.map(eventSeq)).toEqual([4, 5, 6, 7]);
    expect(latestId).toBe(7);
  });

  it("puts in the welcome's history only the messages before the first update", async () => {
    const room = roomName();
    const alice = await person(room, "alice");
    const m1 = await done(alice, { type: "message", text: "one" });
    await done(alice, { type: "message", text: "two" });
    await done(alice, { type: "edit", id: m1, text: "one!" });
    await done(alice, { type: "message", text: "four" });
    const bob = await join(room, "bob", 0);
    expect((await bob.welcome()).history.map((m) => [m.id, m.text])).toEqual([
      [1, "one!"],
      [2, "two"],
    ]);
    expect((await bob.next("update")).seq).toBe(3);
    expect((await bob.next("message")).id).toBe(4);
  });

  it("replays only the latest of several changes to one message", async () => {
    const room = roomName();
    const alice = await person(room, "alice");
    const m1 = await done(alice, { type: "message", text: "draft" });
    await done(alice, { type: "edit", id: m1, text: "draft 2" });
    const last = await done(alice, { type: "edit", id: m1, text: "final" });
    const { events } = await resume(room, m1);
    expect(events).toEqual([{ type: "update", seq: last, message: expect.objectContaining({ id: m1, text: "final" }) }]);
  });

  it("sends a message both new and changed while away in its current state, then its update", async () => {
    const room = roomName();
    const alice = await person(room, "alice");
    const m1 = await done(alice, { type: "message", text: "tpyo" });
    const fixed = await done(alice, { type: "edit", id: m1, text: "typo" });
    const { events } = await resume(room, 0);
    expect(events.map(describeEvent)).toEqual([`message 1`, `update 1@${fixed}`]);
    expect(events.map((e) => (e.type === "message" ? e.text : e.message.text))).toEqual(["typo", "typo"]);
  });

  it("resumes from an update's seq like from a message id", async () => {
    const room = roomName();
    const alice = await person(room, "alice");
    const m1 = await done(alice, { type: "message", text: "one" });
    const reacted = await done(alice, { type: "react", id: m1, emoji: "🎉" });
    const m3 = await done(alice, { type: "message", text: "three" });
    const { events } = await resume(room, reacted);
    expect(events.map(eventSeq)).toEqual([m3]);
  });

  it("brings a client from every point of the order to the same state as a newcomer", async () => {
    const room = roomName();
    const alice = await person(room, "alice");
    const bob = await person(room, "bob");
    const observer = await join(room, "observer");
    const m1 = await done(alice, { type: "message", text: "one" });
    const m2 = await done(bob, { type: "message", text: "two", replyTo: m1 });
    await done(bob, { type: "react", id: m1, emoji: "👍" });
    await done(alice, { type: "edit", id: m1, text: "one, edited" });
    const m5 = await done(alice, { type: "message", text: "five" });
    await done(alice, { type: "react", id: m1, emoji: "👍" });
    await done(bob, { type: "react", id: m1, emoji: "👍" });
    await done(alice, { type: "delete", id: m5 });
    await done(bob, { type: "edit", id: m2, text: "two, edited" });
    const latest = await done(bob, { type: "message", text: "ten" });
    await observer.until(() => roomEvents(observer).some((e) => eventSeq(e) === latest), 3000, "the last live event");
    const live = roomEvents(observer);
    expect(live.map(eventSeq)).toEqual([...Array(latest).keys()].map((i) => i + 1));
    const current = apply(new Map(), (await (await join(room, "newcomer")).welcome()).history);
    for (const since of [0, ...live.map(eventSeq)]) {
      const known = apply(
        new Map(),
        live.filter((e) => eventSeq(e) <= since),
      );
      const { events } = await resume(room, since);
      const seqs = events.map(eventSeq);
      expect(
        seqs.every((seq, i) => seq > since && (i === 0 || seq > seqs[i - 1]!)),
        `since ${since}: ${seqs}`,
      ).toBe(true);
      expect(apply(known, events), `since ${since}`).toEqual(current);
    }
  });

  it("streams a long absence of mixed messages and changes in pages, in order, each once", async () => {
    const room = roomName();
    // WELCOME_HISTORY is 100: 150 messages and changes need the welcome and further pages. Written
    // straight to storage, as the rate limit would make this slow over a socket. Each new message
    // is followed by an edit of the one two before it, so most messages change more than once.
    const latestChange = await storage(room, (history) => {
      const ids: number[] = [];
      const changed = new Map<number, number>();
      for (let i = 1; i <= 75; i++) {
        ids.push(history.append({ from: { id: "c", uid: "u_writer", name: "writer" }, text: `m${i}`, ts: Date.now() }, 1000)!.id);
        const target = ids[Math.max(0, ids.length - 3)]!;
        changed.set(target, history.edit(target, `m${i}!`, Date.now()).seq);
      }
      return changed;
    });
    const ids = await storage(room, (history) => history.recent(100).map((m) => m.id));
    const expected = [...ids, ...latestChange.values()].sort((a, b) => a - b);
    const { events } = await resume(room, 0);
    expect(events.length).toBeGreaterThan(100);
    expect(events.map(eventSeq)).toEqual(expected);
    expect(events.filter((e) => e.type === "update").map((e) => [e.message.id, eventSeq(e)])).toEqual([...latestChange].sort((a, b) => a[1] - b[1]));
  });
});

describe("current state everywhere", () => {
  it("shows edits, tombstones, reactions and replies in the welcome and the history API", async () => {
    const room = roomName();
    const alice = await person(room, "alice");
    const m1 = await done(alice, { type: "message", text: "one" });
    const m2 = await done(alice, { type: "message", text: "two", replyTo: m1 });
    await done(alice, { type: "edit", id: m1, text: "one!" });
    await done(alice, { type: "react", id: m1, emoji: "👍" });
    await done(alice, { type: "delete", id: m2 });
    const uid = (await alice.welcome()).you.uid;
    const expected = [
      expect.objectContaining({ id: m1, text: "one!", editedAt: expect.any(Number), reactions: [{ emoji: "👍", count: 1, uids: [uid] }] }),
      expect.objectContaining({ id: m2, text: "", deleted: true, replyTo: m1 }),
    ];
    expect((await (await join(room, "bob")).welcome()).history).toEqual(expected);
    const page = (await (await request(`/api/rooms/${room}/messages`)).json()) as { messages: MessageFrame[] };
    expect(page.messages).toEqual(expected);
  });
});

describe("eviction mid-edit", () => {
  it("keeps edits, reactions and the order across evictions, and a resume still finds them", async () => {
    const room = roomName();
    const key = crypto.randomUUID();
    const alice = await person(room, "alice", key);
    const bob = await person(room, "bob");
    const m1 = await done(alice, { type: "message", text: "before" });
    await evictDurableObject(env.ROOMS.getByName(room));
    const edited = await done(alice, { type: "edit", id: m1, text: "after an eviction" });
    expect((await bob.next("update")).message.text).toBe("after an eviction");
    await evictDurableObject(env.ROOMS.getByName(room));
    const reacted = await done(bob, { type: "react", id: m1, emoji: "👀" });
    expect(reacted).toBe(edited + 1);
    await evictDurableObject(env.ROOMS.getByName(room), { webSockets: "close" });
    const again = await person(room, "alice", key);
    expect(await done(again, { type: "edit", id: m1, text: "and a restart" })).toBe(reacted + 1);
    const { events } = await resume(room, m1);
    expect(events).toEqual([
      expect.objectContaining({
        type: "update",
        seq: reacted + 1,
        message: expect.objectContaining({ text: "and a restart", reactions: [expect.objectContaining({ emoji: "👀" })] }),
      }),
    ]);
  });
});
