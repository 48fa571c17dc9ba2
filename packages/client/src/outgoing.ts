/**
 * @module
 * Frames the page is about to send, checked as the room would check them: the text rules, and the
 * frame size over which the room closes the socket (1009) instead of answering. A refusal here
 * costs nothing; one from the room costs a round trip, or the connection.
 */
import { checkText } from "../../../src/wire/checks";
import type { ClientLimits, ErrorCode, MessageAction } from "../../../src/wire/protocol";
import type { Outgoing } from "./outbox";
import type { ActionRequest } from "./pending-actions";

export type Checked<T> = { ok: true; frame: T } | { ok: false; code: ErrorCode };

/** A message (a reply when `replyTo` is set, carrying `files` when given) with a fresh nonce. */
export function outgoingMessage(text: string, replyTo: number | undefined, limits: ClientLimits, files: string[] = []): Checked<Outgoing> {
  // Files may go without words.
  const checked = files.length > 0 && text.trim() === "" ? { ok: true as const, value: "" } : checkText(text, limits.maxMessageChars);
  if (!checked.ok) return { ok: false, code: checked.code };
  const frame: Outgoing = { type: "message", text: checked.value, nonce: crypto.randomUUID() };
  if (replyTo !== undefined) frame.replyTo = replyTo;
  if (files.length > 0) frame.files = files;
  return sized(frame, limits);
}

/** An edit, delete or reaction with a fresh nonce. */
export function outgoingAction(request: ActionRequest, limits: ClientLimits): Checked<MessageAction & { nonce: string }> {
  if (request.type === "edit") {
    const checked = checkText(request.text, limits.maxMessageChars);
    if (!checked.ok) return { ok: false, code: checked.code };
  }
  return sized({ ...request, nonce: crypto.randomUUID() }, limits);
}

function sized<T>(frame: T, limits: ClientLimits): Checked<T> {
  const bytes = new TextEncoder().encode(JSON.stringify(frame)).byteLength;
  return bytes <= limits.maxFrameBytes ? { ok: true, frame } : { ok: false, code: "text_too_long" };
}
