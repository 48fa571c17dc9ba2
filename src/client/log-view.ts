/**
 * @module
 * The message log: confirmed messages in id order, then the user's pending ones in the order typed.
 * It follows new messages while the reader is at the bottom; once they scroll up to read, it shows
 * a "new messages" marker instead of pulling the page away from them.
 */
import type { MessageFrame } from "../protocol";
import { avatar } from "./avatar";
import { el } from "./dom";

/** How close to the bottom (px) still counts as "reading the latest". */
const BOTTOM_SLACK = 48;
/** Consecutive messages from one sender within this gap are drawn as one group. */
const GROUP_MS = 5 * 60_000;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export class LogView {
  private readonly pending = new Map<string, HTMLLIElement>();

  constructor(
    private readonly list: HTMLOListElement,
    private readonly marker: HTMLButtonElement,
  ) {
    list.addEventListener("scroll", () => {
      if (this.atBottom()) marker.hidden = true;
    });
    marker.addEventListener("click", () => this.scrollToEnd());
  }

  /** A stored message; `own` ones always scroll into view, since the user just sent them. */
  add(message: MessageFrame, own: boolean): void {
    const follow = own || this.atBottom();
    const before = this.insertionPoint(message.id);
    const previous = before ? before.previousElementSibling : this.lastConfirmed();
    const item = this.render(message.from.name, message.text, own, message.ts);
    item.dataset.id = String(message.id);
    item.dataset.from = message.from.id;
    if (message.from.bot) item.querySelector(".author")!.after(el("span", { className: "badge", text: "bot" }));
    if (previous instanceof HTMLLIElement && continues(previous, message)) item.classList.add("continued");
    this.list.insertBefore(item, before);
    this.settle(follow);
  }

  /** A message typed here that the server has not stored yet. */
  addPending(nonce: string, name: string, text: string): void {
    const item = this.render(name, text, true, Date.now());
    item.classList.add("pending");
    item.append(el("p", { className: "delivery", text: "Sending…" }));
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
    item.querySelector(".delivery")!.textContent = `Not sent: ${reason}`;
  }

  private render(name: string, text: string, own: boolean, ts: number): HTMLLIElement {
    const when = new Date(ts);
    const sameDay = when.toDateString() === new Date().toDateString();
    const time = el("time", {
      text: sameDay ? timeFormat.format(when) : dateTimeFormat.format(when),
      attrs: { datetime: when.toISOString(), title: dateTimeFormat.format(when) },
    });
    const author = el("span", { className: "author", text: name });
    const meta = el("p", { className: "meta" }, author);
    if (own) meta.append(el("span", { className: "visually-hidden", text: " (you)" }));
    meta.append(time);
    const body = el("div", { className: "body" }, meta, el("p", { className: "text", text }));
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
    const { scrollHeight, scrollTop, clientHeight } = this.list;
    return scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK;
  }

  private settle(follow: boolean): void {
    if (follow) this.scrollToEnd();
    else this.marker.hidden = false;
  }

  private scrollToEnd(): void {
    this.list.scrollTop = this.list.scrollHeight;
    this.marker.hidden = true;
  }
}

function continues(previous: HTMLLIElement, message: MessageFrame): boolean {
  const time = previous.querySelector("time")?.getAttribute("datetime");
  return previous.dataset.from === message.from.id && time !== null && time !== undefined && message.ts - Date.parse(time) < GROUP_MS;
}
