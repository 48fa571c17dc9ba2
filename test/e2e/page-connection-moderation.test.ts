/**
 * The page's connection in a moderated room (src/client/connection.ts), in Node on a scripted
 * socket: it hands on the room's state and announcements; a kick (4001) or a ban (4003) stops it
 * reconnecting, with who, why and until when, and only the reader brings it back; a moderation
 * request is answered by the sender's copy of its announcement or by a refusal.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ActionOutcome } from "../../packages/client/src/pending-actions";
import type { ConnectionState } from "../../packages/client/src/room-socket";
import type { ModerationFrame, RoomState } from "../../src/wire/moderation-frames";
import { CLOSE } from "../../src/wire/protocol";
import { type ScriptedRoom, scriptedRoom, welcome } from "./scripted-room";

const NOW = Date.UTC(2026, 10, 3, 12, 0, 0);
const ROOM: RoomState = { owner: "u_alice", moderators: [], topic: "Be kind", slowSeconds: 0, locked: false };

let room: ScriptedRoom;
const last = () => room.last();
const states = (): ConnectionState[] => room.events.flatMap((e) => (e.type === "state" ? [e.state] : []));

function announce(fields: Omit<ModerationFrame, "type" | "ts" | "by"> & { by?: string }): ModerationFrame {
  return { type: "moderation", by: "u_alice", ts: NOW, ...fields };
}

/** The request's answer if it has come, else "waiting". */
function answered(outcome: Promise<ActionOutcome>): Promise<ActionOutcome | "waiting"> {
  return Promise.race([outcome, Promise.resolve("waiting" as const)]);
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  room = scriptedRoom();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the room's state", () => {
  it("comes with the welcome, then as room and moderation events", () => {
    last().receive({ ...welcome("b1"), room: ROOM });
    expect(room.events.find((e) => e.type === "welcome")).toMatchObject({ room: ROOM });
    const locked = { type: "room", ...ROOM, locked: true } as const;
    const notice = announce({ action: "settings", settings: { locked: true } });
    last().receive({ type: "batch", frames: [notice, locked] });
    expect(room.events.slice(-2)).toEqual([notice, locked]);
  });
});

describe("room-wide frames in the room's order", () => {
  it("move the cursor a resume sends, and one already passed is not shown again", () => {
    last().receive(welcome("b1", [], 4));
    const notice = { ...announce({ action: "settings", settings: { topic: "t" } }), seq: 5 };
    const state = { type: "room", ...ROOM, topic: "t", seq: 6 } as const;
    last().receive({ type: "batch", frames: [notice, state] });
    last().receive(notice);
    expect(room.events.filter((e) => e.type === "moderation" || e.type === "room")).toEqual([notice, state]);
    last().drop(1006, "");
    vi.advanceTimersByTime(60_000);
    expect(last().url).toContain("since=6");
  });
});

describe("a kick", () => {
  it("stops the reconnecting, says who and why, and only the reader's rejoin connects again", () => {
    last().receive(welcome("b1"));
    last().receive(announce({ action: "kick", uid: "u_bob", reason: "calm down" }));
    last().drop(CLOSE.kicked, "calm down");
    vi.advanceTimersByTime(120_000);
    expect(room.sockets).toHaveLength(1);
    expect(states().at(-1)).toEqual({ kind: "removed", how: "kicked", by: "u_alice", reason: "calm down" });
    room.connection.retryNow();
    expect(room.sockets).toHaveLength(2);
    expect(last().url).toContain("since=0");
    last().receive(welcome("b2"));
    expect(states().at(-1)).toEqual({ kind: "live" });
  });

  it("of someone else is only an announcement", () => {
    last().receive(welcome("b1"));
    last().receive(announce({ action: "kick", uid: "u_carol" }));
    last().drop(1006);
    expect(states().at(-1)?.kind).toBe("reconnecting");
  });

  it("without an announcement still stops, with the close frame's reason if the moderator gave one", () => {
    last().receive(welcome("b1"));
    last().drop(CLOSE.kicked, "kicked");
    expect(states().at(-1)).toEqual({ kind: "removed", how: "kicked" });
    room.connection.retryNow();
    last().receive(welcome("b2"));
    last().drop(CLOSE.kicked, "spam");
    expect(states().at(-1)).toEqual({ kind: "removed", how: "kicked", reason: "spam" });
  });

  it("is not undone by the network coming back", () => {
    last().receive(welcome("b1"));
    last().drop(CLOSE.kicked, "kicked");
    room.connection.networkChanged(false);
    room.connection.networkChanged(true);
    vi.advanceTimersByTime(60_000);
    expect(room.sockets).toHaveLength(1);
    expect(states().at(-1)?.kind).toBe("removed");
  });
});

describe("a ban", () => {
  it("while here stops the reconnecting, with who, why and when it ends on this browser's clock", () => {
    last().receive(welcome("b1"));
    // The room's clock is 5 s ahead: the hour left is what counts.
    last().receive({ ...announce({ action: "ban", uid: "u_bob", reason: "spam", until: NOW + 5000 + 3_600_000 }), ts: NOW + 5000 });
    last().drop(CLOSE.banned, "spam");
    vi.advanceTimersByTime(4 * 3_600_000);
    expect(room.sockets).toHaveLength(1);
    expect(states().at(-1)).toEqual({ kind: "removed", how: "banned", by: "u_alice", reason: "spam", until: NOW + 3_600_000 });
  });

  it("at the door is refused in-band: not a notice, but the reason and end of the ban, and no retry", () => {
    last().receive({ type: "error", code: "banned", message: "you are banned", reason: "spam", retryAfter: 600 });
    last().drop(CLOSE.banned, "spam");
    vi.advanceTimersByTime(3_600_000);
    expect(room.sockets).toHaveLength(1);
    expect(room.events.filter((e) => e.type === "notice")).toEqual([]);
    expect(states()).toEqual([{ kind: "connecting" }, { kind: "removed", how: "banned", reason: "spam", until: NOW + 600_000 }]);
  });

  it("without end says so by having no end", () => {
    last().receive({ type: "error", code: "banned", message: "you are banned" });
    last().drop(CLOSE.banned, "banned");
    expect(states().at(-1)).toEqual({ kind: "removed", how: "banned" });
  });

  it("is told by the room's word, at once: the close that follows changes nothing", () => {
    last().receive(welcome("b1"));
    last().receive(announce({ action: "ban", uid: "u_bob", reason: "spam" }));
    // Under `wrangler dev` the Close frame can surface seconds later; the announcement is enough.
    expect(states().at(-1)).toMatchObject({ kind: "removed", how: "banned", reason: "spam" });
    expect(last().closedWith).toBe(1000);
    last().drop(CLOSE.kicked, "kicked");
    expect(states().at(-1)).toMatchObject({ kind: "removed", how: "banned", reason: "spam" });
  });
});

describe("moderation requests", () => {
  it("go out with a nonce and are answered by the sender's copy of the announcement", async () => {
    last().receive(welcome("b1"));
    const outcome = room.connection.moderate({ type: "kick", uid: "u_carol", reason: "spam" });
    const sent = last().frames().at(-1)!;
    expect(sent).toMatchObject({ type: "kick", uid: "u_carol", reason: "spam", nonce: expect.any(String) });
    expect(await answered(outcome)).toBe("waiting");
    last().receive({ ...announce({ action: "kick", uid: "u_carol", by: "u_bob" }), nonce: sent.nonce! });
    expect(await answered(outcome)).toEqual({ ok: true });
  });

  it("are refused with the room's code", async () => {
    last().receive(welcome("b1"));
    const outcome = room.connection.moderate({ type: "claim" });
    last().receive({ type: "error", code: "forbidden", message: "taken", nonce: last().frames().at(-1)!.nonce! });
    expect(await outcome).toEqual({ ok: false, code: "forbidden" });
    expect(room.events.filter((e) => e.type === "notice")).toEqual([]);
  });

  it("are not sent without a live socket", async () => {
    expect(await room.connection.moderate({ type: "settings", locked: true })).toEqual({ ok: false, code: "offline" });
    expect(last().frames()).toEqual([]);
  });

  it("are unconfirmed when the socket drops before the answer, and never sent again", async () => {
    last().receive(welcome("b1"));
    const outcome = room.connection.moderate({ type: "promote", uid: "u_carol" });
    last().drop();
    expect(await outcome).toEqual({ ok: false, code: "unconfirmed" });
    vi.advanceTimersByTime(1000);
    last().receive(welcome("b2"));
    expect(last().frames()).toEqual([]);
  });
});

describe("slow mode", () => {
  it("refuses a message with the seconds to wait, for the page's countdown", () => {
    last().receive(welcome("b1"));
    const sent = room.connection.send("too soon");
    if (!sent.ok) throw new Error(sent.code);
    last().receive({ type: "error", code: "slow_mode", message: "slow", retryAfter: 4.2, nonce: sent.message.nonce });
    expect(room.events.at(-1)).toEqual({ type: "failed", nonce: sent.message.nonce, code: "slow_mode", retryAfter: 4.2 });
  });
});
