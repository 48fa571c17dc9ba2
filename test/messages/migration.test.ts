import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config";
import { FanOut } from "../../src/fanout/fanout";
import { History } from "../../src/messages/history";
import { ModerationStore } from "../../src/moderation/moderation-store";
import { roomName } from "../helpers";

/** The messages table as rooms created before identity stored it. */
const FIRST_SCHEMA = `
CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT NOT NULL,
  bot INTEGER NOT NULL DEFAULT 0,
  text TEXT NOT NULL,
  nonce TEXT UNIQUE
);
INSERT INTO messages (ts, sender_id, sender_name, bot, text) VALUES (1, 'conn-1', 'alice', 0, 'old'), (2, 'bot:ci', 'ci', 1, 'built');
`;

/** Runs `check` on a History opened over a room whose storage has the first schema. */
function withOldRoom<T>(check: (history: History, sql: SqlStorage) => T): Promise<T> {
  return runInDurableObject(env.ROOMS.getByName(roomName()), (_instance, state) => {
    const sql = state.storage.sql;
    sql.exec("DROP TABLE messages");
    sql.exec(FIRST_SCHEMA);
    return check(new History(sql), sql);
  });
}

describe("schema migration", () => {
  it("keeps an old room's messages, their uid being the stored sender id", async () => {
    const froms = await withOldRoom((history) => history.recent(10).map((m) => [m.text, m.from.uid]));
    expect(froms).toEqual([
      ["old", "conn-1"],
      ["built", "bot:ci"],
    ]);
  });

  it("stores new messages in an old room with their uid, ids continuing", async () => {
    const stored = await withOldRoom((history) => {
      history.append({ from: { id: "conn-2", uid: "u_bob", name: "bob" }, text: "new", ts: 3 }, 100);
      return history.recent(10).map((m) => [m.id, m.from.uid]);
    });
    expect(stored.at(-1)).toEqual([3, "u_bob"]);
  });

  it("lets an old room's messages be edited, reacted to and deleted, in the room's order", async () => {
    const changes = await withOldRoom((history) => {
      const edited = history.edit(1, "old, edited", 10);
      const reacted = history.toggleReaction(2, "👍", "u_bob");
      const deleted = history.tombstone(1);
      return { seqs: [edited.seq, reacted.seq, deleted.seq], events: history.eventsAfter(2, 10) };
    });
    expect(changes.seqs).toEqual([3, 4, 5]);
    expect(changes.events).toEqual([
      { type: "update", seq: 4, message: expect.objectContaining({ id: 2, reactions: [{ emoji: "👍", count: 1, uids: ["u_bob"] }] }) },
      { type: "update", seq: 5, message: expect.objectContaining({ id: 1, text: "", deleted: true }) },
    ]);
  });

  it("can run again over a migrated room", async () => {
    const texts = await withOldRoom((history, sql) => {
      history.migrate();
      new History(sql).migrate();
      return history.recent(10).map((m) => m.text);
    });
    expect(texts).toEqual(["old", "built"]);
  });
});

describe("moderation in rooms stored before it", () => {
  it("gives an old room its roles, bans and settings, and slow mode finds its members' last messages", async () => {
    const state = await withOldRoom((history, sql) => {
      const store = new ModerationStore(sql);
      store.setOwner("u_AAAAAAAAAAAAAAAAAAAAAA", 5);
      store.addBan("u_BBBBBBBBBBBBBBBBBBBBBB", { until: null, by: "u_AAAAAAAAAAAAAAAAAAAAAA" }, 5);
      return { room: store.state(), banned: store.ban("u_BBBBBBBBBBBBBBBBBBBBBB", 6) !== undefined, last: history.lastPostAt("conn-1") };
    });
    expect(state).toEqual({
      room: { owner: "u_AAAAAAAAAAAAAAAAAAAAAA", moderators: [], topic: "", slowSeconds: 0, locked: false },
      banned: true,
      last: undefined,
    });
  });

  it("keeps the fan-out members an old room stored, and can record their networks", async () => {
    const seats = await runInDurableObject(env.ROOMS.getByName(roomName()), (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE shard_members");
      sql.exec("CREATE TABLE shard_members (id TEXT PRIMARY KEY, shard INTEGER NOT NULL, member TEXT NOT NULL, person TEXT NOT NULL)");
      const old = JSON.stringify({ id: "c1", uid: "u_AAAAAAAAAAAAAAAAAAAAAA", name: "old", joinedAt: 1 });
      sql.exec("INSERT INTO shard_members VALUES ('c1', 1, ?, ?)", old, old);
      const open = () => new FanOut(sql, readConfig({}), () => expect.unreachable("no calls to fan-out objects here"));
      const member = { id: "c2", uid: "u_BBBBBBBBBBBBBBBBBBBBBB", name: "new", joinedAt: 2 };
      open().admit({ member, person: member, shard: 1, address: "a_CCCCCCCCCCCCCCCCCCCCCC" });
      return open()
        .seats()
        .map((seat) => [seat.member.name, seat.address]);
    });
    expect(seats).toEqual([
      ["old", undefined],
      ["new", "a_CCCCCCCCCCCCCCCCCCCCCC"],
    ]);
  });
});
