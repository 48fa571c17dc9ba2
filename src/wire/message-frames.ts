/**
 * @module
 * The message frames of the wire protocol: a stored message as every client sees it, who sent it,
 * its reactions and its files. Types and limits only, so the other frame modules can name a
 * message without a circle. Documented in docs/protocol.md. A public contract: extend, never rename.
 */

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
