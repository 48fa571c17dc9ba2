/**
 * @module
 * The wire protocol between a room and its clients: every frame's type, the error codes and close
 * codes. Shared by the room's objects and the page; inbound frames are parsed in parse.ts. The
 * message, moderation and search frames have modules of their own, re-exported here so a client
 * imports the whole contract from one place. Documented in docs/protocol.md. A public contract:
 * extend, never rename.
 */

import type { FileRef, Member, MessageFrame, Reaction, Sender } from "./message-frames";
import type { BansFrame, ModerationFrame, ModerationRequest, RoomFrame, RoomState, SendBans } from "./moderation-frames";
import type { SearchHit, SearchPage, SearchResultsFrame, SendSearch, Span } from "./search-frames";

export { MAX_MESSAGE_FILES, MAX_REACTION_EMOJI, MAX_REACTION_UIDS } from "./message-frames";
export { DEFAULT_SEARCH_RESULTS, MAX_QUERY_CHARS, MAX_SEARCH_RESULTS } from "./search-frames";
export type { FileRef, Member, MessageFrame, Reaction, SearchHit, SearchPage, SearchResultsFrame, Sender, SendSearch, Span };

/**
 * A stored message changed (edited, deleted, reacted to): `message` is its full new state, to
 * replace the copy with the same id. `seq` is the change's place in the room's order, which it
 * shares with message ids (see `eventSeq`). `nonce` is in the acting connection's copy only.
 */
export interface UpdateFrame {
  type: "update";
  seq: number;
  message: MessageFrame;
  nonce?: string;
}

/** A room-wide change with its own place in the order: a moderation action, or the room's new state. */
export type OrderedRoomFrame = (ModerationFrame | RoomFrame) & { seq: number };

/** What a resume replays, in the room's order. */
export type RoomEvent = MessageFrame | UpdateFrame | OrderedRoomFrame;

/** An event's place in the room's one order: a message's id, the seq of anything else. `since` takes it. */
export function eventSeq(event: RoomEvent): number {
  return event.type === "message" ? event.id : event.seq;
}

/** Limits a client should respect; the server enforces them whether or not it does. */
export interface ClientLimits {
  maxMessageChars: number;
  maxFrameBytes: number;
  ratePerSecond: number;
  rateBurst: number;
}

export interface WelcomeFrame {
  type: "welcome";
  you: Member;
  /** By arrival, you last. In a crowd (over the roster limit, default 200) only a sample: `online` has the count. */
  members: Member[];
  /** Everyone in the room, you included, whichever object holds their socket. */
  online: number;
  /** Oldest first. Without `since`: the newest messages; with it: the first ones after `since`. */
  history: MessageFrame[];
  /** The room's newest message id (0 for a room with no messages yet). */
  latestId: number;
  /** With `since`: true when messages after it are gone (past retention, or the room was cleared). */
  gap: boolean;
  limits: ClientLimits;
  /** Who owns and moderates the room, and its settings; `room` frames say when this changes. */
  room: RoomState;
  /** With an app's token: when it expires (seconds since epoch); refresh it before then with an `auth` frame. */
  exp?: number;
}

/** The answer to a client's `auth` frame: the fresh token is in force until `exp` (seconds since epoch). */
export interface AuthFrame {
  type: "auth";
  exp: number;
}

/**
 * Presence changes, one member per frame. In a storm (four or more in one flush) they arrive as one
 * frame: `members` lists them all in order and `member` is the first. Treat announcements as
 * idempotent by member id: a batch may name members, even yourself, that you already know.
 */
export interface JoinFrame {
  type: "join";
  member: Member;
  members?: Member[];
}

export interface LeaveFrame {
  type: "leave";
  member: Member;
  members?: Member[];
}

/**
 * In a crowd (more members than the roster limit) joins and leaves are not announced one by one:
 * at most once a second this says how many came and went, and how many are here now.
 */
export interface PresenceFrame {
  type: "presence";
  online: number;
  joined: number;
  left: number;
}

export interface TypingFrame {
  type: "typing";
  from: Sender;
}

/** Periodic server push while a room has members (driven by the object's alarm). */
export interface StatsFrame {
  type: "stats";
  online: number;
  messagesLastMinute: number;
  latestId: number;
  ts: number;
}

export const ERROR_CODES = [
  "invalid_json",
  "invalid_frame",
  "unknown_type",
  "invalid_text",
  "empty_text",
  "text_too_long",
  "invalid_nonce",
  "nonce_conflict",
  "invalid_name",
  "invalid_emoji",
  "binary_unsupported",
  "rate_limited",
  "forbidden",
  "not_found",
  "too_many_reactions",
  "room_full",
  "slow_mode",
  "locked",
  "banned",
  "internal_error",
  "rejected",
  "file_too_large",
  "unsupported_type",
  "invalid_file",
  "token_required",
  "invalid_token",
  "token_expired",
  "forbidden_room",
  "invalid_query",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorFrame {
  type: "error";
  code: ErrorCode;
  message: string;
  /**
   * Seconds to wait: with `rate_limited` (the whole room is over its intake) and `slow_mode`
   * before sending again; with `banned`, until the ban ends (absent: until unbanned).
   */
  retryAfter?: number;
  /** With `banned`: the reason the moderator gave; with `rejected`: the reason the app's message hook gave. */
  reason?: string;
  /** Echoed when the refused frame carried one, so a client can mark that message failed. */
  nonce?: string;
}

export type ServerFrame =
  | WelcomeFrame
  | AuthFrame
  | MessageFrame
  | UpdateFrame
  | JoinFrame
  | LeaveFrame
  | PresenceFrame
  | TypingFrame
  | StatsFrame
  | RoomFrame
  | ModerationFrame
  | SearchResultsFrame
  | ErrorFrame
  | BansFrame;

/**
 * Several server frames in one WebSocket frame, in the order they would have arrived one by one.
 * Sent only to connections that opted in with `batch=1`; read it exactly as if its frames had
 * arrived separately. Batches never nest.
 */
export interface BatchFrame {
  type: "batch";
  frames: ServerFrame[];
}

/** Anything a server may put in one WebSocket frame. */
export type WireFrame = ServerFrame | BatchFrame;

export interface SendMessage {
  type: "message";
  text: string;
  nonce?: string;
  replyTo?: number;
  /** Ids of files this person uploaded to this room and has not attached yet. */
  files?: string[];
}

export interface SendTyping {
  type: "typing";
}

/**
 * Changes to a stored message. `nonce` is only echoed (in the refusal, or the actor's copy of the
 * update), never de-duplicated: a react is a toggle.
 */
export interface SendEdit {
  type: "edit";
  id: number;
  text: string;
  nonce?: string;
}

export interface SendDelete {
  type: "delete";
  id: number;
  nonce?: string;
}

export interface SendReact {
  type: "react";
  id: number;
  emoji: string;
  nonce?: string;
}

export type MessageAction = SendEdit | SendDelete | SendReact;

/** A fresh app token for this connection (same `sub`), sent before the current one expires. */
export interface SendAuth {
  type: "auth";
  token: string;
}

export type ClientFrame = SendMessage | SendTyping | MessageAction | ModerationRequest | SendAuth | SendSearch | SendBans;

/** The plain-text heartbeat; answered with `PONG` by the platform without waking the room. */
export const PING = "ping";
export const PONG = "pong";

/** Close codes the server uses beyond the standard ones. */
export const CLOSE = {
  /** RFC 6455: a frame larger than the server accepts. */
  tooLarge: 1009,
  /** RFC 6455 "try again later": the room is full. */
  tryAgainLater: 1013,
  /** Neither a frame nor a `ping` within the idle timeout: the connection is presumed dead. */
  idle: 4000,
  /** A moderator removed the person from the room; they may come back. */
  kicked: 4001,
  /** The person is banned: every socket is closed, and so is every new one until the ban ends. */
  banned: 4003,
  /** An app token is missing, invalid or expired (the reason is the error code): reconnect with a fresh one. */
  unauthorized: 4401,
  /** A valid app token that does not list this room (`forbidden_room`). */
  forbiddenRoom: 4403,
} as const;

export type Refusal = { ok: false; code: ErrorCode; message: string; nonce?: string; retryAfter?: number; reason?: string };
export type Parsed<T> = { ok: true; value: T } | Refusal;

/** The error frame that tells a client about a refusal. */
export function errorFrame({ code, message, nonce, retryAfter, reason }: Omit<Refusal, "ok">): ErrorFrame {
  const frame: ErrorFrame = { type: "error", code, message };
  if (nonce !== undefined) frame.nonce = nonce;
  if (retryAfter !== undefined) frame.retryAfter = retryAfter;
  if (reason !== undefined) frame.reason = reason;
  return frame;
}
