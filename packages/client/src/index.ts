/**
 * @module
 * The edge chat rooms client: `connect()` gives a room handle at once.
 *
 *     const room = connect({ url: "https://chat.example", room: "lobby", name: "bot" });
 *     room.on("message", (m) => console.log(m.from.name, m.text));
 *     await room.send("hello");
 */
import { Room } from "./room";
import type { ConnectOptions } from "./types";

export function connect(options: ConnectOptions): Room {
  return new Room(options);
}

/** `https://host/chat/<room>` (a share link) as connect options. */
export function parseRoomUrl(roomUrl: string): { url: string; room: string } {
  const url = new URL(roomUrl);
  const match = /^\/chat\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) throw new TypeError(`not a room URL (https://HOST/chat/<room>): ${roomUrl}`);
  return { url: url.origin, room: decodeURIComponent(match[1]!) };
}

export type { BanEntry, ModerationFrame, RoomState } from "../../../src/wire/moderation-frames";
export type {
  ErrorCode,
  Member,
  MessageFrame,
  PresenceFrame,
  Reaction,
  SearchHit,
  SearchPage,
  Sender,
  Span,
  StatsFrame,
  UpdateFrame,
} from "../../../src/wire/protocol";
export type { BackoffOptions } from "./backoff";
export type { HeartbeatOptions } from "./heartbeat";
export type { ModerationAsk } from "./pending-moderation";
export { Room, type RoomEvents } from "./room";
export type { TokenError, TokenSource } from "./token";
export { type CloseReason, type ConnectOptions, RoomError, type RoomStatus, type StateEvent, type Welcome } from "./types";
