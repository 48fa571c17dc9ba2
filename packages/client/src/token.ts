/**
 * @module
 * The app's token (docs/protocol.md, tokens): a fixed string, or a function the library calls for
 * a fresh one before the current one's `exp` and after the room said `token_expired`. The room
 * answers a refresh sent as `{"type":"auth","token"}` with `{"type":"auth","exp"}`.
 */

export type TokenSource = string | (() => string | Promise<string>);

/** The refusals that come with a close 4401 (or 4403 for `forbidden_room`). */
const TOKEN_ERRORS = ["token_required", "invalid_token", "token_expired", "forbidden_room"] as const;
export type TokenError = (typeof TOKEN_ERRORS)[number];

export function isTokenError(code: string): code is TokenError {
  return (TOKEN_ERRORS as readonly string[]).includes(code);
}

/** The room's answer to a refresh. */
export interface AuthReply {
  type: "auth";
  /** When the new token expires, in seconds since the epoch. */
  exp: number;
}

export interface AuthRequest {
  type: "auth";
  token: string;
}

/** How long before `exp` a refresh goes, so that a slow token endpoint still makes it. */
const REFRESH_AHEAD_MS = 30_000;

export class TokenKeeper {
  private current: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fetching: Promise<string> | undefined;

  /** `refreshed` sends a fresh token on the live socket. */
  constructor(
    private readonly source: TokenSource | undefined,
    private readonly refreshed: (token: string) => void,
  ) {
    if (typeof source === "string") this.current = source;
  }

  /** The token for the next connection attempt. */
  get token(): string | undefined {
    return this.current;
  }

  /** Only a function can give a token other than the one the room refused. */
  get renewable(): boolean {
    return typeof this.source === "function";
  }

  /** Gets a fresh token from the app's function (once at a time). */
  fetch(): Promise<string | undefined> {
    const source = this.source;
    if (typeof source !== "function") return Promise.resolve(this.current);
    this.fetching ??= Promise.resolve()
      .then(source)
      .then((token) => (this.current = token))
      .finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  /** The room told when the token in use expires: refresh ahead of it. */
  expiresAt(exp: number | undefined, now = Date.now()): void {
    clearTimeout(this.timer);
    if (exp === undefined || !this.renewable) return;
    const delay = Math.max(0, exp * 1000 - now - REFRESH_AHEAD_MS);
    // Timers overflow past 2^31 ms; a token that long-lived is checked again a day later.
    this.timer = setTimeout(() => void this.refresh(), Math.min(delay, 86_400_000));
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async refresh(): Promise<void> {
    const token = await this.fetch().catch(() => undefined);
    if (token !== undefined) this.refreshed(token);
  }
}
