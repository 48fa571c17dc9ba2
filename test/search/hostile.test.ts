/**
 * No query can make the room fail: FTS5's own syntax, junk and bad fields are text or a clear
 * `invalid_query`, over HTTP and the socket alike.
 */
import { describe, expect, it } from "vitest";
import { join, request, roomName } from "../helpers";
import { pushAll, search, searchFrame } from "./helpers";

const HOSTILE = [
  '"',
  '"unclosed phrase',
  "*",
  "NEAR(",
  "NEAR(a b, 2)",
  "AND",
  "a OR b",
  "NOT x",
  "words : x",
  "^start",
  "col:*",
  "-minus +plus",
  "🎉🎉🎉",
  "\u0000\u0001",
  "\ue000",
  "'; DROP TABLE messages; --",
  "from:",
  "has:",
  "before:",
  'from:"',
  "你好 OR 世界",
  "a".repeat(2000),
  Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x21 + ((i * 7919) % 0x5e))).join(""),
];

describe("hostile queries", () => {
  it.each(HOSTILE.map((q) => [q.length > 40 ? `${q.slice(0, 20)}… (${q.length})` : q, q]))(
    "%s: results or invalid_query, never a server error",
    async (_label, q) => {
      const room = roomName("hostile");
      await pushAll(room, ["a OR b and NEAR words", "你好世界"]);
      const result = await search(room, q);
      if (result.status === 200) return;
      expect(result.status).toBe(400);
      expect(result.error?.code).toBe("invalid_query");
    },
  );

  it("FTS5 syntax is only text: OR finds the word or, not either side", async () => {
    const room = roomName("hostile");
    await pushAll(room, ["cats", "dogs", "cats or dogs"]);
    const result = await search(room, "cats OR dogs");
    expect(result.messages.map((m) => m.text)).toEqual(["cats or dogs"]);
  });

  it.each([
    ["an empty query", ""],
    ["punctuation only", "?!.,"],
    ["a query over 2000 characters", "x".repeat(2001)],
    ["too many words", Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ")],
    ["a date that is not one", "before:2025-02-30"],
    ["an unknown has:", "has:pony"],
  ])("%s is a 400 invalid_query with a reason", async (_label, q) => {
    const result = await search(roomName("hostile"), q);
    expect(result.status).toBe(400);
    expect(result.error?.code).toBe("invalid_query");
    expect(result.error?.message.length).toBeGreaterThan(5);
  });

  it("a bad room name is refused before any query is read", async () => {
    const response = await request("/api/rooms/.bad/search?q=x");
    expect(response.status).toBe(400);
  });
});

describe("the search frame", () => {
  it("answers with search_results: the page, the query and the nonce", async () => {
    const room = roomName("frame");
    await pushAll(room, ["frame one", "frame two"]);
    const client = await join(room, "alice");
    const reply = await searchFrame(client, { q: "frame", limit: 1 });
    expect(reply).toMatchObject({ type: "search_results", q: "frame", nextBefore: expect.any(Number) });
    const next = await searchFrame(client, { q: "frame", before: (reply as { nextBefore: number }).nextBefore });
    expect(next).toMatchObject({ type: "search_results", messages: [expect.objectContaining({ text: "frame one", highlight: [[0, 5]] })], nextBefore: null });
  });

  it.each([
    ["q missing", {}],
    ["q not a string", { q: 3 }],
    ["a bad limit", { q: "x", limit: 0 }],
    ["a bad before", { q: "x", before: -1 }],
    ["an unreadable query", { q: "" }],
  ])("%s: an invalid_query error with the nonce, and the socket stays", async (_label, frame) => {
    const client = await join(roomName("frame"), "alice");
    const reply = await searchFrame(client, frame);
    expect(reply).toMatchObject({ type: "error", code: "invalid_query" });
    expect((await searchFrame(client, { q: "fine" })).type).toBe("search_results");
  });
});
