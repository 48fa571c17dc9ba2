/**
 * @module
 * Rate limiting (per connection, and the room's whole intake) and the WebSocket origin policy.
 */
import type { Refusal } from "./protocol";

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. It lives in memory only: the room
 * hibernates after seconds of silence, by which time any bucket has refilled, so losing it on a
 * wake is the same as keeping it.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** Takes one token if there is one. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until `take` can succeed (0 when it can now), rounded up to a tenth. */
  retryAfter(now = Date.now()): number {
    const tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.perSecond) * 10) / 10;
  }
}

/**
 * The room-wide intake: however many objects its members are spread over, the sequencer accepts
 * at most `perSecond` messages and changes (burst `burst`), so it never overloads.
 */
export class Intake {
  private readonly bucket: TokenBucket;

  constructor(private readonly perSecond: number, burst: number) {
    this.bucket = new TokenBucket(perSecond, burst);
  }

  /** Takes one, or says when to retry. */
  refuse(nonce: string | undefined, now = Date.now()): Refusal | undefined {
    if (this.bucket.take(now)) return undefined;
    const retryAfter = this.bucket.retryAfter(now);
    const message = `the room takes at most ${this.perSecond} messages/s; retry in ${retryAfter} s`;
    return { ok: false, code: "rate_limited", message, retryAfter, ...(nonce === undefined ? {} : { nonce }) };
  }
}

/**
 * Cross-site WebSocket hijacking guard. Browsers always send `Origin` on a WebSocket upgrade, so a
 * missing one means a non-browser client (a bot, a CLI, a test), which has no ambient cookies to
 * abuse and is allowed.
 */
export function originAllowed(origin: string | undefined, self: string, allowed: string[]): boolean {
  return origin === undefined || origin === self || allowed.includes(origin);
}
