/**
 * @module
 * A room's message history in the Durable Object's SQLite storage. Ids come from AUTOINCREMENT, so
 * they stay strictly increasing even after retention has deleted every row.
 */
import type { MessageFrame, Sender } from "./protocol";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT NOT NULL,
  bot INTEGER NOT NULL DEFAULT 0,
  text TEXT NOT NULL,
  nonce TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/**
 * Columns added after rooms already stored messages: `migrate` adds those a room's table lacks, so
 * old rooms and new ones end up with one schema. Rows from before a column existed hold NULL.
 */
const ADDED_COLUMNS: [name: string, type: string][] = [["sender_uid", "TEXT"]];

type Row = {
  id: number;
  ts: number;
  sender_id: string;
  sender_uid: string;
  sender_name: string;
  bot: number;
  text: string;
};

// Messages stored before identity existed count their connection id as a one-off uid; for bots
// that id already was `bot:<name>`.
const COLUMNS = "id, ts, sender_id, coalesce(sender_uid, sender_id) AS sender_uid, sender_name, bot, text";

function toFrame(row: Row): MessageFrame {
  const from: Sender = { id: row.sender_id, uid: row.sender_uid, name: row.sender_name };
  if (row.bot) from.bot = true;
  return { type: "message", id: row.id, from, text: row.text, ts: row.ts };
}

export interface NewMessage {
  from: Sender;
  text: string;
  ts: number;
  nonce?: string;
}

export class History {
  constructor(private readonly sql: SqlStorage) {
    this.migrate();
  }

  /** Creates the tables or brings old ones up to date; run again after the room's storage is wiped. */
  migrate(): void {
    this.sql.exec(SCHEMA);
    const present = new Set(
      this.sql
        .exec<{ name: string }>("SELECT name FROM pragma_table_info('messages')")
        .toArray()
        .map((column) => column.name),
    );
    for (const [name, type] of ADDED_COLUMNS) {
      if (!present.has(name)) this.sql.exec(`ALTER TABLE messages ADD COLUMN ${name} ${type}`);
    }
  }

  /** Stores a message and drops what falls past `keep`; returns it with its new id. */
  append(message: NewMessage, keep: number): MessageFrame {
    const { id } = this.sql
      .exec<{ id: number }>(
        "INSERT INTO messages (ts, sender_id, sender_uid, sender_name, bot, text, nonce) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        message.ts,
        message.from.id,
        message.from.uid,
        message.from.name,
        message.from.bot ? 1 : 0,
        message.text,
        message.nonce ?? null,
      )
      .one();
    this.sql.exec("DELETE FROM messages WHERE id <= ?", id - keep);
    return { type: "message", id, from: message.from, text: message.text, ts: message.ts };
  }

  /** The stored message a nonce created, if it is still retained. */
  byNonce(nonce: string): MessageFrame | undefined {
    const [row] = this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE nonce = ?`, nonce).toArray();
    return row && toFrame(row);
  }

  /** The newest id ever given, even if retention has deleted it since. */
  latestId(): number {
    const [row] = this.sql
      .exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")
      .toArray();
    return row?.seq ?? 0;
  }

  oldestId(): number | undefined {
    const [row] = this.sql.exec<{ id: number }>("SELECT min(id) AS id FROM messages").toArray();
    return row?.id ?? undefined;
  }

  /** The newest `limit` messages, oldest first. */
  recent(limit: number): MessageFrame[] {
    return this.before(Number.MAX_SAFE_INTEGER, limit);
  }

  /** Up to `limit` messages with ids below `before`, oldest first. */
  before(before: number, limit: number): MessageFrame[] {
    return this.sql
      .exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE id < ? ORDER BY id DESC LIMIT ?`, before, limit)
      .toArray()
      .reverse()
      .map(toFrame);
  }

  /** Up to `limit` messages with ids above `since`, oldest first. */
  after(since: number, limit: number): MessageFrame[] {
    return this.sql
      .exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE id > ? ORDER BY id LIMIT ?`, since, limit)
      .toArray()
      .map(toFrame);
  }

  countSince(ts: number): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM messages WHERE ts >= ?", ts).one().n;
  }

  newestTs(): number | undefined {
    const [row] = this.sql.exec<{ ts: number | null }>("SELECT max(ts) AS ts FROM messages").toArray();
    return row?.ts ?? undefined;
  }

  /** Age retention: deletes messages older than `ts`. */
  deleteOlderThan(ts: number): void {
    this.sql.exec("DELETE FROM messages WHERE ts < ?", ts);
  }

  /** Room-level facts that must survive eviction: `created_at`, `emptied_at`. */
  getMeta(key: string): number | undefined {
    const [row] = this.sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = ?", key).toArray();
    return row?.value;
  }

  setMeta(key: string, value: number, overwrite = true): void {
    const verb = overwrite ? "INSERT OR REPLACE" : "INSERT OR IGNORE";
    this.sql.exec(`${verb} INTO meta (key, value) VALUES (?, ?)`, key, value);
  }
}
