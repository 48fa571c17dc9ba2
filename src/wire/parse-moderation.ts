/**
 * @module
 * Validation of the moderation frames members send (moderation-frames.ts), and of the same fields
 * when the operator API names them (moderation/operator.ts).
 */
import { checkText, checkUid, refuse, withNonce } from "./checks";
import type { ModerationRequest, SendBan, SendBans, SendClaim, SendKick, SendSettings } from "./moderation-frames";
import { MAX_BAN_SECONDS, MAX_REASON_CHARS, MAX_SLOW_SECONDS, MAX_TOPIC_CHARS } from "./moderation-frames";
import type { Parsed } from "./protocol";

const MODERATION_TYPES: readonly string[] = ["claim", "promote", "demote", "kick", "ban", "unban", "settings"] satisfies ModerationRequest["type"][];

export function isModerationType(type: string): type is ModerationRequest["type"] {
  return MODERATION_TYPES.includes(type);
}

/** An action, or the bans list: what the room's moderation answers (moderation.ts, write). */
export function isModerationRequest(frame: { type: string }): frame is ModerationRequest | SendBans {
  return isModerationType(frame.type) || frame.type === "bans";
}

/** `bans` has no fields but its nonce. */
export function parseBansRequest(frame: Record<string, unknown>): Parsed<SendBans> {
  return withNonce<SendBans>(frame, () => ({ ok: true, value: { type: "bans" } }));
}

/** Parses a moderation frame from a member (its `type` already known); never throws. */
export function parseModeration(frame: Record<string, unknown>, type: ModerationRequest["type"]): Parsed<ModerationRequest> {
  return withNonce<ModerationRequest>(frame, () => (type === "claim" ? { ok: true, value: { type } } : parseFields(frame, type)));
}

export type Targeted = Exclude<ModerationRequest, SendClaim>;
type Check<T> = (value: unknown) => Parsed<T>;

const reason: Check<string> = (value) => checkText(value, MAX_REASON_CHARS);
// "" clears the topic; anything else follows the message rules.
const topic: Check<string> = (value) => (value === "" ? { ok: true, value } : checkText(value, MAX_TOPIC_CHARS));
const flag =
  (field: string): Check<boolean> =>
  (value) =>
    typeof value === "boolean" ? { ok: true, value } : refuse("invalid_frame", `${field} must be true or false`);
const integerIn =
  (field: string, min: number, max: number): Check<number> =>
  (value) =>
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

export function parseFields(frame: Record<string, unknown>, type: Targeted["type"]): Parsed<Targeted> {
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
  const settings = withFields<SendSettings>(
    frame,
    { type: "settings" },
    { topic, slowSeconds: integerIn("slowSeconds", 0, MAX_SLOW_SECONDS), locked: flag("locked") },
  );
  if (settings.ok && Object.keys(settings.value).length === 1) return refuse("invalid_frame", "settings needs topic, slowSeconds or locked");
  return settings;
}
