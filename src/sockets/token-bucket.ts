/**
 * @module
 * The token bucket behind every rate limit: a member's frames, and the room's whole intake.
 */

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
    this.tokens = this.level(now);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until `take` can succeed (0 when it can now), rounded up to a tenth. */
  retryAfter(now = Date.now()): number {
    const tokens = this.level(now);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.perSecond) * 10) / 10;
  }

  /** The tokens there are at `now`, refilled since the last take. */
  private level(now: number): number {
    return Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
  }
}
