/**
 * @module
 * The room: one Durable Object per room name, holding the room's hibernatable WebSockets.
 * A frame's path: webSocketMessage → size check → parseClientFrame (protocol.ts) → TokenBucket
 * (limits.ts) → History.append, or applyAction (actions.ts) for a change (SQLite) → broadcast.
 */
import { DurableObject } from "cloudflare:workers";
import { applyAction, checkReplyTo } from "./actions";
import { readConfig, type Config } from "./config";
import { History } from "./history";
import { UID_HEADER, isUid } from "./identity";
import { TokenBucket } from "./limits";
import { log } from "./log";
import { Members, closeQuietly, send, type Session } from "./members";
import { checkDisplayName } from "./names";
import {
  CLOSE,
  PING,
  PONG,
  checkNonce,
  checkText,
  eventSeq,
  parseClientFrame,
  parseConnectParams,
  type ErrorCode,
  type Member,
  type MessageAction,
  type MessageFrame,
  type Parsed,
  type RoomEvent,
  type SendMessage,
  type Sender,
  type ServerFrame,
  type UpdateFrame,
  type WelcomeFrame,
} from "./protocol";

/** Public state of a room for dashboards (`GET /api/rooms/:room`). */
export interface RoomInfo {
  online: number;
  latestId: number;
  oldestId: number | null;
  createdAt: number | null;
}

const TYPING_INTERVAL_MS = 1000;
const STATS_WINDOW_MS = 60_000;

/** A welcome's history holds only messages: those before a resume's first update. */
function leadingMessages(events: RoomEvent[]): MessageFrame[] {
  const messages: MessageFrame[] = [];
  for (const event of events) {
    if (event.type !== "message") break;
    messages.push(event);
  }
  return messages;
}

function frameBytes(data: string | ArrayBuffer, limit: number): number {
  if (typeof data !== "string") return data.byteLength;
  // A UTF-16 unit is 1-3 UTF-8 bytes: encode only when the length alone can't decide.
  if (data.length > limit || data.length * 3 <= limit) return data.length;
  return new TextEncoder().encode(data).byteLength;
}

export class ChatRoom extends DurableObject<Env> {
  private readonly config: Config;
  private readonly history: History;
  private readonly members: Members;
  private created = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = readConfig(env);
    this.history = new History(ctx.storage.sql);
    // Answered by the runtime itself, so heartbeats never wake a hibernating room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    const { ratePerSecond, rateBurst } = this.config;
    this.members = new Members(() => new TokenBucket(ratePerSecond, rateBurst), ctx.getWebSockets());
  }

  override async fetch(request: Request): Promise<Response> {
    // The worker routes only upgrades here; the object still checks what it is handed.
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: { code: "upgrade_required", message: "expected a WebSocket upgrade" } }, { status: 426 });
    }
    const params = parseConnectParams(new URL(request.url).searchParams);
    if (!params.ok) return Response.json({ error: { code: params.code, message: params.message } }, { status: 400 });
    // Only the worker reaches this object, and it always sets the uid: without one, it is our bug.
    const uid = request.headers.get(UID_HEADER);
    if (uid === null || !isUid(uid)) {
      return Response.json({ error: { code: "internal_error", message: "no identity from the worker" } }, { status: 500 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const requestId = request.headers.get("x-request-id") ?? undefined;
    if (this.members.size >= this.config.maxMembers) {
      this.refuse(server, "room_full", `the room is full (${this.config.maxMembers} members)`);
      closeQuietly(server, CLOSE.tryAgainLater, "room is full");
      log("refused", { reason: "room_full", requestId });
    } else {
      this.join(server, { id: crypto.randomUUID(), uid, name: params.value.name, joinedAt: Date.now() }, params.value.since);
      log("connect", { requestId, online: this.members.size });
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  private join(ws: WebSocket, member: Member, since: number | undefined): void {
    this.markCreated(member.joinedAt);
    this.members.add(ws, member);
    this.welcome(ws, member, since);
    if (this.members.size === 1) this.scheduleAlarm(member.joinedAt);
  }

  /** Records when the room was first used; a write only the first time per wake. */
  private markCreated(now: number): void {
    if (this.created) return;
    this.history.setMeta("created_at", now, false);
    this.created = true;
  }

  /** Sends the welcome, then (on resume) every message and update after `since`, in the room's order. */
  private welcome(ws: WebSocket, you: Member, since: number | undefined): void {
    const page = this.config.welcomeHistory;
    const latestId = this.history.latestId();
    const resuming = since !== undefined && since <= latestId;
    const events = resuming ? this.history.eventsAfter(since, page) : [];
    const history = resuming ? leadingMessages(events) : this.history.recent(page);
    const frame: WelcomeFrame = {
      type: "welcome",
      you,
      members: this.members.list(),
      history,
      latestId,
      gap: since !== undefined && (!resuming || since < (this.history.oldestId() ?? latestId + 1) - 1),
      limits: {
        maxMessageChars: this.config.maxMessageChars,
        maxFrameBytes: this.config.maxFrameBytes,
        ratePerSecond: this.config.ratePerSecond,
        rateBurst: this.config.rateBurst,
      },
    };
    ws.send(JSON.stringify(frame));
    if (!resuming) return;
    for (const event of events.slice(history.length)) ws.send(JSON.stringify(event));
    for (let batch = events; batch.length === page; ) {
      batch = this.history.eventsAfter(eventSeq(batch[batch.length - 1]!), page);
      for (const event of batch) ws.send(JSON.stringify(event));
    }
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    const session = this.members.get(ws);
    if (!session) return;
    session.lastSeen = Date.now();
    const size = frameBytes(data, this.config.maxFrameBytes);
    if (size > this.config.maxFrameBytes) {
      log("frame_refused", { reason: "too_large", bytes: size, member: session.member.id });
      closeQuietly(ws, CLOSE.tooLarge, `frame over ${this.config.maxFrameBytes} bytes`);
      this.leave(ws);
      return;
    }
    if (typeof data !== "string") {
      this.refuse(ws, "binary_unsupported", "binary frames are not supported; send JSON text");
      return;
    }
    const parsed = parseClientFrame(data, this.config.maxMessageChars);
    if (!parsed.ok) {
      this.refuse(ws, parsed.code, parsed.message, parsed.nonce);
      return;
    }
    if (parsed.value.type === "typing") this.relayTyping(ws, session);
    else this.onFrame(ws, session, parsed.value);
  }

  /** Messages and actions share the connection's token bucket. */
  private onFrame(ws: WebSocket, session: Session, frame: SendMessage | MessageAction): void {
    if (!session.bucket.take()) {
      const { ratePerSecond, rateBurst } = this.config;
      this.refuse(ws, "rate_limited", `over ${ratePerSecond} messages or actions/s (burst ${rateBurst})`, frame.nonce);
      return;
    }
    const { id, uid, name } = session.member;
    const done = frame.type === "message" ? this.post({ id, uid, name }, frame, ws) : this.act(frame, uid, ws);
    if (!done.ok) this.refuse(ws, done.code, done.message, frame.nonce);
  }

  /** Stores a change to a message, then broadcasts its update, as `post` does a message. */
  private act(action: MessageAction, actor: string, ws: WebSocket): Parsed<UpdateFrame> {
    const changed = applyAction(this.history, action, actor, Date.now());
    if (changed.ok) this.deliver(changed.value, action.nonce, ws);
    return changed;
  }

  /**
   * Stores then broadcasts. The SQLite write is synchronous and the output gate holds the sends
   * until it is durable, so no member ever sees a message that a crash could lose.
   */
  private post(from: Sender, { text, nonce, replyTo }: Omit<SendMessage, "type">, sender?: WebSocket): Parsed<MessageFrame> {
    const prior = nonce === undefined ? undefined : this.history.byNonce(nonce);
    if (prior && (prior.text !== text || prior.from.name !== from.name)) {
      // Not a retry but someone else's nonce (guessed or reused): acknowledging it would tell the
      // sender a message it never wrote was stored.
      return { ok: false, code: "nonce_conflict", message: "this nonce belongs to another message; use a fresh one", nonce: nonce! };
    }
    if (prior) {
      // A retry: acknowledge again, to the sender only, and store nothing.
      if (sender) send(sender, JSON.stringify({ ...prior, nonce }));
      return { ok: true, value: prior };
    }
    const unreachable = checkReplyTo(this.history, replyTo);
    if (unreachable) return nonce === undefined ? unreachable : { ...unreachable, nonce };
    const message = this.history.append({ from, text, ts: Date.now(), nonce, replyTo }, this.config.maxHistory);
    this.deliver(message, nonce, sender);
    return { ok: true, value: message };
  }

  /** Broadcasts a stored frame; the sender's copy carries its nonce, which acknowledges it. */
  private deliver(frame: MessageFrame | UpdateFrame, nonce: string | undefined, sender: WebSocket | undefined): void {
    const own = sender && nonce !== undefined ? { ws: sender, data: JSON.stringify({ ...frame, nonce }) } : undefined;
    this.members.broadcast(JSON.stringify(frame), own);
  }

  private relayTyping(ws: WebSocket, session: Session): void {
    const now = Date.now();
    // Typing is advisory: extra frames inside the interval are dropped, not refused.
    if (now - session.lastTypingAt < TYPING_INTERVAL_MS) return;
    session.lastTypingAt = now;
    const { id, uid, name } = session.member;
    this.members.broadcast(JSON.stringify({ type: "typing", from: { id, uid, name } } satisfies ServerFrame), { ws });
  }

  private refuse(ws: WebSocket, code: ErrorCode, message: string, nonce?: string): void {
    const frame: ServerFrame = nonce === undefined ? { type: "error", code, message } : { type: "error", code, message, nonce };
    send(ws, JSON.stringify(frame));
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.leave(ws);
    // A Close frame without a status arrives as 1005, which may not be sent back. Locally the
    // runtime does not answer it either, so reply with a normal closure: otherwise the client waits
    // out its own close timeout (10 s in `ws`) and reports 1006.
    closeQuietly(ws, code === 1005 ? 1000 : code, reason);
  }

  override webSocketError(ws: WebSocket, error: unknown): void {
    log("error", { where: "websocket", message: String(error) });
    this.leave(ws);
  }

  /** Handles a departure once, however the socket ended (close, error, or oversized frame). */
  private leave(ws: WebSocket): void {
    const member = this.members.remove(ws);
    if (!member) return;
    log("disconnect", { member: member.id, seconds: Math.round((Date.now() - member.joinedAt) / 1000) });
    if (this.members.size === 0) {
      this.history.setMeta("emptied_at", Date.now());
      this.scheduleAlarm(Date.now());
    }
  }

  /**
   * The room's only timer. While members are here it ticks every stats interval; once the room is
   * empty it is set once, for the next retention or clean-up deadline, so an idle room costs nothing.
   */
  private scheduleAlarm(now: number): void {
    void this.ctx.storage.setAlarm(this.nextAlarm(now));
  }

  private nextAlarm(now: number): number {
    if (this.members.size > 0) return now + this.config.statsIntervalMs;
    const oldestTs = this.history.after(0, 1)[0]?.ts;
    const expiry = oldestTs === undefined ? Infinity : oldestTs + this.config.historyMaxAgeMs;
    return Math.max(now + 1000, Math.min(this.idleSince() + this.config.emptyRoomTtlMs, expiry));
  }

  private idleSince(): number {
    return Math.max(this.history.newestTs() ?? 0, this.history.getMeta("emptied_at") ?? 0);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.history.deleteOlderThan(now - this.config.historyMaxAgeMs);
    this.dropSilent(now);
    if (this.members.size > 0) {
      this.members.broadcast(JSON.stringify(this.stats(now)));
    } else if (now - this.idleSince() >= this.config.emptyRoomTtlMs) {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.history.migrate();
      this.created = false;
      log("room_cleared", {});
      return;
    }
    this.scheduleAlarm(now);
  }

  /**
   * A socket whose network vanished (a phone in a tunnel) never sends a Close, and TCP can take
   * many minutes to notice; until then it would stay "online". Neither a frame nor a ping
   * (answered by the auto-response, which the runtime timestamps) within the idle timeout: gone.
   */
  private dropSilent(now: number): void {
    for (const [ws, session] of this.members.entries()) {
      const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      if (now - Math.max(session.lastSeen, pinged) <= this.config.idleTimeoutMs) continue;
      closeQuietly(ws, CLOSE.idle, "no heartbeat");
      this.leave(ws);
    }
  }

  private stats(now: number): ServerFrame {
    return {
      type: "stats",
      online: this.members.headcount,
      messagesLastMinute: this.history.countSince(now - STATS_WINDOW_MS),
      latestId: this.history.latestId(),
      ts: now,
    };
  }

  /** RPC for `GET /api/rooms/:room`. Reads only: a room nobody used stays unused. */
  info(): RoomInfo {
    return {
      online: this.members.headcount,
      latestId: this.history.latestId(),
      oldestId: this.history.oldestId() ?? null,
      createdAt: this.history.getMeta("created_at") ?? null,
    };
  }

  /** RPC for `GET /api/rooms/:room/messages`: up to `limit` messages before id `before`. */
  page(before: number, limit: number): MessageFrame[] {
    return this.history.before(before, limit);
  }

  /** RPC for `POST /api/rooms/:room/messages`: a bot's message, stored and broadcast like any. */
  push(fromName: unknown, text: unknown, nonce?: unknown): Parsed<MessageFrame> {
    const name = typeof fromName === "string" ? checkDisplayName(fromName) : { ok: false as const, message: "from must be a string" };
    if (!name.ok) return { ok: false, code: "invalid_name", message: `from: ${name.message}` };
    const checked = checkText(text, this.config.maxMessageChars);
    if (!checked.ok) return checked;
    const checkedNonce = checkNonce(nonce);
    if (!checkedNonce.ok) return checkedNonce;
    const now = Date.now();
    this.markCreated(now);
    const bot: Sender = { id: `bot:${name.name}`, uid: `bot:${name.name}`, name: name.name, bot: true };
    const posted = this.post(bot, { text: checked.value, nonce: checkedNonce.value });
    if (this.members.size === 0) this.scheduleAlarm(now);
    return posted;
  }
}
