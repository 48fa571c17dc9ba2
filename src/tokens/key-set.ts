/**
 * @module
 * The app's public keys (`AUTH_JWKS_URL`), fetched rarely: one key set per isolate and URL, shared
 * by every connection it verifies. Kept for the endpoint's `Cache-Control: max-age` (an hour
 * without one); fetched with a short timeout and one retry, one fetch at a time however many
 * tokens wait for it. A `kid` it does not know (a key the app just rotated in) refetches at most
 * once a minute; an endpoint that is down leaves the keys already known in use. jose's remote key
 * set neither honours Cache-Control nor retries, hence this small wrapper around its local one.
 */
import { createLocalJWKSet, errors, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from "jose";

const DEFAULT_MAX_AGE_MS = 3600_000;
/** Bounds on what an endpoint may ask for: never a fetch per connection, never keys older than a day. */
const MIN_MAX_AGE_MS = 60_000;
const MAX_MAX_AGE_MS = 86400_000;
/** An unknown kid refetches at most this often. */
const REFETCH_COOLDOWN_MS = 60_000;
/** After a failed fetch with nothing cached, tokens are refused at once for this long. */
const FAILURE_COOLDOWN_MS = 5_000;
const ATTEMPTS = 2;

export interface KeySetOptions {
  timeoutMs?: number;
  now?: () => number;
}

type Resolve = ReturnType<typeof createLocalJWKSet>;

/** No key could be had: nothing cached and the endpoint did not answer usefully. */
export class KeySetUnavailable extends Error {}

export class KeySet {
  private resolve: Resolve | undefined;
  private freshUntil = 0;
  private fetchedAt = -Infinity;
  private failedAt = -Infinity;
  private inflight: Promise<void> | undefined;
  /** Fetches attempted, for tests and logs. */
  fetches = 0;

  constructor(
    private readonly url: string,
    private readonly options: KeySetOptions = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** jose's key lookup: the key the token's header names. */
  readonly key = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    if (this.resolve === undefined || this.now() >= this.freshUntil) await this.refresh(this.resolve === undefined);
    const resolve = this.resolve;
    if (resolve === undefined) throw new KeySetUnavailable("the app's key set could not be fetched");
    try {
      return await resolve(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.now() - this.fetchedAt < REFETCH_COOLDOWN_MS) throw error;
      await this.refresh(false);
      return (this.resolve ?? resolve)(header, token);
    }
  };

  /** One fetch for everyone waiting; a failure keeps what was known. */
  private refresh(empty: boolean): Promise<void> {
    if (empty && this.now() - this.failedAt < FAILURE_COOLDOWN_MS) return Promise.resolve();
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(): Promise<void> {
    this.fetchedAt = this.now();
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const loaded = await this.fetchOnce().catch(() => undefined);
      if (loaded) {
        this.resolve = createLocalJWKSet(loaded.jwks);
        this.freshUntil = this.now() + loaded.maxAgeMs;
        return;
      }
    }
    this.failedAt = this.now();
    // Known keys stay in use; try again after a short while rather than on every token.
    if (this.resolve !== undefined) this.freshUntil = this.now() + MIN_MAX_AGE_MS;
  }

  private async fetchOnce(): Promise<{ jwks: JSONWebKeySet; maxAgeMs: number } | undefined> {
    this.fetches++;
    const response = await fetch(this.url, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 1000) });
    if (!response.ok) return undefined;
    const jwks: unknown = await response.json();
    if (!isKeySet(jwks)) return undefined;
    return { jwks, maxAgeMs: maxAge(response.headers.get("Cache-Control")) };
  }
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === "object" && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

/** `max-age` from Cache-Control, within bounds; an hour when it says nothing usable. */
function maxAge(cacheControl: string | null): number {
  const seconds = /(?:^|[,\s])max-age=(\d+)/i.exec(cacheControl ?? "")?.[1];
  if (seconds === undefined) return DEFAULT_MAX_AGE_MS;
  return Math.min(MAX_MAX_AGE_MS, Math.max(MIN_MAX_AGE_MS, Number(seconds) * 1000));
}

const keySets = new Map<string, KeySet>();

/** The isolate's key set for `url`: every connection and every room in it share one. */
export function keySetFor(url: string): KeySet {
  let keySet = keySets.get(url);
  if (!keySet) keySets.set(url, (keySet = new KeySet(url)));
  return keySet;
}
