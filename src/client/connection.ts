/**
 * @module
 * One room's connection, without any DOM: connects, resumes with `?since=` after a drop, drops
 * duplicate messages by id, sends the outbox in order, and watches the heartbeat. The page renders
 * what it reports through `ConnectionEvent`s.
 */
import {
  PING,
  PONG,
  CLOSE,
  type ClientLimits,
  type ErrorCode,
  type ErrorFrame,
  type JoinFrame,
  type LeaveFrame,
  type Member,
  type MessageFrame,
  type PresenceFrame,
  type SendMessage,
  type SendTyping,
  type ServerFrame,
  type StatsFrame,
  type TypingFrame,
  type UpdateFrame,
  type WelcomeFrame,
  type WireFrame,
} from "../protocol";
import { checkText } from "../checks";
import type { ModerationFrame, RoomFrame } from "../moderation-protocol";
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from "./backoff";
import { DEFAULT_HEARTBEAT, Heartbeat, type HeartbeatOptions } from "./heartbeat";
import { Outbox, type Outgoing } from "./outbox";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "live" }
  | { kind: "reconnecting"; at: number }
  | { kind: "offline"; reason: "network" | "room_full" };

export type ConnectionEvent =
  | { type: "state"; state: ConnectionState }
  /** `online` counts the whole room; in a crowd `members` is only a sample of it. */
  | { type: "welcome"; you: Member; members: Member[]; online: number; gap: boolean }
  /** A message not seen before; `own` when one of this page's connections sent it. */
  | { type: "message"; message: MessageFrame; own: boolean }
  /** The server stored a pending message; `shown` when it already arrived through a resume. */
  | { type: "ack"; nonce: string; message: MessageFrame; shown: boolean }
  | { type: "failed"; nonce: string; code: ErrorCode }
  | { type: "notice"; error: ErrorFrame }
  | JoinFrame
  | LeaveFrame
  | PresenceFrame
  | TypingFrame
  | StatsFrame
  | UpdateFrame
  | RoomFrame
  | ModerationFrame;

export interface ConnectionOptions {
  /** The room's URL, as the page sees it; the socket uses the same path with a ws(s) scheme. */
  roomUrl: string;
  name: string;
  onEvent: (event: ConnectionEvent) => void;
  createSocket?: (url: string) => WebSocket;
  isOnline?: () => boolean;
  backoff?: BackoffOptions;
  heartbeat?: HeartbeatOptions;
  /** How long a rate-limited message waits before it goes again. */
  rateLimitRetryMs?: number;
}

/** A refusal carries the protocol's error code, for the page to say it in the reader's language. */
export type SendResult = { ok: true; message: Outgoing } | { ok: false; code: ErrorCode };

/** Until the first welcome tells us the room's limits. */
const DEFAULT_LIMITS: ClientLimits = { maxMessageChars: 2000, maxFrameBytes: 16384, ratePerSecond: 10, rateBurst: 20 };
const TYPING_EVERY_MS = 2000;
// Client close codes must be 1000 or 3000-4999; this one says "no pong", for the server's logs.
const CLOSE_NO_PONG = 4000;

export class Connection {
  private socket: WebSocket | undefined;
  private state: ConnectionState = { kind: "connecting" };
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private welcomeTimer: ReturnType<typeof setTimeout> | undefined;
  private roomFull = false;
  private lastTypingAt = -Infinity;
  /** The newest message id seen; `undefined` until a first welcome, so that one gets recent history. */
  private lastId: number | undefined;
  private readonly seen = new Set<number>();
  /** Every member id this page has had: a new one per connection. */
  private readonly myIds = new Set<string>();
  private limits = DEFAULT_LIMITS;
  private readonly outbox = new Outbox((m) => this.transmit(m));
  private readonly heartbeat: Heartbeat;
  private readonly createSocket: (url: string) => WebSocket;
  private readonly isOnline: () => boolean;

  constructor(private readonly options: ConnectionOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.isOnline = options.isOnline ?? (() => true);
    this.heartbeat = new Heartbeat(
      () => this.socket?.send(PING),
      () => this.abandon(CLOSE_NO_PONG, "no pong"),
      options.heartbeat ?? DEFAULT_HEARTBEAT,
    );
  }

  /** Messages typed but not yet stored by the server, oldest first. */
  get pending(): readonly Outgoing[] {
    return this.outbox.pending;
  }

  start(): void {
    if (this.isOnline()) this.open();
    else this.setState({ kind: "offline", reason: "network" });
  }

  /** The room's length limit in code points (a default until the first welcome). */
  get maxMessageChars(): number {
    return this.limits.maxMessageChars;
  }

  /** Queues a message; it goes out now if the socket is live, or as soon as it is again. */
  send(text: string): SendResult {
    const checked = checkText(text, this.limits.maxMessageChars);
    if (!checked.ok) return { ok: false, code: checked.code };
    const message: Outgoing = { nonce: crypto.randomUUID(), text: checked.value };
    const bytes = new TextEncoder().encode(JSON.stringify(frameOf(message))).byteLength;
    // The server closes the socket (1009) on an oversized frame; refuse it here instead.
    if (bytes > this.limits.maxFrameBytes) return { ok: false, code: "text_too_long" };
    this.outbox.add(message);
    // Others stop showing us as typing when the message lands; typing again should say so at once.
    this.lastTypingAt = -Infinity;
    return { ok: true, message };
  }

  /** Call on every keystroke; at most one typing frame goes out per interval. */
  typing(now = Date.now()): void {
    if (this.state.kind !== "live" || now - this.lastTypingAt < TYPING_EVERY_MS) return;
    this.lastTypingAt = now;
    this.socket?.send(JSON.stringify({ type: "typing" } satisfies SendTyping));
  }

  /** The browser's online/offline events: no point retrying without a network. */
  networkChanged(online: boolean): void {
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
    if (this.state.kind === "live" || this.state.kind === "connecting") return;
    this.roomFull = false;
    this.open();
  }

  private open(): void {
    this.clearRetry();
    this.setState({ kind: "connecting" });
    const ws = this.createSocket(this.socketUrl());
    this.socket = ws;
    ws.onmessage = (event) => {
      if (this.socket === ws && typeof event.data === "string") this.receive(event.data);
    };
    ws.onclose = (event) => {
      if (this.socket === ws) this.dropped(event.code);
    };
    // A socket that opens but never gets a welcome is as dead as one that never opens.
    this.welcomeTimer = setTimeout(() => this.abandon(CLOSE_NO_PONG, "no welcome"), (this.options.heartbeat ?? DEFAULT_HEARTBEAT).timeoutMs);
  }

  private socketUrl(): string {
    const url = new URL(this.options.roomUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.hash = "";
    url.search = "";
    url.searchParams.set("name", this.options.name);
    url.searchParams.set("batch", "1");
    if (this.lastId !== undefined) url.searchParams.set("since", String(this.lastId));
    return url.href;
  }

  private receive(data: string): void {
    if (data === PONG) {
      this.heartbeat.pong();
      return;
    }
    let frame: WireFrame;
    try {
      frame = JSON.parse(data) as WireFrame;
    } catch {
      return;
    }
    if (frame.type === "batch") frame.frames.forEach((part) => this.handle(part));
    else this.handle(frame);
  }

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        return this.welcomed(frame);
      case "message":
        return this.message(frame);
      case "error":
        return this.refused(frame);
      default:
        this.options.onEvent(frame);
    }
  }

  private welcomed({ you, members, online, history, latestId, gap, limits }: WelcomeFrame): void {
    clearTimeout(this.welcomeTimer);
    this.myIds.add(you.id);
    this.limits = limits;
    // Ids restart when an idle room is cleared: the old ones mean nothing any more.
    if (this.lastId !== undefined && this.lastId > latestId) this.seen.clear();
    const resumed = this.lastId !== undefined && this.lastId <= latestId;
    this.lastId = resumed ? this.lastId : latestId;
    this.attempt = 0;
    this.options.onEvent({ type: "welcome", you, members, online, gap });
    for (const message of history) this.message(message);
    this.heartbeat.start();
    this.setState({ kind: "live" });
    this.outbox.resume();
  }

  private message(message: MessageFrame): void {
    const shown = this.seen.has(message.id);
    this.seen.add(message.id);
    this.lastId = Math.max(this.lastId ?? 0, message.id);
    if (message.nonce !== undefined && this.outbox.acknowledge(message.nonce)) {
      this.options.onEvent({ type: "ack", nonce: message.nonce, message, shown });
    } else if (!shown) {
      this.options.onEvent({ type: "message", message, own: this.myIds.has(message.from.id) });
    }
  }

  private refused(error: ErrorFrame): void {
    if (error.code === "room_full") this.roomFull = true;
    if (error.nonce !== undefined && error.code === "rate_limited") {
      this.outbox.retryLater(error.nonce, this.options.rateLimitRetryMs ?? 1000);
    } else if (error.nonce !== undefined && this.outbox.reject(error.nonce)) {
      this.options.onEvent({ type: "failed", nonce: error.nonce, code: error.code });
    } else {
      this.options.onEvent({ type: "notice", error });
    }
  }

  private transmit(message: Outgoing): boolean {
    if (this.state.kind !== "live" || !this.socket) return false;
    this.socket.send(JSON.stringify(frameOf(message)));
    return true;
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

  private dropped(code: number): void {
    this.socket = undefined;
    clearTimeout(this.welcomeTimer);
    this.heartbeat.stop();
    if (this.roomFull || code === CLOSE.tryAgainLater) {
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
    this.options.onEvent({ type: "state", state });
  }
}

function frameOf(message: Outgoing): SendMessage {
  return { type: "message", text: message.text, nonce: message.nonce };
}
