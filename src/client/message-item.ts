/**
 * @module
 * One message in the log, drawn from its current state: author and time, the quote of the message
 * it answers, the text (or "Message deleted"), "edited", the reactions, and the button of its menu.
 * An update redraws those parts in place: the item, and the focus inside it, stay.
 */
import type { FileRef, MessageFrame } from "../wire/protocol";
import { avatar } from "./avatar";
import { el } from "./dom";
import { filesList } from "./files-view";
import { formatDateTime, formatWhen, t } from "./i18n/index";
import { type MenuItem, menuButton, onLongPress } from "./message-menu";
import { richText } from "./message-text";
import { reactionsRow, showReactions } from "./reactions-view";
import { replyQuote } from "./reply-quote";

/** What an item asks the page for. */
export interface ItemContext {
  /** The reader's uid, for their own reactions. */
  viewer(): string | undefined;
  /** The menu of the message shown in `item`, asked each time it opens. */
  menu(message: MessageFrame, item: HTMLLIElement): MenuItem[];
  react(id: number, emoji: string): void;
  /** The message a reply answers, if the page has it (`null`: the room no longer has it). */
  original(id: number): MessageFrame | null | undefined;
  /** Takes the reader to a message. */
  reveal(id: number): void;
  /** The files of message `id` as the room sends them now (their URLs may have expired since), if it still has them. */
  freshFiles(id: number): Promise<FileRef[] | undefined>;
}

/** Each stored message's item, with what redraws it. */
const items = new WeakMap<HTMLLIElement, (message: MessageFrame) => void>();

/** The frame of an item: avatar, and a body with the author, `(you)` and the time, then `text`. */
export function itemShell(name: string, ts: number, own: boolean, text: string): HTMLLIElement {
  const when = new Date(ts);
  const time = el("time", { text: formatWhen(when), attrs: { datetime: when.toISOString(), title: formatDateTime(when) } });
  const meta = el("p", { className: "meta" }, el("span", { className: "author", text: name }));
  if (own) meta.append(el("span", { className: "visually-hidden", text: ` ${t("log.you")}` }));
  meta.append(time);
  const body = el("div", { className: "body" }, meta, el("p", { className: "text" }, ...richText(text)));
  return el("li", { className: own ? "msg own" : "msg" }, avatar(name), body);
}

/** A stored message's item. */
export function messageItem(message: MessageFrame, own: boolean, context: ItemContext): HTMLLIElement {
  const item = itemShell(message.from.name, message.ts, own, message.text);
  item.dataset.id = String(message.id);
  item.dataset.from = message.from.uid;
  if (message.replyTo !== undefined) item.dataset.replyTo = String(message.replyTo);
  if (message.from.bot) item.querySelector(".author")!.after(el("span", { className: "badge", text: t("log.bot") }));
  item.querySelector(".body")!.append(reactionsRow());
  let current = message;
  const more = menuButton(t("menu.label", { name: message.from.name }), () => context.menu(current, item));
  item.append(el("div", { className: "actions" }, more));
  onLongPress(item, () => {
    if (more.isConnected) more.click();
  });
  const redraw = (state: MessageFrame): void => {
    current = state;
    drawState(item, state, context);
  };
  items.set(item, redraw);
  redraw(message);
  return item;
}

/** Redraws a message's item in the message's new state (or its reply quote, after the original changed). */
export function redrawItem(item: HTMLLIElement, message: MessageFrame): void {
  items.get(item)?.(message);
}

function drawState(item: HTMLLIElement, message: MessageFrame, context: ItemContext): void {
  const text = item.querySelector<HTMLElement>(".text")!;
  item.classList.toggle("deleted", message.deleted === true);
  if (message.deleted) {
    text.replaceChildren(t("message.deleted"));
    item.querySelector(".actions")?.remove();
    item.querySelector(".editor")?.remove();
    text.hidden = false;
  } else {
    text.replaceChildren(...richText(message.text));
    // A message of files alone has no words to show.
    text.hidden = message.text === "" && (message.files?.length ?? 0) > 0;
  }
  item.querySelector(".files")?.remove();
  if (message.files && !message.deleted) text.after(filesList(message.files, () => context.freshFiles(message.id)));
  item.querySelector(".quote")?.remove();
  if (message.replyTo !== undefined && !message.deleted) {
    const { replyTo } = message;
    text.before(replyQuote(context.original(replyTo), () => context.reveal(replyTo)));
  }
  item.querySelector(".edited")?.remove();
  if (message.editedAt !== undefined) {
    const when = new Date(message.editedAt);
    const edited = el("time", { text: t("message.edited"), attrs: { datetime: when.toISOString(), title: formatDateTime(when) } });
    text.after(el("p", { className: "edited" }, edited));
  }
  showReactions(item.querySelector(".reactions")!, message, context.viewer(), (emoji) => context.react(message.id, emoji));
}
