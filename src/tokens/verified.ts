/**
 * @module
 * Signatures already checked, per isolate. The same token comes back often: the page's bearer on
 * every history page, search and image of a room, and every tab reconnecting after a network blip.
 * A token met again skips the signature and the key lookup, never a rule that changes with time or
 * place: verify.ts reads exp, iat, the claims, rooms and roles again on every use, and bans are the
 * room's own check. What is kept is jose's verdict on the signature, issuer and audience, for at
 * most a minute and never past the token's `exp`, so a key the app withdraws is trusted at most a
 * minute longer than the key set keeps it (key-set.ts). Keyed by the token itself with the
 * settings it was checked under: a digest per call would cost about what an HS256 verification
 * does.
 */
import type { JWTPayload } from "jose";

const TTL_MS = 60_000;
const MAX_ENTRIES = 1000;
/** Ordinary JWTs are a few hundred characters; a huge one is verified every time rather than kept. */
const MAX_CACHED_CHARS = 2048;

interface Entry {
  payload: JWTPayload;
  verifiedAt: number;
  until: number;
}

/** A bounded map of verified tokens, least recently used out first. */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = MAX_ENTRIES,
    private readonly ttlMs = TTL_MS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The payload `token` had when it was verified under `scope`, if that was at most a minute before
   * `now` (ms) and before its exp. Never for a `now` earlier than the verification: `nbf` holds
   * only forward in time.
   */
  get(scope: string, token: string, now: number): JWTPayload | undefined {
    const key = `${scope}\n${token}`;
    const entry = this.entries.get(key);
    if (entry === undefined || now < entry.verifiedAt) return undefined;
    this.entries.delete(key);
    if (now >= entry.until) return undefined;
    // A Map iterates in insertion order: inserted again, the entry is the most recently used.
    this.entries.set(key, entry);
    return entry.payload;
  }

  /** Keeps a payload jose just verified at `now` (ms). */
  set(scope: string, token: string, payload: JWTPayload, now: number): void {
    if (token.length > MAX_CACHED_CHARS || typeof payload.exp !== "number") return;
    const until = Math.min(now + this.ttlMs, payload.exp * 1000);
    if (until <= now) return;
    const key = `${scope}\n${token}`;
    this.entries.delete(key);
    this.entries.set(key, { payload, verifiedAt: now, until });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
