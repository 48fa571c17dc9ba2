/**
 * Coalesced delivery (src/delivery/delivery.ts, src/messages/messages.ts): a quiet room sends each frame at once and
 * alone; a busy room sends one batch frame per member per flush to clients that asked for batches,
 * and commits the window's messages together, durable before anyone sees them.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Delivery } from "../../src/delivery/delivery";
import { MAX_BATCH_FRAMES } from "../../src/delivery/delivery";
import type { Messages } from "../../src/messages/messages";
import type { Sender, WireFrame } from "../../src/wire/protocol";
import { type Client, join, request, roomName } from "../helpers";
import { storedRows } from "../reliability-helpers";

const quiet = () => new Promise((resolve) => setTimeout(resolve, 100));

/** The raw WebSocket frames a client got, parsed, without the heartbeat. */
function wire(client: Client): WireFrame[] {
  return client.raw.filter((data) => data !== "pong").map((data) => JSON.parse(data) as WireFrame);
}

const batches = (client: Client) => wire(client).filter((frame) => frame.type === "batch");

/** Each client sends `count` messages back to back, with nonces `<name>-<n>`. */
function burst(clients: Client[], count: number): void {
  for (const client of clients) {
    const name = client.frames.find((f) => f.type === "welcome")!.you.name;
    for (let n = 1; n <= count; n++) client.say(`${name} ${n}`, `${name}-${n}`);
  }
}

function internals(room: string) {
  return { stub: env.ROOMS.getByName(room), of: (instance: unknown) => instance as { delivery: Delivery; messages: Messages } };
}

describe("a quiet room", () => {
  it("sends a message at once, as a plain frame, even to a client that reads batches", async () => {
    const room = roomName("quiet");
    const alice = await join(room, "alice", undefined, { batch: true });
    await quiet();
    alice.say("hello", "n1");
    const echo = await alice.next("message");
    expect(echo).toMatchObject({ id: 1, text: "hello", nonce: "n1" });
    expect(batches(alice)).toEqual([]);
  });
});

describe("a frame for one member", () => {
  it("reaches only that member, also when the others read batches", async () => {
    const room = roomName("private");
    const alice = await join(room, "alice", undefined, { batch: true });
    const bob = await join(room, "bob", undefined, { batch: true });
    const carol = await join(room, "carol");
    await quiet();
    alice.send({ type: "message", text: "   ", nonce: "blank-1" });
    expect(await alice.next("error")).toMatchObject({ code: "empty_text", nonce: "blank-1" });
    await bob.none("error", 200);
    await carol.none("error", 200);
  });
});

describe("a busy room", () => {
  it("coalesces a burst into batch frames for clients that asked, every message once, in id order", async () => {
    const room = roomName("busy");
    const senders = await Promise.all(["a", "b", "c", "d"].map((name) => join(room, name, undefined, { batch: true })));
    const reader = await join(room, "reader", undefined, { batch: true });
    burst(senders, 10);
    await reader.until(() => reader.ofType("message").length === 40, 5000, "40 messages");
    expect(reader.ofType("message").map((m) => m.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(batches(reader).length).toBeGreaterThan(0);
    expect(wire(reader).filter((f) => f.type === "message" || f.type === "batch").length).toBeLessThan(40);
  });

  it("keeps sending one frame per message to clients that did not ask for batches, in the same order", async () => {
    const room = roomName("legacy");
    const senders = await Promise.all(["a", "b", "c"].map((name) => join(room, name, undefined, { batch: true })));
    const legacy = await join(room, "legacy");
    const modern = await join(room, "modern", undefined, { batch: true });
    burst(senders, 10);
    await modern.until(() => modern.ofType("message").length === 30, 5000, "30 messages");
    await legacy.until(() => legacy.ofType("message").length === 30, 5000, "30 messages");
    expect(batches(legacy)).toEqual([]);
    expect(legacy.ofType("message")).toEqual(modern.ofType("message"));
  });

  it("acknowledges exactly: the sender's copy carries its nonce, nobody else's does", async () => {
    const room = roomName("ack");
    const senders = await Promise.all(["a", "b", "c"].map((name) => join(room, name, undefined, { batch: true })));
    burst(senders, 8);
    for (const sender of senders) {
      await sender.until(() => sender.ofType("message").length === 24, 5000, "24 messages");
      const name = sender.frames.find((f) => f.type === "welcome")!.you.name;
      for (const message of sender.ofType("message")) {
        expect(message.nonce).toBe(message.from.name === name ? `${message.text.replace(" ", "-")}` : undefined);
      }
    }
  });

  it("keeps a typist's own typing out of the batch it gets", async () => {
    const room = roomName("typing");
    const typist = await join(room, "typist", undefined, { batch: true });
    const other = await join(room, "other", undefined, { batch: true });
    await quiet();
    typist.say("one", "t1");
    typist.send({ type: "typing" });
    typist.say("two", "t2");
    await other.until(() => other.ofType("message").length === 2, 3000, "two messages");
    await typist.until(() => typist.ofType("message").length === 2, 3000, "own two messages");
    expect(other.ofType("typing")).toHaveLength(1);
    await typist.none("typing", 100);
  });

  it("bounds a batch at MAX_BATCH_FRAMES frames", async () => {
    const room = roomName("bound");
    const reader = await join(room, "reader", undefined, { batch: true });
    await runInDurableObject(internals(room).stub, (instance) => {
      const { delivery } = internals(room).of(instance);
      for (let n = 0; n < MAX_BATCH_FRAMES * 2 + 10; n++)
        delivery.enqueue({ data: JSON.stringify({ type: "stats", online: n, messagesLastMinute: 0, latestId: 0, ts: 0 }) });
    });
    await reader.until(() => reader.ofType("stats").length === MAX_BATCH_FRAMES * 2 + 10, 3000, "every stats frame");
    const sizes = batches(reader).map((batch) => (batch.type === "batch" ? batch.frames.length : 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BATCH_FRAMES);
    expect(reader.ofType("stats").map((s) => s.online)).toEqual(Array.from({ length: MAX_BATCH_FRAMES * 2 + 10 }, (_, i) => i));
  });
});

describe("group commit", () => {
  it("writes a busy window's messages in one transaction", async () => {
    const room = roomName("commit");
    const senders = await Promise.all(["a", "b", "c", "d"].map((name) => join(room, name, undefined, { batch: true })));
    const spy = await runInDurableObject(internals(room).stub, (_instance, state) => vi.spyOn(state.storage, "transactionSync"));
    burst(senders, 10);
    const reader = senders[0]!;
    await reader.until(() => reader.ofType("message").length === 40, 5000, "40 messages");
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThan(40);
    expect((await storedRows(room)).map((row) => row.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it("stores a retry of a message still waiting for its commit once, and acknowledges it once", async () => {
    const room = roomName("retry");
    const alice = await join(room, "alice", undefined, { batch: true });
    await quiet();
    alice.say("first", "n1"); // goes at once and opens a window
    alice.say("second", "n2"); // waits for the window's flush
    alice.say("second", "n2"); // a retry of a waiting message
    await alice.until(() => alice.ofType("message").length >= 2, 3000, "two messages");
    await alice.none("message", 100);
    expect(alice.ofType("message").map((m) => [m.text, m.nonce])).toEqual([
      ["first", "n1"],
      ["second", "n2"],
    ]);
    expect((await storedRows(room)).map((row) => row.text)).toEqual(["first", "second"]);
  });

  it("refuses a waiting message's nonce reused with another text", async () => {
    const room = roomName("conflict");
    const alice = await join(room, "alice", undefined, { batch: true });
    await quiet();
    alice.say("first", "n1");
    alice.say("second", "n2");
    alice.say("not the second", "n2");
    const refusal = await alice.next("error");
    expect(refusal).toMatchObject({ code: "nonce_conflict", nonce: "n2" });
    await alice.until(() => alice.ofType("message").length === 2, 3000, "two messages");
    expect((await storedRows(room)).map((row) => row.text)).toEqual(["first", "second"]);
  });

  it("loses only unacknowledged messages when the object dies between accept and flush, and stores their retry once", async () => {
    const room = roomName("crash");
    const alice = await join(room, "alice", undefined, { batch: true });
    const { id, uid, name } = (await alice.welcome()).you;
    const from: Sender = { id, uid, name };
    await quiet();
    const stub = env.ROOMS.getByName(room);
    // Inside the object: one message goes out at once, the next waits for the window; then the
    // object dies before the window ends, as in a crash.
    await runInDurableObject(stub, (instance, state) => {
      const { messages } = internals(room).of(instance);
      messages.post(from, { text: "committed", nonce: "c1" }, id);
      messages.post(from, { text: "waiting", nonce: "w1" }, id);
      state.abort("crash between accept and flush");
    }).catch(() => undefined);
    await alice.until(() => alice.closed, 3000, "the crash to close alice's socket");
    expect(alice.ofType("message").map((m) => m.nonce)).not.toContain("w1");
    expect((await storedRows(room)).map((row) => row.nonce)).not.toContain("w1");

    const again = await join(room, "alice", undefined, { batch: true });
    again.say("committed", "c1");
    again.say("waiting", "w1");
    await again.until(() => again.ofType("message").filter((m) => m.nonce).length === 2, 3000, "both acknowledged");
    const rows = await storedRows(room);
    expect(rows.filter((row) => row.nonce === "c1")).toHaveLength(1);
    expect(rows.filter((row) => row.nonce === "w1")).toHaveLength(1);
  });
});

describe("opting in", () => {
  it("refuses a batch parameter other than 0 or 1 before the upgrade", async () => {
    const response = await request(`/chat/${roomName()}?name=a&batch=yes`, { headers: { Upgrade: "websocket" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_batch" } });
  });
});
