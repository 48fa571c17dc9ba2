/**
 * @module
 * Structured logs: one JSON object per line, which Workers observability indexes by field.
 * docs/operations.md lists every event.
 */

export type LogEvent =
  | "connect"
  | "disconnect"
  | "refused"
  | "frame_refused"
  | "push"
  | "upload"
  | "moderation"
  | "room_cleared"
  | "error"
  | "webhook_failed"
  | "webhook_disabled"
  | "webhook_dead_letter"
  | "message_hook_failed"
  | "search_backfill";

export function log(event: LogEvent, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ event, ...fields, ts: Date.now() });
  if (event === "error") console.error(line);
  else console.log(line);
}

/** How long a storm's repeats of one event are counted before they are logged as one line. */
export const SUMMARY_MS = 1000;

/**
 * Connects and disconnects come in storms (a shared link, a reconnect wave), and every line costs
 * a trip through the runtime's log pipe. The first of each event per second is logged whole; the
 * rest are counted, and when the second ends one line carries the last one's fields plus
 * `repeated`: how many were not logged on their own. A one-shot timer, so an idle room still sleeps.
 */
export class Tally {
  private readonly pending = new Map<LogEvent, { repeated: number; fields: Record<string, unknown> }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  log(event: LogEvent, fields: Record<string, unknown>): void {
    const seen = this.pending.get(event);
    if (seen) {
      seen.repeated += 1;
      seen.fields = fields;
      return;
    }
    log(event, fields);
    this.pending.set(event, { repeated: 0, fields });
    this.timer ??= setTimeout(() => this.summarise(), SUMMARY_MS);
  }

  private summarise(): void {
    this.timer = undefined;
    for (const [event, { repeated, fields }] of this.pending) {
      if (repeated > 0) log(event, { ...fields, repeated });
    }
    this.pending.clear();
  }
}
