/**
 * The page's connection logic (src/client/connection.ts) on its own, in Node, with a scripted
 * socket and fake timers: the orderings a browser test can't force on cue.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay } from "../../packages/client/src/backoff";
import type { Connection, ConnectionEvent } from "../../packages/client/src/connection";
import { bob, message, type ScriptedSocket, scriptedRoom, welcome } from "./scripted-room";

let sockets: ScriptedSocket[];
let events: ConnectionEvent[];
let connection: Connection;
const last = () => sockets.at(-1)!;
const states = () => events.flatMap((e) => (e.type === "state" ? [e.state.kind] : []));
const shown = () => events.flatMap((e) => (e.type === "message" ? [e.message.text] : []));

beforeEach(() => {
  vi.useFakeTimers();
  ({ connection, sockets, events } = scriptedRoom());
});

afterEach(() => {
  vi.useRealTimers();
});

describe("page connection", () => {
  it("connects to the page's own URL with a wss scheme and the name, reading batch frames", () => {
    expect(last().url).toBe("wss://chat.example/chat/lobby?name=Bob&batch=1");
  });

  it("reads a batch frame as its frames arriving one by one", () => {
    last().receive(welcome("b1"));
    const pending = connection.send("mine");
    if (!pending.ok) throw new Error(pending.code);
    last().receive({ type: "batch", frames: [message(1, "one"), message(2, "mine", bob("b1"), pending.message.nonce), message(3, "three")] });
    expect(shown()).toEqual(["one", "three"]);
    expect(events.filter((e) => e.type === "ack").map((e) => e.type === "ack" && e.message.id)).toEqual([2]);
    expect(connection.pending).toEqual([]);
  });

  it("resumes with since=<last id seen> and shows each message once", () => {
    last().receive(welcome("b1", [message(1, "one"), message(2, "two")]));
    last().drop();
    vi.advanceTimersByTime(1000);
    expect(last().url).toBe("wss://chat.example/chat/lobby?name=Bob&batch=1&since=2");
    // A resume that overlaps what was already shown: the repeat is dropped by id.
    last().receive(welcome("b2", [message(2, "two"), message(3, "three")], 3));
    expect(shown()).toEqual(["one", "two", "three"]);
    expect(states()).toEqual(["connecting", "live", "reconnecting", "connecting", "live"]);
  });

  it("backs off exponentially, with jitter, up to a cap", () => {
    expect(backoffDelay(0, { baseMs: 500, maxMs: 30_000 }, () => 0)).toBe(250);
    expect(backoffDelay(0, { baseMs: 500, maxMs: 30_000 }, () => 1)).toBe(500);
    expect(backoffDelay(3, { baseMs: 500, maxMs: 30_000 }, () => 0.5)).toBe(3000);
    expect(backoffDelay(20, { baseMs: 500, maxMs: 30_000 }, () => 1)).toBe(30_000);
    // Three failed attempts in a row: each waits longer than the one before could.
    last().drop();
    vi.advanceTimersByTime(500);
    last().drop();
    vi.advanceTimersByTime(1000);
    last().drop();
    const waits = events.flatMap((e) => (e.type === "state" && e.state.kind === "reconnecting" ? [e.state.at - Date.now()] : []));
    expect(waits[2]).toBeGreaterThanOrEqual(1000);
    expect(sockets).toHaveLength(3);
  });

  it("queues messages until the socket is live, then sends them in order, one at a time", () => {
    const a = connection.send("first");
    const b = connection.send("second");
    expect(a.ok && b.ok).toBe(true);
    expect(last().texts()).toEqual([]);
    last().receive(welcome("b1"));
    // One in flight at a time: the second waits for the first's echo.
    expect(last().texts()).toEqual(["first"]);
    last().receive(message(1, "first", bob("b1"), a.ok ? a.message.nonce : ""));
    expect(last().texts()).toEqual(["first", "second"]);
    last().receive(message(2, "second", bob("b1"), b.ok ? b.message.nonce : ""));
    expect(connection.pending).toEqual([]);
    expect(events.filter((e) => e.type === "ack")).toHaveLength(2);
  });

  it("re-sends an unacknowledged message with the same nonce after a drop", () => {
    last().receive(welcome("b1"));
    const sent = connection.send("maybe stored");
    if (!sent.ok) throw new Error(sent.code);
    last().drop();
    vi.advanceTimersByTime(1000);
    // It was stored: the resume shows it (without nonce), then the retry's echo acknowledges it.
    last().receive(welcome("b2", [message(1, "maybe stored", bob("b1"))], 1));
    const retry = JSON.parse(last().sent.at(-1)!) as { nonce: string };
    expect(retry.nonce).toBe(sent.message.nonce);
    last().receive(message(1, "maybe stored", bob("b1"), sent.message.nonce));
    expect(shown()).toEqual(["maybe stored"]);
    expect(events.find((e) => e.type === "message")).toMatchObject({ own: true });
    expect(events.find((e) => e.type === "ack")).toMatchObject({ shown: true });
    expect(connection.pending).toEqual([]);
  });

  it("retries a rate-limited message later, still ahead of the next one", () => {
    last().receive(welcome("b1"));
    const a = connection.send("a");
    connection.send("b");
    if (!a.ok) throw new Error(a.code);
    last().receive({ type: "error", code: "rate_limited", message: "slow down", nonce: a.message.nonce });
    expect(last().texts()).toEqual(["a"]);
    vi.advanceTimersByTime(1000);
    expect(last().texts()).toEqual(["a", "a"]);
  });

  it("marks a refused message failed and moves on", () => {
    last().receive(welcome("b1"));
    const a = connection.send("a");
    connection.send("b");
    if (!a.ok) throw new Error(a.code);
    last().receive({ type: "error", code: "invalid_text", message: "bad", nonce: a.message.nonce });
    expect(events.find((e) => e.type === "failed")).toMatchObject({ nonce: a.message.nonce, code: "invalid_text" });
    expect(last().texts()).toEqual(["a", "b"]);
  });

  it("treats a missing pong as a dead socket and reconnects", () => {
    last().receive(welcome("b1"));
    vi.advanceTimersByTime(20_000);
    expect(last().sent).toContain("ping");
    last().receive("pong");
    vi.advanceTimersByTime(20_000 + 10_000);
    expect(sockets).toHaveLength(1);
    expect(last().closedWith).toBe(4000);
    expect(states().at(-1)).toBe("reconnecting");
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
  });

  it("shows a full room and does not retry on its own", () => {
    last().receive({ type: "error", code: "room_full", message: "full" });
    last().drop(1013);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: "state", state: { kind: "offline", reason: "room_full" } });
  });

  it("waits for the network instead of retrying while the browser is offline", () => {
    last().receive(welcome("b1"));
    connection.networkChanged(false);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    connection.networkChanged(true);
    expect(sockets).toHaveLength(2);
    expect(last().url).toContain("since=0");
  });
});
