/**
 * @module
 * What clients send, parsed: one frame from a socket, and the connect URL's parameters. Never
 * throws: anything malformed becomes a refusal with the error code the client will receive.
 * Shared by the room's objects (inbound.ts) and the worker (http/app.ts).
 */
import { checkId, checkText, isRecord, refuse, withNonce } from "./checks";
import { canonicalEmoji } from "./emoji";
import { checkDisplayName, guestName } from "./names";
import { isModerationType, parseBansRequest, parseModeration } from "./parse-moderation";
import { parseSearch } from "./parse-search";
import { type ClientFrame, MAX_MESSAGE_FILES, type MessageAction, type Parsed, type SendMessage } from "./protocol";

/** Checks a reaction: exactly one emoji (see emoji.ts), returned in its canonical form. */
export function checkEmoji(value: unknown): Parsed<string> {
  const emoji = typeof value === "string" ? canonicalEmoji(value) : undefined;
  if (emoji === undefined) return refuse("invalid_emoji", "emoji must be exactly one emoji");
  return { ok: true, value: emoji };
}

function parseMessage(frame: Record<string, unknown>, maxChars: number): Parsed<SendMessage> {
  return withNonce<SendMessage>(frame, () => {
    const files = checkFileIds(frame.files);
    if (!files.ok) return files;
    // A message that carries files may have no words: a screenshot says it all.
    const text =
      files.value && (frame.text === undefined || (typeof frame.text === "string" && frame.text.trim() === ""))
        ? { ok: true as const, value: "" }
        : checkText(frame.text, maxChars);
    if (!text.ok) return text;
    const message: SendMessage = { type: "message", text: text.value };
    if (files.value) message.files = files.value;
    if (frame.replyTo === undefined) return { ok: true, value: message };
    const replyTo = checkId(frame.replyTo, "replyTo");
    return replyTo.ok ? { ok: true, value: { ...message, replyTo: replyTo.value } } : replyTo;
  });
}

const FILE_ID = /^f_[A-Za-z0-9_-]{22}$/;

/** A file id as the upload answered it: `f_` and 22 base64url characters. */
export function isFileId(value: unknown): value is string {
  return typeof value === "string" && FILE_ID.test(value);
}

/** A message's `files`: absent, or 1 to MAX_MESSAGE_FILES distinct file ids. */
function checkFileIds(value: unknown): Parsed<string[] | undefined> {
  if (value === undefined) return { ok: true, value: undefined };
  const rule = `files must be a list of 1 to ${MAX_MESSAGE_FILES} distinct file ids`;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_MESSAGE_FILES || !value.every(isFileId)) return refuse("invalid_frame", rule);
  return new Set(value).size === value.length ? { ok: true, value: [...value] } : refuse("invalid_frame", rule);
}

function parseAction(frame: Record<string, unknown>, type: MessageAction["type"], maxChars: number): Parsed<MessageAction> {
  return withNonce<MessageAction>(frame, () => {
    const id = checkId(frame.id, "id");
    if (!id.ok) return id;
    if (type === "delete") return { ok: true, value: { type, id: id.value } };
    if (type === "edit") {
      const text = checkText(frame.text, maxChars);
      return text.ok ? { ok: true, value: { type, id: id.value, text: text.value } } : text;
    }
    const emoji = checkEmoji(frame.emoji);
    return emoji.ok ? { ok: true, value: { type, id: id.value, emoji: emoji.value } } : emoji;
  });
}

/**
 * Parses one text frame from a client. Never throws: anything malformed becomes a refusal with
 * the error code the client will receive.
 */
export function parseClientFrame(raw: string, maxChars: number): Parsed<ClientFrame> {
  let frame: unknown;
  try {
    frame = JSON.parse(raw);
  } catch {
    return refuse("invalid_json", "frame is not valid JSON");
  }
  if (!isRecord(frame) || typeof frame.type !== "string") {
    return refuse("invalid_frame", 'frame must be a JSON object with a string "type"');
  }
  switch (frame.type) {
    case "message":
      return parseMessage(frame, maxChars);
    case "typing":
      return { ok: true, value: { type: "typing" } };
    case "auth":
      // Its size and contents are the token verifier's to judge (tokens/verify.ts).
      if (typeof frame.token !== "string" || frame.token === "") return refuse("invalid_frame", "an auth frame carries a token string");
      return { ok: true, value: { type: "auth", token: frame.token } };
    case "edit":
    case "delete":
    case "react":
      return parseAction(frame, frame.type, maxChars);
    case "search":
      return parseSearch(frame);
    case "bans":
      return parseBansRequest(frame);
    default:
      if (isModerationType(frame.type)) return parseModeration(frame, frame.type);
      return refuse("unknown_type", `unknown frame type "${frame.type.slice(0, 32)}"`);
  }
}

/** Query parameters of the connect URL: `/chat/<room>?name=<display name>&since=<id>&batch=1`. */
export interface ConnectParams {
  name: string;
  since?: number;
  /** The client reads `batch` frames. */
  batch: boolean;
}

export type ConnectRefusal = { ok: false; code: "invalid_name" | "invalid_since" | "invalid_batch"; message: string };

/**
 * Reads `name` (a `guest-xxxx` when absent), `since` (a non-negative integer) and `batch`
 * (`1` or `0`, default `0`) from a URL.
 */
export function parseConnectParams(params: URLSearchParams): { ok: true; value: ConnectParams } | ConnectRefusal {
  const rawName = params.get("name");
  const name = rawName === null ? { ok: true as const, name: guestName() } : checkDisplayName(rawName);
  if (!name.ok) return { ok: false, code: "invalid_name", message: name.message };
  const rawBatch = params.get("batch") ?? "0";
  if (rawBatch !== "0" && rawBatch !== "1") {
    return { ok: false, code: "invalid_batch", message: "batch must be 1 (the client reads batch frames) or 0" };
  }
  const value: ConnectParams = { name: name.name, batch: rawBatch === "1" };
  const rawSince = params.get("since");
  if (rawSince === null) return { ok: true, value };
  const since = Number(rawSince);
  if (!/^\d{1,15}$/.test(rawSince) || !Number.isSafeInteger(since)) {
    return { ok: false, code: "invalid_since", message: "since must be a non-negative integer message id" };
  }
  return { ok: true, value: { ...value, since } };
}
