/**
 * @module
 * The field rules every inbound frame is held to: texts, nonces, ids, uids. Shared by the frame
 * parsers (parse.ts, parse-moderation.ts), the push and operator APIs, and the page.
 */
import type { ErrorCode, Parsed, Refusal } from "./protocol";

const NONCE = /^[\x21-\x7e]{1,64}$/;
// An anonymous person's (identity.ts) or an app user's, `app:` and the token's `sub` (tokens/claims.ts).
const UID = /^(?:u_[A-Za-z0-9_-]{22}|app:[\x21-\x7e]{1,128})$/;
// C0/C1 controls other than tab, newline and carriage return: invisible, and they corrupt logs.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;

export function refuse(code: ErrorCode, message: string, nonce?: string): Refusal {
  return nonce === undefined ? { ok: false, code, message } : { ok: false, code, message, nonce };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A person's public id (identity.ts derives it): `u_` and 22 base64url characters. */
export function isUid(value: string): boolean {
  return UID.test(value);
}

/** Checks a message text; the same rule holds for the socket and the push API. */
export function checkText(text: unknown, maxChars: number): Parsed<string> {
  if (typeof text !== "string") return refuse("invalid_text", "text must be a string");
  if (text.trim() === "") return refuse("empty_text", "text is empty");
  // Lone surrogates cannot be stored as UTF-8: the stored copy would differ from the echo.
  if (!text.isWellFormed() || CONTROL.test(text)) {
    return refuse("invalid_text", "text has control characters or broken Unicode");
  }
  // Code points never outnumber UTF-16 units: count them only when the length alone can't decide.
  const chars = text.length <= maxChars ? text.length : [...text].length;
  if (chars > maxChars) {
    return refuse("text_too_long", `text is ${chars} characters; the limit is ${maxChars}`);
  }
  return { ok: true, value: text };
}

/** Checks an optional client nonce: 1-64 printable ASCII characters. */
export function checkNonce(nonce: unknown): Parsed<string | undefined> {
  if (nonce === undefined) return { ok: true, value: undefined };
  if (typeof nonce !== "string" || !NONCE.test(nonce)) {
    return refuse("invalid_nonce", "nonce must be 1-64 printable ASCII characters");
  }
  return { ok: true, value: nonce };
}

/** A message id in a frame: a positive integer. */
export function checkId(value: unknown, field: string): Parsed<number> {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return { ok: true, value };
  return refuse("invalid_frame", `${field} must be a positive integer message id`);
}

/** A person named in a frame: a uid. */
export function checkUid(value: unknown, field = "uid"): Parsed<string> {
  if (typeof value === "string" && isUid(value)) return { ok: true, value };
  return refuse("invalid_frame", `${field} must be a person's uid (u_ and 22 characters, or app: and an app's user id)`);
}

/** Checks a frame's nonce first, then the rest with `parse`, so that every refusal echoes it. */
export function withNonce<T extends { nonce?: string }>(frame: Record<string, unknown>, parse: () => Parsed<T>): Parsed<T> {
  const nonce = checkNonce(frame.nonce);
  if (!nonce.ok) return nonce;
  const parsed = parse();
  if (nonce.value === undefined) return parsed;
  return parsed.ok ? { ok: true, value: { ...parsed.value, nonce: nonce.value } } : { ...parsed, nonce: nonce.value };
}
