/**
 * @module
 * The room's audit log: every moderation action taken, as announced, numbered in the order taken.
 * Its own table, which message retention never touches; it goes only with the whole room's storage
 * (lifecycle.ts). A removed message's text is not in it: a delete takes the text out of storage.
 */
import type { ModerationFrame } from "../wire/moderation-frames";

/** One action: the announcement's fields and its place in the log. */
export type AuditEntry = Omit<ModerationFrame, "type" | "nonce"> & { seq: number };

export class AuditLog {
  constructor(private readonly sql: SqlStorage) {}

  append({ type: _type, nonce: _nonce, ...entry }: ModerationFrame): void {
    this.sql.exec("INSERT INTO audit (entry) VALUES (?)", JSON.stringify(entry));
  }

  /** Up to `limit` entries before `before`, newest first. */
  page(before: number, limit: number): AuditEntry[] {
    return this.sql
      .exec<{ seq: number; entry: string }>("SELECT seq, entry FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?", before, limit)
      .toArray()
      .map(({ seq, entry }) => ({ seq, ...(JSON.parse(entry) as Omit<AuditEntry, "seq">) }));
  }
}
