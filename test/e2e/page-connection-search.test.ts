/**
 * Search on the page's connection (packages/client/src/connection.ts), in Node on a scripted
 * socket: a `search` frame with a nonce, answered by the `search_results` carrying it (the page's
 * search box and `room.search` both use it), or by a refusal with it; not sent without a live
 * socket, and `offline` when the socket drops before the answer, for the page to ask over HTTP.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SearchOutcome } from "../../packages/client/src/connection";
import type { SearchHit } from "../../src/wire/protocol";
import { message, type ScriptedRoom, scriptedRoom, welcome } from "./scripted-room";

let room: ScriptedRoom;
const last = () => room.last();
const HIT: SearchHit = { ...message(7, "the lighthouse keeper"), highlight: [[4, 14]] };

/** The search's answer if it has come, else "waiting". */
function answered(outcome: Promise<SearchOutcome>): Promise<SearchOutcome | "waiting"> {
  return Promise.race([outcome, Promise.resolve("waiting" as const)]);
}

beforeEach(() => {
  vi.useFakeTimers();
  room = scriptedRoom();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("a search on the connection", () => {
  it("goes out as a search frame with a nonce and settles with the results that carry it", async () => {
    last().receive(welcome("b1"));
    const outcome = room.connection.search("lighthouse", { before: 90, limit: 5 });
    const sent = last().frames().at(-1)!;
    expect(sent).toEqual({ type: "search", q: "lighthouse", before: 90, limit: 5, nonce: expect.any(String) });
    last().receive({ type: "search_results", q: "lighthouse", messages: [], nextBefore: null, nonce: "someone-else" });
    expect(await answered(outcome)).toBe("waiting");
    last().receive({ type: "batch", frames: [{ type: "search_results", q: "lighthouse", messages: [HIT], nextBefore: 7, nonce: sent.nonce! }] });
    expect(await outcome).toEqual({ ok: true, value: { messages: [HIT], nextBefore: 7 } });
    // Only the results nobody here asked for are an event.
    expect(room.events.filter((e) => e.type === "search_results").map((e) => "nonce" in e && e.nonce)).toEqual(["someone-else"]);
  });

  it("is refused with the room's code, and no notice", async () => {
    last().receive(welcome("b1"));
    const outcome = room.connection.search("x", { limit: 5 });
    last().receive({ type: "error", code: "rate_limited", message: "slow down", nonce: last().frames().at(-1)!.nonce! });
    expect(await outcome).toEqual({ ok: false, code: "rate_limited" });
    expect(room.events.filter((e) => e.type === "notice")).toEqual([]);
  });

  it("is not sent without a live socket", async () => {
    expect(await room.connection.search("anything")).toEqual({ ok: false, code: "offline" });
    expect(last().frames()).toEqual([]);
  });

  it("is offline once the connection is stopped, before or after it went out", async () => {
    last().receive(welcome("b1"));
    const pending = room.connection.search("lighthouse");
    room.connection.stop();
    expect(await pending).toEqual({ ok: false, code: "offline" });
    expect(await room.connection.search("again")).toEqual({ ok: false, code: "offline" });
  });

  it("is offline when the socket drops before the answer", async () => {
    last().receive(welcome("b1"));
    const outcome = room.connection.search("lighthouse");
    last().drop();
    expect(await outcome).toEqual({ ok: false, code: "offline" });
  });
});
