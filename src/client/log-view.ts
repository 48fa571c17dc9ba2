/**
 * @module
 * The message log: confirmed messages in id order, then the user's pending ones in the order typed.
 * It follows new messages while the reader is at the bottom; once they scroll up to read, it shows
 * a "new messages" marker instead of pulling the page away from them.
 */
import type { MessageFrame } from "../protocol";
import { avatar } from "./avatar";
import { el } from "./dom";
import { formatDateTime, formatWhen, t } from "./i18n";
import { richText } from "./message-text";

/** How close to the bottom (px) still counts as "reading the latest". */
const BOTTOM_SLACK = 48;
/** Consecutive messages from one sender within this gap are drawn as one group. */
const GROUP_MS = 5 * 60_000;

export class LogView {
  private readonly pending = new Map<string, HTMLLIElement>();

  private divider: HTMLLIElement | undefined;

  /** `scroller` is the log's scrolling box (the live region); `list` the messages in it. */
  constructor(
    private readonly scroller: HTMLElement,
    private readonly list: HTMLOListElement,
    private readonly marker: HTMLButtonElement,
  ) {
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
    const item = this.render(message.from.name, message.text, own, message.ts);
    item.dataset.id = String(message.id);
    item.dataset.from = message.from.id;
    const author = item.querySelector(".author")!;
    if (message.from.bot) author.after(el("span", { className: "badge", text: t("log.bot") }));
    if (mention) {
      item.classList.add("mention");
      author.after(el("span", { className: "visually-hidden", text: ` ${t("log.mentionsYou")}` }));
    }
    if (previous instanceof HTMLLIElement && continues(previous, message)) item.classList.add("continued");
    this.list.insertBefore(item, before);
    this.settle(follow);
    return item;
  }

  /** The "new since you left" line before `first`, the first message that came while away. */
  showDivider(first: HTMLLIElement): void {
    this.divider?.remove();
    this.divider = el("li", { className: "divider" }, el("span", { text: t("log.newSinceYouLeft") }));
    first.before(this.divider);
    this.divider.scrollIntoView({ block: "nearest" });
  }

  /** A message typed here that the server has not stored yet. */
  addPending(nonce: string, name: string, text: string): void {
    const item = this.render(name, text, true, Date.now());
    item.classList.add("pending");
    item.append(el("p", { className: "delivery", text: t("log.sending") }));
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

  private render(name: string, text: string, own: boolean, ts: number): HTMLLIElement {
    const when = new Date(ts);
    const time = el("time", { text: formatWhen(when), attrs: { datetime: when.toISOString(), title: formatDateTime(when) } });
    const author = el("span", { className: "author", text: name });
    const meta = el("p", { className: "meta" }, author);
    if (own) meta.append(el("span", { className: "visually-hidden", text: ` ${t("log.you")}` }));
    meta.append(time);
    const body = el("div", { className: "body" }, meta, el("p", { className: "text" }, ...richText(text)));
    return el("li", { className: own ? "msg own" : "msg" }, avatar(name), body);
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
  return previous.dataset.from === message.from.id && time !== null && time !== undefined && message.ts - Date.parse(time) < GROUP_MS;
}
