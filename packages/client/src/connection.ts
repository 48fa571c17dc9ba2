/**
 * @module
 * One room's conversation, without any DOM, over a socket that room-socket.ts keeps open (the page
 * and the library's room handle, room.ts, both run on it): it
 * resumes with `?since=` after a drop, drops repeated messages and stale updates (timeline.ts),
 * sends the outbox in order, sends message actions and moderation requests and hears their
 * answers (pending-actions.ts, pending-moderation.ts), searches the room's history, and tells the page why its person was removed
 * (removal.ts). The page renders what it reports through `ConnectionEvent`s.
 */

import type { BanEntry, ModerationFrame, ModerationRequest, RoomFrame, RoomState, SendBans } from "../../../src/wire/moderation-frames";
import type {
  ClientLimits,
  ErrorCode,
  ErrorFrame,
  JoinFrame,
  LeaveFrame,
  Member,
  MessageFrame,
  PresenceFrame,
  SearchPage,
  SearchResultsFrame,
  SendSearch,
  SendTyping,
  ServerFrame,
  StatsFrame,
  TypingFrame,
  UpdateFrame,
  WelcomeFrame,
  WireFrame,
} from "../../../src/wire/protocol";
import type { BackoffOptions } from "./backoff";
import type { HeartbeatOptions } from "./heartbeat";
import { Outbox, type Outgoing } from "./outbox";
import { outgoingAction, outgoingMessage } from "./outgoing";
import { type ActionOutcome, type ActionProblem, type ActionRequest, effectOf, PendingActions } from "./pending-actions";
import { PendingAnswers } from "./pending-answers";
import { type ModerationAsk, PendingModeration } from "./pending-moderation";
import { announcedRemoval, refusedRemoval } from "./removal";
import { type ConnectionState, RoomSocket } from "./room-socket";
import { Timeline } from "./timeline";
import { type AuthReply, type AuthRequest, isTokenError } from "./token";

export type ConnectionEvent =
  | { type: "state"; state: ConnectionState }
  /** `online` counts the whole room; in a crowd `members` is only a sample of it. `room`: who moderates, and the settings. */
  /** `exp`: when the token in use expires (seconds since the epoch), for a connection with one. */
  | { type: "welcome"; you: Member; members: Member[]; online: number; gap: boolean; room: RoomState; exp?: number }
  /** The room took a refreshed token. */
  | AuthReply
  /** A message not seen before; `own` when its author is this page's person (same uid). */
  | { type: "message"; message: MessageFrame; own: boolean }
  /** The server stored a pending message; `shown` when it already arrived through a resume. */
  | { type: "ack"; nonce: string; message: MessageFrame; shown: boolean }
  /** `retryAfter` (seconds) comes with `slow_mode`. */
  | { type: "failed"; nonce: string; code: ErrorCode; retryAfter?: number }
  | { type: "notice"; error: ErrorFrame }
  | JoinFrame
  | LeaveFrame
  | PresenceFrame
  | TypingFrame
  | StatsFrame
  /** A newer state of a message: replace the one with the same id, if shown. */
  | UpdateFrame
  | RoomFrame
  | ModerationFrame
  /** Results of a `search` frame sent by other code than `search()` (docs/protocol.md, "Search"). */
  | SearchResultsFrame;

export interface ConnectionOptions {
  /** The room's URL, as the page sees it; the socket uses the same path with a ws(s) scheme. */
  roomUrl: string;
  /** Without one the room picks `guest-xxxx`. */
  name?: string;
  /** The person's secret, for clients without the page's cookie. */
  key?: string;
  /** The app's token for the next attempt, if any. */
  token?: () => string | undefined;
  onEvent: (event: ConnectionEvent) => void;
  createSocket?: (url: string) => WebSocket;
  isOnline?: () => boolean;
  backoff?: BackoffOptions;
  heartbeat?: HeartbeatOptions;
  /** How long a rate-limited message waits before it goes again. */
  rateLimitRetryMs?: number;
}

/** The bans in force, newest first (`total` counts those past the list's limit too), or why not. */
export type BansOutcome = { ok: true; bans: BanEntry[]; total: number } | { ok: false; code: ActionProblem };
/** A page of search results, or why there is none: the room's refusal, or `offline` (no live socket, or it dropped before the answer). */
export type SearchOutcome = { ok: true; value: SearchPage } | { ok: false; code: ActionProblem };

/** A refusal carries the protocol's error code, for the page to say it in the reader's language. */
export type SendResult = { ok: true; message: Outgoing } | { ok: false; code: ErrorCode };

/** Until the first welcome tells us the room's limits. */
const DEFAULT_LIMITS: ClientLimits = { maxMessageChars: 2000, maxFrameBytes: 16384, ratePerSecond: 10, rateBurst: 20 };
const TYPING_EVERY_MS = 2000;

export class Connection {
  private readonly link: RoomSocket;
  private lastTypingAt = -Infinity;
  /** Its cursor is `undefined` until a first welcome, so that one gets recent history. */
  private readonly timeline = new Timeline();
  private you: Member | undefined;
  private limits = DEFAULT_LIMITS;
  private readonly outbox = new Outbox((message) => this.link.send(JSON.stringify(message)));
  private readonly actions = new PendingActions(
    (frame) => this.link.send(JSON.stringify(frame)),
    (id) => this.timeline.get(id),
  );
  private readonly requests = new PendingModeration();
  private readonly banLists = new PendingAnswers<BansOutcome>({ ok: false, code: "offline" }, { ok: false, code: "offline" });
  private readonly searches = new PendingAnswers<SearchOutcome>({ ok: false, code: "offline" }, { ok: false, code: "offline" });
  /** A refreshed token went out and the room has not answered yet. */
  private authenticating = false;

  constructor(private readonly options: ConnectionOptions) {
    this.link = new RoomSocket({
      ...options,
      url: () => this.socketUrl(),
      onText: (data) => this.receive(data),
      onState: (state) => {
        if (state.kind === "connecting") this.actions.reconnecting();
        if (state.kind !== "live") {
          this.requests.dropped();
          this.banLists.dropped();
          this.searches.dropped();
        }
        options.onEvent({ type: "state", state });
      },
    });
  }

  /** Messages typed but not yet stored by the server, oldest first. */
  get pending(): readonly Outgoing[] {
    return this.outbox.pending;
  }

  start(): void {
    this.link.start();
  }

  /** The room's length limit in code points (a default until the first welcome). */
  get maxMessageChars(): number {
    return this.limits.maxMessageChars;
  }

  /** Queues a message (a reply when `replyTo` is set); it goes out now if the socket is live, or as soon as it is again. */
  send(text: string, replyTo?: number, files?: string[]): SendResult {
    const checked = outgoingMessage(text, replyTo, this.limits, files);
    if (!checked.ok) return checked;
    this.outbox.add(checked.frame);
    // Others stop showing us as typing when the message lands; typing again should say so at once.
    this.lastTypingAt = -Infinity;
    return { ok: true, message: checked.frame };
  }

  /**
   * Edits, deletes or reacts, only on a live socket: an action waits in no outbox, since the
   * reader decided it on what the page showed then. Resolves when the room has answered.
   */
  act(request: ActionRequest): Promise<ActionOutcome> {
    if (!this.link.live || !this.you) return Promise.resolve({ ok: false, code: "offline" });
    const checked = outgoingAction(request, this.limits);
    if (!checked.ok) return Promise.resolve(checked);
    return this.actions.act(checked.frame, effectOf(request, this.timeline.get(request.id), this.you.uid));
  }

  /**
   * Sends a moderation request (a claim, a role, a kick or ban, settings), only on a live socket.
   * Resolves when the room has answered; the change itself arrives as `room` and `moderation` events.
   */
  moderate(request: ModerationAsk): Promise<ActionOutcome> {
    if (!this.link.live) return Promise.resolve({ ok: false, code: "offline" });
    const frame = { ...request, nonce: crypto.randomUUID() } satisfies ModerationRequest;
    return this.requests.request(frame, (sent) => this.link.send(JSON.stringify(sent)));
  }

  /**
   * The bans in force, for owners and moderators (others get `forbidden`), only on a live socket.
   * The `moderation` events for `ban` and `unban` after it keep such a list current.
   */
  bans(): Promise<BansOutcome> {
    if (!this.link.live) return Promise.resolve({ ok: false, code: "offline" });
    const frame = { type: "bans", nonce: crypto.randomUUID() } satisfies SendBans;
    return this.banLists.request(frame, (sent) => this.link.send(JSON.stringify(sent)));
  }

  /**
   * Searches the room's history on the live socket (docs/protocol.md, "Search"): one page of
   * matches, newest first; `before` is the last page's `nextBefore`. No second channel, and no
   * token in another request: the socket is already signed in.
   */
  search(q: string, { before, limit }: { before?: number; limit?: number } = {}): Promise<SearchOutcome> {
    if (!this.link.live) return Promise.resolve({ ok: false, code: "offline" });
    const frame: SendSearch & { nonce: string } = { type: "search", q, nonce: crypto.randomUUID() };
    if (before !== undefined) frame.before = before;
    if (limit !== undefined) frame.limit = limit;
    return this.searches.request(frame, (sent) => this.link.send(JSON.stringify(sent)));
  }

  /** Call on every keystroke; at most one typing frame goes out per interval. */
  typing(now = Date.now()): void {
    if (!this.link.live || now - this.lastTypingAt < TYPING_EVERY_MS) return;
    this.lastTypingAt = now;
    this.link.send(JSON.stringify({ type: "typing" } satisfies SendTyping));
  }

  /** The browser's online/offline events: no point retrying without a network. */
  networkChanged(online: boolean): void {
    this.link.networkChanged(online);
  }

  /** Hands the room a refreshed token on the live socket; the next attempt carries it anyway. */
  authenticate(token: string): void {
    this.authenticating = this.link.send(JSON.stringify({ type: "auth", token } satisfies AuthRequest));
  }

  /** Closes for good: no reconnect, and whatever waits for an answer gets none. */
  stop(): void {
    this.link.stop();
    this.requests.dropped();
    this.banLists.dropped();
    this.searches.dropped();
    this.actions.abandon();
  }

  /** Skips the backoff wait (a "retry now" button, or a full room someone wants to try again). */
  retryNow(): void {
    this.link.retryNow();
  }

  private socketUrl(): string {
    const url = new URL(this.options.roomUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.hash = "";
    url.search = "";
    const { name, key, token } = this.options;
    if (name !== undefined) url.searchParams.set("name", name);
    if (key !== undefined) url.searchParams.set("key", key);
    const current = token?.();
    if (current !== undefined) url.searchParams.set("token", current);
    url.searchParams.set("batch", "1");
    if (this.timeline.cursor !== undefined) url.searchParams.set("since", String(this.timeline.cursor));
    return url.href;
  }

  private receive(data: string): void {
    let frame: WireFrame;
    try {
      frame = JSON.parse(data) as WireFrame;
    } catch {
      return;
    }
    if (frame.type === "batch") for (const part of frame.frames) this.handle(part);
    else this.handle(frame);
  }

  private handle(frame: ServerFrame | AuthReply): void {
    switch (frame.type) {
      case "auth":
        this.authenticating = false;
        return this.options.onEvent(frame);
      case "welcome":
        return this.welcomed(frame);
      case "message":
        this.message(frame);
        return this.actions.reached(this.timeline.cursor);
      case "update":
        this.update(frame);
        return this.actions.reached(this.timeline.cursor);
      case "error":
        return this.refused(frame);
      case "moderation":
      case "room":
        return this.roomWide(frame);
      case "bans":
        // Live, like any answer: a resume's replay is over.
        this.actions.reached(Infinity);
        if (frame.nonce !== undefined) this.banLists.settle(frame.nonce, { ok: true, bans: frame.bans, total: frame.total });
        return;
      case "search_results":
        this.actions.reached(Infinity);
        if (frame.nonce !== undefined && this.searches.settle(frame.nonce, { ok: true, value: { messages: frame.messages, nextBefore: frame.nextBefore } }))
          return;
        return this.options.onEvent(frame);
      default:
        // A resume's replay comes before any live frame: this one says it is over.
        this.actions.reached(Infinity);
        this.options.onEvent(frame);
    }
  }

  /**
   * A moderation action or the room's new state. With a place in the order it may be part of a
   * resume's replay (and is dropped if already passed); from a server that gives none, it is live.
   */
  private roomWide(frame: ModerationFrame | RoomFrame): void {
    if (frame.seq !== undefined && !this.timeline.event(frame.seq)) return;
    const removal = frame.type === "moderation" ? announcedRemoval(frame, this.you?.uid) : undefined;
    if (frame.type === "moderation" && frame.nonce !== undefined) this.requests.settle(frame.nonce, { ok: true });
    this.actions.reached(frame.seq === undefined ? Infinity : this.timeline.cursor);
    this.options.onEvent(frame);
    // Every socket of the person closes now: act on the room's word, not on a Close frame that
    // may take seconds to surface (about 10 under `wrangler dev`).
    if (removal) this.link.end({ kind: "removed", ...removal });
  }

  private welcomed({ you, members, online, history, latestId, gap, limits, room, exp }: WelcomeFrame & { exp?: number }): void {
    this.you = you;
    this.limits = limits;
    this.authenticating = false;
    const resumed = this.timeline.welcome(latestId);
    this.options.onEvent(exp === undefined ? { type: "welcome", you, members, online, gap, room } : { type: "welcome", you, members, online, gap, room, exp });
    for (const message of history) this.message(message);
    this.link.welcomed();
    this.outbox.resume();
    this.actions.welcomed(resumed ? latestId : undefined);
    this.actions.reached(this.timeline.cursor);
  }

  private message(message: MessageFrame): void {
    const shown = !this.timeline.message(message);
    if (message.nonce !== undefined && this.outbox.acknowledge(message.nonce)) {
      this.options.onEvent({ type: "ack", nonce: message.nonce, message, shown });
    } else if (!shown) {
      this.options.onEvent({ type: "message", message, own: message.from.uid === this.you?.uid });
    }
  }

  private update(update: UpdateFrame): void {
    if (this.timeline.update(update)) this.options.onEvent(update);
    if (update.nonce !== undefined) this.actions.acknowledge(update.nonce);
  }

  /** A refusal of an action, a moderation request, a list of bans or a search of ours. */
  private answered(nonce: string, code: ErrorCode): boolean {
    const outcome = { ok: false as const, code };
    return (
      this.actions.refuse(nonce, code) || this.requests.settle(nonce, outcome) || this.banLists.settle(nonce, outcome) || this.searches.settle(nonce, outcome)
    );
  }

  private refused(error: ErrorFrame): void {
    // The room closes the socket after these (1013, 4003, 4401, 4403): act on its word at once.
    if (error.code === "room_full") return this.link.end({ kind: "offline", reason: "room_full" });
    if (error.code === "banned") return this.link.end({ kind: "removed", ...refusedRemoval(error) });
    if (isTokenError(error.code)) {
      // While a refreshed token is pending, a refusal answers it and the socket stays open.
      if (!this.authenticating) return this.link.end({ kind: "refused", code: error.code });
      this.authenticating = false;
      return this.options.onEvent({ type: "notice", error });
    }
    if (error.nonce !== undefined && this.answered(error.nonce, error.code)) return;
    if (error.nonce !== undefined && error.code === "rate_limited") {
      this.outbox.retryLater(error.nonce, this.options.rateLimitRetryMs ?? 1000);
    } else if (error.nonce !== undefined && this.outbox.reject(error.nonce)) {
      const { nonce, code, retryAfter } = error;
      this.options.onEvent(retryAfter === undefined ? { type: "failed", nonce, code } : { type: "failed", nonce, code, retryAfter });
    } else {
      this.options.onEvent({ type: "notice", error });
    }
  }
}
