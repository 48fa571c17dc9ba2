/**
 * @module
 * Messages the user sent that the server has not acknowledged yet, in the order they were typed.
 * One is in flight at a time: if the server refused one for its rate limit while a later one got
 * through, the room would store them out of order.
 */
import type { SendMessage } from "../../../src/wire/protocol";

/** A message waiting for its echo, as sent; the nonce makes sending it again safe. */
export type Outgoing = SendMessage & { nonce: string };

export class Outbox {
  private readonly queue: Outgoing[] = [];
  private inFlight: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  /** `transmit` sends one message and returns false when there is no live socket to send it on. */
  constructor(private readonly transmit: (message: Outgoing) => boolean) {}

  get pending(): readonly Outgoing[] {
    return this.queue;
  }

  has(nonce: string): boolean {
    return this.queue.some((m) => m.nonce === nonce);
  }

  add(message: Outgoing): void {
    this.queue.push(message);
    this.pump();
  }

  /** The server stored it (its echo carried the nonce): send the next one. */
  acknowledge(nonce: string): boolean {
    if (!this.remove(nonce)) return false;
    this.pump();
    return true;
  }

  /** The server refused it for good (too long, invalid): drop it and carry on with the next. */
  reject(nonce: string): boolean {
    if (!this.remove(nonce)) return false;
    this.pump();
    return true;
  }

  /** The server refused it for now: send it again, still first in line, after `delayMs`. */
  retryLater(nonce: string, delayMs: number): void {
    if (this.inFlight !== nonce) return;
    this.inFlight = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delayMs);
  }

  /**
   * A new socket is live. Whatever was in flight on the old one may or may not have been stored;
   * its nonce lets the server tell, so it simply goes again.
   */
  resume(): void {
    this.inFlight = undefined;
    this.pump();
  }

  private remove(nonce: string): boolean {
    const index = this.queue.findIndex((m) => m.nonce === nonce);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    if (this.inFlight === nonce) this.inFlight = undefined;
    return true;
  }

  private pump(): void {
    const head = this.queue[0];
    if (!head || this.inFlight !== undefined || this.retryTimer !== undefined) return;
    if (this.transmit(head)) this.inFlight = head.nonce;
  }
}
