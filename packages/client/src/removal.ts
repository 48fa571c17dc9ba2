/**
 * @module
 * Why this page's person was removed from the room, from what the room says before it closes the
 * socket: the announcement of a kick or ban of them (who, why, until when), or, for someone
 * already banned who connects, the `banned` refusal. The close frame that follows (4001, 4003)
 * only says which, and a reason cut to 123 bytes.
 */
import type { ModerationFrame } from "../../../src/wire/moderation-frames";
import type { ErrorFrame } from "../../../src/wire/protocol";

/** Why, by whom and until when a person was removed from the room, as far as the page knows. */
export interface Removal {
  how: "kicked" | "banned";
  /** The moderator's uid, or `operator` / `operator:<name>`. */
  by?: string;
  reason?: string;
  /** When a ban ends (ms since epoch, this browser's clock); absent for a kick or a ban without end. */
  until?: number;
}

/** The removal an announcement tells of, if it is a kick or ban of `you`. */
export function announcedRemoval(frame: ModerationFrame, you: string | undefined, now = Date.now()): Removal | undefined {
  if ((frame.action !== "kick" && frame.action !== "ban") || frame.uid === undefined || frame.uid !== you) return undefined;
  const removal: Removal = { how: frame.action === "kick" ? "kicked" : "banned", by: frame.by };
  if (frame.reason !== undefined) removal.reason = frame.reason;
  // `until` is on the room's clock; the time left, counted from the announcement, is on any.
  if (frame.until !== undefined) removal.until = now + (frame.until - frame.ts);
  return removal;
}

/** The ban a `banned` refusal at the door tells of. */
export function refusedRemoval(error: ErrorFrame, now = Date.now()): Removal {
  const removal: Removal = { how: "banned" };
  if (error.reason !== undefined) removal.reason = error.reason;
  if (error.retryAfter !== undefined) removal.until = now + error.retryAfter * 1000;
  return removal;
}
