/**
 * @module
 * A room's message history in the Durable Object's SQLite storage, and its one order. Message ids
 * come from AUTOINCREMENT, so they stay strictly increasing even after retention has deleted every
 * row; a change to a stored message, a moderation action and a change of the room's state take
 * their places in the order from the same counter (their `seq`), so one cursor, `since`, covers
 * them all.
 */
import type { ModerationFrame, RoomFrame } from "../wire/moderation-frames";
import { eventSeq, type FileRef, type MessageFrame, type OrderedRoomFrame, type RoomEvent, type Sender, type UpdateFrame } from "../wire/protocol";
import { Reactions } from "./reactions";
import { migrate } from "./schema";

type Row = {
  id: number;
  ts: number;
  sender_id: string;
  sender_uid: string;
  sender_name: string;
  bot: number;
  text: string;
  reply_to: number | null;
  edited_at: number | null;
  deleted: number;
};

// Messages stored before identity existed count their connection id as a one-off uid; for bots
// that id already was `bot:<name>`.
const COLUMNS = "id, ts, sender_id, coalesce(sender_uid, sender_id) AS sender_uid, sender_name, bot, text, reply_to, edited_at, deleted";

function toFrame(row: Row): MessageFrame {
  const from: Sender = { id: row.sender_id, uid: row.sender_uid, name: row.sender_name };
  if (row.bot) from.bot = true;
  const frame: MessageFrame = { type: "message", id: row.id, from, text: row.text, ts: row.ts };
  if (row.reply_to !== null) frame.replyTo = row.reply_to;
  if (row.edited_at !== null) frame.editedAt = row.edited_at;
  if (row.deleted) frame.deleted = true;
  return frame;
}

export interface NewMessage {
  from: Sender;
  text: string;
  ts: number;
  nonce?: string;
  replyTo?: number;
}

/** The files messages carry (src/files/), looked up for many messages at once. */
export interface FileIndex {
  of(messageIds: number[]): Map<number, FileRef[]>;
}

/**
 * The room's search index (src/search/), told of every new message and every edited text, in the
 * same transaction. It reads new texts from `messages` itself; its own triggers take old texts out.
 */
export interface TextIndex {
  stored(): void;
  add(id: number, text: string): void;
}

export class History {
  private readonly reactions: Reactions;

  constructor(
    private readonly sql: SqlStorage,
    private readonly files?: FileIndex,
    private readonly index?: TextIndex,
  ) {
    this.reactions = new Reactions(sql);
    this.migrate();
  }

  /** Creates the tables or brings old ones up to date; run again after the room's storage is wiped. */
  migrate(): void {
    migrate(this.sql);
  }

  /**
   * Stores a message and drops what falls past `keep`; returns it with its new id, or nothing when
   * its nonce is already stored (a retry, or a conflict: see messages.ts). One statement either
   * way: the UNIQUE nonce decides, so the common case needs no lookup first.
   */
  append(message: NewMessage, keep: number): MessageFrame | undefined {
    const [row] = this.sql
      .exec<{ id: number }>(
        // Not `ON CONFLICT DO NOTHING`: that would still use up an AUTOINCREMENT id.
        `INSERT INTO messages (ts, sender_id, sender_uid, sender_name, bot, text, nonce, reply_to)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE ?7 IS NULL OR NOT EXISTS (SELECT 1 FROM messages WHERE nonce = ?7)
         RETURNING id`,
        message.ts,
        message.from.id,
        message.from.uid,
        message.from.name,
        message.from.bot ? 1 : 0,
        message.text,
        message.nonce ?? null,
        message.replyTo ?? null,
      )
      .toArray();
    if (!row) return undefined;
    this.index?.stored();
    this.sql.exec("DELETE FROM messages WHERE id <= ?", row.id - keep);
    this.sql.exec("DELETE FROM room_events WHERE seq <= ?", row.id - keep);
    const frame: MessageFrame = { type: "message", id: row.id, from: message.from, text: message.text, ts: message.ts };
    if (message.replyTo !== undefined) frame.replyTo = message.replyTo;
    return frame;
  }

  /** The stored message a nonce created, if it is still retained. */
  byNonce(nonce: string): MessageFrame | undefined {
    return this.frames(this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE nonce = ?`, nonce).toArray())[0];
  }

  /** A retained message in its current state. */
  message(id: number): MessageFrame | undefined {
    return this.frames(this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE id = ?`, id).toArray())[0];
  }

  edit(id: number, text: string, editedAt: number): UpdateFrame {
    return this.change(id, () => {
      this.sql.exec("UPDATE messages SET text = ?, edited_at = ? WHERE id = ?", text, editedAt, id);
      this.index?.add(id, text);
    });
  }

  /** Deletes a message's text and reactions from storage; its row stays as a tombstone. */
  tombstone(id: number): UpdateFrame {
    return this.change(id, () => {
      this.sql.exec("UPDATE messages SET text = '', edited_at = NULL, deleted = 1 WHERE id = ?", id);
      this.reactions.clear(id);
    });
  }

  /** Adds `uid`'s reaction with `emoji`, or takes it back. */
  toggleReaction(id: number, emoji: string, uid: string): UpdateFrame {
    return this.change(id, (seq) => this.reactions.toggle(id, emoji, uid, seq));
  }

  /** Applies a change to a retained message at the next place in the order; returns its update. */
  private change(id: number, apply: (seq: number) => void): UpdateFrame {
    const seq = this.nextSeq();
    apply(seq);
    this.sql.exec("UPDATE messages SET rev = ? WHERE id = ?", seq, id);
    return { type: "update", seq, message: this.message(id)! };
  }

  /**
   * Takes the next place in the order from AUTOINCREMENT's own counter (SQLite allows updating
   * it), so the next message's id comes after every change.
   */
  private nextSeq(): number {
    const [row] = this.sql.exec<{ seq: number }>("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'messages' RETURNING seq").toArray();
    if (row) return row.seq;
    // A room with no message yet has no counter: its first moderation action starts it.
    this.sql.exec("INSERT INTO sqlite_sequence (name, seq) VALUES ('messages', 1)");
    return 1;
  }

  /**
   * Gives a moderation action or a new room state the next place in the order and keeps it for
   * resumes. A room state replaces the ones before it (it carries the whole state, as an update
   * does). Retention takes events with the messages around them (`append`, `deleteOlderThan`).
   */
  recordEvent<F extends ModerationFrame | RoomFrame>(frame: F, ts: number): F & { seq: number } {
    const ordered = { ...frame, seq: this.nextSeq() };
    if (frame.type === "room") this.sql.exec("DELETE FROM room_events WHERE type = 'room'");
    this.sql.exec("INSERT INTO room_events (seq, type, ts, frame) VALUES (?, ?, ?, ?)", ordered.seq, frame.type, ts, JSON.stringify(ordered));
    this.sql.exec("INSERT INTO meta (key, value) VALUES ('events', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1");
    return ordered;
  }

  /** Whether anyone ever posted here: places were taken by more than room events alone. */
  postedAny(): boolean {
    return this.latestId() > (this.getMeta("events") ?? 0);
  }

  /**
   * Up to `limit` events after place `since`, in the room's order, each message in its current
   * state: a `message` for every retained message with a higher id, an `update` for every retained
   * message whose latest change came after `since`, and every room event kept after it. Earlier
   * changes of a message are not replayed: an update carries the full state, so its latest change
   * says all the earlier ones did. A message both new and changed since comes twice, as a message
   * and later as its update.
   */
  eventsAfter(since: number, limit: number): RoomEvent[] {
    const room = this.sql
      .exec<{ frame: string }>("SELECT frame FROM room_events WHERE seq > ? ORDER BY seq LIMIT ?", since, limit)
      .toArray()
      .map(({ frame }) => JSON.parse(frame) as OrderedRoomFrame);
    const messages = this.messageEventsAfter(since, limit);
    if (room.length === 0) return messages;
    return [...messages, ...room].sort((a, b) => eventSeq(a) - eventSeq(b)).slice(0, limit);
  }

  private messageEventsAfter(since: number, limit: number): RoomEvent[] {
    const rows = this.sql
      .exec<Row & { seq: number }>(
        `SELECT ${COLUMNS}, id AS seq FROM messages WHERE id > ?1
         UNION ALL SELECT ${COLUMNS}, rev AS seq FROM messages WHERE rev > ?1
         ORDER BY seq LIMIT ?2`,
        since,
        limit,
      )
      .toArray();
    const frames = this.frames(rows);
    return rows.map((row, i) => (row.seq === row.id ? frames[i]! : { type: "update", seq: row.seq, message: frames[i]! }));
  }

  /** The newest place in the order ever given (a message id or a change's seq), even if retention has deleted it since. */
  latestId(): number {
    const [row] = this.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'messages'").toArray();
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
    return this.frames(this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE id < ? ORDER BY id DESC LIMIT ?`, before, limit).toArray().reverse());
  }

  /** The retained ones of messages `ids`, in the order given. */
  some(ids: number[]): MessageFrame[] {
    if (ids.length === 0) return [];
    // One JSON parameter, not one per id: the platform binds at most 100.
    const rows = this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids)).toArray();
    const byId = new Map(this.frames(rows).map((frame) => [frame.id, frame]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Up to `limit` messages with ids above `since`, oldest first. */
  after(since: number, limit: number): MessageFrame[] {
    return this.frames(this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE id > ? ORDER BY id LIMIT ?`, since, limit).toArray());
  }

  countSince(ts: number): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM messages WHERE ts >= ?", ts).one().n;
  }

  /** When `uid` last posted a retained message (slow mode counts from it). */
  lastPostAt(uid: string): number | undefined {
    const [row] = this.sql.exec<{ ts: number | null }>("SELECT max(ts) AS ts FROM messages WHERE sender_uid = ?", uid).toArray();
    return row?.ts ?? undefined;
  }

  /** The name on the person's latest retained message: what a moderator saw them as. */
  lastNameOf(uid: string): string | undefined {
    const [row] = this.sql.exec<{ name: string }>("SELECT sender_name AS name FROM messages WHERE sender_uid = ? ORDER BY ts DESC LIMIT 1", uid).toArray();
    return row?.name;
  }

  newestTs(): number | undefined {
    const [row] = this.sql.exec<{ ts: number | null }>("SELECT max(ts) AS ts FROM messages").toArray();
    return row?.ts ?? undefined;
  }

  /** Age retention: deletes messages older than `ts`. */
  deleteOlderThan(ts: number): void {
    this.sql.exec("DELETE FROM messages WHERE ts < ?", ts);
    this.sql.exec("DELETE FROM room_events WHERE ts < ?", ts);
  }

  /** Rows as frames in their current state, reactions and files included. */
  private frames(rows: Row[]): MessageFrame[] {
    const ids = rows.map((row) => row.id);
    const reactions = rows.length === 0 ? new Map() : this.reactions.of(ids);
    const files = rows.length === 0 || !this.files ? new Map<number, FileRef[]>() : this.files.of(ids);
    return rows.map((row) => {
      const frame = toFrame(row);
      const reacted = reactions.get(row.id);
      if (reacted) frame.reactions = reacted;
      const attached = files.get(row.id);
      if (attached) frame.files = attached;
      return frame;
    });
  }

  /** Room-level facts that must survive eviction: `created_at`, `emptied_at`, `moderated_at`. */
  getMeta(key: string): number | undefined {
    const [row] = this.sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = ?", key).toArray();
    return row?.value;
  }

  setMeta(key: string, value: number, overwrite = true): void {
    const verb = overwrite ? "INSERT OR REPLACE" : "INSERT OR IGNORE";
    this.sql.exec(`${verb} INTO meta (key, value) VALUES (?, ?)`, key, value);
  }
}
