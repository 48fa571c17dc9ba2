/**
 * @module
 * `GET /api/rooms/<room>/messages/<id>`: one message by id in its current state, as a page needs
 * to quote the original of a reply older than what it has loaded.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MessageFrame } from "../../src/wire/protocol";
import { answer, join, request, roomName } from "../helpers";

async function one(room: string, id: string | number) {
  const response = await request(`/api/rooms/${room}/messages/${id}`);
  return { status: response.status, body: (await response.json()) as { message?: MessageFrame; error?: { code: string } } };
}

describe("one message by id", () => {
  it("answers a stored message in its current state, edits and replies included", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const first = (await answer(alice, { type: "message", text: "first" })) as MessageFrame;
    await answer(alice, { type: "message", text: "second", replyTo: first.id });
    await answer(alice, { type: "edit", id: first.id, text: "first, edited" });
    const found = await one(room, first.id);
    expect(found.status).toBe(200);
    expect(found.body.message).toMatchObject({ id: first.id, text: "first, edited", from: { name: "alice" } });
    expect(found.body.message?.editedAt).toBeTypeOf("number");
    expect((await one(room, 2)).body.message).toMatchObject({ id: 2, text: "second", replyTo: first.id });
  });

  it("answers a deleted message with its tombstone", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const first = (await answer(alice, { type: "message", text: "oops" })) as MessageFrame;
    await answer(alice, { type: "delete", id: first.id });
    const found = await one(room, first.id);
    expect(found.status).toBe(200);
    expect(found.body.message).toMatchObject({ id: first.id, text: "", deleted: true });
  });

  it("answers 404 not_found for an id never used", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await answer(alice, { type: "message", text: "only" });
    expect(await one(room, 2)).toEqual({ status: 404, body: { error: { code: "not_found", message: expect.any(String) } } });
  });

  it("answers 404 not_found in a room never used, and leaves it unused", async () => {
    const room = roomName();
    expect((await one(room, 1)).status).toBe(404);
    const info = (await (await request(`/api/rooms/${room}`)).json()) as { createdAt: number | null };
    expect(info.createdAt).toBeNull();
  });

  it("answers 404 not_found for a message retention removed", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await answer(alice, { type: "message", text: "old" });
    await answer(alice, { type: "message", text: "new" });
    const stub = env.ROOMS.getByName(room);
    await runInDurableObject(stub, (_room, state) => {
      state.storage.sql.exec("UPDATE messages SET ts = ts - ? WHERE id = 1", 91 * 86_400_000);
    });
    await runDurableObjectAlarm(stub);
    expect((await one(room, 1)).status).toBe(404);
    expect((await one(room, 2)).status).toBe(200);
  });

  it.each(["0", "-1", "abc", "1.5", "9".repeat(16)])("refuses the id %s with 400 invalid_query", async (id) => {
    const found = await one(roomName(), id);
    expect(found.status).toBe(400);
    expect(found.body.error?.code).toBe("invalid_query");
  });
});
