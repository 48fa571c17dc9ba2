/**
 * @module
 * A bot's message through the push API (`POST /api/rooms/<room>/messages`): the same text rules
 * as a member's, from a sender the server names.
 */
import { checkNonce, checkText } from "../wire/checks";
import { checkDisplayName } from "../wire/names";
import type { Parsed, Sender } from "../wire/protocol";

/** A bot's message through the push API: its sender (`bot:<name>`), text and optional nonce. */
export function checkPush(fromName: unknown, text: unknown, nonce: unknown, maxChars: number): Parsed<{ from: Sender; text: string; nonce?: string }> {
  const name = typeof fromName === "string" ? checkDisplayName(fromName) : { ok: false as const, message: "from must be a string" };
  if (!name.ok) return { ok: false, code: "invalid_name", message: `from: ${name.message}` };
  const checkedText = checkText(text, maxChars);
  if (!checkedText.ok) return checkedText;
  const checkedNonce = checkNonce(nonce);
  if (!checkedNonce.ok) return checkedNonce;
  const bot = `bot:${name.name}`;
  return { ok: true, value: { from: { id: bot, uid: bot, name: name.name, bot: true }, text: checkedText.value, nonce: checkedNonce.value } };
}
