/**
 * @module
 * The room's SQLite schema, and the migration that brings a room stored by any earlier version up
 * to it. Idempotent: it runs on every start of the object and after its storage is wiped.
 */
import { addMissingColumns, type Column } from "../sql";

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
const ADDED_COLUMNS: Column[] = [
  ["sender_uid", "TEXT"],
  ["reply_to", "INTEGER"],
  ["edited_at", "INTEGER"],
  ["deleted", "INTEGER NOT NULL DEFAULT 0"],
  // The seq of the message's latest change; NULL while it has none.
  ["rev", "INTEGER"],
];

/**
 * What needs the added columns, and what came later. Reactions go with their message when
 * retention deletes it. Moderation (moderation.ts) keeps its own tables, which retention never
 * touches: roles, bans, settings and the audit log last until the room's storage is deleted.
 * `room_events` holds the announcements that took a place in the order, for resumes; they go
 * with the messages around them (history.ts, recordEvent).
 */
const LATER = `
CREATE INDEX IF NOT EXISTS messages_by_rev ON messages (rev) WHERE rev IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_by_uid ON messages (sender_uid, ts);
CREATE TABLE IF NOT EXISTS reactions (
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  uid TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (message_id, emoji, uid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS roles (uid TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('owner', 'moderator')), since INTEGER NOT NULL) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS roles_one_owner ON roles (role) WHERE role = 'owner';
CREATE TABLE IF NOT EXISTS bans (uid TEXT PRIMARY KEY, until INTEGER, reason TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ban_addresses (address TEXT NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (address, uid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  topic TEXT NOT NULL,
  slow_seconds INTEGER NOT NULL,
  locked INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS room_events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, ts INTEGER NOT NULL, frame TEXT NOT NULL);
`;

/** What a ban keeps since the page lists them (moderation-store.ts): who was banned, by whom, when. */
const BAN_COLUMNS: Column[] = [
  ["name", "TEXT"],
  ["banned_by", "TEXT"],
  ["banned_at", "INTEGER"],
];

/**
 * A ban stored before those columns has its actor and time in the audit log, which records every
 * ban as announced: the latest `ban` of the uid is the one in force. Its name was never kept.
 */
const BAN_BACKFILL = `
UPDATE bans SET (banned_by, banned_at) = (
  SELECT json_extract(entry, '$.by'), json_extract(entry, '$.ts') FROM audit
  WHERE json_extract(entry, '$.action') = 'ban' AND json_extract(entry, '$.uid') = bans.uid
  ORDER BY seq DESC LIMIT 1
)`;

export function migrate(sql: SqlStorage): void {
  sql.exec(TABLES);
  addMissingColumns(sql, "messages", ADDED_COLUMNS);
  sql.exec(LATER);
  if (addMissingColumns(sql, "bans", BAN_COLUMNS).includes("banned_at")) sql.exec(BAN_BACKFILL);
}
