/**
 * The list of bans (`{"type":"bans"}`, moderation.ts): owners and moderators get the bans in force,
 * newest first, with the banned person's name, the reason, the end, who banned and when; the
 * answer goes to the asker alone, in the room's order; bans stored before names were kept still list.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ModerationStore } from "../../src/moderation/moderation-store";
import { MAX_BANS_LISTED } from "../../src/wire/moderation-frames";
import { request, roomName } from "../helpers";
import { act, arrive, bansOf, listBans, post, staffedRoom } from "../moderation-helpers";

const OLD_BAN = "u_OLDOLDOLDOLDOLDOLDOLDO";
const UNRECORDED_BAN = "u_NONENONENONENONENONENO";

describe("the list of bans", () => {
  it("gives a moderator every ban in force, newest first: name, reason, end, who and when", async () => {
    const { room, owner, moderator, member } = await staffedRoom();
    const other = await arrive(room, "otto");
    const first = await act(owner.client, { type: "ban", uid: member.uid, reason: "spam", seconds: 3600 });
    // One millisecond apart at least, so "newest first" has something to order.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await act(moderator.client, { type: "ban", uid: other.uid });
    const { bans, total } = await bansOf(moderator.client);
    expect(total).toBe(2);
    expect(bans).toEqual([
      { uid: other.uid, name: "otto", until: null, since: second.ts, by: moderator.uid },
      { uid: member.uid, name: "mia", reason: "spam", until: first.until, since: first.ts, by: owner.uid },
    ]);
  });

  it("is answered to the asking connection alone, with its nonce", async () => {
    const { owner, moderator, member } = await staffedRoom();
    await act(owner.client, { type: "ban", uid: member.uid });
    const answer = await bansOf(moderator.client);
    expect(answer.nonce).toEqual(expect.any(String));
    await owner.client.none("bans", 300);
  });

  it("is empty in a room without bans", async () => {
    const { owner } = await staffedRoom();
    expect(await bansOf(owner.client)).toMatchObject({ bans: [], total: 0 });
  });

  it("is refused to a member with forbidden, and the nonce", async () => {
    const { owner, member } = await staffedRoom();
    await act(owner.client, { type: "ban", uid: "u_AAAAAAAAAAAAAAAAAAAAAA" });
    const refused = await listBans(member.client);
    expect(refused).toMatchObject({ type: "error", code: "forbidden", nonce: expect.any(String) });
  });

  it("refuses a malformed nonce with invalid_nonce", async () => {
    const { owner } = await staffedRoom();
    owner.client.send({ type: "bans", nonce: 42 });
    expect((await owner.client.next("error")).code).toBe("invalid_nonce");
  });

  it("leaves out a timed ban once it has ended", async () => {
    const { owner, member } = await staffedRoom();
    const banned = await act(owner.client, { type: "ban", uid: member.uid, seconds: 1 });
    expect((await bansOf(owner.client)).total).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, banned.until! - Date.now()) + 50));
    expect(await bansOf(owner.client)).toMatchObject({ bans: [], total: 0 });
  });

  it("no longer lists someone unbanned", async () => {
    const { owner, moderator, member } = await staffedRoom();
    await act(owner.client, { type: "ban", uid: member.uid });
    await act(moderator.client, { type: "unban", uid: member.uid });
    expect(await bansOf(owner.client)).toMatchObject({ bans: [], total: 0 });
  });

  it("agrees with the announcements around it: a ban sent just before is listed, an unban just after arrives after it", async () => {
    const { owner, member } = await staffedRoom();
    owner.client.send({ type: "ban", uid: member.uid });
    const { bans } = await bansOf(owner.client);
    expect(bans.map((ban) => ban.uid)).toEqual([member.uid]);
    const listed = owner.client.frames.findIndex((f) => f.type === "bans");
    const announced = owner.client.frames.findIndex((f) => f.type === "moderation" && f.action === "ban");
    expect(announced).toBeLessThan(listed);
  });
});

describe("the banned person's name", () => {
  it("is the one the room showed when they were banned, in the announcement and the list", async () => {
    const { owner, member } = await staffedRoom();
    const banned = await act(owner.client, { type: "ban", uid: member.uid });
    expect(banned.name).toBe("mia");
    expect((await bansOf(owner.client)).bans[0]!.name).toBe("mia");
  });

  it("comes from their last message when they have left", async () => {
    const { room, owner } = await staffedRoom();
    const gone = await arrive(room, "gus");
    await post(gone.client, "bye");
    gone.client.close();
    await owner.client.until(() => owner.client.ofType("leave").some((l) => l.member.uid === gone.uid), 3000, "the leave");
    expect((await act(owner.client, { type: "ban", uid: gone.uid })).name).toBe("gus");
    expect((await bansOf(owner.client)).bans[0]!.name).toBe("gus");
  });

  it("is null for someone the room never saw", async () => {
    const { owner } = await staffedRoom();
    const stranger = "u_STRANGERSTRANGERSTRANG";
    expect((await act(owner.client, { type: "ban", uid: stranger })).name).toBeUndefined();
    expect((await bansOf(owner.client)).bans).toEqual([expect.objectContaining({ uid: stranger, name: null })]);
  });
});

describe("bans stored before the list", () => {
  /** A room whose bans table has the first schema, with a ban the audit log recorded and one it did not. */
  async function oldRoom(): Promise<string> {
    const room = roomName("old-bans");
    await runInDurableObject(env.ROOMS.getByName(room), (_instance, { storage: { sql } }) => {
      sql.exec("DROP TABLE bans");
      sql.exec("CREATE TABLE bans (uid TEXT PRIMARY KEY, until INTEGER, reason TEXT) WITHOUT ROWID");
      sql.exec("INSERT INTO bans (uid, until, reason) VALUES (?, NULL, 'old spam'), (?, NULL, NULL)", OLD_BAN, UNRECORDED_BAN);
      const entry = { action: "ban", uid: OLD_BAN, by: "operator:ops", reason: "old spam", ts: 1_700_000_000_000 };
      sql.exec("INSERT INTO audit (entry) VALUES (?)", JSON.stringify(entry));
    });
    // The next start migrates the table.
    await evictDurableObject(env.ROOMS.getByName(room));
    return room;
  }

  it("still list, with name null, who and when from the audit log; unrecorded ones last", async () => {
    const room = await oldRoom();
    const owner = await arrive(room, "olive");
    await act(owner.client, { type: "claim" });
    expect((await bansOf(owner.client)).bans).toEqual([
      { uid: OLD_BAN, name: null, reason: "old spam", until: null, since: 1_700_000_000_000, by: "operator:ops" },
      { uid: UNRECORDED_BAN, name: null, until: null, since: null, by: null },
    ]);
  });

  it("can be lifted from the list", async () => {
    const room = await oldRoom();
    const owner = await arrive(room, "olive");
    await act(owner.client, { type: "claim" });
    await act(owner.client, { type: "unban", uid: OLD_BAN });
    expect((await bansOf(owner.client)).bans.map((ban) => ban.uid)).toEqual([UNRECORDED_BAN]);
  });
});

describe("a long list", () => {
  it(`lists the newest ${MAX_BANS_LISTED} and counts them all`, async () => {
    const listed = await runInDurableObject(env.ROOMS.getByName(roomName()), (_instance, { storage }) => {
      const store = new ModerationStore(storage.sql);
      const count = MAX_BANS_LISTED + 5;
      for (let i = 0; i < count; i++) store.addBan(`u_${String(i).padStart(22, "0")}`, { until: null, by: "operator" }, 1000 + i);
      return store.bans(5000, MAX_BANS_LISTED);
    });
    expect(listed.total).toBe(MAX_BANS_LISTED + 5);
    expect(listed.bans).toHaveLength(MAX_BANS_LISTED);
    expect(listed.bans[0]).toMatchObject({ uid: `u_${String(MAX_BANS_LISTED + 4).padStart(22, "0")}`, since: 1000 + MAX_BANS_LISTED + 4 });
    expect(listed.bans.at(-1)!.since).toBe(1005);
  });
});

describe("GET /api/rooms/<room>/bans", () => {
  it("lists the bans in force for the operator, as a moderator sees them", async () => {
    const { room, owner, member } = await staffedRoom();
    await act(owner.client, { type: "ban", uid: member.uid, reason: "spam" });
    const response = await request(`/api/rooms/${room}/bans`, { headers: { authorization: "Bearer test-moderation-token" } });
    expect(response.status).toBe(200);
    const { type: _type, nonce: _nonce, ...listed } = await bansOf(owner.client);
    expect(await response.json()).toEqual(listed);
  });

  it("needs the moderation token", async () => {
    const response = await request(`/api/rooms/${roomName()}/bans`, { headers: { authorization: "Bearer wrong" } });
    expect(response.status).toBe(401);
  });
});
