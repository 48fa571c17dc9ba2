/**
 * @module
 * Full-text search of a room's history: the index beside the messages in the room's SQLite, kept
 * current in the same transaction as every change, and the queries over it. This capability owns
 * the `search_index` table and its triggers, the backfill of rooms stored before it, and the
 * answers to `GET /api/rooms/<room>/search` and the `search` frame.
 *
 * The index is an FTS5 table whose columns hold terms the analyzer (analyze.ts) made in JS, one
 * per space, so FTS5's `ascii` tokenizer keeps them exactly as made: stemmed words, the character
 * pairs and characters of Chinese and other scripts without spaces, and tags.
 *
 * New messages are indexed in groups. FTS5 writes a segment of its own at every commit that
 * touches it: about 4x a commit's pages in a busy room, whose every group commit would pay it. So
 * a new message waits in `messages` until CATCH_UP_AFTER have come (then that group commit
 * indexes them all, inside its transaction), and every search first indexes whatever waits. No
 * search can miss a stored message. `search_indexed_through` in `meta` says how far the index
 * has got: what lies past it is read as it is then, edited or deleted. An edit of a message
 * already indexed is indexed at once. Triggers take a message's entry out whenever its row goes
 * or its text changes (an edit, a delete's tombstone, retention by count or age), so no path that
 * removes text can leave it findable. docs/architecture.md says why.
 */

import { log } from "../log";
import type { History } from "../messages/history";
import { refuse } from "../wire/checks";
import type { Parsed, SearchHit, SearchPage } from "../wire/protocol";
import { documentOf } from "./document";
import { highlight } from "./highlight";
import { matchExpression, parseQuery, type SearchQuery } from "./query";

/** Raised whenever the analyzer changes what it makes of a text: the room reindexes once. */
const INDEX_VERSION = 1;
/** New messages indexed in one commit: FTS5 then writes one segment for them, not one per group commit. */
const CATCH_UP_AFTER = 256;
const CATCH_UP_BATCH = 2000;
/** The `meta` key of the last message id the index has caught up with. */
const INDEXED_THROUGH = "search_indexed_through";

const SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(words, pairs, chars, tags, content='', contentless_delete=1, tokenize='ascii');
CREATE TRIGGER IF NOT EXISTS search_leaves_with_message AFTER DELETE ON messages BEGIN
  DELETE FROM search_index WHERE rowid = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS search_forgets_old_text AFTER UPDATE OF text ON messages BEGIN
  DELETE FROM search_index WHERE rowid = OLD.id;
END;
`;

const DROP = `
DROP TRIGGER IF EXISTS search_leaves_with_message;
DROP TRIGGER IF EXISTS search_forgets_old_text;
DROP TABLE IF EXISTS search_index;
`;

/**
 * `has:file`: messages that carry files (src/files/ keeps them in its `files` table). The one
 * place search knows about files.
 */
const HAS_FILE = "EXISTS (SELECT 1 FROM files WHERE files.message_id = m.id)";

/** `SEARCH_INDEX=off` keeps no index (and answers no search); anything else, or nothing, keeps it. */
export function searchIndexOn(env: object): boolean {
  return (
    String((env as Record<string, unknown>).SEARCH_INDEX ?? "on")
      .trim()
      .toLowerCase() !== "off"
  );
}

export class Search {
  /** New messages since the last catch-up, as far as this object has seen: when to catch up next. */
  private waiting = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly on = true,
  ) {}

  /**
   * Creates the index and its triggers, after the messages table exists; run again after the
   * room's storage is wiped. A room stored before search (or by an older analyzer) has its
   * retained messages indexed here, once; so have the messages that waited for the index when the
   * object last stopped.
   */
  migrate(): void {
    if (!this.on) {
      // Turned back on later, the room indexes what it then keeps.
      this.sql.exec(DROP);
      return void this.sql.exec("DELETE FROM meta WHERE key IN ('search_version', ?)", INDEXED_THROUGH);
    }
    const [stored] = this.sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = 'search_version'").toArray();
    if (stored?.value === INDEX_VERSION) {
      this.sql.exec(SCHEMA);
      // A room indexed before messages waited for the index had every retained one in it.
      this.sql.exec("INSERT OR IGNORE INTO meta (key, value) SELECT ?, coalesce(max(id), 0) FROM messages", INDEXED_THROUGH);
      return void this.catchUp();
    }
    this.sql.exec(DROP);
    this.sql.exec(SCHEMA);
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, 0)", INDEXED_THROUGH);
    const indexed = this.catchUp();
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_version', ?)", INDEX_VERSION);
    if (indexed > 0) log("search_backfill", { messages: indexed });
  }

  /** A new message was stored (History tells, in its transaction): indexed with the next ones. */
  stored(): void {
    if (!this.on) return;
    if (++this.waiting >= CATCH_UP_AFTER) this.catchUp();
  }

  /**
   * A message's text changed (an edit; its old entry is gone already): indexed now if the index
   * had it, else it waits with the new ones and is read as edited.
   */
  add(id: number, text: string): void {
    if (this.on && id <= this.indexedThrough()) this.insert([{ id, text }]);
  }

  /** Indexes every retained message past `search_indexed_through`, in batches; returns how many. */
  private catchUp(): number {
    this.waiting = 0;
    let indexed = 0;
    for (let after = this.indexedThrough(); ; ) {
      const rows = this.sql
        .exec<{ id: number; text: string }>("SELECT id, text FROM messages WHERE id > ? AND deleted = 0 ORDER BY id LIMIT ?", after, CATCH_UP_BATCH)
        .toArray();
      if (rows.length === 0) return indexed;
      this.insert(rows);
      after = rows.at(-1)!.id;
      this.sql.exec("UPDATE meta SET value = ? WHERE key = ?", after, INDEXED_THROUGH);
      indexed += rows.length;
    }
  }

  private indexedThrough(): number {
    return this.sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = ?", INDEXED_THROUGH).toArray()[0]?.value ?? 0;
  }

  /** One statement for them all: FTS5's per-statement work is paid once. */
  private insert(rows: { id: number; text: string }[]): void {
    const documents = rows.flatMap(({ id, text }) => {
      const { words, pairs, chars, tags } = documentOf(text);
      return words === "" && chars === "" && tags === "" ? [] : [[id, words, pairs, chars, tags]];
    });
    if (documents.length === 0) return;
    this.sql.exec(
      "INSERT INTO search_index (rowid, words, pairs, chars, tags) SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?)",
      JSON.stringify(documents),
    );
  }

  /** Up to `limit` messages matching `q` with ids below `before`, newest first, or why `q` cannot be read. */
  find(history: History, q: unknown, before: number, limit: number): Parsed<SearchPage> {
    if (!this.on) return refuse("not_found", "search is off in this deployment (SEARCH_INDEX=off)");
    const parsed = parseQuery(q);
    if (!parsed.ok) return parsed;
    this.catchUp();
    const query = parsed.value;
    const messages = history.some(this.ids(query, before, limit)).map((message): SearchHit => ({ ...message, highlight: highlight(message.text, query) }));
    return { ok: true, value: { messages, nextBefore: messages.length === limit ? messages.at(-1)!.id : null } };
  }

  private ids(query: SearchQuery, before: number, limit: number): number[] {
    const match = matchExpression(query);
    const { clauses, args } = filters(query);
    const where = ["m.id < ?", "m.deleted = 0", ...clauses].join(" AND ");
    const statement =
      match === undefined
        ? `SELECT m.id FROM messages m WHERE ${where} ORDER BY m.id DESC LIMIT ?`
        : `SELECT m.id FROM search_index JOIN messages m ON m.id = search_index.rowid
           WHERE search_index MATCH ? AND search_index.rowid < ? AND ${where} ORDER BY search_index.rowid DESC LIMIT ?`;
    const bound = match === undefined ? [before, ...args, limit] : [match, before, before, ...args, limit];
    return this.sql
      .exec<{ id: number }>(statement, ...bound)
      .toArray()
      .map((row) => row.id);
  }
}

/** The query's conditions on the stored message itself, with their arguments in order. */
function filters(query: SearchQuery): { clauses: string[]; args: (string | number)[] } {
  const clauses: string[] = [];
  const args: (string | number)[] = [];
  if (query.from.length > 0) {
    const one = "coalesce(m.sender_uid, m.sender_id) = ? OR m.sender_name = ? COLLATE NOCASE";
    clauses.push(`(${query.from.map(() => one).join(" OR ")})`);
    for (const who of query.from) args.push(who, who);
  }
  if (query.before !== undefined) {
    clauses.push("m.ts < ?");
    args.push(query.before);
  }
  if (query.after !== undefined) {
    clauses.push("m.ts >= ?");
    args.push(query.after);
  }
  if (query.has.includes("file")) clauses.push(HAS_FILE);
  return { clauses, args };
}
