/**
 * App tokens on a fan-out object (SHARD_MEMBERS = 5 here, AUTH_SECRET set): the socket's expiry
 * rings that object's own alarm and closes it with 4401 `token_expired`; a refresh in time keeps
 * it; the roles a token grants there count in the whole room, and a refresh takes them back.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { shardName } from "../../src/sockets/handoff";
import { CLOSE } from "../../src/wire/protocol";
import { type Client, roomName } from "../helpers";
import { act, refusal, roomState, welcomeOf } from "../moderation-helpers";
import { enter, mint, nowSeconds, refresh } from "../tokens/helpers";
import { crowd, SHARD_MEMBERS, socketsPerObject } from "./helpers";

const shardAlarm = (room: string) => runInDurableObject(env.SHARDS.getByName(shardName(room, 1)), (_shard, state) => state.storage.getAlarm());

/** A room whose own object is full, and a socket with `token` on its first fan-out object. */
async function onFanOut(token: string, room = roomName("tokens-big")): Promise<{ room: string; client: Client; crowded: Client[] }> {
  const crowded = await crowd(room, SHARD_MEMBERS);
  const client = await enter(room, token);
  expect(await socketsPerObject(room, 1)).toEqual([SHARD_MEMBERS, 1]);
  return { room, client, crowded };
}

describe("a token socket on a fan-out object", () => {
  it("is welcomed as app:<sub>, with the token's exp", async () => {
    const exp = nowSeconds() + 900;
    const { client } = await onFanOut(await mint({ sub: "far", exp }));
    expect((await client.welcome()).you.uid).toBe("app:far");
    expect((await client.welcome()).exp).toBe(exp);
  });

  it("is closed 4401 token_expired by the object's alarm at its exp, and the room hears it left", { timeout: 15_000 }, async () => {
    const exp = nowSeconds() + 2;
    const { room, client, crowded } = await onFanOut(await mint({ sub: "brief", exp }));
    await expect.poll(() => shardAlarm(room), { timeout: 3000 }).toBe(exp * 1000);
    expect(await client.until(() => client.closed, 6000, "the expiry")).toEqual({ code: CLOSE.unauthorized, reason: "token_expired" });
    expect(client.ofType("error").at(-1)).toMatchObject({ code: "token_expired" });
    expect(Date.now()).toBeLessThan(exp * 1000 + 4000);
    const watcher = crowded[0]!;
    await watcher.until(() => watcher.ofType("leave").some((leave) => leave.member.uid === "app:brief"), 3000, "the leave");
  });

  it("refreshed before its exp stays open past it, and the alarm moves to the new exp", { timeout: 15_000 }, async () => {
    const exp = nowSeconds() + 2;
    const { room, client } = await onFanOut(await mint({ sub: "renewed", exp }));
    const renewed = nowSeconds() + 600;
    expect(await refresh(client, await mint({ sub: "renewed", exp: renewed }))).toEqual({ type: "auth", exp: renewed });
    await expect.poll(() => shardAlarm(room), { timeout: (exp + 3) * 1000 - Date.now(), interval: 250 }).toBe(renewed * 1000);
    expect(Date.now()).toBeGreaterThan(exp * 1000);
    expect(client.closed).toBeUndefined();
    expect(client.ofType("error")).toEqual([]);
  });

  it("refreshed with another sub gets invalid_token and keeps its identity", async () => {
    const { client } = await onFanOut(await mint({ sub: "honest" }));
    expect(await refresh(client, await mint({ sub: "someone-else" }))).toMatchObject({ type: "error", code: "invalid_token" });
    expect(client.closed).toBeUndefined();
  });

  it("refreshed with a token that no longer lists the room is closed 4403 forbidden_room", async () => {
    const { client } = await onFanOut(await mint({ sub: "leaver", rooms: ["tokens-big-*"] }));
    expect(await refresh(client, await mint({ sub: "leaver", rooms: ["elsewhere"] }))).toMatchObject({ code: "forbidden_room" });
    expect(await client.until(() => client.closed, 3000, "the close")).toEqual({ code: CLOSE.forbiddenRoom, reason: "forbidden_room" });
  });
});

describe("roles from a token on a fan-out object", () => {
  it("show in the whole room's state, and its holder can act on members of the room's own object", async () => {
    const room = roomName("tokens-big");
    const { client: moderator, crowded } = await onFanOut(await mint({ sub: "mod", roles: { "tokens-big-*": "moderator" } }), room);
    const member = crowded[1]!;
    await member.until(() => roomState(member).moderators.includes("app:mod"), 3000, "the grant");
    const uid = welcomeOf(member).you.uid;
    expect(await act(moderator, { type: "kick", uid })).toMatchObject({ action: "kick", uid });
    expect((await member.until(() => member.closed, 3000, "the kick")).code).toBe(CLOSE.kicked);
  });

  it("are taken back at once by a refresh without them", async () => {
    const room = roomName("tokens-big");
    const { client: moderator, crowded } = await onFanOut(await mint({ sub: "mod", roles: { [room]: "moderator" } }), room);
    const member = crowded[0]!;
    await member.until(() => roomState(member).moderators.includes("app:mod"), 3000, "the grant");
    expect(await refresh(moderator, await mint({ sub: "mod" }))).toMatchObject({ type: "auth" });
    await member.until(() => !roomState(member).moderators.includes("app:mod"), 3000, "the grant gone");
    expect(await refusal(moderator, { type: "kick", uid: welcomeOf(member).you.uid })).toMatchObject({ code: "forbidden" });
  });
});
