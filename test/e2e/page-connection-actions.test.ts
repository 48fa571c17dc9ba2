/**
 * The page's connection with message changes (src/client/connection.ts), in Node on a scripted
 * socket: updates replace messages and move the resume cursor; the page's person is its uid; edits,
 * deletes and reactions are answered by their update or refusal, and one a drop left in doubt is
 * settled by the message's state after the resume, never sent again blindly.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ActionOutcome } from "../../packages/client/src/pending-actions";
import type { MessageFrame } from "../../src/wire/protocol";
import { ALICE, bob, message, type ScriptedRoom, scriptedRoom, update, welcome } from "./scripted-room";

let room: ScriptedRoom;
const last = () => room.last();
const updates = () => room.events.flatMap((e) => (e.type === "update" ? [e] : []));

/** The action's answer if it has come, else "waiting" (of two settled promises, race takes the first). */
function answered(outcome: Promise<ActionOutcome>): Promise<ActionOutcome | "waiting"> {
  return Promise.race([outcome, Promise.resolve("waiting" as const)]);
}

function reconnect(history: MessageFrame[] = [], latestId?: number): void {
  last().drop();
  vi.advanceTimersByTime(1000);
  last().receive(welcome("b2", history, latestId));
}

const liked = (base: MessageFrame, uids: string[], count = uids.length): MessageFrame => ({ ...base, reactions: [{ emoji: "👍", count, uids }] });

beforeEach(() => {
  vi.useFakeTimers();
  room = scriptedRoom();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("updates", () => {
  it("replace the message by id and move the cursor to their seq, so a resume does not replay them", () => {
    last().receive(welcome("b1", [message(1, "hello")]));
    last().receive(update(2, { ...message(1, "hello, edited"), editedAt: 5 }));
    expect(updates().map((u) => [u.seq, u.message.text])).toEqual([[2, "hello, edited"]]);
    last().drop();
    vi.advanceTimersByTime(1000);
    expect(last().url).toContain("since=2");
  });

  it("in a batch move the cursor past the messages around them", () => {
    last().receive(welcome("b1", [message(1, "one")]));
    last().receive({ type: "batch", frames: [message(2, "two"), update(3, liked(message(1, "one"), ["u_alice"])), message(4, "four")] });
    expect(updates()).toHaveLength(1);
    reconnect([], 4);
    expect(room.sockets[1]!.url).toContain("since=4");
  });

  it("are applied once: a repeat, or an older state after a newer one, is dropped", () => {
    last().receive(welcome("b1", [message(1, "v1")]));
    last().receive(update(5, message(1, "v3")));
    last().receive(update(5, message(1, "v3")));
    last().receive(update(4, message(1, "v2")));
    expect(updates().map((u) => u.message.text)).toEqual(["v3"]);
  });

  it("made while the page was away arrive once, after the resume, in the room's order", () => {
    last().receive(welcome("b1", [message(1, "one")]));
    last().drop();
    vi.advanceTimersByTime(1000);
    expect(last().url).toContain("since=1");
    last().receive(welcome("b2", [message(2, "two")], 3));
    last().receive(update(3, { ...message(1, "", ALICE), text: "", deleted: true }));
    expect(room.events.flatMap((e) => (e.type === "message" ? [`message ${e.message.id}`] : e.type === "update" ? [`update ${e.seq}`] : []))).toEqual([
      "message 1",
      "message 2",
      "update 3",
    ]);
  });
});

describe("who is me", () => {
  it("is the person, by uid: Bob's messages from another tab or an earlier socket are own", () => {
    last().receive(welcome("b2", [message(1, "from before the reload", bob("b1")), message(2, "from Alice")]));
    last().receive(message(3, "from Bob's other tab", bob("b9")));
    expect(room.events.flatMap((e) => (e.type === "message" ? [[e.message.text, e.own]] : []))).toEqual([
      ["from before the reload", true],
      ["from Alice", false],
      ["from Bob's other tab", true],
    ]);
  });
});

describe("replies", () => {
  it("carry replyTo in the sent frame and in the outbox", () => {
    last().receive(welcome("b1", [message(1, "question")]));
    const sent = room.connection.send("answer", 1);
    expect(sent.ok && sent.message.replyTo).toBe(1);
    expect(last().frames().at(-1)).toMatchObject({ type: "message", text: "answer", replyTo: 1 });
  });
});

describe("actions", () => {
  it("go out with a nonce and resolve when the update carrying it arrives", async () => {
    last().receive(welcome("b1", [message(1, "typo", bob("b1"))]));
    const edited = room.connection.act({ type: "edit", id: 1, text: "fixed" });
    const frame = last().frames().at(-1)!;
    expect(frame).toMatchObject({ type: "edit", id: 1, text: "fixed" });
    expect(await answered(edited)).toBe("waiting");
    last().receive(update(2, message(1, "fixed", bob("b1")), frame.nonce));
    expect(await edited).toEqual({ ok: true });
    expect(updates()).toHaveLength(1);
  });

  it("resolve with the room's refusal, which is not shown as a notice", async () => {
    last().receive(welcome("b1", [message(1, "Alice's")]));
    const deleted = room.connection.act({ type: "delete", id: 1 });
    last().receive({ type: "error", code: "forbidden", message: "not yours", nonce: last().frames().at(-1)!.nonce! });
    expect(await deleted).toEqual({ ok: false, code: "forbidden" });
    expect(room.events.some((e) => e.type === "notice")).toBe(false);
  });

  it("are not retried when rate-limited: a reaction is a toggle, the reader decides", async () => {
    last().receive(welcome("b1", [message(1, "hi")]));
    const reacted = room.connection.act({ type: "react", id: 1, emoji: "👍" });
    last().receive({ type: "error", code: "rate_limited", message: "slow down", nonce: last().frames().at(-1)!.nonce! });
    expect(await reacted).toEqual({ ok: false, code: "rate_limited" });
    vi.advanceTimersByTime(10_000);
    expect(
      last()
        .frames()
        .filter((f) => f.type === "react"),
    ).toHaveLength(1);
  });

  it("are refused at once without a live socket, and nothing is sent later", async () => {
    last().receive(welcome("b1", [message(1, "hi")]));
    room.connection.networkChanged(false);
    expect(await room.connection.act({ type: "react", id: 1, emoji: "👍" })).toEqual({ ok: false, code: "offline" });
    room.connection.networkChanged(true);
    last().receive(welcome("b2", [], 1));
    expect(room.sockets.flatMap((s) => s.frames()).filter((f) => f.type === "react")).toEqual([]);
  });

  it("check an edit's text as the room would, before sending it", async () => {
    last().receive(welcome("b1", [message(1, "mine", bob("b1"))]));
    expect(await room.connection.act({ type: "edit", id: 1, text: "   " })).toEqual({ ok: false, code: "empty_text" });
    expect(await room.connection.act({ type: "edit", id: 1, text: "x".repeat(2001) })).toEqual({ ok: false, code: "text_too_long" });
    expect(
      last()
        .frames()
        .filter((f) => f.type === "edit"),
    ).toEqual([]);
  });
});

describe("an action in flight when the socket drops", () => {
  it("counts as done when the resume shows its effect, and is not sent again", async () => {
    last().receive(welcome("b1", [message(1, "typo", bob("b1"))]));
    const edited = room.connection.act({ type: "edit", id: 1, text: "fixed" });
    reconnect([], 2);
    expect(await answered(edited)).toBe("waiting");
    last().receive(update(2, message(1, "fixed", bob("b1"))));
    expect(await edited).toEqual({ ok: true });
    expect(
      last()
        .frames()
        .filter((f) => f.type === "edit"),
    ).toEqual([]);
  });

  it("goes again, once, when the caught-up state shows it did not take", async () => {
    last().receive(welcome("b1", [message(1, "hi")]));
    const reacted = room.connection.act({ type: "react", id: 1, emoji: "👍" });
    const nonce = last().frames().at(-1)!.nonce!;
    reconnect([], 1);
    expect(
      last()
        .frames()
        .filter((f) => f.type === "react"),
    ).toEqual([{ type: "react", id: 1, emoji: "👍", nonce }]);
    last().receive(update(2, liked(message(1, "hi"), ["u_bob"]), nonce));
    expect(await reacted).toEqual({ ok: true });
  });

  it("waits for the replay to reach the room's latest place before judging", () => {
    last().receive(welcome("b1", [message(1, "hi")]));
    void room.connection.act({ type: "react", id: 1, emoji: "👍" });
    reconnect([message(2, "meanwhile")], 3);
    expect(last().frames()).toEqual([]);
    // The replayed update shows someone else's reaction, not Bob's: his did not take.
    last().receive(update(3, liked(message(1, "hi"), ["u_alice"])));
    expect(
      last()
        .frames()
        .map((f) => f.type),
    ).toEqual(["react"]);
  });

  it("is judged at the first live frame when the replay cannot reach the latest place (retention)", () => {
    last().receive(welcome("b1", [message(1, "hi")]));
    void room.connection.act({ type: "delete", id: 1 });
    reconnect([], 7);
    expect(last().frames()).toEqual([]);
    last().receive({ type: "stats", online: 1, messagesLastMinute: 0, latestId: 7, ts: 0 });
    expect(
      last()
        .frames()
        .map((f) => f.type),
    ).toEqual(["delete"]);
  });

  it("is unconfirmed when the state cannot tell: Bob is past the listed reactors", async () => {
    const many = Array.from({ length: 100 }, (_, i) => `u_${i}`);
    last().receive(welcome("b1", [liked(message(1, "popular"), many, 150)]));
    const reacted = room.connection.act({ type: "react", id: 1, emoji: "👍" });
    reconnect([], 1);
    expect(await reacted).toEqual({ ok: false, code: "unconfirmed" });
    expect(last().frames()).toEqual([]);
  });

  it("is told apart from one sent during the replay, which is simply awaited", async () => {
    last().receive(welcome("b1", [message(1, "hi"), message(2, "there")]));
    void room.connection.act({ type: "react", id: 1, emoji: "👍" });
    reconnect([], 3);
    const during = room.connection.act({ type: "react", id: 2, emoji: "🎉" });
    last().receive(update(3, liked(message(1, "hi"), ["u_bob"])));
    expect(
      last()
        .frames()
        .map((f) => [f.type, f.id]),
    ).toEqual([["react", 2]]);
    expect(await answered(during)).toBe("waiting");
  });
});
