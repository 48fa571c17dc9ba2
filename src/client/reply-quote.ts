/**
 * @module
 * The quote a reply shows of the message it answers: its author and the start of its text, as a
 * button that takes the reader to the original. The original may be deleted, gone with retention,
 * or not fetched yet (older than what the page has loaded, originals.ts); the quote then says so.
 */
import type { MessageFrame } from "../wire/protocol";
import { el } from "./dom";
import { t } from "./i18n/index";

/** Code points of the original's text a quote shows. */
const EXCERPT_CHARS = 80;

/** The start of `text` on one line, cut at a character (never inside a surrogate pair) with "…". */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  const chars = [...line];
  return chars.length <= EXCERPT_CHARS ? line : `${chars.slice(0, EXCERPT_CHARS - 1).join("")}…`;
}

/** The quote of `original` (`undefined`: not here yet; `null`: the room no longer has it); `open` shows the original. */
export function replyQuote(original: MessageFrame | null | undefined, open: () => void): HTMLButtonElement {
  const quote = el("button", { className: "quote", attrs: { type: "button" } }, el("span", { className: "visually-hidden", text: `${t("reply.inReplyTo")} ` }));
  if (!original) {
    quote.append(el("span", { className: "quote-text", text: t(original === null ? "reply.gone" : "reply.unknown") }));
  } else {
    const text = original.deleted ? t("message.deleted") : excerpt(original.text);
    quote.append(el("span", { className: "quote-author", text: original.from.name }), el("span", { className: "quote-text", text }));
  }
  quote.addEventListener("click", open);
  return quote;
}
