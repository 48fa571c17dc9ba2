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
  | "room_cleared"
  | "error";

export function log(event: LogEvent, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ event, ...fields, ts: Date.now() });
  if (event === "error") console.error(line);
  else console.log(line);
}
