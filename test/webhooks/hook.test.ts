/**
 * The message hook (src/webhooks/hook.ts): the app allows, rejects or rewrites each new message
 * and edit before it is stored. The test receiver answers by the text (test/support/
 * webhook-receiver.ts); MESSAGE_HOOK_TIMEOUT_MS is 400 and MESSAGE_HOOK_FAILURE `allow` here.
 */
import { describe, expect, it } from "vitest";
import type { ErrorFrame, MessageFrame } from "../../src/wire/protocol";
import { answer, type Client, join, roomName } from "../helpers";
import { storedRows } from "../reliability-helpers";
import { hookCalls, push } from "./support";

const stored = async (room: string) => (await storedRows(room)).map((row) => row.text);

async function say(client: Client, text: string) {
  return answer(client, { type: "message", text });
}

describe("the message hook", () => {
  it("asks about each message with the room, the sender and the text, and stores an allowed one as sent", async () => {
    const room = roomName("hook-allow");
    const alice = await join(room, "alice");
    const ack = (await say(alice, "hello")) as MessageFrame;
    expect(ack).toMatchObject({ type: "message", text: "hello" });
    const [call] = await hookCalls(room);
    expect(call).toMatchObject({ room, text: "hello", from: { name: "alice", uid: expect.stringMatching(/^u_/) } });
    expect(await stored(room)).toEqual(["hello"]);
  });

  it("keeps a rejected message from everyone, and tells its sender why with `rejected`", async () => {
    const room = roomName("hook-reject");
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    const refusal = (await say(alice, "reject this")) as ErrorFrame;
    expect(refusal).toMatchObject({ type: "error", code: "rejected", reason: "not here" });
    await say(alice, "fine");
    await bob.next("message");
    expect(bob.ofType("message").map((m) => m.text)).toEqual(["fine"]);
    expect(await stored(room)).toEqual(["fine"]);
  });

  it("stores and broadcasts a replacement text instead of the sender's", async () => {
    const room = roomName("hook-replace");
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    expect(await say(alice, "replace:nicer words")).toMatchObject({ text: "nicer words" });
    expect((await bob.next("message")).text).toBe("nicer words");
    expect(await stored(room)).toEqual(["nicer words"]);
  });

  it("asks about an edit too, naming the message", async () => {
    const room = roomName("hook-edit");
    const alice = await join(room, "alice");
    const { id } = (await say(alice, "draft")) as MessageFrame;
    expect(await answer(alice, { type: "edit", id, text: "replace:final" })).toMatchObject({ type: "update", message: { id, text: "final" } });
    expect(await answer(alice, { type: "edit", id, text: "reject it" })).toMatchObject({ type: "error", code: "rejected" });
    expect((await hookCalls(room)).map((call) => call.edit)).toEqual([undefined, id, id]);
    expect(await stored(room)).toEqual(["final"]);
  });

  it("lets a message through as sent when the hook times out (MESSAGE_HOOK_FAILURE=allow)", async () => {
    const room = roomName("hook-timeout");
    const alice = await join(room, "alice");
    const started = Date.now();
    expect(await say(alice, "hang on")).toMatchObject({ type: "message", text: "hang on" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it.each(["hostile:json", "hostile:huge", "hostile:replace", "hostile:500", "hostile:action"])(
    "treats a hostile answer (%s) as a failed hook",
    async (text) => {
      const room = roomName("hook-hostile");
      const alice = await join(room, "alice");
      expect(await say(alice, text)).toMatchObject({ type: "message", text });
      expect(await stored(room)).toEqual([text]);
    },
  );

  it("runs calls for many senders at once, keeps each sender's order, and a slow answer holds up only its sender", async () => {
    const room = roomName("hook-many");
    const senders = await Promise.all(["a", "b", "c", "d", "e", "f"].map((name) => join(room, name)));
    const slow = senders[0]!;
    // Long enough that a loaded machine still stores everyone else's first.
    slow.say("slow:1200 first from a", "a-slow");
    await new Promise((resolve) => setTimeout(resolve, 50));
    slow.say("second from a", "a-2");
    for (const [i, client] of senders.slice(1).entries()) {
      for (let n = 1; n <= 4; n++) client.say(`slow:${(n * 37 + i * 53) % 200}:${i}:${n}`, `${i}-${n}`);
    }
    // Everyone else's messages are stored while a's first one still waits for its answer.
    const quick = senders
      .slice(1)
      .map((client, i) =>
        client.until(() => client.frames.filter((f) => f.type === "message" && f.nonce?.startsWith(`${i}-`)).length === 4, 1000, `sender ${i}`),
      );
    await Promise.all(quick);
    expect(slow.frames.some((f) => f.type === "message" && f.nonce?.startsWith("a-"))).toBe(false);
    await slow.until(() => slow.frames.some((f) => f.type === "message" && f.nonce === "a-2"), 5000);
    const rows = await stored(room);
    expect(rows.indexOf("slow:1200 first from a")).toBeLessThan(rows.indexOf("second from a"));
    for (let i = 0; i < 5; i++) {
      const mine = rows.filter((text) => text.endsWith(`:${i}:1`) || text.endsWith(`:${i}:2`) || text.endsWith(`:${i}:3`) || text.endsWith(`:${i}:4`));
      expect(mine.map((text) => text.split(":").at(-1))).toEqual(["1", "2", "3", "4"]);
    }
    // 21 calls of up to 200 ms each, one after another, would take seconds.
    const calls = await hookCalls(room);
    expect(calls).toHaveLength(22);
    expect(Math.max(...calls.map((call) => call.startedAt)) - calls[0]!.startedAt).toBeLessThan(300);
  });

  it("screens push API messages too", async () => {
    const room = roomName("hook-push");
    const refused = await push(room, "reject the bot");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "rejected" } });
    const replaced = await push(room, "replace:polite bot");
    expect(await replaced.json()).toMatchObject({ message: { text: "polite bot" } });
    expect(await stored(room)).toEqual(["polite bot"]);
  });
});
