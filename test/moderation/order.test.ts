/**
 * Moderation actions and the room's state in the room's one order (src/messages/history.ts,
 * recordEvent): each takes a place shared with message ids, so members see them in order with the
 * messages, and a resume replays them exactly once.
 */
import { describe, expect, it } from "vitest";
import { eventSeq, type RoomEvent, type ServerFrame } from "../../src/wire/protocol";
import { type Client, join, roomName } from "../helpers";
import { act, arrive, operate, post, staffedRoom, welcomeOf } from "../moderation-helpers";

/** What a client saw of the room's order, as `type@place`. */
function order(client: Client): string[] {
  const ordered = (f: ServerFrame): f is RoomEvent => ["message", "update", "moderation", "room"].includes(f.type) && (f.type === "message" || "seq" in f);
  return client.frames.filter(ordered).map((event) => `${event.type}@${eventSeq(event)}`);
}

describe("room-wide frames in the room's order", () => {
  it("give each moderation action and each new room state its own place, between the messages", async () => {
    const room = roomName();
    const alice = await arrive(room, "alice");
    const watcher = await arrive(room, "watcher");
    await act(alice.client, { type: "claim" });
    await post(alice.client, "hello");
    await act(alice.client, { type: "settings", topic: "lunch" });
    await post(alice.client, "bye");
    await watcher.client.until(() => watcher.client.messages().length === 2, 3000, "both messages");
    expect(order(watcher.client)).toEqual(["moderation@1", "room@2", "message@3", "moderation@4", "room@5", "message@6"]);
  });

  it("are replayed to a resume: every action after `since`, and only the room's latest state, in place", async () => {
    const { room, owner, member } = await staffedRoom();
    const since = welcomeOf(await join(room, "later")).latestId;
    await act(owner.client, { type: "settings", topic: "first" });
    await post(member.client, "between");
    await act(owner.client, { type: "settings", topic: "second" });
    const resumed = await join(room, "later", since);
    await resumed.until(() => resumed.ofType("room").length === 1, 3000, "the room state");
    await resumed.none("moderation", 200);
    const replayed = order(resumed);
    expect(replayed.map((event) => event.split("@")[0])).toEqual(["moderation", "message", "moderation", "room"]);
    const places = replayed.map((event) => Number(event.split("@")[1]));
    expect(places).toEqual([...places].sort((a, b) => a - b));
    expect(places[0]).toBeGreaterThan(since);
    expect(resumed.ofType("moderation").map((frame) => frame.settings?.topic)).toEqual(["first", "second"]);
    expect(resumed.ofType("room")[0]).toMatchObject({ topic: "second", seq: places[3] });
  });

  it("never replay to a person coming back their own kick, which would remove them again", async () => {
    const { room, owner, member } = await staffedRoom();
    const since = welcomeOf(member.client).latestId;
    await act(owner.client, { type: "kick", uid: member.uid });
    await member.client.until(() => member.client.closed, 3000, "the kick");
    const back = await join(room, "member", since, { key: member.key });
    await back.none("moderation", 300);
    expect(back.closed).toBeUndefined();
    expect(back.ofType("moderation")).toEqual([]);
  });

  it("leave a room whose only places are moderation actions claimable, as a new room", async () => {
    const room = roomName();
    const alice = await arrive(room, "alice");
    const bob = await arrive(room, "bob");
    expect((await operate(room, { action: "owner", uid: alice.uid })).status).toBe(200);
    expect((await operate(room, { action: "owner", uid: null })).status).toBe(200);
    expect((await act(bob.client, { type: "claim" })).uid).toBe(bob.uid);
  });
});
