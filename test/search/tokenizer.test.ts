/**
 * The facts about workerd's SQLite that decided the index's design (docs/architecture.md,
 * "Search"), and the design itself holding where FTS5's own tokenizers fall short.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { documentOf } from "../../src/search/document";
import { matchExpression, parseQuery } from "../../src/search/query";
import { roomName } from "../helpers";

type Sql = SqlStorage;

function inRoom<T>(fn: (sql: Sql) => T): Promise<T> {
  return runInDurableObject(env.ROOMS.getByName(roomName("tokenizer")), (_room, state) => fn(state.storage.sql));
}

function count(sql: Sql, table: string, match: string): number {
  return sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${table} MATCH ?`, match).one().n;
}

const TEXT = "我们明天在你好咖啡见 Running late";

describe("workerd's SQLite", () => {
  it("unicode61 takes a run of Chinese as one word: a word inside it is not found", () =>
    inRoom((sql) => {
      sql.exec("CREATE VIRTUAL TABLE u USING fts5(t, tokenize='unicode61')");
      sql.exec("INSERT INTO u (t) VALUES (?)", TEXT);
      expect(count(sql, "u", '"你好"')).toBe(0);
      expect(count(sql, "u", '"我们明天在你好咖啡见"')).toBe(1);
    }));

  it("has the trigram tokenizer, which finds three characters but never two", () =>
    inRoom((sql) => {
      sql.exec("CREATE VIRTUAL TABLE g USING fts5(t, tokenize='trigram')");
      sql.exec("INSERT INTO g (t) VALUES (?)", TEXT);
      expect(count(sql, "g", '"你好咖"')).toBe(1);
      expect(count(sql, "g", '"你好"')).toBe(0);
    }));

  it("refuses a LIKE pattern over 50 bytes, so LIKE cannot serve arbitrary queries", () =>
    inRoom((sql) => {
      expect(sql.exec("SELECT 'abc' LIKE ? AS hit", `%${"b".repeat(10)}%`).one().hit).toBe(0);
      expect(() => sql.exec("SELECT 'abc' LIKE ? AS hit", `%${"b".repeat(60)}%`).one()).toThrow(/LIKE or GLOB pattern too complex/);
    }));

  it("has contentless FTS5 tables that a trigger can delete rows from", () =>
    inRoom((sql) => {
      sql.exec("CREATE VIRTUAL TABLE c USING fts5(t, content='', contentless_delete=1, tokenize='ascii')");
      sql.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY)");
      sql.exec("CREATE TRIGGER rows_go AFTER DELETE ON rows BEGIN DELETE FROM c WHERE rowid = OLD.id; END");
      sql.exec("INSERT INTO rows (id) VALUES (7)");
      sql.exec("INSERT INTO c (rowid, t) VALUES (7, 'hello')");
      sql.exec("DELETE FROM rows WHERE id = 7");
      expect(count(sql, "c", "hello")).toBe(0);
    }));
});

describe("the index's own terms under the ascii tokenizer", () => {
  const matches = (q: string) =>
    inRoom((sql) => {
      sql.exec("CREATE VIRTUAL TABLE s USING fts5(words, pairs, chars, tags, content='', tokenize='ascii')");
      const doc = documentOf(TEXT);
      sql.exec("INSERT INTO s (rowid, words, pairs, chars, tags) VALUES (1, ?, ?, ?, ?)", doc.words, doc.pairs, doc.chars, doc.tags);
      const query = parseQuery(q);
      if (!query.ok) throw new Error(query.message);
      return count(sql, "s", matchExpression(query.value)!);
    });

  it.each([["你"], ["你好"], ["你好咖"], ["明天在你好咖啡"], ["run"], ["RUNS"], ["late"]])("finds %s", async (q) => {
    expect(await matches(q)).toBe(1);
  });

  it.each([["好你"], ["见R"], ["咖啡店"], ["walk"]])("does not find %s", async (q) => {
    expect(await matches(q)).toBe(0);
  });
});
