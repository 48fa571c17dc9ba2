/**
 * @module
 * The rules for room names and display names. Shared by the worker (which refuses bad names before
 * any object is touched) and the page (which checks them before connecting).
 */

/**
 * Room names: 1-64 of letters, digits, `-`, `_`, `.`, not starting with a dot. Case-sensitive:
 * `Lobby` and `lobby` are two rooms, which keeps every character of a random room name useful.
 */
export const ROOM_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export const MAX_NAME_CHARS = 32;

export function isRoomName(name: string): boolean {
  return ROOM_NAME.test(name);
}

// Bidi overrides, embeddings and isolates let a name reorder the text around it.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
const CONTROL = /\p{Cc}/u;
// A name needs something a reader can see: not only spaces, joiners, marks or format characters.
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
// Bot messages carry the server-set `bot` flag; the page marks them with a badge. A name must not
// pose as one.
const BOT_MARKER = /🤖|[[(]\s*bot\s*[\])]/iu;

/** What is wrong with a refused name, for a page to say it in the reader's language. */
export type NameProblem = "length" | "characters" | "bidi" | "invisible" | "bot";

export type NameCheck = { ok: true; name: string } | { ok: false; problem: NameProblem; message: string };

/** Trims and checks a display name. */
export function checkDisplayName(raw: string): NameCheck {
  const name = raw.trim();
  const chars = [...name].length;
  if (chars < 1 || chars > MAX_NAME_CHARS) {
    return { ok: false, problem: "length", message: `name must be 1-${MAX_NAME_CHARS} characters after trimming` };
  }
  if (!name.isWellFormed() || CONTROL.test(name)) {
    return { ok: false, problem: "characters", message: "name has control characters or broken Unicode" };
  }
  if (BIDI_CONTROL.test(name)) return { ok: false, problem: "bidi", message: "name has bidirectional overrides" };
  if (!VISIBLE.test(name)) return { ok: false, problem: "invisible", message: "name has no visible characters" };
  if (BOT_MARKER.test(name)) return { ok: false, problem: "bot", message: "name may not pose as a bot" };
  return { ok: true, name };
}

/** A name for someone who gave none: `guest-` and four hex digits. */
export function guestName(): string {
  const [n] = crypto.getRandomValues(new Uint16Array(1));
  return `guest-${n!.toString(16).padStart(4, "0")}`;
}
