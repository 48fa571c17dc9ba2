/**
 * @module
 * Reactions on stored messages, in the room's SQLite storage: who reacted with which emoji, in the
 * order they did. The table is in schema.ts: a message's reactions go with it (ON DELETE CASCADE),
 * so retention needs no second delete.
 */
import { MAX_REACTION_UIDS, type Reaction } from "../wire/protocol";

type Row = { message_id: number; emoji: string; uid: string; count: number };

export class Reactions {
  constructor(private readonly sql: SqlStorage) {}

  /** Adds `uid`'s reaction, or takes it back if it was there; `seq` orders the reactors. */
  toggle(messageId: number, emoji: string, uid: string, seq: number): void {
    const taken = this.sql.exec("DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND uid = ? RETURNING uid", messageId, emoji, uid).toArray();
    if (taken.length === 0) {
      this.sql.exec("INSERT INTO reactions (message_id, emoji, uid, seq) VALUES (?, ?, ?, ?)", messageId, emoji, uid, seq);
    }
  }

  clear(messageId: number): void {
    this.sql.exec("DELETE FROM reactions WHERE message_id = ?", messageId);
  }

  /**
   * The reactions on those of `messageIds` that have any: per message, emoji in the order of their
   * first reaction, each with its exact count and its first MAX_REACTION_UIDS reactors.
   */
  of(messageIds: number[]): Map<number, Reaction[]> {
    const rows = this.sql
      .exec<Row>(
        `SELECT message_id, emoji, uid, count FROM (
           SELECT message_id, emoji, uid,
             count(*) OVER per_emoji AS count,
             min(seq) OVER per_emoji AS first,
             row_number() OVER (PARTITION BY message_id, emoji ORDER BY seq) AS place
           FROM reactions WHERE message_id IN (SELECT value FROM json_each(?))
           WINDOW per_emoji AS (PARTITION BY message_id, emoji)
         ) WHERE place <= ? ORDER BY message_id, first, place`,
        JSON.stringify(messageIds),
        MAX_REACTION_UIDS,
      )
      .toArray();
    const byMessage = new Map<number, Reaction[]>();
    for (const row of rows) {
      const reactions = byMessage.get(row.message_id) ?? [];
      const last = reactions.at(-1);
      if (last?.emoji === row.emoji) last.uids.push(row.uid);
      else reactions.push({ emoji: row.emoji, count: row.count, uids: [row.uid] });
      byMessage.set(row.message_id, reactions);
    }
    return byMessage;
  }
}
