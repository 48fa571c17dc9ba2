/**
 * @module
 * The room-wide intake limit, kept by the sequencer for every object the room spreads over.
 */
import { TokenBucket } from "../sockets/token-bucket";
import { refuse } from "../wire/checks";
import type { Refusal } from "../wire/protocol";

/**
 * The room-wide intake: however many objects its members are spread over, the sequencer accepts
 * at most `perSecond` messages and changes (burst `burst`), so it never overloads.
 */
export class Intake {
  private readonly bucket: TokenBucket;

  constructor(
    private readonly perSecond: number,
    burst: number,
  ) {
    this.bucket = new TokenBucket(perSecond, burst);
  }

  /** Takes one, or says when to retry. */
  refuse(nonce: string | undefined, now = Date.now()): Refusal | undefined {
    if (this.bucket.take(now)) return undefined;
    const retryAfter = this.bucket.retryAfter(now);
    const message = `the room takes at most ${this.perSecond} messages/s; retry in ${retryAfter} s`;
    return { ...refuse("rate_limited", message, nonce), retryAfter };
  }
}
