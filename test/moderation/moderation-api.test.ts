/**
 * The operator API (src/http/api.ts): moderation actions and the audit log over HTTP, behind
 * MODERATION_TOKEN (bound to a test value in vitest.config.ts).
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../src/moderation/audit";
import { CLOSE } from "../../src/wire/protocol";
import { join, request, roomName } from "../helpers";
import { act, arrive, audit, change, operate, post, refusal, roomState, staffedRoom, turnedAway, welcomeOf } from "../moderation-helpers";

type Page = { entries: AuditEntry[]; nextBefore: number | null };

async function ok(response: Response): Promise<Record<string, unknown>> {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function refused(response: Response): Promise<[number, string]> {
  return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
}

async function entries(room: string, query = ""): Promise<Page> {
  return (await ok(await audit(room, query))) as unknown as Page;
}

describe("moderation API tokens", () => {
  it.each([
    ["no token", null],
    ["a wrong token", "wrong-token"],
    ["an empty token", ""],
    ["the push token", "test-push-token"],
  ])("refuses %s with 401 and changes nothing", async (_what, token) => {
    const { room, member, owner } = await staffedRoom();
    expect(await refused(await operate(room, { action: "ban", uid: member.uid }, token))).toEqual([401, "unauthorized"]);
    expect(await refused(await audit(room, "", token))).toEqual([401, "unauthorized"]);
    await owner.client.none("moderation", 200);
    expect(member.client.closed).toBeUndefined();
  });

  it("does not let the moderation token push messages", async () => {
    const room = roomName();
    const response = await fetchPush(room, "test-moderation-token");
    expect(response.status).toBe(401);
  });
});

describe("operator actions", () => {
  it("set, change and remove the owner, announced with the new state", async () => {
    const room = roomName();
    const alice = await arrive(room, "alice");
    const bob = await arrive(room, "bob");
    const set = await ok(await operate(room, { action: "owner", uid: alice.uid }));
    expect(set).toEqual({
      // The first place in a new room's order.
      moderation: { type: "moderation", action: "owner", uid: alice.uid, by: "operator", ts: expect.any(Number), seq: 1 },
      room: { owner: alice.uid, moderators: [], topic: "", slowSeconds: 0, locked: false },
    });
    await ok(await operate(room, { action: "promote", uid: bob.uid }));
    await ok(await operate(room, { action: "owner", uid: bob.uid, by: "trust & safety" }));
    await alice.client.next("room", 3);
    expect(roomState(alice.client)).toMatchObject({ owner: bob.uid, moderators: [] });
    expect(alice.client.ofType("moderation").at(-1)).toMatchObject({ action: "owner", uid: bob.uid, by: "operator:trust & safety" });
    expect(((await ok(await operate(room, { action: "owner", uid: null }))).room as { owner: unknown }).owner).toBeNull();
  });

  it("delete anyone's message, the owner's too", async () => {
    const { room, owner, member } = await staffedRoom();
    const rules = await post(owner.client, "rules");
    const body = await ok(await operate(room, { action: "delete", id: rules.id }));
    expect(body.moderation).toMatchObject({ action: "delete", id: rules.id, uid: owner.uid, by: "operator" });
    expect((await member.client.next("update")).message).toMatchObject({ id: rules.id, deleted: true });
  });

  it("kick, ban and unban anyone, the owner included", async () => {
    const { room, owner, member } = await staffedRoom();
    await ok(await operate(room, { action: "kick", uid: member.uid, reason: "cool off" }));
    expect(await member.client.until(() => member.client.closed, 3000, "the kick")).toEqual({ code: CLOSE.kicked, reason: "cool off" });
    const banned = await ok(await operate(room, { action: "ban", uid: owner.uid, seconds: 60 }));
    expect(banned.moderation).toMatchObject({ action: "ban", uid: owner.uid, until: expect.any(Number) });
    expect((await turnedAway(room, owner.key)).error.code).toBe("banned");
    await ok(await operate(room, { action: "unban", uid: owner.uid }));
    expect((await arrive(room, "olive", owner.key)).uid).toBe(owner.uid);
  });

  it("change the settings", async () => {
    const { room, member } = await staffedRoom();
    const body = await ok(await operate(room, { action: "settings", locked: true, topic: "maintenance" }));
    expect(body.room).toMatchObject({ locked: true, topic: "maintenance" });
    expect((await refusal(member.client, { type: "message", text: "hello?" })).code).toBe("locked");
  });

  it.each([
    ["a body that is not JSON", "{nope", 400, "invalid_body"],
    ["an unknown action", { action: "nuke" }, 400, "unknown_type"],
    ["a claim, which is for the room's creator", { action: "claim" }, 400, "unknown_type"],
    ["a uid that is not one", { action: "kick", uid: "mallory" }, 400, "invalid_frame"],
    ["a bad by", { action: "unban", uid: "u_AAAAAAAAAAAAAAAAAAAAAA", by: "" }, 400, "invalid_name"],
    ["a message the room does not have", { action: "delete", id: 999 }, 404, "not_found"],
    ["a kick of someone absent", { action: "kick", uid: "u_AAAAAAAAAAAAAAAAAAAAAA" }, 404, "not_found"],
    ["an unban of someone not banned", { action: "unban", uid: "u_AAAAAAAAAAAAAAAAAAAAAA" }, 404, "not_found"],
  ])("refuse %s", async (_what, body, status, code) => {
    const { room } = await staffedRoom();
    expect(await refused(await operate(room, body))).toEqual([status, code]);
    expect((await entries(room)).entries.map((entry) => entry.action)).toEqual(["promote", "claim"]);
  });

  it("refuse to promote or demote the owner with 403", async () => {
    const { room, owner } = await staffedRoom();
    expect(await refused(await operate(room, { action: "demote", uid: owner.uid }))).toEqual([403, "forbidden"]);
  });
});

describe("audit log", () => {
  it("has every action taken, by members and operators, newest first, and none refused", async () => {
    const { room, owner, moderator, member } = await staffedRoom();
    const spam = await post(member.client, "spam");
    await change(moderator.client, { type: "delete", id: spam.id });
    await act(moderator.client, { type: "settings", slowSeconds: 5, topic: "calm" });
    await refusal(member.client, { type: "kick", uid: moderator.uid });
    await act(moderator.client, { type: "ban", uid: member.uid, reason: "spam", seconds: 600 });
    await ok(await operate(room, { action: "unban", uid: member.uid, by: "appeals" }));
    await act(owner.client, { type: "demote", uid: moderator.uid });
    const { entries: log, nextBefore } = await entries(room);
    expect(nextBefore).toBeNull();
    expect(log.map(({ seq, action, by }) => [seq, action, by])).toEqual([
      [7, "demote", owner.uid],
      [6, "unban", "operator:appeals"],
      [5, "ban", moderator.uid],
      [4, "settings", moderator.uid],
      [3, "delete", moderator.uid],
      [2, "promote", owner.uid],
      [1, "claim", owner.uid],
    ]);
    expect(log[2]).toEqual({
      seq: 5,
      action: "ban",
      uid: member.uid,
      by: moderator.uid,
      reason: "spam",
      name: "mia",
      until: expect.any(Number),
      ts: expect.any(Number),
    });
    expect(log[3]).toMatchObject({ settings: { slowSeconds: 5, topic: "calm" } });
    expect(log[4]).toMatchObject({ id: spam.id, uid: member.uid });
  });

  it("pages with before and limit", async () => {
    const { room, owner } = await staffedRoom();
    for (const topic of ["a", "b", "c"]) await act(owner.client, { type: "settings", topic });
    const first = await entries(room, "?limit=2");
    expect(first.entries.map((entry) => entry.seq)).toEqual([5, 4]);
    expect(first.nextBefore).toBe(4);
    const second = await entries(room, `?limit=2&before=${first.nextBefore}`);
    expect(second.entries.map((entry) => entry.seq)).toEqual([3, 2]);
    const last = await entries(room, `?limit=2&before=${second.nextBefore}`);
    expect(last).toEqual({ entries: [expect.objectContaining({ seq: 1, action: "claim" })], nextBefore: null });
  });

  it.each(["?limit=0", "?limit=201", "?before=0", "?before=x"])("refuses %s with 400 invalid_query", async (query) => {
    expect(await refused(await audit(roomName(), query))).toEqual([400, "invalid_query"]);
  });

  it("goes with an empty room once it has been unused for EMPTY_ROOM_TTL_SECONDS, moderation counting as use", async () => {
    const room = roomName();
    const uid = "u_AAAAAAAAAAAAAAAAAAAAAA";
    await ok(await operate(room, { action: "owner", uid }));
    const stub = env.ROOMS.getByName(room);
    const alarm = await runInDurableObject(stub, (_room, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await runInDurableObject(stub, (_room, state) => state.storage.sql.exec("UPDATE meta SET value = value - ? WHERE key = 'moderated_at'", 8 * 86_400_000));
    await runDurableObjectAlarm(stub);
    expect((await entries(room)).entries).toEqual([]);
    expect(welcomeOf(await join(room, "newcomer")).room.owner).toBeNull();
  });

  it("outlives the messages it is about: retention deletes them, not the log", async () => {
    const { room, moderator, member } = await staffedRoom();
    const spam = await post(member.client, "spam");
    await change(moderator.client, { type: "delete", id: spam.id });
    await runInDurableObject(env.ROOMS.getByName(room), (_room, state) => {
      state.storage.sql.exec("UPDATE messages SET ts = ts - ?", 91 * 86_400_000);
    });
    await runDurableObjectAlarm(env.ROOMS.getByName(room));
    expect((await ok(await request(`/api/rooms/${room}/messages`))).messages).toEqual([]);
    expect((await entries(room)).entries.map((entry) => entry.action)).toEqual(["delete", "promote", "claim"]);
  });
});

function fetchPush(room: string, token: string): Promise<Response> {
  return request(`/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "hi", from: "ci" }),
  });
}
