/**
 * @module
 * The library's own types: what `connect()` takes, what `ready` and `state` report, and the error
 * every rejected promise carries.
 */
import type { RoomState } from "../../../src/wire/moderation-frames";
import type { Member, MessageFrame } from "../../../src/wire/protocol";
import type { BackoffOptions } from "./backoff";
import type { HeartbeatOptions } from "./heartbeat";
import type { TokenError, TokenSource } from "./token";

export interface ConnectOptions {
  /** The server: `https://chat.example` (a ws(s) URL works too). */
  url: string;
  /** The room's name (case-sensitive). */
  room: string;
  /** Display name; the server picks `guest-xxxx` without one. */
  name?: string;
  /** A secret of 16-128 `A-Z a-z 0-9 - _` that makes you the same person on every connection (non-browser clients). */
  key?: string;
  /** The app's token: a string, or a function called for a fresh one before it expires and after `token_expired`. */
  token?: TokenSource;
  /** Messages kept in `room.messages` (default 1000; older ones are dropped from memory, not from the room). */
  keep?: number;
  /** For runtimes without a global `WebSocket`, or to add headers (Node's `ws`). */
  createSocket?: (url: string) => WebSocket;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  heartbeat?: HeartbeatOptions;
}

export type RoomStatus = "connecting" | "open" | "reconnecting" | "closed";

/** Why a room closed for good: `close()`, a moderator, a full room or a token refusal. */
export type CloseReason = "closed" | "kicked" | "banned" | "room_full" | TokenError;

export interface StateEvent {
  state: RoomStatus;
  /** With `closed`: why. With `reconnecting`: `network` (waiting for one) or `token_expired` (renewing it). */
  reason?: CloseReason | "network";
  /** With `reconnecting`: when the next attempt goes (ms since epoch). */
  retryAt?: number;
  /** With `kicked` or `banned`: the moderator's uid, or `operator`. */
  by?: string;
  /** With `kicked` or `banned`: the moderator's reason. */
  detail?: string;
  /** With a timed ban: when it ends (ms since epoch, this machine's clock). */
  until?: number;
}

/** What the first welcome said, with the history it carried (oldest first). */
export interface Welcome {
  you: Member;
  members: Member[];
  /** People in the room, you included (in a crowd `members` is only a sample). */
  online: number;
  room: RoomState;
  history: MessageFrame[];
  gap: boolean;
}

/**
 * A refusal: `code` is the protocol's error code (docs/protocol.md), or `offline` (no open
 * connection for an action), `unconfirmed` (sent before a drop, outcome unknown), `closed`,
 * `kicked`, `banned`, `room_full` or a token refusal (the room closed before the answer).
 */
export class RoomError extends Error {
  override readonly name = "RoomError";
  constructor(
    readonly code: string,
    message: string = code,
    /** Seconds to wait, with `rate_limited` and `slow_mode`. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}
