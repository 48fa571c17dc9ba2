/**
 * @module
 * Taking the reader to a message the log may not hold yet (a search result): the older history
 * between it and the log is loaded through `GET /api/rooms/<room>/messages` and placed in the log,
 * then the message is scrolled to and highlighted. A message far older than the log gets only the
 * messages around it, with a line saying that those between are not shown.
 */
import type { MessageFrame } from "../wire/protocol";
import type { LogView } from "./log-view";

/** Messages shown before and after the one the reader goes to. */
const CONTEXT = 10;
/** The most history loaded to join a message to the log; past this only its context is. */
const JOIN_LIMIT = 1000;
const PAGE = 200;

async function page(room: string, before: number, limit: number): Promise<MessageFrame[]> {
  const response = await fetch(`/api/rooms/${encodeURIComponent(room)}/messages?before=${before}&limit=${limit}`);
  if (!response.ok) throw new Error(`history answered ${response.status}`);
  return ((await response.json()) as { messages: MessageFrame[] }).messages;
}

/** Loads from the log's oldest message back to `CONTEXT` before `id`. */
async function join(room: string, log: LogView, oldest: number, id: number): Promise<void> {
  for (let before = oldest; before > id - CONTEXT; ) {
    const older = await page(room, before, PAGE);
    if (older.length === 0) return;
    log.insertHistory(older);
    before = older[0]!.id;
  }
}

/** Shows message `id` in `log`, loading history as needed; false when the room no longer has it. */
export async function showInHistory(room: string, log: LogView, id: number): Promise<boolean> {
  if (log.reveal(id)) return true;
  const oldest = log.oldestId();
  try {
    if (oldest !== undefined && id < oldest && oldest - id <= JOIN_LIMIT) await join(room, log, oldest, id);
    else {
      const around = await page(room, id + CONTEXT + 1, 2 * CONTEXT + 1);
      log.insertHistory(around);
      const last = around.at(-1);
      if (last && oldest !== undefined && last.id < oldest) log.markGapAfter(last.id);
    }
  } catch {
    return false;
  }
  return log.reveal(id);
}
