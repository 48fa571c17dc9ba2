/**
 * @module
 * Reconnect delays: exponential backoff with full jitter, so a room's clients that lost the server
 * together don't all knock again at the same instant.
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The wait before reconnect attempt `attempt` (0 for the first retry): a random time between half
 * and all of `base * 2^attempt`, capped at `maxMs`. Half, not zero, so a retry never spins.
 */
export function backoffDelay(attempt: number, options = DEFAULT_BACKOFF, random = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
