import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { History } from "../../src/messages/history";
import type { Members } from "../../src/sockets/members";
import { join, roomName } from "../helpers";

const DAY = 86_400_000;

function stub(room: string) {
  return env.ROOMS.getByName(room);
}

function alarmAt(room: string): Promise<number | null> {
  return runInDurableObject(stub(room), (_room, state) => state.storage.getAlarm());
}

function age(room: string, ms: number, where = "1"): Promise<void> {
  return runInDurableObject(stub(room), (_room, state) => {
    state.storage.sql.exec(`UPDATE messages SET ts = ts - ? WHERE ${where}`, ms);
    state.storage.sql.exec("UPDATE meta SET value = value - ? WHERE key = 'emptied_at'", ms);
  });
}

describe("stats push by alarm", () => {
  it("sends members a stats frame on each alarm while the room has members", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await join(room, "bob");
    alice.say("one");
    await alice.next("message");
    expect(await runDurableObjectAlarm(stub(room))).toBe(true);
    expect(await alice.next("stats")).toMatchObject({ type: "stats", online: 2, messagesLastMinute: 1, latestId: 1 });
    // STATS_INTERVAL_SECONDS is 5 in the test config: the next tick is already set.
    const next = await alarmAt(room);
    expect(next).toBeGreaterThan(Date.now());
    expect(next).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it("stops ticking when the room empties, leaving only the far-off clean-up", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    alice.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // EMPTY_ROOM_TTL_SECONDS is a week by default.
    expect(await alarmAt(room)).toBeGreaterThan(Date.now() + 6 * DAY);
  });

  it("sends no stats frame when nobody is there", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    bob.close();
    alice.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await runDurableObjectAlarm(stub(room));
    expect(alice.ofType("stats")).toHaveLength(0);
  });
});

describe("silent connections", () => {
  /** Moves every session's last frame back in time, as if the room had heard nothing since. */
  function silence(room: string, ms: number): Promise<void> {
    return runInDurableObject(stub(room), (instance) => {
      const { members } = instance as unknown as { members: Members };
      for (const [, session] of members.entries()) session.lastSeen -= ms;
    });
  }

  it("drops a member who neither sent nor pinged within the idle timeout, keeping those who pinged", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const ghost = await join(room, "ghost");
    await silence(room, 120_000);
    alice.send("ping");
    await alice.until(() => alice.raw.includes("pong"));
    await runDurableObjectAlarm(stub(room));
    expect((await alice.next("leave")).member.name).toBe("ghost");
    await ghost.until(() => ghost.closed, 3000, "close");
    expect(ghost.closed?.code).toBe(4000);
    expect((await alice.next("stats")).online).toBe(1);
  });

  it("keeps a quiet member inside the idle timeout", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await join(room, "quiet");
    await silence(room, 60_000);
    await runDurableObjectAlarm(stub(room));
    expect((await alice.next("stats")).online).toBe(2);
    expect(alice.ofType("leave")).toHaveLength(0);
  });
});

describe("retention and clean-up", () => {
  it("keeps only the newest N messages, with ids still increasing", async () => {
    const room = roomName();
    const ids = await runInDurableObject(stub(room), (_room, state) => {
      const history = new History(state.storage.sql);
      for (let i = 0; i < 5; i++) history.append({ from: { id: "u", uid: "u_u", name: "u" }, text: `m${i}`, ts: Date.now() }, 3);
      return { kept: history.recent(10).map((m) => m.id), latest: history.latestId() };
    });
    expect(ids).toEqual({ kept: [3, 4, 5], latest: 5 });
  });

  it("drops messages past the age limit on the alarm", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    for (const text of ["old", "older", "new"]) alice.say(text);
    await alice.next("message", 3);
    await age(room, 91 * DAY, "id <= 2");
    await runDurableObjectAlarm(stub(room));
    const bob = await join(room, "bob");
    const welcome = await bob.welcome();
    expect(welcome.history.map((m) => m.text)).toEqual(["new"]);
    expect(welcome.latestId).toBe(3);
  });

  /** A room with one message whose only member left `idleMs` ago. */
  async function emptiedRoom(idleMs: number): Promise<string> {
    const room = roomName();
    const alice = await join(room, "alice");
    alice.say("hello");
    await alice.next("message");
    alice.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await age(room, idleMs);
    return room;
  }

  it("clears an emptied room's storage after the idle time, and the room starts afresh", async () => {
    const room = await emptiedRoom(8 * DAY);
    expect(await runDurableObjectAlarm(stub(room))).toBe(true);
    expect(await stub(room).info()).toEqual({ online: 0, shards: 0, latestId: 0, oldestId: null, createdAt: null, storageBytes: expect.any(Number) });
    expect(await alarmAt(room)).toBeNull();
    const bob = await join(room, "bob");
    expect((await bob.welcome()).history).toEqual([]);
  });

  it("keeps an emptied room that is not yet idle long enough", async () => {
    const room = await emptiedRoom(6 * DAY);
    await runDurableObjectAlarm(stub(room));
    expect((await stub(room).info()).latestId).toBe(1);
    expect(await alarmAt(room)).toBeGreaterThan(Date.now());
  });
});
