/**
 * @module
 * The room's records of its files, in the room's SQLite next to its messages. The bytes live in R2
 * under `<room>/<id>`; a record says whose upload it is, what it is and which message carries it.
 * A file leaves with its message whatever removes the message (its author's or a moderator's
 * delete, retention by count or age): triggers move its id to `file_trash` in the same statement,
 * so no path can forget it, and the record is gone (its URL answers 404) before anyone sees the
 * change. The R2 objects named in the trash are deleted afterwards (files.ts).
 */
import type { FileRef } from "../wire/protocol";
import { FileUrls, type UrlSigning } from "./file-urls";
import type { Sniffed } from "./sniff";

export interface FileRecord extends Sniffed {
  id: string;
  uid: string;
  name: string;
  size: number;
  uploadedAt: number;
  messageId?: number;
}

type Row = {
  id: string;
  uid: string;
  name: string;
  size: number;
  type: string;
  width: number | null;
  height: number | null;
  uploaded_at: number;
  message_id: number | null;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (
  id TEXT PRIMARY KEY,
  uid TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  type TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  uploaded_at INTEGER NOT NULL,
  message_id INTEGER,
  position INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS files_by_message ON files (message_id, position) WHERE message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS files_unattached ON files (uploaded_at) WHERE message_id IS NULL;
CREATE TABLE IF NOT EXISTS file_trash (id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file_uploads (uid TEXT NOT NULL, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS file_uploads_by_uid ON file_uploads (uid, ts);
CREATE TRIGGER IF NOT EXISTS files_leave_with_message AFTER DELETE ON messages BEGIN
  INSERT OR IGNORE INTO file_trash SELECT id FROM files WHERE message_id = OLD.id;
  DELETE FROM files WHERE message_id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS files_leave_with_tombstone AFTER UPDATE OF deleted ON messages WHEN NEW.deleted = 1 BEGIN
  INSERT OR IGNORE INTO file_trash SELECT id FROM files WHERE message_id = OLD.id;
  DELETE FROM files WHERE message_id = OLD.id;
END;
`;

const COLUMNS = "id, uid, name, size, type, width, height, uploaded_at, message_id";

export class FileStore {
  private readonly urls: FileUrls;

  constructor(
    private readonly sql: SqlStorage,
    private readonly room: string,
    signing?: UrlSigning,
  ) {
    this.urls = new FileUrls(room, signing);
  }

  /** Creates the tables and triggers; after the messages table exists, and again after a wipe. */
  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  /** The object key of a file in the bucket: every file of a room under one prefix, for the room's deletion. */
  key(id: string): string {
    return `${this.prefix}${id}`;
  }

  get prefix(): string {
    return `${this.room}/`;
  }

  ref(record: FileRecord): FileRef {
    const ref: FileRef = { id: record.id, name: record.name, size: record.size, type: record.type, url: this.urls.of(record.id) };
    if (record.width !== undefined) ref.width = record.width;
    if (record.height !== undefined) ref.height = record.height;
    return ref;
  }

  add(record: FileRecord): void {
    const { id, uid, name, size, type, width, height, uploadedAt } = record;
    this.sql.exec(`INSERT INTO files (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`, id, uid, name, size, type, width ?? null, height ?? null, uploadedAt);
    this.sql.exec("INSERT INTO file_uploads (uid, ts) VALUES (?, ?)", uid, uploadedAt);
  }

  /** Forgets an upload whose bytes never reached the bucket; it counts against nobody's total. */
  remove(id: string): void {
    this.sql.exec("DELETE FROM files WHERE id = ?", id);
  }

  get(id: string): FileRecord | undefined {
    const [row] = this.sql.exec<Row>(`SELECT ${COLUMNS} FROM files WHERE id = ?`, id).toArray();
    return row && toRecord(row);
  }

  /** The bytes of every file the room keeps, attached or not. */
  totalBytes(): number {
    return this.sql.exec<{ n: number }>("SELECT coalesce(sum(size), 0) AS n FROM files").one().n;
  }

  /** Uploads `uid` started since `since`; older entries are dropped on the way. */
  uploadsSince(uid: string, since: number): number {
    this.sql.exec("DELETE FROM file_uploads WHERE ts < ?", since);
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM file_uploads WHERE uid = ?", uid).one().n;
  }

  /** The first of `ids` that is not an unattached upload of `uid` in this room, if any. */
  unusable(ids: string[], uid: string): string | undefined {
    const free = new Set(
      this.sql
        .exec<{ id: string }>(`SELECT id FROM files WHERE uid = ? AND message_id IS NULL AND id IN (${ids.map(() => "?").join(",")})`, uid, ...ids)
        .toArray()
        .map((row) => row.id),
    );
    return ids.find((id) => !free.has(id));
  }

  /** Attaches the files, in the order given, to a message just stored. */
  attach(ids: string[], messageId: number): FileRef[] {
    for (const [position, id] of ids.entries()) this.sql.exec("UPDATE files SET message_id = ?, position = ? WHERE id = ?", messageId, position, id);
    return ids.map((id) => this.ref(this.get(id)!));
  }

  /** The files of each of `messageIds` that has any, in the order they were attached. */
  of(messageIds: number[]): Map<number, FileRef[]> {
    const byMessage = new Map<number, FileRef[]>();
    const rows = this.sql
      // One JSON parameter, not one per id: the platform binds at most 100 (a history page has up to 200).
      .exec<Row>(`SELECT ${COLUMNS} FROM files WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, position`, JSON.stringify(messageIds))
      .toArray();
    for (const row of rows) {
      const list = byMessage.get(row.message_id!) ?? [];
      list.push(this.ref(toRecord(row)));
      byMessage.set(row.message_id!, list);
    }
    return byMessage;
  }

  /** Moves uploads never attached and older than `before` to the trash. */
  expire(before: number): void {
    this.sql.exec("INSERT OR IGNORE INTO file_trash SELECT id FROM files WHERE message_id IS NULL AND uploaded_at < ?", before);
    this.sql.exec("DELETE FROM files WHERE message_id IS NULL AND uploaded_at < ?", before);
  }

  /** When the oldest unattached upload arrived, if there is one. */
  oldestUnattached(): number | undefined {
    const [row] = this.sql.exec<{ ts: number | null }>("SELECT min(uploaded_at) AS ts FROM files WHERE message_id IS NULL").toArray();
    return row?.ts ?? undefined;
  }

  /** Up to `limit` ids whose bytes are still to be deleted from the bucket. */
  trash(limit: number): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM file_trash LIMIT ?", limit)
      .toArray()
      .map((row) => row.id);
  }

  emptied(ids: string[]): void {
    for (const id of ids) this.sql.exec("DELETE FROM file_trash WHERE id = ?", id);
  }
}

function toRecord(row: Row): FileRecord {
  const record: FileRecord = { id: row.id, uid: row.uid, name: row.name, size: row.size, type: row.type, uploadedAt: row.uploaded_at };
  if (row.width !== null) record.width = row.width;
  if (row.height !== null) record.height = row.height;
  if (row.message_id !== null) record.messageId = row.message_id;
  return record;
}
