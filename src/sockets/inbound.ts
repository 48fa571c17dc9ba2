/**
 * @module
 * The edge of every object that holds a room's sockets: what an upgrade brings, and what one frame
 * from a member becomes.
 * Size, binary, JSON and field checks (parse.ts), the member's token bucket (token-bucket.ts) and
 * the typing throttle run here, in the object that received the frame, before anything reaches
 * the room's sequencer.
 */
import type { Config } from "../config";
import { log } from "../log";
import { refuse } from "../wire/checks";
import type { ModerationRequest, SendBans } from "../wire/moderation-frames";
import { parseClientFrame } from "../wire/parse";
import { CLOSE, type MessageAction, type Refusal, type Sender, type SendMessage, type SendSearch } from "../wire/protocol";
import type { Session } from "./members";
import { closeQuietly } from "./socket";

const TYPING_INTERVAL_MS = 1000;

export type Inbound =
  /** Over MAX_FRAME_BYTES: the socket was closed with 1009, and the member leaves. */
  | { kind: "closed" }
  | { kind: "refuse"; refusal: Refusal }
  | { kind: "message"; frame: SendMessage }
  /**
   * An edit, delete or react, checked against the stored message by the sequencer (actions.ts);
   * or a claim, role change, kick, ban or new settings, checked by it too (moderation.ts); or a
   * moderator's ask for the bans, answered in the same order so it agrees with every announcement.
   */
  | { kind: "action"; action: MessageAction | ModerationRequest | SendBans }
  | { kind: "typing" }
  /** A fresh app token for this connection, verified by the object that holds the socket (tokens/session.ts). */
  | { kind: "auth"; token: string }
  /** A search of the history (src/search/), answered to this socket alone. */
  | { kind: "search"; search: SendSearch }
  /** Nothing to do: a typing frame inside the throttle interval. */
  | { kind: "drop" };

/** Who sent a frame, as the room names a message's or a typing frame's sender. */
export function senderOf({ member: { id, uid, name } }: Session): Sender {
  return { id, uid, name };
}

/**
 * Reads one frame from a member; never throws. Updates the session's liveness and limits, and
 * closes the socket of a frame too large to read.
 */
export function inspect(ws: WebSocket, session: Session, data: string | ArrayBuffer, config: Config, now = Date.now()): Inbound {
  session.lastSeen = now;
  const bytes = frameBytes(data, config.maxFrameBytes);
  if (bytes > config.maxFrameBytes) {
    log("frame_refused", { reason: "too_large", bytes, member: session.member.id });
    closeQuietly(ws, CLOSE.tooLarge, `frame over ${config.maxFrameBytes} bytes`);
    return { kind: "closed" };
  }
  if (typeof data !== "string") {
    return { kind: "refuse", refusal: { ok: false, code: "binary_unsupported", message: "binary frames are not supported; send JSON text" } };
  }
  const parsed = parseClientFrame(data, config.maxMessageChars);
  if (!parsed.ok) return { kind: "refuse", refusal: parsed };
  if (parsed.value.type === "typing") {
    // Typing is advisory: extra frames inside the interval are dropped, not refused.
    if (now - session.lastTypingAt < TYPING_INTERVAL_MS) return { kind: "drop" };
    session.lastTypingAt = now;
    return { kind: "typing" };
  }
  const frame = parsed.value;
  // Refreshes share the bucket too: each costs a signature check.
  if (frame.type === "auth")
    return session.bucket.take(now) ? { kind: "auth", token: frame.token } : { kind: "refuse", refusal: refuse("rate_limited", "too many frames; slow down") };
  // Messages, actions and searches share the member's token bucket.
  if (!session.bucket.take(now)) {
    const message = `over ${config.ratePerSecond} messages or actions/s (burst ${config.rateBurst})`;
    return { kind: "refuse", refusal: refuse("rate_limited", message, frame.nonce) };
  }
  if (frame.type === "search") return { kind: "search", search: frame };
  return frame.type === "message" ? { kind: "message", frame } : { kind: "action", action: frame };
}

function frameBytes(data: string | ArrayBuffer, limit: number): number {
  if (typeof data !== "string") return data.byteLength;
  // A UTF-16 unit is 1-3 UTF-8 bytes: encode only when the length alone can't decide.
  if (data.length > limit || data.length * 3 <= limit) return data.length;
  return new TextEncoder().encode(data).byteLength;
}
