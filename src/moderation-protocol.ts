/**
 * @module
 * The moderation part of the wire protocol: the room's state (owner, moderators, settings), the
 * frames owners and moderators send, the announcements everyone gets, and the operator API's
 * actions, with their validation. Shared by the room, the worker and the page; documented in
 * docs/protocol.md ("Moderation"). A public contract: extend, never rename.
 */
import { checkId, checkText, checkUid, refuse, withNonce } from "./checks";
import { checkDisplayName } from "./names";
import type { Parsed, SendDelete } from "./protocol";

export const MAX_TOPIC_CHARS = 200;
export const MAX_REASON_CHARS = 200;
/** Six hours, as in the chats people know; longer is a lock. */
export const MAX_SLOW_SECONDS = 21_600;
/** A year; a longer ban is one without `seconds` (until unbanned). */
export const MAX_BAN_SECONDS = 365 * 86_400;

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
  /** With `settings`: the fields that were set. */
  settings?: Partial<RoomSettings>;
  ts: number;
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

/** The operator API only: who owns the room (`null`: nobody). */
export interface SetOwner {
  type: "owner";
  uid: string | null;
}

/** What the operator API can do: what moderators can, and set the owner. */
export type OperatorRequest = Exclude<ModerationRequest, SendClaim> | SendDelete | SetOwner;

const MODERATION_TYPES: readonly string[] = ["claim", "promote", "demote", "kick", "ban", "unban", "settings"] satisfies ModerationRequest["type"][];

export function isModerationType(type: string): type is ModerationRequest["type"] {
  return MODERATION_TYPES.includes(type);
}

export function isModerationRequest(frame: { type: string }): frame is ModerationRequest {
  return isModerationType(frame.type);
}

/** Parses a moderation frame from a member (its `type` already known); never throws. */
export function parseModeration(frame: Record<string, unknown>, type: ModerationRequest["type"]): Parsed<ModerationRequest> {
  return withNonce<ModerationRequest>(frame, () => (type === "claim" ? { ok: true, value: { type } } : parseFields(frame, type)));
}

type Targeted = Exclude<ModerationRequest, SendClaim>;
type Check<T> = (value: unknown) => Parsed<T>;

const reason: Check<string> = (value) => checkText(value, MAX_REASON_CHARS);
// "" clears the topic; anything else follows the message rules.
const topic: Check<string> = (value) => (value === "" ? { ok: true, value } : checkText(value, MAX_TOPIC_CHARS));
const flag = (field: string): Check<boolean> => (value) =>
  typeof value === "boolean" ? { ok: true, value } : refuse("invalid_frame", `${field} must be true or false`);
const integerIn = (field: string, min: number, max: number): Check<number> => (value) =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max
    ? { ok: true, value }
    : refuse("invalid_frame", `${field} must be an integer from ${min} to ${max}`);

/** Adds to `into` each optional field present in `frame`, checked; the first refusal wins. */
function withFields<T extends object>(frame: Record<string, unknown>, into: T, checks: { [K in keyof T]?: Check<T[K]> }): Parsed<T> {
  for (const field of Object.keys(checks) as (keyof T & string)[]) {
    if (frame[field] === undefined) continue;
    const checked = checks[field]!(frame[field]);
    if (!checked.ok) return checked;
    into[field] = checked.value;
  }
  return { ok: true, value: into };
}

function parseFields(frame: Record<string, unknown>, type: Targeted["type"]): Parsed<Targeted> {
  if (type === "settings") return parseSettings(frame);
  const uid = checkUid(frame.uid);
  if (!uid.ok) return uid;
  if (type === "kick") return withFields<SendKick>(frame, { type, uid: uid.value }, { reason });
  if (type === "ban") {
    return withFields<SendBan>(frame, { type, uid: uid.value }, { reason, seconds: integerIn("seconds", 1, MAX_BAN_SECONDS), address: flag("address") });
  }
  return { ok: true, value: { type, uid: uid.value } };
}

function parseSettings(frame: Record<string, unknown>): Parsed<SendSettings> {
  const settings = withFields<SendSettings>(frame, { type: "settings" }, { topic, slowSeconds: integerIn("slowSeconds", 0, MAX_SLOW_SECONDS), locked: flag("locked") });
  if (settings.ok && Object.keys(settings.value).length === 1) return refuse("invalid_frame", "settings needs topic, slowSeconds or locked");
  return settings;
}

/**
 * Parses the operator API's body: `{"action", ...the frame's fields}`, plus an optional `by` (a
 * display name) that names the operator or service in announcements and the audit log.
 */
export function parseOperatorRequest(body: Record<string, unknown>): Parsed<{ request: OperatorRequest; by: string }> {
  let by = "operator";
  if (body.by !== undefined) {
    const name = typeof body.by === "string" ? checkDisplayName(body.by) : { ok: false as const, message: "by must be a string" };
    if (!name.ok) return refuse("invalid_name", `by: ${name.message}`);
    by = `operator:${name.name}`;
  }
  const request = parseOperatorAction(body);
  return request.ok ? { ok: true, value: { request: request.value, by } } : request;
}

function parseOperatorAction(body: Record<string, unknown>): Parsed<OperatorRequest> {
  const { action } = body;
  if (action === "owner") {
    if (body.uid === null) return { ok: true, value: { type: "owner", uid: null } };
    const uid = checkUid(body.uid);
    return uid.ok ? { ok: true, value: { type: "owner", uid: uid.value } } : uid;
  }
  if (action === "delete") {
    const id = checkId(body.id, "id");
    return id.ok ? { ok: true, value: { type: "delete", id: id.value } } : id;
  }
  if (typeof action === "string" && isModerationType(action) && action !== "claim") return parseFields(body, action);
  return refuse("unknown_type", "action must be delete, kick, ban, unban, settings, promote, demote or owner");
}
