/**
 * @module
 * The room's SQLite schema, and the migration that brings a room stored by any earlier version up
 * to it. Idempotent: it runs on every start of the object and after its storage is wiped.
 */

/** The tables as the first version created them. */
const TABLES = `
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
 * Columns added after rooms already stored messages: the migration adds those a room's table
 * lacks, so old rooms and new ones end up with one schema. Older rows hold the default (NULL).
 */
const ADDED_COLUMNS: [name: string, type: string][] = [
  ["sender_uid", "TEXT"],
  ["reply_to", "INTEGER"],
  ["edited_at", "INTEGER"],
  ["deleted", "INTEGER NOT NULL DEFAULT 0"],
  // The seq of the message's latest change; NULL while it has none.
  ["rev", "INTEGER"],
];

/** What needs the added columns. Reactions go with their message when retention deletes it. */
const LATER = `
CREATE INDEX IF NOT EXISTS messages_by_rev ON messages (rev) WHERE rev IS NOT NULL;
CREATE TABLE IF NOT EXISTS reactions (
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  uid TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (message_id, emoji, uid)
) WITHOUT ROWID;
`;

export function migrate(sql: SqlStorage): void {
  sql.exec(TABLES);
  const present = new Set(
    sql
      .exec<{ name: string }>("SELECT name FROM pragma_table_info('messages')")
      .toArray()
      .map((column) => column.name),
  );
  for (const [name, type] of ADDED_COLUMNS) {
    if (!present.has(name)) sql.exec(`ALTER TABLE messages ADD COLUMN ${name} ${type}`);
  }
  sql.exec(LATER);
}
