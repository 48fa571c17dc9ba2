/**
 * @module
 * The message log: confirmed messages in id order, then the user's pending ones in the order typed.
 * It follows new messages while the reader is at the bottom; once they scroll up to read, it shows
 * a "new messages" marker instead of pulling the page away from them. Updates redraw a message in
 * place (message-item.ts), and the quotes of the replies to it; a reply to a message older than
 * what is loaded quotes the original once it is fetched (originals.ts). The room's notices (a moderator's
 * action, moderation-view.ts) are lines of their own between the messages, where they happened.
 */
import type { MessageFrame } from "../wire/protocol";
import { el } from "./dom";
import { t } from "./i18n/index";
import { type ItemContext, itemShell, messageItem, redrawItem } from "./message-item";
import type { Originals } from "./originals";
import { replyQuote } from "./reply-quote";

/** How close to the bottom (px) still counts as "reading the latest". */
const BOTTOM_SLACK = 48;
/** Consecutive messages from one sender within this gap are drawn as one group. */
const GROUP_MS = 5 * 60_000;
/** How long a message the reader was taken to stays highlighted. */
const HIGHLIGHT_MS = 2000;

/**
 * What the log asks the page: the item context it does not know itself, what to say when an
 * original is not loaded, and where to fetch the originals it has not loaded.
 */
export type LogContext = Omit<ItemContext, "original" | "reveal"> & { notLoaded(): void; originals: Originals };

export class LogView {
  private readonly pending = new Map<string, HTMLLIElement>();
  private readonly shown = new Map<number, { item: HTMLLIElement; message: MessageFrame }>();
  private readonly context: ItemContext;
  private readonly originals: Originals;
  private divider: HTMLLIElement | undefined;

  /** `scroller` is the log's scrolling box (the live region); `list` the messages in it. */
  constructor(
    private readonly scroller: HTMLElement,
    private readonly list: HTMLOListElement,
    private readonly marker: HTMLButtonElement,
    context: LogContext,
  ) {
    this.originals = context.originals;
    this.context = {
      ...context,
      original: (id) => this.message(id) ?? this.originals.get(id, () => this.redrawReplies(id)),
      reveal: (id) => {
        if (!this.reveal(id)) context.notLoaded();
      },
    };
    scroller.addEventListener("scroll", () => {
      if (this.atBottom()) marker.hidden = true;
    });
    marker.addEventListener("click", () => this.scrollToEnd());
  }

  /**
   * A stored message; `own` ones always scroll into view, since the user just sent them. One that
   * `mentions` the reader is highlighted. Returns its item, for the unread divider.
   */
  add(message: MessageFrame, own: boolean, mention = false): HTMLLIElement {
    const follow = own || this.atBottom();
    const before = this.insertionPoint(message.id);
    const previous = before ? before.previousElementSibling : this.lastConfirmed();
    const item = messageItem(message, own, this.context);
    if (mention) {
      item.classList.add("mention");
      item.querySelector(".author")!.after(el("span", { className: "visually-hidden", text: ` ${t("log.mentionsYou")}` }));
    }
    if (previous instanceof HTMLLIElement && continues(previous, message)) item.classList.add("continued");
    this.list.insertBefore(item, before);
    this.shown.set(message.id, { item, message });
    this.settle(follow);
    return item;
  }

  /** A message's new state: its item (or its fetched copy), and the quotes of the replies to it, are redrawn. */
  update(message: MessageFrame): void {
    const entry = this.shown.get(message.id);
    if (entry) {
      entry.message = message;
      redrawItem(entry.item, message);
    } else if (!this.originals.update(message)) return;
    this.redrawReplies(message.id);
  }

  private redrawReplies(id: number): void {
    for (const reply of this.list.querySelectorAll<HTMLLIElement>(`li[data-reply-to="${id}"]`)) {
      const state = this.shown.get(Number(reply.dataset.id))?.message;
      if (state) redrawItem(reply, state);
    }
  }

  /** A shown message's current state. */
  message(id: number): MessageFrame | undefined {
    return this.shown.get(id)?.message;
  }

  /** The oldest message shown. */
  oldestId(): number | undefined {
    const first = this.list.querySelector<HTMLLIElement>("li[data-id]");
    return first ? Number(first.dataset.id) : undefined;
  }

  /**
   * Messages loaded from the history (history-jump.ts), each placed by id before the first shown
   * message newer than it. They do not move the reader or count as new.
   */
  insertHistory(messages: MessageFrame[]): void {
    const shown = [...this.list.querySelectorAll<HTMLLIElement>("li[data-id]")];
    let next = 0;
    for (const message of [...messages].sort((a, b) => a.id - b.id)) {
      if (this.shown.has(message.id)) continue;
      while (next < shown.length && Number(shown[next]!.dataset.id) < message.id) next += 1;
      const item = messageItem(message, message.from.uid === this.context.viewer(), this.context);
      this.list.insertBefore(item, shown[next] ?? this.insertionPoint(Infinity));
      this.shown.set(message.id, { item, message });
    }
  }

  /** A line after message `id`: the messages between it and the next shown one are not loaded. */
  markGapAfter(id: number): void {
    this.item(id)?.after(el("li", { className: "system", text: t("log.notLoadedBetween") }));
  }

  /** A shown message's item. */
  item(id: number): HTMLLIElement | undefined {
    return this.shown.get(id)?.item;
  }

  /** Scrolls to message `id`, highlights it and moves the focus there; false when it is not loaded. */
  reveal(id: number): boolean {
    const item = this.item(id);
    if (!item) return false;
    item.tabIndex = -1;
    item.scrollIntoView({ block: "center" });
    item.focus({ preventScroll: true });
    item.classList.add("highlight");
    setTimeout(() => item.classList.remove("highlight"), HIGHLIGHT_MS);
    return true;
  }

  /** The "new since you left" line before `first`, the first message that came while away. */
  showDivider(first: HTMLLIElement): void {
    this.divider?.remove();
    this.divider = el("li", { className: "divider" }, el("span", { text: t("log.newSinceYouLeft") }));
    first.before(this.divider);
    this.divider.scrollIntoView({ block: "nearest" });
  }

  /** A line from the room itself, after the messages so far (before the reader's pending ones). */
  addNotice(text: string): void {
    const follow = this.atBottom();
    this.list.insertBefore(el("li", { className: "system", text }), this.insertionPoint(Infinity));
    this.settle(follow);
  }

  /** A message typed here that the server has not stored yet (a reply when `replyTo` is set). */
  addPending(nonce: string, name: string, text: string, replyTo?: number): void {
    const item = itemShell(name, Date.now(), true, text);
    item.classList.add("pending");
    if (replyTo !== undefined) item.querySelector(".text")!.before(replyQuote(this.message(replyTo), () => this.context.reveal(replyTo)));
    item.querySelector(".body")!.append(el("p", { className: "delivery", text: t("log.sending") }));
    this.pending.set(nonce, item);
    this.list.append(item);
    this.settle(true);
  }

  /** The server's echo: the pending copy gives way to the stored one (unless a resume showed it). */
  confirm(nonce: string, message: MessageFrame, shown: boolean): void {
    this.pending.get(nonce)?.remove();
    this.pending.delete(nonce);
    if (!shown) this.add(message, true);
  }

  fail(nonce: string, reason: string): void {
    const item = this.pending.get(nonce);
    if (!item) return;
    this.pending.delete(nonce);
    item.classList.replace("pending", "failed");
    item.querySelector(".delivery")!.textContent = t("log.notSent", { reason });
  }

  /** The element to insert message `id` before: after every confirmed message with a lower id. */
  private insertionPoint(id: number): Element | null {
    let before: Element | null = this.pending.values().next().value ?? null;
    let previous = before ? before.previousElementSibling : this.list.lastElementChild;
    while (previous instanceof HTMLLIElement && Number(previous.dataset.id) > id) {
      before = previous;
      previous = previous.previousElementSibling;
    }
    return before;
  }

  private lastConfirmed(): Element | null {
    const items = this.list.querySelectorAll("li[data-id]");
    return items[items.length - 1] ?? null;
  }

  private atBottom(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.scroller;
    return scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK;
  }

  private settle(follow: boolean): void {
    if (follow) this.scrollToEnd();
    else this.marker.hidden = false;
  }

  private scrollToEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.marker.hidden = true;
  }
}

function continues(previous: HTMLLIElement, message: MessageFrame): boolean {
  const time = previous.querySelector("time")?.getAttribute("datetime");
  return previous.dataset.from === message.from.uid && time !== null && time !== undefined && message.ts - Date.parse(time) < GROUP_MS;
}
