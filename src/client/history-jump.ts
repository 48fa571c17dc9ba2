/**
 * @module
 * Taking the reader to a message the log may not hold yet (a search result): the older history
 * between it and the log is loaded through `GET /api/rooms/<room>/messages` (with the page's
 * token, room-reads.ts) and placed in the log,
 * then the message is scrolled to and highlighted. A message far older than the log gets only the
 * messages around it, with a line saying that those between are not shown.
 */
import type { MessageFrame } from "../wire/protocol";
import type { LogView } from "./log-view";
import type { RoomReads } from "./room-reads";

/** Messages shown before and after the one the reader goes to. */
const CONTEXT = 10;
/** The most history loaded to join a message to the log; past this only its context is. */
const JOIN_LIMIT = 1000;
const PAGE = 200;

async function page(reads: RoomReads, before: number, limit: number): Promise<MessageFrame[]> {
  return (await reads.json<{ messages: MessageFrame[] }>(`messages?before=${before}&limit=${limit}`)).messages;
}

/** Loads from the log's oldest message back to `CONTEXT` before `id`. */
async function join(reads: RoomReads, log: LogView, oldest: number, id: number): Promise<void> {
  for (let before = oldest; before > id - CONTEXT; ) {
    const older = await page(reads, before, PAGE);
    if (older.length === 0) return;
    log.insertHistory(older);
    before = older[0]!.id;
  }
}

/**
 * Shows message `id` in `log`, loading history as needed; false when the room no longer has it.
 * A read that fails rejects with its `ReadError`, for the caller to say why.
 */
export async function showInHistory(reads: RoomReads, log: LogView, id: number): Promise<boolean> {
  if (log.reveal(id)) return true;
  const oldest = log.oldestId();
  if (oldest !== undefined && id < oldest && oldest - id <= JOIN_LIMIT) await join(reads, log, oldest, id);
  else {
    const around = await page(reads, id + CONTEXT + 1, 2 * CONTEXT + 1);
    log.insertHistory(around);
    const last = around.at(-1);
    if (last && oldest !== undefined && last.id < oldest) log.markGapAfter(last.id);
  }
  return log.reveal(id);
}
