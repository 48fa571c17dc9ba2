/**
 * @module
 * The moderation frames of the wire protocol: the room's state (owner, moderators, settings), the
 * frames owners and moderators send and the announcements everyone gets. Types and limits only,
 * so protocol.ts can name them without a circle; they are parsed in parse-moderation.ts.
 * Documented in docs/protocol.md ("Moderation"). A public contract: extend, never rename.
 */

export const MAX_TOPIC_CHARS = 200;
export const MAX_REASON_CHARS = 200;
/** Six hours, as in the chats people know; longer is a lock. */
export const MAX_SLOW_SECONDS = 21_600;
/** A year; a longer ban is one without `seconds` (until unbanned). */
export const MAX_BAN_SECONDS = 365 * 86_400;
/** Bans one `bans` answer lists at most, newest first; its `total` counts them all. */
export const MAX_BANS_LISTED = 200;

/** What the owner and moderators set; everyone may read it. */
export interface RoomSettings {
  /** Shown under the room's name; "" for none. */
  topic: string;
  /** Non-moderators may post one message per this many seconds; 0 is off. */
  slowSeconds: number;
  /** Non-moderators may read but not post, edit or react. */
  locked: boolean;
}

export interface RoomState extends RoomSettings {
  owner: string | null;
  /** By promotion, earliest first. The owner is not listed here. */
  moderators: string[];
}

/** The room's state, sent to everyone whenever any of it changes (the welcome has it as `room`). */
export interface RoomFrame extends RoomState {
  type: "room";
  /**
   * The change's place in the room's order, shared with message ids (see protocol.ts, `eventSeq`):
   * a resume replays the latest state changed after `since`. Absent only from servers before it.
   */
  seq?: number;
}

export type ModerationAction = "claim" | "owner" | "promote" | "demote" | "delete" | "kick" | "ban" | "unban" | "settings";

/**
 * An action an owner, moderator or operator took, announced to everyone once stored (the person
 * it concerns included, before a kick or ban closes their sockets). The audit log keeps the same
 * fields. `by` is a uid, or `operator` (`operator:<name>`) for the operator API.
 */
export interface ModerationFrame {
  type: "moderation";
  action: ModerationAction;
  /** The person it concerns: promoted, demoted, kicked, banned, unbanned, the new owner, or the removed message's author. */
  uid?: string;
  /** With `delete`: the removed message's id. */
  id?: number;
  by: string;
  reason?: string;
  /** With `ban`: when it ends (ms since epoch); absent for a ban until unbanned. */
  until?: number;
  /** With `ban`: the person's networks are banned too (they were connected, and it was asked for). */
  address?: true;
  /** With `ban`: the person's display name, when the room knew it (they were here, or wrote here). */
  name?: string;
  /** With `settings`: the fields that were set. */
  settings?: Partial<RoomSettings>;
  ts: number;
  /** The action's place in the room's order, as with `room`: a resume replays every one after `since`. */
  seq?: number;
  /** Only in the actor's own copy, as with `update`. */
  nonce?: string;
}

/** Takes a room nobody owns and nobody has written in yet (the page sends it right after creating one). */
export interface SendClaim {
  type: "claim";
  nonce?: string;
}

/** The owner makes a person a moderator (`promote`) or takes it back (`demote`). */
export interface SendRole {
  type: "promote" | "demote";
  uid: string;
  nonce?: string;
}

/** Closes every socket of the person (4001); they may come back. */
export interface SendKick {
  type: "kick";
  uid: string;
  reason?: string;
  nonce?: string;
}

/**
 * Kicks the person (4003) and refuses them until `seconds` have passed, or until unbanned. With
 * `address`, new identities from the networks the person is connected from are refused too, for
 * as long (docs/protocol.md says what that can and cannot stop).
 */
export interface SendBan {
  type: "ban";
  uid: string;
  seconds?: number;
  reason?: string;
  address?: boolean;
  nonce?: string;
}

export interface SendUnban {
  type: "unban";
  uid: string;
  nonce?: string;
}

/** Changes the fields given, keeps the others. */
export interface SendSettings extends Partial<RoomSettings> {
  type: "settings";
  nonce?: string;
}

export type ModerationRequest = SendClaim | SendRole | SendKick | SendBan | SendUnban | SendSettings;

/** Owners and moderators ask for the bans in force; only the asking connection gets the answer. */
export interface SendBans {
  type: "bans";
  nonce?: string;
}

/** A ban in force, as the `bans` answer lists it. */
export interface BanEntry {
  uid: string;
  /** The person's display name when banned; null when the room did not know it, or kept no names yet (older bans). */
  name: string | null;
  reason?: string;
  /** When it ends (ms since epoch); null: until unbanned. */
  until: number | null;
  /** When it was taken (ms since epoch), and by whom (a uid, or `operator:...`); null only for a ban older than the record of it. */
  since: number | null;
  by: string | null;
  /** The person's networks are banned too. */
  address?: true;
}

/** The answer to `bans`: the newest MAX_BANS_LISTED bans in force, newest first, and how many there are. */
export interface BansFrame {
  type: "bans";
  bans: BanEntry[];
  total: number;
  nonce?: string;
}
