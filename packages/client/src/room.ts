/**
 * @module
 * The room handle `connect()` returns: the page's connection (connection.ts: reconnect with
 * backoff, resume with `since`, the ordered outbox with nonce retries, the heartbeat) with
 * promises for every request, events for everything the room says, and the state it has seen.
 */
import type { BanEntry, ModerationFrame, RoomState } from "../../../src/wire/moderation-frames";
import type { Member, MessageFrame, PresenceFrame, SearchPage, Sender, StatsFrame, UpdateFrame } from "../../../src/wire/protocol";
import { Connection, type ConnectionEvent } from "./connection";
import { Emitter } from "./emitter";
import type { ActionOutcome, ActionRequest } from "./pending-actions";
import type { ModerationAsk } from "./pending-moderation";
import type { ConnectionState } from "./room-socket";
import { MemberStore, MessageStore, TypingStore } from "./store";
import { type TokenError, TokenKeeper } from "./token";
import { type ConnectOptions, RoomError, type StateEvent, type Welcome } from "./types";

export interface RoomEvents {
  /** A message not seen before, your own included (once the room stored it). */
  message: MessageFrame;
  /** A newer state of a message: an edit, a delete (tombstone) or a reaction. */
  update: UpdateFrame;
  join: Member;
  leave: Member;
  typing: Sender;
  /** The room's owner, moderators and settings, whenever any of them change. */
  room: RoomState;
  moderation: ModerationFrame;
  state: StateEvent;
  /** A refusal that answers none of your requests, or a failed token refresh. */
  error: RoomError;
  presence: PresenceFrame;
  stats: StatsFrame;
}

interface Waiting<T> {
  resolve: (value: T) => void;
  reject: (error: RoomError) => void;
}

const DEFAULT_KEEP = 1000;

export class Room {
  /** Resolves with the first welcome, once its history is applied; rejects if the room closes first. */
  readonly ready: Promise<Welcome>;
  readonly name: string;
  private readonly events = new Emitter<RoomEvents>();
  private readonly subscribers = new Set<() => void>();
  private readonly connection: Connection;
  private readonly tokens: TokenKeeper;
  private readonly store: MessageStore;
  private readonly people = new MemberStore();
  private readonly typingNow = new TypingStore(() => this.changed());
  private readonly sends = new Map<string, Waiting<MessageFrame>>();
  private readonly base: URL;
  private welcome: Omit<Welcome, "history"> | undefined;
  private opened: Waiting<Welcome> | undefined;
  private current: StateEvent = { state: "connecting" };
  private everOpen = false;

  constructor(private readonly options: ConnectOptions) {
    this.name = options.room;
    this.base = httpBase(options.url);
    this.store = new MessageStore(options.keep ?? DEFAULT_KEEP);
    this.ready = new Promise<Welcome>((resolve, reject) => (this.opened = { resolve, reject }));
    // Nobody has to await `ready`: a close before the welcome must not crash the process.
    this.ready.catch(() => undefined);
    this.tokens = new TokenKeeper(options.token, (token) => this.connection.authenticate(token));
    this.connection = new Connection({
      roomUrl: new URL(`chat/${encodeURIComponent(options.room)}`, this.base).href,
      name: options.name,
      key: options.key,
      token: () => this.tokens.token,
      onEvent: (event) => this.hear(event),
      createSocket: options.createSocket,
      backoff: options.backoff,
      heartbeat: options.heartbeat,
    });
    void this.start();
  }

  /** Everything seen so far, oldest first, each in its latest state (at most `keep` of them). */
  get messages(): readonly MessageFrame[] {
    return this.store.list;
  }

  /** The people here, by arrival (in a crowd, only those the room named). */
  get members(): readonly Member[] {
    return this.people.list;
  }

  /** Who is typing now. */
  get typists(): readonly Sender[] {
    return this.typingNow.list;
  }

  get state(): StateEvent {
    return this.current;
  }

  /** This connection's member (`uid` is the person), once welcomed. */
  get you(): Member | undefined {
    return this.welcome?.you;
  }

  /** Who moderates the room and its settings, once welcomed. */
  get info(): RoomState | undefined {
    return this.welcome?.room;
  }

  on<K extends keyof RoomEvents>(event: K, listener: (payload: RoomEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  off<K extends keyof RoomEvents>(event: K, listener: (payload: RoomEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  /** Called after any change to `messages`, `members`, `typing` or `state` (for UI bindings). */
  subscribe(listener: () => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /**
   * Resolves with the stored message once the room acknowledged it. Sent now if open, else queued
   * and sent after (re)connecting, in order; a retry carries the same nonce, so it is stored once.
   */
  send(text: string, { replyTo }: { replyTo?: number } = {}): Promise<MessageFrame> {
    if (this.current.state === "closed") return Promise.reject(this.closedError());
    const queued = this.connection.send(text, replyTo);
    if (!queued.ok) return Promise.reject(new RoomError(queued.code));
    return new Promise((resolve, reject) => this.sends.set(queued.message.nonce, { resolve, reject }));
  }

  /** Resolves with the edited message. Needs an open connection (an action is never queued). */
  edit(id: number, text: string): Promise<MessageFrame> {
    return this.act({ type: "edit", id, text });
  }

  /** Resolves with the tombstone. */
  delete(id: number): Promise<MessageFrame> {
    return this.act({ type: "delete", id });
  }

  /** Toggles your reaction; resolves with the message's new state. */
  react(id: number, emoji: string): Promise<MessageFrame> {
    return this.act({ type: "react", id, emoji });
  }

  /** Says "typing" (at most one frame per 2 s goes out; call it on every keystroke). */
  async typing(): Promise<void> {
    if (this.current.state !== "open") throw new RoomError("offline");
    this.connection.typing();
  }

  /** A claim, a role, a kick or ban, settings: resolves once the room announced it. */
  async moderate(request: ModerationAsk): Promise<void> {
    settled(await this.connection.moderate(request));
  }

  /** The bans in force, newest first, for owners and moderators; `total` counts them all. */
  async bans(): Promise<{ bans: BanEntry[]; total: number }> {
    const outcome = await this.connection.bans();
    if (!outcome.ok) throw new RoomError(outcome.code);
    return { bans: outcome.bans, total: outcome.total };
  }

  /** Pages backwards through stored history (GET /api/rooms/<room>/messages); merges into `messages`. */
  async history({ before, limit }: { before?: number; limit?: number } = {}): Promise<{ messages: MessageFrame[]; nextBefore: number | null }> {
    const url = new URL(`api/rooms/${encodeURIComponent(this.name)}/messages`, this.base);
    if (before !== undefined) url.searchParams.set("before", String(before));
    if (limit !== undefined) url.searchParams.set("limit", String(limit));
    const token = this.tokens.token;
    const response = await (this.options.fetch ?? fetch)(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const body = (await response.json().catch(() => ({}))) as {
      messages?: MessageFrame[];
      nextBefore?: number | null;
      error?: { code: string; message: string };
    };
    if (!response.ok || !body.messages) throw new RoomError(body.error?.code ?? "internal_error", body.error?.message);
    if (this.store.putOlder(body.messages)) this.changed();
    return { messages: body.messages, nextBefore: body.nextBefore ?? null };
  }

  /**
   * Searches the room's stored history over the open socket (docs/protocol.md, *Search*): a page
   * of matches, newest first, each in its current state with `highlight` (the matched `[start,
   * end)` spans of its text); pass `nextBefore` as `before` for the next page (null: no more).
   * Rejects with `invalid_query`, `rate_limited`, `offline` without an open connection, or the
   * reason the room closed.
   */
  async search(q: string, { before, limit }: { before?: number; limit?: number } = {}): Promise<SearchPage> {
    if (this.current.state === "closed") throw this.closedError();
    const found = await this.connection.search(q, { before, limit });
    if (!found.ok) throw new RoomError(found.code);
    return found.value;
  }

  /** Closes for good: no reconnect; unacknowledged sends reject with `closed`. */
  close(): void {
    this.finish({ state: "closed", reason: "closed" });
  }

  private async start(): Promise<void> {
    if (this.tokens.renewable && !(await this.freshToken())) return;
    if (this.current.state !== "closed") this.connection.start();
  }

  private async act(request: ActionRequest): Promise<MessageFrame> {
    settled(await this.connection.act(request));
    const message = this.store.get(request.id);
    if (!message) throw new RoomError("not_found");
    return message;
  }

  private hear(event: ConnectionEvent): void {
    switch (event.type) {
      case "state":
        return this.moved(event.state);
      case "welcome":
        if (event.gap) this.store.clear();
        this.people.reset(event.members);
        this.welcome = { you: event.you, members: event.members, online: event.online, room: event.room, gap: event.gap };
        this.tokens.expiresAt(event.exp);
        return this.changed();
      case "auth":
        return this.tokens.expiresAt(event.exp);
      case "message":
        return this.arrived(event.message);
      case "ack":
        return this.acknowledged(event.nonce, event.message, event.shown);
      case "failed":
        return this.failed(event.nonce, new RoomError(event.code, undefined, event.retryAfter));
      case "notice":
        return this.events.emit("error", new RoomError(event.error.code, event.error.message, event.error.retryAfter));
      case "update":
        this.store.put(event.message);
        this.events.emit("update", event);
        return this.changed();
      case "join":
        for (const member of this.people.join(event.members ?? [event.member])) this.events.emit("join", member);
        return this.changed();
      case "leave":
        for (const member of this.people.leave(event.members ?? [event.member])) {
          this.typingNow.stopped(member.uid);
          this.events.emit("leave", member);
        }
        return this.changed();
      case "typing":
        this.typingNow.typing(event.from);
        this.events.emit("typing", event.from);
        return this.changed();
      case "room": {
        const { type: _, ...state } = event;
        if (this.welcome) this.welcome.room = state;
        return this.events.emit("room", state);
      }
      case "moderation":
        return this.events.emit("moderation", event);
      case "presence":
        return this.events.emit("presence", event);
      case "stats":
        return this.events.emit("stats", event);
    }
  }

  private arrived(message: MessageFrame): void {
    this.store.put(message);
    this.typingNow.stopped(message.from.uid);
    this.events.emit("message", this.store.get(message.id)!);
    this.changed();
  }

  private acknowledged(nonce: string, message: MessageFrame, shown: boolean): void {
    if (!shown) this.arrived(message);
    const waiting = this.sends.get(nonce);
    this.sends.delete(nonce);
    waiting?.resolve(this.store.get(message.id) ?? message);
  }

  private failed(nonce: string, error: RoomError): void {
    this.sends.get(nonce)?.reject(error);
    this.sends.delete(nonce);
  }

  private moved(state: ConnectionState): void {
    switch (state.kind) {
      case "connecting":
        return this.report({ state: this.everOpen ? "reconnecting" : "connecting" });
      case "reconnecting":
        return this.report({ state: "reconnecting", retryAt: state.at });
      case "offline":
        if (state.reason === "network") return this.report({ state: "reconnecting", reason: "network" });
        return this.finish({ state: "closed", reason: "room_full" });
      case "live":
        return this.opened_();
      case "removed":
        return this.finish({ state: "closed", reason: state.how, by: state.by, detail: state.reason, until: state.until });
      case "refused":
        return void this.refused(state.code);
    }
  }

  private opened_(): void {
    this.everOpen = true;
    this.report({ state: "open" });
    if (this.welcome) this.opened?.resolve({ ...this.welcome, history: [...this.store.list] });
    this.opened = undefined;
  }

  /** A token refusal: only an expiry, with a function to renew the token, is worth another try. */
  private async refused(code: TokenError): Promise<void> {
    if (code !== "token_expired" || !this.tokens.renewable) return this.finish({ state: "closed", reason: code });
    this.report({ state: "reconnecting", reason: code });
    if (await this.freshToken()) this.connection.retryNow();
  }

  private async freshToken(): Promise<boolean> {
    try {
      await this.tokens.fetch();
      return true;
    } catch (error) {
      this.events.emit("error", new RoomError("token_unavailable", String(error)));
      this.finish({ state: "closed", reason: "token_required" });
      return false;
    }
  }

  private report(state: StateEvent): void {
    if (this.current.state === "closed") return;
    this.current = state;
    this.events.emit("state", state);
    this.changed();
  }

  private finish(state: StateEvent & { state: "closed" }): void {
    if (this.current.state === "closed") return;
    this.report(Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as StateEvent);
    this.connection.stop();
    this.tokens.stop();
    this.typingNow.clear();
    const error = this.closedError();
    for (const waiting of this.sends.values()) waiting.reject(error);
    this.sends.clear();
    this.opened?.reject(error);
    this.opened = undefined;
  }

  private closedError(): RoomError {
    return new RoomError(this.current.reason ?? "closed", `the room is closed (${this.current.reason ?? "closed"})`);
  }

  private changed(): void {
    for (const listener of [...this.subscribers]) listener();
  }
}

function settled(outcome: ActionOutcome): void {
  if (!outcome.ok) throw new RoomError(outcome.code);
}

/** The server's http(s) address, from an http(s) or ws(s) URL. */
function httpBase(url: string): URL {
  const base = new URL(url);
  if (base.protocol === "ws:") base.protocol = "http:";
  if (base.protocol === "wss:") base.protocol = "https:";
  base.search = base.hash = "";
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return base;
}
