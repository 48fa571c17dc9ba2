/**
 * The index follows the history: edits, deletes, retention, new messages in groups, a wiped
 * room, and a room stored before search existed.
 */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { History } from "../../src/messages/history";
import { Search, searchIndexOn } from "../../src/search/search";
import { PNG } from "../files/fixtures";
import { uploaded } from "../files/helpers";
import { answer, join, roomName } from "../helpers";
import { arrive, change, post } from "../moderation-helpers";
import { found, pushAll, search, searchFrame } from "./helpers";

const DAY = 86_400_000;

function stub(room: string) {
  return env.ROOMS.getByName(room);
}

describe("the index is always current", () => {
  it("an edit is found by its new words at once, and no longer by its old ones", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "alice");
    const message = await post(alice.client, "meet at the station");
    await change(alice.client, { type: "edit", id: message.id, text: "meet at the harbour" });
    expect(await found(room, "harbour")).toEqual(["meet at the harbour"]);
    expect(await found(room, "station")).toEqual([]);
    // Edited while it waited for the index: indexed once, as edited.
    await runInDurableObject(stub(room), (_room, state) => checkIntegrity(state));
  });

  it("a deleted message cannot be found, by its words or by a filter", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "alice");
    const message = await post(alice.client, "my secret password");
    await change(alice.client, { type: "delete", id: message.id });
    expect(await found(room, "password")).toEqual([]);
    expect(await found(room, "from:alice")).toEqual([]);
  });

  it("a message count retention drops is gone from the index with its row", async () => {
    const room = roomName("search");
    const [first] = await pushAll(room, ["alpha one", "alpha two"]);
    // Searched once, so both are in the index, not waiting for it.
    expect(await found(room, "alpha")).toEqual(["alpha two", "alpha one"]);
    await runInDurableObject(stub(room), (instance, state) => {
      const { history } = instance as unknown as { history: History };
      history.append({ from: first!.from, text: "alpha three", ts: Date.now() }, 1);
      // The two dropped are out of the index; the new one waits for the next search.
      expect(indexedMatches(state, "alpha")).toBe(0);
    });
    expect(await found(room, "alpha")).toEqual(["alpha three"]);
  });

  it("a message age retention drops is gone from the index", async () => {
    const room = roomName("search");
    const [old] = await pushAll(room, ["ancient history", "recent history"]);
    await runInDurableObject(stub(room), (_room, state) => {
      state.storage.sql.exec("UPDATE messages SET ts = ts - ? WHERE id = ?", 400 * DAY, old!.id);
    });
    await runDurableObjectAlarm(stub(room));
    expect(await found(room, "history")).toEqual(["recent history"]);
  });

  it("a newcomer and a returning member search the same history", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "alice");
    await post(alice.client, "shared knowledge");
    alice.client.close();
    const back = await arrive(room, "alice", alice.key);
    const newcomer = await join(room, "carol");
    for (const client of [back.client, newcomer]) {
      const reply = await searchFrame(client, { q: "knowledge" });
      expect(reply).toMatchObject({ type: "search_results", messages: [expect.objectContaining({ text: "shared knowledge" })] });
    }
  });

  it("survives eviction: the index is in storage, not memory", async () => {
    const room = roomName("search");
    await pushAll(room, ["durable words"]);
    await evictDurableObject(stub(room));
    expect(await found(room, "durable")).toEqual(["durable words"]);
  });
});

describe("has:file", () => {
  it("finds messages that carry files, and stops once the message is deleted", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "alice");
    const file = await uploaded(room, alice.key, PNG, "chart.png");
    const withFile = await answer(alice.client, { type: "message", text: "the chart", files: [file.id] });
    await post(alice.client, "the chart, described");
    expect(await found(room, "chart has:file")).toEqual(["the chart"]);
    expect(await found(room, "has:file")).toEqual(["the chart"]);
    await change(alice.client, { type: "delete", id: (withFile as { id: number }).id });
    expect(await found(room, "has:file")).toEqual([]);
  });
});

/** How many entries of the raw index match `term` (FTS5 syntax), waiting messages not counted. */
function indexedMatches(state: DurableObjectState, term: string): number {
  return state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM search_index WHERE search_index MATCH ?", term).one().n;
}

/** FTS5's own check of the index's structure; throws on corruption. */
function checkIntegrity(state: DurableObjectState): void {
  state.storage.sql.exec("INSERT INTO search_index (search_index) VALUES ('integrity-check')");
}

describe("new messages are indexed in groups, and every search sees them all", () => {
  it("a new message waits for the index, and the next search finds it", async () => {
    const room = roomName("search");
    await pushAll(room, ["waiting words"]);
    await runInDurableObject(stub(room), (_room, state) => expect(indexedMatches(state, "wait")).toBe(0));
    expect(await found(room, "waiting")).toEqual(["waiting words"]);
    await runInDurableObject(stub(room), (_room, state) => expect(indexedMatches(state, "wait")).toBe(1));
  });

  it("the 256th new message indexes the group in its own transaction, before any search", async () => {
    const room = roomName("search");
    const [first] = await pushAll(room, ["group 0"]);
    await runInDurableObject(stub(room), (instance, state) => {
      const { history } = instance as unknown as { history: History };
      for (let i = 1; i < 255; i++) history.append({ from: first!.from, text: `group ${i}`, ts: Date.now() }, 100_000);
      expect(indexedMatches(state, "group")).toBe(0);
      history.append({ from: first!.from, text: "group 255", ts: Date.now() }, 100_000);
      expect(indexedMatches(state, "group")).toBe(256);
    });
  });

  it("a message edited after it was indexed is indexed again at once", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "alice");
    const message = await post(alice.client, "meet at the station");
    expect(await found(room, "station")).toEqual(["meet at the station"]);
    await change(alice.client, { type: "edit", id: message.id, text: "meet at the harbour" });
    await runInDurableObject(stub(room), (_room, state) => {
      expect(indexedMatches(state, "harbour")).toBe(1);
      expect(indexedMatches(state, "station")).toBe(0);
      checkIntegrity(state);
    });
  });

  it("a message deleted while it waits is never indexed", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "alice");
    const message = await post(alice.client, "secret waiting words");
    await change(alice.client, { type: "delete", id: message.id });
    expect(await found(room, "secret")).toEqual([]);
    await runInDurableObject(stub(room), (_room, state) => expect(indexedMatches(state, "secret")).toBe(0));
  });

  it("what waited when the object stopped is indexed when it starts", async () => {
    const room = roomName("search");
    await pushAll(room, ["left waiting"]);
    await evictDurableObject(stub(room));
    await runInDurableObject(stub(room), (_room, state) => expect(indexedMatches(state, "left")).toBe(1));
  });

  it("a room indexed before messages waited keeps its index and indexes nothing twice", async () => {
    const room = roomName("search");
    await pushAll(room, ["indexed the old road"]);
    expect(await found(room, "old")).toEqual(["indexed the old road"]);
    // As an older version left it: every retained message indexed, and no mark of how far.
    await runInDurableObject(stub(room), (_room, state) => state.storage.sql.exec("DELETE FROM meta WHERE key = 'search_indexed_through'"));
    await evictDurableObject(stub(room));
    await pushAll(room, ["and the new road"]);
    expect(await found(room, "road")).toEqual(["and the new road", "indexed the old road"]);
    await runInDurableObject(stub(room), (_room, state) => {
      expect(indexedMatches(state, "road")).toBe(2);
      checkIntegrity(state);
    });
  });
});

describe("a room stored before search", () => {
  it("has its retained messages indexed when it next starts", async () => {
    const room = roomName("search");
    const [old] = await pushAll(room, ["written before search existed", "also before"]);
    await runInDurableObject(stub(room), (_room, state) => {
      const { sql } = state.storage;
      // As an older version left it: messages, no index, no triggers.
      sql.exec("DROP TRIGGER search_leaves_with_message");
      sql.exec("DROP TRIGGER search_forgets_old_text");
      sql.exec("DROP TABLE search_index");
      sql.exec("DELETE FROM meta WHERE key = 'search_version'");
      sql.exec("INSERT INTO messages (ts, sender_id, sender_uid, sender_name, text) VALUES (?, 'c1', 'u_x', 'old', 'unindexed 你好世界')", Date.now());
      sql.exec("UPDATE messages SET deleted = 1, text = '' WHERE id = ?", old!.id);
    });
    await evictDurableObject(stub(room));
    expect(await found(room, "before")).toEqual(["also before"]);
    expect(await found(room, "你好")).toEqual(["unindexed 你好世界"]);
    expect(await found(room, "existed")).toEqual([]);
  });

  it("starts with an empty index again after the room is wiped", async () => {
    const room = roomName("search");
    await pushAll(room, ["soon gone"]);
    await runInDurableObject(stub(room), async (instance) => {
      await (instance as unknown as { clear(): Promise<void> }).clear();
    });
    expect((await search(room, "gone")).messages).toEqual([]);
    await pushAll(room, ["fresh start"]);
    expect(await found(room, "fresh")).toEqual(["fresh start"]);
  });
});

describe("SEARCH_INDEX=off", () => {
  it("keeps no index, answers no search, and indexes everything again once back on", async () => {
    const room = roomName("search");
    await pushAll(room, ["kept while off"]);
    await runInDurableObject(stub(room), (instance, state) => {
      const { sql } = state.storage;
      const { history } = instance as unknown as { history: History };
      const off = new Search(sql, searchIndexOn({ SEARCH_INDEX: "off" }));
      off.migrate();
      expect(sql.exec("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'search%'").one().n).toBe(0);
      expect(off.find(history, "kept", Number.MAX_SAFE_INTEGER, 20)).toMatchObject({ ok: false, code: "not_found" });
      const on = new Search(sql, searchIndexOn({}));
      on.migrate();
      expect(on.find(history, "kept", Number.MAX_SAFE_INTEGER, 20)).toMatchObject({
        ok: true,
        value: { messages: [expect.objectContaining({ text: "kept while off" })] },
      });
    });
  });
});
