/**
 * @module
 * The host's token for the frame: a string, or a function embed.js calls again when the frame
 * says the room refused or expired the last one, and shortly before the token's own `exp`.
 */

export type TokenSource = string | (() => string | Promise<string>);

/** How long before `exp` a refresh goes, so that a slow token endpoint still makes it. */
const REFRESH_AHEAD_MS = 30_000;

/** A JWT's `exp` in ms, read without checking anything: only to know when to ask for the next one. */
function expiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export class HostTokens {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private source: TokenSource | undefined,
    private readonly deliver: (token: string) => void,
  ) {}

  set(source: TokenSource | undefined): void {
    this.source = source;
    void this.send();
  }

  get renewable(): boolean {
    return typeof this.source === "function";
  }

  /** Gets the current token (calling the function) and hands it to the frame; a failed call sends nothing. */
  async send(): Promise<void> {
    clearTimeout(this.timer);
    const source = this.source;
    if (source === undefined) return;
    let token: string;
    try {
      token = typeof source === "string" ? source : await source();
    } catch {
      return;
    }
    if (typeof token !== "string" || token === "") return;
    this.deliver(token);
    const exp = expiry(token);
    if (exp === undefined || !this.renewable) return;
    // Timers overflow past 2^31 ms; a token that long-lived is looked at again a day later.
    this.timer = setTimeout(() => void this.send(), Math.min(Math.max(0, exp - Date.now() - REFRESH_AHEAD_MS), 86_400_000));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
