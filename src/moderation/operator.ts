/**
 * @module
 * The operator API's moderation actions (`POST /api/rooms/<room>/moderation`): what moderators
 * can do, plus setting the owner, parsed from the request body.
 */
import { checkId, checkUid, refuse } from "../wire/checks";
import type { ModerationRequest, SendClaim } from "../wire/moderation-frames";
import { checkDisplayName } from "../wire/names";
import { isModerationType, parseFields } from "../wire/parse-moderation";
import type { Parsed, SendDelete } from "../wire/protocol";

/** The operator API only: who owns the room (`null`: nobody). */
interface SetOwner {
  type: "owner";
  uid: string | null;
}

/** What the operator API can do: what moderators can, and set the owner. */
export type OperatorRequest = Exclude<ModerationRequest, SendClaim> | SendDelete | SetOwner;

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
