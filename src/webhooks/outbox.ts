/**
 * @module
 * The room's webhook outbox in its SQLite. An event is a row written inside the group commit, so
 * it exists exactly when the change it tells of does; `seq` comes from AUTOINCREMENT in the same
 * transaction, so a rolled-back commit leaves no gap. When the sender is ready it moves what
 * accumulated into one batch (a delivery: its `webhook-id` and body never change again), which
 * lives until it is delivered or, after the last retry, stays as a dead letter until replayed.
 */
import type { EventType } from "./events";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  ts INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_batches (
  id TEXT PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  events INTEGER NOT NULL,
  oldest_ts INTEGER NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT,
  dead_at INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS webhook_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

/** At most this many events, and about this many bytes, go in one POST. */
const MAX_BATCH_EVENTS = 100;
const MAX_BATCH_BYTES = 256 * 1024;
const UTF8 = new TextEncoder();

export interface Batch {
  id: string;
  firstSeq: number;
  lastSeq: number;
  events: number;
  oldestTs: number;
  body: string;
  attempts: number;
  nextAt: number;
  lastError: string | null;
  deadAt: number | null;
}

type BatchRow = {
  id: string;
  first_seq: number;
  last_seq: number;
  events: number;
  oldest_ts: number;
  body: string;
  attempts: number;
  next_at: number;
  last_error: string | null;
  dead_at: number | null;
};

function toBatch(row: BatchRow): Batch {
  return {
    id: row.id,
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
    events: row.events,
    oldestTs: row.oldest_ts,
    body: row.body,
    attempts: row.attempts,
    nextAt: row.next_at,
    lastError: row.last_error,
    deadAt: row.dead_at,
  };
}

/** Facts about the endpoint that outlive the object: turned off by a 410, the last error, the last success. */
export type StateKey = "disabled" | "last_error" | "last_delivered_at";

/** Everything the outbox holds, to put back after the room's storage is wiped (`carry`). */
export interface OutboxCopy {
  seq: number;
  tables: Record<string, Record<string, SqlStorageValue>[]>;
}

const TABLES = ["webhook_outbox", "webhook_batches", "webhook_state"];

export class Outbox {
  constructor(private readonly sql: SqlStorage) {
    this.migrate();
  }

  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  add(type: EventType, data: string, ts: number): void {
    this.sql.exec("INSERT INTO webhook_outbox (id, type, ts, data) VALUES (?, ?, ?, ?)", `evt_${crypto.randomUUID().replaceAll("-", "")}`, type, ts, data);
  }

  /** The batch to send next: the oldest one not dead, whether it is due or not. */
  head(): Batch | undefined {
    const [row] = this.sql.exec<BatchRow>("SELECT * FROM webhook_batches WHERE dead_at IS NULL ORDER BY first_seq LIMIT 1").toArray();
    return row && toBatch(row);
  }

  /**
   * Moves the oldest waiting events, up to MAX_BATCH_EVENTS and MAX_BATCH_BYTES of UTF-8 (a receiver's limit is in bytes), into a new
   * batch due `now`; undefined when none wait. Run inside a transaction.
   */
  cut(room: string, now: number): Batch | undefined {
    const rows = this.sql
      .exec<{ seq: number; id: string; type: string; ts: number; data: string }>(
        "SELECT seq, id, type, ts, data FROM webhook_outbox ORDER BY seq LIMIT ?",
        MAX_BATCH_EVENTS,
      )
      .toArray();
    if (rows.length === 0) return undefined;
    const parts: string[] = [];
    let bytes = 0;
    for (const { seq, id, type, ts, data } of rows) {
      const part = `{"id":"${id}","type":"${type}","room":${JSON.stringify(room)},"seq":${seq},"ts":${ts},"data":${data}}`;
      bytes += UTF8.encode(part).byteLength;
      if (parts.length > 0 && bytes > MAX_BATCH_BYTES) break;
      parts.push(part);
    }
    const last = rows[parts.length - 1]!;
    const row: BatchRow = {
      id: `msg_${crypto.randomUUID().replaceAll("-", "")}`,
      first_seq: rows[0]!.seq,
      last_seq: last.seq,
      events: parts.length,
      oldest_ts: rows[0]!.ts,
      body: `{"events":[${parts.join(",")}]}`,
      attempts: 0,
      next_at: now,
      last_error: null,
      dead_at: null,
    };
    this.sql.exec(
      "INSERT INTO webhook_batches (id, first_seq, last_seq, events, oldest_ts, body, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      row.id,
      row.first_seq,
      row.last_seq,
      row.events,
      row.oldest_ts,
      row.body,
      row.next_at,
    );
    this.sql.exec("DELETE FROM webhook_outbox WHERE seq <= ?", last.seq);
    return toBatch(row);
  }

  delivered(id: string): void {
    this.sql.exec("DELETE FROM webhook_batches WHERE id = ?", id);
  }

  failed(id: string, error: string, nextAt: number): void {
    this.sql.exec("UPDATE webhook_batches SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE id = ?", error, nextAt, id);
  }

  bury(id: string, error: string, now: number): void {
    this.sql.exec("UPDATE webhook_batches SET attempts = attempts + 1, last_error = ?, dead_at = ? WHERE id = ?", error, now, id);
  }

  /** Dead letters go back in line, each before anything newer, with a fresh schedule; returns how many. */
  revive(now: number): number {
    return this.sql.exec("UPDATE webhook_batches SET dead_at = NULL, attempts = 0, next_at = ? WHERE dead_at IS NOT NULL", now).rowsWritten;
  }

  dead(): Batch[] {
    return this.sql.exec<BatchRow>("SELECT * FROM webhook_batches WHERE dead_at IS NOT NULL ORDER BY first_seq").toArray().map(toBatch);
  }

  /** Events not yet delivered (waiting, or in a live batch) and the oldest one's time. */
  depth(): { events: number; oldestTs: number | null } {
    const waiting = this.sql.exec<{ n: number; oldest: number | null }>("SELECT count(*) AS n, min(ts) AS oldest FROM webhook_outbox").one();
    const batched = this.sql
      .exec<{ n: number | null; oldest: number | null }>("SELECT sum(events) AS n, min(oldest_ts) AS oldest FROM webhook_batches WHERE dead_at IS NULL")
      .one();
    const oldest = [waiting.oldest, batched.oldest].filter((ts) => ts !== null);
    return { events: waiting.n + (batched.n ?? 0), oldestTs: oldest.length > 0 ? Math.min(...oldest) : null };
  }

  /** Whether events wait that no batch holds yet. */
  waiting(): boolean {
    return this.sql.exec("SELECT 1 FROM webhook_outbox LIMIT 1").toArray().length > 0;
  }

  state(key: StateKey): string | undefined {
    const [row] = this.sql.exec<{ value: string }>("SELECT value FROM webhook_state WHERE key = ?", key).toArray();
    return row?.value;
  }

  setState(key: StateKey, value: string | undefined): void {
    if (value === undefined) this.sql.exec("DELETE FROM webhook_state WHERE key = ?", key);
    else this.sql.exec("INSERT OR REPLACE INTO webhook_state (key, value) VALUES (?, ?)", key, value);
  }

  /** A copy of the outbox, and its place in `seq`, for `restore` after the room's storage is wiped. */
  copy(): OutboxCopy {
    const [row] = this.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'webhook_outbox'").toArray();
    const tables = Object.fromEntries(TABLES.map((table) => [table, this.sql.exec(`SELECT * FROM ${table}`).toArray()]));
    return { seq: row?.seq ?? 0, tables };
  }

  /** Puts a `copy` back, so undelivered events and dead letters survive, and `seq` goes on without restarting. */
  restore({ seq, tables }: OutboxCopy): void {
    this.migrate();
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows) {
        const columns = Object.keys(row);
        this.sql.exec(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, ...Object.values(row));
      }
    }
    if (seq === 0) return;
    this.sql.exec(
      "INSERT INTO sqlite_sequence (name, seq) SELECT 'webhook_outbox', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'webhook_outbox')",
      seq,
    );
    this.sql.exec("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'webhook_outbox'", seq);
  }
}
