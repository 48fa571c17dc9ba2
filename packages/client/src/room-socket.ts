/**
 * @module
 * The socket to a room, kept open: it reconnects with backoff after a drop (but not while the
 * browser is offline, nor into a full room, nor after a moderator removed the person), and gives up
 * on a socket that gets no welcome or no pong in time. What goes over it is connection.ts's business.
 */
import { CLOSE, PING, PONG } from "../../../src/wire/protocol";
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff";
import { DEFAULT_HEARTBEAT, Heartbeat, type HeartbeatOptions } from "./heartbeat";
import type { Removal } from "./removal";
import { isTokenError, type TokenError } from "./token";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "live" }
  | { kind: "reconnecting"; at: number }
  | { kind: "offline"; reason: "network" | "room_full" }
  /**
   * A moderator closed the socket: kicked (4001) or banned (4003). Nothing reconnects until the
   * reader asks (`retryNow`). The socket knows only the close frame's `reason`; connection.ts adds
   * what the room said before closing (who, and when a ban ends).
   */
  | ({ kind: "removed" } & Removal)
  /** The room refused the token (4401) or the room to it (4403). Nothing reconnects until `retryNow`. */
  | { kind: "refused"; code: TokenError };

export interface RoomSocketOptions {
  /** The address of each attempt, asked anew each time: a resume's `since` moves on. */
  url: () => string;
  /** Every text frame but `pong`. */
  onText: (data: string) => void;
  onState: (state: ConnectionState) => void;
  createSocket?: (url: string) => WebSocket;
  isOnline?: () => boolean;
  backoff?: BackoffOptions;
  heartbeat?: HeartbeatOptions;
}

// Client close codes must be 1000 or 3000-4999; this one says "no pong", for the server's logs.
const CLOSE_NO_PONG = 4000;

export class RoomSocket {
  private socket: WebSocket | undefined;
  private state: ConnectionState = { kind: "connecting" };
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private welcomeTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly heartbeat: Heartbeat;
  private readonly createSocket: (url: string) => WebSocket;
  private readonly isOnline: () => boolean;

  constructor(private readonly options: RoomSocketOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.isOnline = options.isOnline ?? (() => true);
    this.heartbeat = new Heartbeat(
      () => this.socket?.send(PING),
      () => this.abandon(CLOSE_NO_PONG, "no pong"),
      options.heartbeat ?? DEFAULT_HEARTBEAT,
    );
  }

  get live(): boolean {
    return this.state.kind === "live";
  }

  start(): void {
    if (this.isOnline()) this.open();
    else this.setState({ kind: "offline", reason: "network" });
  }

  /** Sends on the live socket; false when there is none. */
  send(data: string): boolean {
    if (!this.live || !this.socket) return false;
    this.socket.send(data);
    return true;
  }

  /** The room welcomed this socket: it is live. */
  welcomed(): void {
    clearTimeout(this.welcomeTimer);
    this.attempt = 0;
    this.heartbeat.start();
    this.setState({ kind: "live" });
  }

  /**
   * The room said it is closing this socket (a kick or ban of this person, a token refusal):
   * act on its word at once. The Close frame itself may take seconds (about 10 under
   * `wrangler dev`) to surface as a `close` event.
   */
  end(state: ConnectionState & { kind: "removed" | "refused" | "offline" }): void {
    this.detach(1000, "closing");
    this.clearRetry();
    this.setState(state);
  }

  /** For good: no reconnect, no state change. */
  stop(): void {
    this.stopped = true;
    this.clearRetry();
    this.detach(1000, "closed");
  }

  /** The browser's online/offline events: no point retrying without a network. */
  networkChanged(online: boolean): void {
    // Only the reader brings a removed person back.
    if (this.stopped || this.state.kind === "removed" || this.state.kind === "refused") return;
    if (!online) {
      this.clearRetry();
      this.detach(1000, "offline");
      this.setState({ kind: "offline", reason: "network" });
    } else if (this.state.kind === "offline" && this.state.reason === "network") {
      this.attempt = 0;
      this.open();
    }
  }

  /** Skips the backoff wait (a "retry now" button, or a full room someone wants to try again). */
  retryNow(): void {
    if (this.stopped || this.state.kind === "live" || this.state.kind === "connecting") return;
    this.open();
  }

  private open(): void {
    this.clearRetry();
    if (this.stopped) return;
    this.setState({ kind: "connecting" });
    const ws = this.createSocket(this.options.url());
    this.socket = ws;
    ws.onmessage = (event) => {
      if (this.socket !== ws || typeof event.data !== "string") return;
      if (event.data === PONG) this.heartbeat.pong();
      else this.options.onText(event.data);
    };
    ws.onclose = (event) => {
      if (this.socket === ws) this.dropped(event.code, event.reason);
    };
    // Node's WebSocket reports a refused connection with `error` alone, never `close`.
    ws.onerror = () => {
      if (this.socket === ws) this.abandon(CLOSE_NO_PONG, "error");
    };
    // A socket that opens but never gets a welcome is as dead as one that never opens.
    this.welcomeTimer = setTimeout(() => this.abandon(CLOSE_NO_PONG, "no welcome"), (this.options.heartbeat ?? DEFAULT_HEARTBEAT).timeoutMs);
  }

  /** Gives up on the current socket without waiting for a close handshake a dead network won't finish. */
  private abandon(code: number, reason: string): void {
    if (this.detach(code, reason)) this.dropped(1006);
  }

  private detach(code: number, reason: string): boolean {
    const ws = this.socket;
    clearTimeout(this.welcomeTimer);
    this.heartbeat.stop();
    if (!ws) return false;
    this.socket = undefined;
    try {
      ws.close(code, reason);
    } catch {
      // Already closing.
    }
    return true;
  }

  private dropped(code: number, reason = ""): void {
    this.socket = undefined;
    clearTimeout(this.welcomeTimer);
    this.heartbeat.stop();
    if (code === CLOSE.kicked || code === CLOSE.banned) {
      const how = code === CLOSE.kicked ? "kicked" : "banned";
      // Without a reason of the moderator's, the room says just the word.
      this.setState(reason === "" || reason === how ? { kind: "removed", how } : { kind: "removed", how, reason });
    } else if (code === CLOSE.unauthorized || code === CLOSE.forbiddenRoom) {
      // Token refusals (docs/protocol.md): the code is the close reason.
      const fallback = code === CLOSE.unauthorized ? "invalid_token" : "forbidden_room";
      this.setState({ kind: "refused", code: isTokenError(reason) ? reason : fallback });
    } else if (code === CLOSE.tryAgainLater) {
      this.setState({ kind: "offline", reason: "room_full" });
    } else if (!this.isOnline()) {
      this.setState({ kind: "offline", reason: "network" });
    } else {
      const delay = backoffDelay(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF);
      this.retryTimer = setTimeout(() => this.open(), delay);
      this.setState({ kind: "reconnecting", at: Date.now() + delay });
    }
  }

  private clearRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.options.onState(state);
  }
}
