/**
 * @module
 * The host's token inside the frame: it arrives by postMessage, never in the frame's address (an
 * address ends up in logs and history). A frame told to expect one (`auth=token`) waits for it
 * before connecting; every later one is a refresh, handed to the room on the live socket, or to
 * the next attempt, or, after the room refused the last one, used to try again at once. A refresh
 * the room refuses (another person's token, say) is forgotten: the next attempt goes with the
 * token the socket was using, not with the one refused.
 */
import type { Connection, ConnectionEvent } from "../../../packages/client/src/connection";
import type { ConnectionState } from "../../../packages/client/src/room-socket";
import { isTokenError } from "../../../packages/client/src/token";

export class HostToken {
  private token: string | undefined;
  /** Sent on the live socket, not yet answered. */
  private refresh: string | undefined;
  private connection: Connection | undefined;
  private state: ConnectionState["kind"] = "connecting";
  private arrived!: () => void;
  private readonly waiting = new Set<(token: string) => void>();
  /** Settles with the first token. */
  readonly first = new Promise<void>((resolve) => (this.arrived = resolve));

  /** The token for the next attempt (and the next HTTP read). */
  get current(): string | undefined {
    return this.refresh ?? this.token;
  }

  take(token: string): void {
    const fresh = this.current !== undefined && this.current !== token;
    this.arrived();
    for (const waiter of this.waiting) waiter(token);
    if (fresh && this.state === "live") {
      this.refresh = token;
      return this.connection?.authenticate(token);
    }
    this.token = token;
    this.refresh = undefined;
    if (this.state === "refused") this.connection?.retryNow();
  }

  /** The next token the host sends, or `undefined` if none comes within `ms`. */
  next(ms: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      const waiter = (token: string | undefined): void => {
        clearTimeout(timer);
        this.waiting.delete(waiter);
        resolve(token);
      };
      const timer = setTimeout(() => waiter(undefined), ms);
      this.waiting.add(waiter);
    });
  }

  /** Follows the connection, to know what a new token is for and what the room made of a refresh. */
  follow(event: ConnectionEvent, connection: Connection): void {
    this.connection = connection;
    if (event.type === "state") this.state = event.state.kind;
    if (this.refresh === undefined) return;
    // The room took it: on the live socket, or at the door of an attempt that carried it.
    if (event.type === "auth" || event.type === "welcome") {
      this.token = this.refresh;
      this.refresh = undefined;
    } else if (event.type === "notice" && isTokenError(event.error.code)) {
      this.refresh = undefined;
    }
  }
}
