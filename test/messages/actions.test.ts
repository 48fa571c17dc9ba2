import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { uidOf } from "../../src/identity/identity";
import type { MessageFrame, UpdateFrame } from "../../src/wire/protocol";
import { type Answer, answer, type Client, join, person, request, roomName } from "../helpers";

/** Posts and returns the stored message. */
async function post(client: Client, text: string, extra: Record<string, unknown> = {}): Promise<MessageFrame> {
  return expectType(await answer(client, { type: "message", text, ...extra }), "message");
}

async function change(client: Client, frame: Record<string, unknown>): Promise<UpdateFrame> {
  return expectType(await answer(client, frame), "update");
}

async function refusal(client: Client, frame: Record<string, unknown>): Promise<string> {
  return expectType(await answer(client, frame), "error").code;
}

function expectType<K extends Answer["type"]>(frame: Answer, type: K): Extract<Answer, { type: K }> {
  expect(frame.type, JSON.stringify(frame)).toBe(type);
  return frame as Extract<Answer, { type: K }>;
}

async function latestId(room: string): Promise<number> {
  return ((await (await request(`/api/rooms/${room}`)).json()) as { latestId: number }).latestId;
}

/** Pushes a bot message through the API (vitest.config.ts binds PUSH_TOKEN). */
async function botSays(room: string, text: string): Promise<void> {
  const response = await request(`/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: "Bearer test-push-token", "content-type": "application/json" },
    body: JSON.stringify({ text, from: "ci" }),
  });
  expect(response.status).toBe(201);
}

/** A room with alice (who wrote message 1) and bob, each with a key of their own. */
async function twoPeople(): Promise<{ room: string; alice: Client; bob: Client; first: MessageFrame }> {
  const room = roomName();
  const alice = await person(room, "alice");
  const bob = await person(room, "bob");
  const first = await post(alice, "helo wrld");
  return { room, alice, bob, first };
}

describe("updates", () => {
  it("go to everyone as the message's full new state, with a place in the order", async () => {
    const { alice, bob, first } = await twoPeople();
    const update = await change(alice, { type: "edit", id: first.id, text: "hello world" });
    expect(update.seq).toBe(2);
    const seen = await bob.next("update");
    expect(seen).toEqual({ type: "update", seq: 2, message: { ...first, text: "hello world", editedAt: expect.any(Number), nonce: undefined } });
    expect(seen.nonce).toBeUndefined();
  });

  it("take numbers from the counter message ids come from: the next message comes after", async () => {
    const { room, alice, first } = await twoPeople();
    await change(alice, { type: "react", id: first.id, emoji: "👍" });
    expect((await post(alice, "next")).id).toBe(3);
    expect(await latestId(room)).toBe(3);
    expect((await (await join(room, "carol")).welcome()).latestId).toBe(3);
  });
});

describe("edit", () => {
  it("lets the author change the text; the message keeps its id and place and gains editedAt", async () => {
    const { room, alice, first } = await twoPeople();
    await post(alice, "second");
    const before = Date.now();
    const { message } = await change(alice, { type: "edit", id: first.id, text: "hello world" });
    expect(message).toMatchObject({ id: first.id, ts: first.ts, text: "hello world", from: first.from });
    expect(message.editedAt).toBeGreaterThanOrEqual(before);
    const { history } = await (await join(room, "carol")).welcome();
    expect(history.map((m) => [m.id, m.text])).toEqual([
      [1, "hello world"],
      [2, "second"],
    ]);
  });

  it("refuses an edit by anyone but the author with forbidden, changing nothing", async () => {
    const { room, alice, bob, first } = await twoPeople();
    expect(await refusal(bob, { type: "edit", id: first.id, text: "pwned" })).toBe("forbidden");
    await alice.none("update");
    expect(await latestId(room)).toBe(1);
    expect((await (await join(room, "carol")).welcome()).history[0]!.text).toBe("helo wrld");
  });

  it("keeps the author the author after a reconnect with the same key", async () => {
    const room = roomName();
    const key = crypto.randomUUID();
    const alice = await person(room, "alice", key);
    const first = await post(alice, "typo");
    alice.close();
    const again = await person(room, "alice", key);
    expect((await change(again, { type: "edit", id: first.id, text: "fixed" })).message.text).toBe("fixed");
  });

  it("gives a one-off identity no hold on its messages after it reconnects", async () => {
    const room = roomName();
    const guest = await join(room, "guest");
    const first = await post(guest, "mine for now");
    guest.close();
    expect(await refusal(await join(room, "guest"), { type: "edit", id: first.id, text: "changed" })).toBe("forbidden");
  });

  it.each([
    ["an empty text", " ", "empty_text"],
    ["a text over the limit", "x".repeat(2001), "text_too_long"],
    ["a text with control characters", "a\u0007b", "invalid_text"],
    ["a text that is not a string", 42, "invalid_text"],
  ])("applies the message rules to the new text: %s is %s", async (_what, text, code) => {
    const { room, alice, first } = await twoPeople();
    expect(await refusal(alice, { type: "edit", id: first.id, text })).toBe(code);
    expect(await latestId(room)).toBe(1);
  });

  it("refuses to edit a message the room does not have with not_found", async () => {
    const { alice } = await twoPeople();
    expect(await refusal(alice, { type: "edit", id: 99, text: "x" })).toBe("not_found");
  });

  it("refuses to edit a deleted message with not_found", async () => {
    const { alice, first } = await twoPeople();
    await change(alice, { type: "delete", id: first.id });
    expect(await refusal(alice, { type: "edit", id: first.id, text: "back" })).toBe("not_found");
  });

  it("refuses to edit a bot's message with forbidden", async () => {
    const room = roomName();
    await botSays(room, "deployed");
    expect(await refusal(await person(room, "ci"), { type: "edit", id: 1, text: "not deployed" })).toBe("forbidden");
  });
});

describe("delete", () => {
  it("leaves a tombstone: same id, author and time, empty text, deleted, no reactions", async () => {
    const { alice, bob, first } = await twoPeople();
    await change(bob, { type: "react", id: first.id, emoji: "👍" });
    await change(alice, { type: "edit", id: first.id, text: "edited" });
    const { message } = await change(alice, { type: "delete", id: first.id });
    expect(message).toEqual({ type: "message", id: first.id, from: first.from, ts: first.ts, text: "", deleted: true });
    expect((await bob.next("update", 3)).message).toEqual(message);
  });

  it("removes the text and the reactions from storage", async () => {
    const { room, alice, bob } = await twoPeople();
    const secret = await post(alice, "my secret address");
    await change(bob, { type: "react", id: secret.id, emoji: "😮" });
    await change(alice, { type: "delete", id: secret.id });
    const stored = await runInDurableObject(env.ROOMS.getByName(room), (_instance, state) => ({
      row: state.storage.sql.exec("SELECT text, deleted FROM messages WHERE id = ?", secret.id).one(),
      anywhere: state.storage.sql.exec("SELECT count(*) AS n FROM messages WHERE text LIKE '%secret%'").one().n,
      reactions: state.storage.sql.exec("SELECT count(*) AS n FROM reactions WHERE message_id = ?", secret.id).one().n,
    }));
    expect(stored).toEqual({ row: { text: "", deleted: 1 }, anywhere: 0, reactions: 0 });
  });

  it("refuses to delete someone else's message with forbidden", async () => {
    const { room, bob, first } = await twoPeople();
    expect(await refusal(bob, { type: "delete", id: first.id })).toBe("forbidden");
    expect((await (await join(room, "carol")).welcome()).history[0]).toMatchObject({ text: "helo wrld" });
  });

  it("refuses to delete a message twice with not_found", async () => {
    const { alice, first } = await twoPeople();
    await change(alice, { type: "delete", id: first.id });
    expect(await refusal(alice, { type: "delete", id: first.id })).toBe("not_found");
  });

  it("keeps replies to a deleted message pointing at it", async () => {
    const { room, alice, bob, first } = await twoPeople();
    const reply = await post(bob, "what?", { replyTo: first.id });
    await change(alice, { type: "delete", id: first.id });
    const { history } = await (await join(room, "carol")).welcome();
    expect(history.find((m) => m.id === reply.id)).toMatchObject({ replyTo: first.id, text: "what?" });
  });
});

describe("react", () => {
  it("toggles the sender's reaction on and off", async () => {
    const { room, alice, bob, first } = await twoPeople();
    const bobUid = (await bob.welcome()).you.uid;
    const on = await change(bob, { type: "react", id: first.id, emoji: "👍" });
    expect(on.message.reactions).toEqual([{ emoji: "👍", count: 1, uids: [bobUid] }]);
    const off = await change(bob, { type: "react", id: first.id, emoji: "👍" });
    expect(off.message.reactions).toBeUndefined();
    expect((await alice.next("update", 2)).message.reactions).toBeUndefined();
    expect(off.seq).toBeGreaterThan(on.seq);
    expect((await (await join(room, "carol")).welcome()).history[0]!.reactions).toBeUndefined();
  });

  it("counts people per emoji and lists them, and the emoji, in the order they came", async () => {
    const { room, alice, bob, first } = await twoPeople();
    const carol = await person(room, "carol");
    await change(bob, { type: "react", id: first.id, emoji: "🎉" });
    await change(carol, { type: "react", id: first.id, emoji: "👍" });
    const last = await change(alice, { type: "react", id: first.id, emoji: "🎉" });
    const [a, b, c] = await Promise.all([alice, bob, carol].map(async (client) => (await client.welcome()).you.uid));
    expect(last.message.reactions).toEqual([
      { emoji: "🎉", count: 2, uids: [b, a] },
      { emoji: "👍", count: 1, uids: [c] },
    ]);
  });

  it("lets anyone react to anyone's message, a bot's included", async () => {
    const room = roomName();
    await botSays(room, "deployed");
    const guest = await join(room, "guest");
    expect((await change(guest, { type: "react", id: 1, emoji: "🚀" })).message.reactions).toHaveLength(1);
  });

  it.each([
    ["a plain emoji", "😀"],
    ["a skin tone", "👍🏽"],
    ["a flag", "🇯🇵"],
    ["a subdivision flag", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"],
    ["a ZWJ family", "👩‍👩‍👧‍👦"],
    ["a ZWJ with skin tones", "🧑🏻‍🤝‍🧑🏿"],
    ["a keycap", "1️⃣"],
    ["a symbol with its presentation selector", "❤️"],
  ])("accepts %s", async (_what, emoji) => {
    const { alice, first } = await twoPeople();
    expect((await change(alice, { type: "react", id: first.id, emoji })).message.reactions![0]!.emoji).toBe(emoji);
  });

  it("files a symbol typed without its presentation selector under the emoji form", async () => {
    const { alice, bob, first } = await twoPeople();
    await change(alice, { type: "react", id: first.id, emoji: "❤️" });
    const { message } = await change(bob, { type: "react", id: first.id, emoji: "\u2764" });
    expect(message.reactions).toEqual([{ emoji: "❤️", count: 2, uids: expect.any(Array) }]);
  });

  it.each([
    ["an empty string", ""],
    ["a letter", "a"],
    ["a digit", "1"],
    ["two emoji", "👍👍"],
    ["an emoji and a space", "👍 "],
    ["an emoji and text", "👍ok"],
    ["a lone skin tone modifier", "\u{1F3FD}x"],
    ["a lone surrogate", "\ud83d"],
    ["a text-presentation symbol", "\u2764\ufe0e"],
    ["a huge string", "👍".repeat(3000)],
    ["a number", 128077],
    ["nothing", undefined],
  ])("refuses %s with invalid_emoji, storing nothing", async (_what, emoji) => {
    const { room, alice, first } = await twoPeople();
    expect(await refusal(alice, { type: "react", id: first.id, emoji })).toBe("invalid_emoji");
    expect(await latestId(room)).toBe(1);
  });

  it("refuses a 21st distinct emoji with too_many_reactions, but lets people join or take back one", async () => {
    const { room, alice, bob, first } = await twoPeople();
    const emoji = [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗"];
    await runInDurableObject(env.ROOMS.getByName(room), (instance) => {
      const { history } = instance as unknown as { history: import("../../src/messages/history").History };
      for (const e of emoji) history.toggleReaction(first.id, e, "u_someone");
    });
    expect(await refusal(bob, { type: "react", id: first.id, emoji: "👍" })).toBe("too_many_reactions");
    expect((await change(bob, { type: "react", id: first.id, emoji: "😀" })).message.reactions![0]!.count).toBe(2);
    await change(bob, { type: "react", id: first.id, emoji: "😀" });
    expect((await change(alice, { type: "react", id: first.id, emoji: "🤗" })).message.reactions).toHaveLength(20);
  });

  it("counts every reactor exactly but lists only the first 100", async () => {
    const { room, bob, first } = await twoPeople();
    const others = Array.from({ length: 120 }, (_, i) => `u_reactor${String(i).padStart(3, "0")}`);
    await runInDurableObject(env.ROOMS.getByName(room), (instance) => {
      const { history } = instance as unknown as { history: import("../../src/messages/history").History };
      for (const uid of others) history.toggleReaction(first.id, "👍", uid);
    });
    const [reaction] = (await change(bob, { type: "react", id: first.id, emoji: "👍" })).message.reactions!;
    expect(reaction!.count).toBe(121);
    expect(reaction!.uids).toEqual(others.slice(0, 100));
  });

  it("refuses to react to a deleted message with not_found", async () => {
    const { alice, bob, first } = await twoPeople();
    await change(alice, { type: "delete", id: first.id });
    expect(await refusal(bob, { type: "react", id: first.id, emoji: "👍" })).toBe("not_found");
  });
});

describe("reply", () => {
  it("stores a reply with replyTo and shows it to everyone", async () => {
    const { room, alice, bob, first } = await twoPeople();
    const reply = await post(bob, "hi!", { replyTo: first.id });
    expect(reply).toMatchObject({ replyTo: first.id, text: "hi!" });
    expect((await alice.next("message", 2)).replyTo).toBe(first.id);
    expect((await (await join(room, "carol")).welcome()).history[1]!.replyTo).toBe(first.id);
  });

  it("refuses a reply to a message the room does not have with not_found, echoing the nonce", async () => {
    const { room, bob } = await twoPeople();
    bob.send({ type: "message", text: "to nothing", replyTo: 7, nonce: "reply-1" });
    expect(await bob.next("error")).toMatchObject({ code: "not_found", nonce: "reply-1" });
    expect(await latestId(room)).toBe(1);
  });

  it("refuses a reply to a deleted message with not_found", async () => {
    const { alice, bob, first } = await twoPeople();
    await change(alice, { type: "delete", id: first.id });
    expect(await refusal(bob, { type: "message", text: "late", replyTo: first.id })).toBe("not_found");
  });
});

describe("malformed actions", () => {
  it.each([
    ["a string id", "1"],
    ["a zero id", 0],
    ["a negative id", -1],
    ["a fractional id", 1.5],
    ["an unsafe integer id", 2 ** 53],
    ["a null id", null],
    ["no id", undefined],
  ])("refuses %s with invalid_frame", async (_what, id) => {
    const { alice } = await twoPeople();
    for (const frame of [
      { type: "edit", id, text: "x" },
      { type: "delete", id },
      { type: "react", id, emoji: "👍" },
      { type: "message", text: "x", replyTo: id ?? "none" },
    ]) {
      expect(await refusal(alice, frame)).toBe("invalid_frame");
    }
  });

  it("echoes a refused action's nonce, and sends it back only to the actor", async () => {
    const { alice, bob, first } = await twoPeople();
    bob.send({ type: "delete", id: first.id, nonce: "del-1" });
    expect(await bob.next("error")).toMatchObject({ code: "forbidden", nonce: "del-1" });
    alice.send({ type: "delete", id: first.id, nonce: "del-2" });
    expect((await alice.next("update")).nonce).toBe("del-2");
    expect((await bob.next("update")).nonce).toBeUndefined();
  });

  it("counts actions against the connection's rate limit", async () => {
    const { room, bob, first } = await twoPeople();
    // The bucket holds RATE_BURST (20) tokens.
    for (let i = 0; i < 30; i++) bob.send({ type: "react", id: first.id, emoji: "👍" });
    await bob.until(() => bob.ofType("update").length + bob.ofType("error").length >= 30, 5000, "30 answers");
    expect(bob.ofType("error").every((e) => e.code === "rate_limited")).toBe(true);
    expect(bob.ofType("error").length).toBeGreaterThanOrEqual(5);
    expect(await latestId(room)).toBe(1 + bob.ofType("update").length);
  });

  it("keeps uids exact: a reaction names the person, not the connection", async () => {
    const room = roomName();
    const key = crypto.randomUUID();
    const alice = await person(room, "alice", key);
    const first = await post(alice, "hi");
    const { message } = await change(alice, { type: "react", id: first.id, emoji: "👍" });
    expect(message.reactions![0]!.uids).toEqual([await uidOf(key, room)]);
  });
});
