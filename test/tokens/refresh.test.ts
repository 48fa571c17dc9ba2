/**
 * A token's life on an open socket: the welcome says when it ends, `{"type":"auth"}` renews it
 * (with the new token's rooms and roles at once), its expiry closes the socket by the room's
 * alarm, and the room's bans and kicks hold against an app user however fresh their token.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOSE } from "../../src/wire/protocol";
import { join, roomName } from "../helpers";
import { act, operate, refusal as refusedAction, roomState } from "../moderation-helpers";
import { enter, mint, nowSeconds, refresh, refusal } from "./helpers";

const alarmAt = (room: string) => runInDurableObject(env.ROOMS.getByName(room), (_room, state) => state.storage.getAlarm());

describe("the welcome", () => {
  it("carries the token's exp", async () => {
    const exp = nowSeconds() + 900;
    const client = await enter(roomName(), await mint({ exp }));
    expect((await client.welcome()).exp).toBe(exp);
  });

  it("has no exp for an anonymous socket", async () => {
    const client = await join(roomName(), "anon");
    expect((await client.welcome()).exp).toBeUndefined();
  });
});

describe("refresh", () => {
  it('is answered {"type":"auth","exp"} with the new expiry', async () => {
    const client = await enter(roomName(), await mint({ exp: nowSeconds() + 60 }));
    const exp = nowSeconds() + 1200;
    expect(await refresh(client, await mint({ exp }))).toEqual({ type: "auth", exp });
  });

  it("with an expired token is token_expired, and the socket stays open on its current token", async () => {
    const client = await enter(roomName(), await mint());
    const answer = await refresh(client, await mint({ iat: nowSeconds() - 600, exp: nowSeconds() - 1 }));
    expect(answer).toMatchObject({ type: "error", code: "token_expired" });
    client.say("still here");
    await client.next("message");
    expect(client.closed).toBeUndefined();
  });

  it("with a token that no longer lists the room is forbidden_room, then close 4403", async () => {
    const room = roomName("team");
    const client = await enter(room, await mint({ rooms: ["team-*"] }));
    const watcher = await join(room, "watcher");
    expect(await refresh(client, await mint({ rooms: ["other-*"] }))).toMatchObject({ type: "error", code: "forbidden_room" });
    expect(await client.until(() => client.closed, 3000, "the close")).toEqual({ code: CLOSE.forbiddenRoom, reason: "forbidden_room" });
    await watcher.next("leave");
  });

  it("dropping a role takes it away at once: the room's state loses it, and so do its powers", async () => {
    const room = roomName();
    const moderator = await enter(room, await mint({ sub: "mod", roles: { [room]: "moderator" } }));
    const member = await join(room, "member");
    const memberUid = (await member.welcome()).you.uid;
    expect(roomState(member).moderators).toEqual(["app:mod"]);
    expect(await refresh(moderator, await mint({ sub: "mod" }))).toMatchObject({ type: "auth" });
    await member.until(() => roomState(member).moderators.length === 0, 3000, "the role gone");
    expect(await refusedAction(moderator, { type: "kick", uid: memberUid })).toMatchObject({ code: "forbidden" });
  });

  it("granting a role on refresh gives it at once", async () => {
    const room = roomName();
    const client = await enter(room, await mint({ sub: "rising" }));
    await refresh(client, await mint({ sub: "rising", roles: { [room]: "moderator" } }));
    await client.until(() => roomState(client).moderators.includes("app:rising"), 3000, "the role");
  });
});

describe("expiry", () => {
  it("without a refresh: token_expired, then close 4401, by an alarm at the expiry, not the next stats tick", async () => {
    const room = roomName();
    const exp = nowSeconds() + 3;
    const client = await enter(room, await mint({ exp }));
    // The first clean-up round rings on arrival; the next one is the token's expiry (stats: 5 s).
    await expect.poll(() => alarmAt(room), { timeout: 3000 }).toBe(exp * 1000);
    const closed = await client.until(() => client.closed, 8000, "the expiry");
    expect(closed).toEqual({ code: CLOSE.unauthorized, reason: "token_expired" });
    expect(client.ofType("error").at(-1)).toMatchObject({ code: "token_expired" });
    expect(Date.now()).toBeLessThan(exp * 1000 + 4000);
  });

  it("a refresh in time keeps the socket past its first expiry", async () => {
    const room = roomName();
    const exp = nowSeconds() + 2;
    const client = await enter(room, await mint({ exp }));
    await refresh(client, await mint({ exp: nowSeconds() + 600 }));
    await new Promise((resolve) => setTimeout(resolve, (exp + 1) * 1000 - Date.now()));
    await expect.poll(() => alarmAt(room), { timeout: 3000 }).not.toBe(exp * 1000);
    expect(client.closed).toBeUndefined();
    expect(client.ofType("error")).toEqual([]);
  });

  it("only the expired socket goes: anonymous and longer-lived ones stay", async () => {
    const room = roomName();
    const short = await enter(room, await mint({ sub: "short", exp: nowSeconds() + 2 }));
    const long = await enter(room, await mint({ sub: "long" }));
    const anon = await join(room, "anon");
    await short.until(() => short.closed, 8000, "the expiry");
    await long.until(() => long.ofType("leave").length > 0, 3000, "the leave");
    expect([long.closed, anon.closed]).toEqual([undefined, undefined]);
  });
});

describe("bans and kicks act on app:<sub>", () => {
  it("a banned app user does not get back in with a freshly signed token", async () => {
    const room = roomName();
    const client = await enter(room, await mint({ sub: "troll" }));
    expect((await operate(room, { action: "ban", uid: "app:troll", reason: "spam" })).status).toBe(200);
    expect((await client.until(() => client.closed, 3000, "the ban")).code).toBe(CLOSE.banned);
    expect(await refusal(room, await mint({ sub: "troll", exp: nowSeconds() + 1800 }))).toMatchObject({ code: "banned", close: CLOSE.banned });
  });

  it("a ban does not follow the app user into another room (the uid is the same, the ban is the room's)", async () => {
    const room = roomName();
    await operate(room, { action: "ban", uid: "app:troll" });
    const elsewhere = await enter(roomName(), await mint({ sub: "troll" }));
    expect((await elsewhere.welcome()).you.uid).toBe("app:troll");
  });

  it("a kick closes every socket of the app user, whichever token each holds; they may come back", async () => {
    const room = roomName();
    const tabs = await Promise.all([enter(room, await mint({ sub: "kid" })), enter(room, await mint({ sub: "kid", exp: nowSeconds() + 900 }))]);
    expect((await operate(room, { action: "kick", uid: "app:kid" })).status).toBe(200);
    for (const tab of tabs) expect((await tab.until(() => tab.closed, 3000, "the kick")).code).toBe(CLOSE.kicked);
    expect((await (await enter(room, await mint({ sub: "kid" }))).welcome()).you.uid).toBe("app:kid");
  });

  it("a granted moderator can ban an anonymous member", async () => {
    const room = roomName();
    const moderator = await enter(room, await mint({ sub: "mod", roles: { [room]: "moderator" } }));
    const member = await join(room, "member");
    const uid = (await member.welcome()).you.uid;
    expect(await act(moderator, { type: "ban", uid })).toMatchObject({ type: "moderation", action: "ban", uid });
  });
});
