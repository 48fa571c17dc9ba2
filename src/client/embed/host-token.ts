/**
 * @module
 * The host's token inside the frame: it arrives by postMessage, never in the frame's address (an
 * address ends up in logs and history). A frame told to expect one (`auth=token`) waits for it
 * before connecting; every later one is a refresh, handed to the room on the live socket, or to
 * the next attempt, or, after the room refused the last one, used to try again at once.
 */
import type { Connection, ConnectionEvent } from "../../../packages/client/src/connection";
import type { ConnectionState } from "../../../packages/client/src/room-socket";

export class HostToken {
  private token: string | undefined;
  private connection: Connection | undefined;
  private state: ConnectionState["kind"] = "connecting";
  private arrived!: () => void;
  private readonly waiting = new Set<(token: string) => void>();
  /** Settles with the first token. */
  readonly first = new Promise<void>((resolve) => (this.arrived = resolve));

  get current(): string | undefined {
    return this.token;
  }

  take(token: string): void {
    const refresh = this.token !== undefined && this.token !== token;
    this.token = token;
    this.arrived();
    for (const waiter of this.waiting) waiter(token);
    if (this.state === "refused") this.connection?.retryNow();
    else if (refresh && this.state === "live") this.connection?.authenticate(token);
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

  /** Follows the connection, to know what a new token is for. */
  follow(event: ConnectionEvent, connection: Connection): void {
    this.connection = connection;
    if (event.type === "state") this.state = event.state.kind;
  }
}
