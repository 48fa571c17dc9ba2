/**
 * @module
 * The wire protocol between a room and its clients: every frame's type, the error codes and close
 * codes. Shared by the room's objects and the page; inbound frames are parsed in parse.ts.
 * Documented in docs/protocol.md. A public contract: extend, never rename.
 */

import type { BansFrame, ModerationFrame, ModerationRequest, RoomFrame, RoomState, SendBans } from "./moderation-frames";

/**
 * A person in a room, as others see them. `id` names one connection; `uid` names the person (the
 * holder of a cookie or key) and stays the same across reconnects and tabs.
 */
export interface Member {
  id: string;
  uid: string;
  name: string;
  joinedAt: number;
}

/**
 * Who sent a message. `bot` is set only by the server, for messages pushed through the API, whose
 * `uid` is `bot:<name>`.
 */
export interface Sender {
  id: string;
  uid: string;
  name: string;
  bot?: true;
}

/** One emoji's reactions on a message: `count` is exact, `uids` the first reactors (at most 100). */
export interface Reaction {
  emoji: string;
  count: number;
  uids: string[];
}

/** Distinct emoji one message can carry. */
export const MAX_REACTION_EMOJI = 20;
/** Reactors listed per emoji; `count` keeps counting past them. */
export const MAX_REACTION_UIDS = 100;

/**
 * A stored chat message, always in its current state. `nonce` appears only in the sender's own
 * copy: it is the acknowledgement. The optional fields are absent when they do not apply: a
 * deleted message keeps its id, `from`, `ts` and `replyTo` with `text` "" and `deleted: true`.
 */
export interface MessageFrame {
  type: "message";
  id: number;
  from: Sender;
  text: string;
  ts: number;
  nonce?: string;
  /** The id of the message this one replies to. */
  replyTo?: number;
  /** When the author last edited the text. */
  editedAt?: number;
  deleted?: true;
  /** In order of each emoji's first reaction; absent when there are none. */
  reactions?: Reaction[];
  /** Files attached when it was posted, in the order given; absent when none (or once deleted). */
  files?: FileRef[];
}

/**
 * A file uploaded to the room (`POST /api/rooms/<room>/files`). `type` is what the server found in
 * its first bytes, never what the client claimed; images carry their size in pixels for layout.
 * `url` is a path on the room's own origin.
 */
export interface FileRef {
  id: string;
  name: string;
  size: number;
  type: string;
  url: string;
  width?: number;
  height?: number;
}

/** Files one message may carry. */
export const MAX_MESSAGE_FILES = 10;

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

/** Results a search may return at once, and how many it returns without `limit`. */
export const MAX_SEARCH_RESULTS = 50;
export const DEFAULT_SEARCH_RESULTS = 20;
/** The longest query, in characters. */
export const MAX_QUERY_CHARS = 2000;

/**
 * A search of the room's history (docs/protocol.md, "Search"), answered by `search_results` or
 * an `invalid_query` error, either with the nonce. `before` pages: the `nextBefore` of the last answer.
 */
export interface SendSearch {
  type: "search";
  q: string;
  before?: number;
  limit?: number;
  nonce?: string;
}

/** Where a query matched in a text: `[start, end)` in UTF-16 code units (JavaScript string indices). */
export type Span = [start: number, end: number];

/** A message that matched, in its current state, with the matched parts of its `text`. */
export type SearchHit = MessageFrame & { highlight: Span[] };

/** One page of matches, newest first; `nextBefore` is the `before` of the next page, null after the last. */
export interface SearchPage {
  messages: SearchHit[];
  nextBefore: number | null;
}

export interface SearchResultsFrame extends SearchPage {
  type: "search_results";
  q: string;
  nonce?: string;
}

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
