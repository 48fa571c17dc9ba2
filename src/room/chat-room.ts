/**
 * @module
 * The room: one Durable Object per room name, the room's only sequencer, and a dispatcher over its
 * capabilities (built and wired in parts.ts). It holds the room's sockets itself until it has
 * SHARD_MEMBERS of them, then sends newcomers to fan-out objects (shard.ts), which pass their
 * members' frames back here. A frame's path: webSocketMessage → inspect (inbound.ts) → the intake
 * (intake.ts: the room-wide limit, the message hook) → Messages.post (messages.ts), or actionWrite
 * (actions.ts), or a moderation write (moderation.ts) → group commit to SQLite (history.ts) and
 * delivery at the next flush (delivery.ts), here and to every fan-out object (fanout.ts). The
 * alarm runs the clean-up round (lifecycle.ts).
 */
import { DurableObject } from "cloudflare:workers";
import type { Outgoing } from "../delivery/outgoing";
import type { Admission } from "../fanout/fanout";
import type { Admitted, Served, Upload } from "../files/files";
import { log, Tally } from "../log";
import type { Post } from "../messages/messages";
import { checkPush } from "../messages/push";
import type { AuditEntry } from "../moderation/audit";
import { parseOperatorRequest } from "../moderation/operator";
import { readUpgrade, SHARD_HEADER, TICKET_HEADER, type Upgrade } from "../sockets/handoff";
import { inspect, senderOf } from "../sockets/inbound";
import type { Attachment } from "../sockets/members";
import { newMember } from "../sockets/members";
import { closeReason, replyClose, send, turnAway } from "../sockets/socket";
import type { GrantedRole } from "../tokens/claims";
import { dismissSocket, renew } from "../tokens/session";
import type { WebhookStatus } from "../webhooks/webhooks";
import type { BansFrame, ModerationFrame, ModerationRequest, RoomState, SendBans } from "../wire/moderation-frames";
import { searchAnswer } from "../wire/parse-search";
import type { Member, MessageAction, MessageFrame, Parsed, Refusal, SearchPage, Sender, SendMessage } from "../wire/protocol";
import { CLOSE, DEFAULT_SEARCH_RESULTS } from "../wire/protocol";
import { cleanUp, planRound } from "./lifecycle";
import { assemble, type Departure, type RoomParts } from "./parts";
import { eventsBetween, replay, type Welcome, welcome } from "./welcome";

/** Public state of a room for dashboards (`GET /api/rooms/:room`). */
export interface RoomInfo {
  /** People in the room, in every object (a person's several sockets count once). */
  online: number;
  /** Fan-out objects holding members now: 0 for a room that fits in one object. */
  shards: number;
  latestId: number;
  oldestId: number | null;
  createdAt: number | null;
  /** The room's SQLite database, in bytes: its messages, search index and everything else. */
  storageBytes: number;
}

export class ChatRoom extends DurableObject<Env> {
  private readonly parts: RoomParts;
  private readonly presenceLog = new Tally();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.parts = assemble(ctx, env, (seat) => this.depart(seat));
  }

  override async fetch(request: Request): Promise<Response> {
    const upgrade = readUpgrade(request);
    if (upgrade instanceof Response) return upgrade;
    const { params, uid, address, requestId, exp, role } = upgrade;
    const banned = this.parts.moderation.banned(uid, Date.now(), address);
    if (banned) return turnAway(this.ctx, banned, CLOSE.banned, closeReason(banned.reason, "banned"), requestId);
    const placement = this.parts.fanout.seat(this.parts.members.size);
    if (placement.where === "shard") {
      return new Response(null, { status: 307, headers: { [SHARD_HEADER]: String(placement.shard), [TICKET_HEADER]: placement.ticket } });
    }
    if (placement.where === "full") {
      const message = `the room is full (${this.parts.config.maxMembers} members)`;
      return turnAway(this.ctx, { ok: false, code: "room_full", message }, CLOSE.tryAgainLater, "room is full", requestId);
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    this.join(server, uid, params, { address, exp, role });
    this.presenceLog.log("connect", { requestId, online: this.parts.presence.roster.size });
    return new Response(null, { status: 101, webSocket: client });
  }

  private join(ws: WebSocket, uid: string, { name, since, batch }: Upgrade["params"], seat: Pick<Attachment, "address" | "exp" | "role">): void {
    const member = newMember(uid, name);
    const person = this.arrive(member);
    // Seated before its welcome, so the room's state it shows has the role its token grants.
    this.parts.members.add(ws, { member, person, batch, ...seat });
    const granted = seat.role === undefined ? undefined : this.parts.moderation.regranted();
    for (const frame of this.welcome(member, since, undefined, seat.exp).frames) ws.send(frame);
    // The others hear of the grant; the newcomer's first frame is still its welcome.
    if (granted) this.parts.delivery.enqueue(granted);
    if (seat.exp !== undefined) this.expireBy(seat.exp);
  }

  private welcome(member: Member, since: number | undefined, upTo?: number, exp?: number): Welcome {
    this.parts.history.markCreated(member.joinedAt);
    return welcome(this.parts.history, this.parts.presence.roster, this.parts.config, this.parts.moderation.state(), member, since, upTo, exp);
  }

  /** Brings the clean-up round, which closes expired sockets, forward to a token's expiry (seconds), never back. */
  private expireBy(exp: number): void {
    this.parts.alarms.roundBy(exp * 1000);
  }

  /** A fresh token on a socket here (tokens/session.ts). */
  private async reauth(ws: WebSocket, token: string): Promise<void> {
    const session = this.parts.members.get(ws);
    if (!session) return;
    const { member, exp, role } = session;
    const renewal = await renew(token, this.parts.config.auth, this.ctx.id.name!, { uid: member.uid, exp });
    if (!renewal.ok && renewal.close) return this.depart(dismissSocket(this.parts.members, ws, renewal));
    if (!renewal.ok) return this.parts.tell(member.id, renewal);
    this.parts.members.renew(ws, renewal.exp, renewal.role);
    this.expireBy(renewal.exp);
    if (renewal.role !== role) this.parts.regranted();
    this.parts.broadcast(renewal.reply, { to: member.id });
  }

  /** A socket joins the room; returns the entry shown for its person (presence.ts). */
  private arrive(member: Member): Member {
    if (this.parts.members.size + this.parts.fanout.size === 0) planRound(this.parts, Date.now());
    return this.parts.presence.arrive(member);
  }

  /**
   * Handles a departure once, however the socket ended, in whichever object held it (`members`
   * and `fanout` hand each seat over only once); a person's last socket announces their leave.
   */
  private depart(seat: Departure | undefined): void {
    if (!seat) return;
    const { member } = seat;
    this.parts.presence.depart(seat, seat.counted);
    if (seat.role !== undefined) this.parts.regranted();
    this.presenceLog.log("disconnect", { member: member.id, seconds: Math.round((Date.now() - member.joinedAt) / 1000) });
    if (this.parts.presence.roster.size === 0) {
      this.parts.history.setMeta("emptied_at", Date.now());
      planRound(this.parts, Date.now());
    }
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void | Promise<void> {
    const session = this.parts.members.get(ws);
    if (!session) return;
    const from = senderOf(session);
    const { id } = from;
    const inbound = inspect(ws, session, data, this.parts.config);
    switch (inbound.kind) {
      case "closed":
        return this.depart(this.parts.members.remove(ws));
      case "refuse":
        return this.parts.tell(id, inbound.refusal);
      case "typing":
        return this.relayTyping(from);
      case "auth":
        return this.reauth(ws, inbound.token);
      case "search":
        return send(ws, JSON.stringify(searchAnswer(inbound.search, this.search(inbound.search.q, inbound.search.before, inbound.search.limit))));
      case "message":
        return this.parts.intake.accept(from, inbound.frame, id, (taken) => {
          if (!taken.ok) this.parts.tell(id, taken);
        });
      case "action": {
        const taken = this.parts.intake.act(from, inbound.action);
        if (!taken.ok) this.parts.tell(id, taken);
      }
    }
  }

  /**
   * Typing from a member here, or (by RPC) on a fan-out object: to everyone but the typist, and
   * only from someone who could post now (not a member of a locked room, not one in slow mode).
   */
  relayTyping(from: Sender): void {
    if (this.parts.moderation.holdsBackPost(from, Date.now())) return;
    this.parts.broadcast({ type: "typing", from }, { except: from.id });
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.depart(this.parts.members.remove(ws));
    replyClose(ws, code, reason);
  }

  override webSocketError(ws: WebSocket, error: unknown): void {
    log("error", { where: "websocket", message: String(error) });
    this.depart(this.parts.members.remove(ws));
  }

  /** The one alarm serves the clean-up round (lifecycle.ts) and the webhook outbox (alarm.ts). */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const { alarms, webhooks } = this.parts;
    const roundDue = alarms.rang();
    const sending = webhooks.send();
    if (roundDue) await cleanUp(this.parts, this.ctx, (seat) => this.depart(seat), now);
    else alarms.resume(now);
    await sending;
  }

  /** RPC for `GET /api/rooms/:room`. Reads only: a room nobody used stays unused. */
  info(): RoomInfo {
    return {
      online: this.parts.presence.roster.size,
      shards: this.parts.fanout.shards,
      latestId: this.parts.history.latestId(),
      oldestId: this.parts.history.oldestId() ?? null,
      createdAt: this.parts.history.getMeta("created_at") ?? null,
      storageBytes: this.ctx.storage.sql.databaseSize,
    };
  }

  /** RPC for `GET /api/rooms/:room/messages`: up to `limit` messages before id `before`. */
  page(before: number, limit: number): MessageFrame[] {
    return this.parts.history.before(before, limit);
  }

  /** RPC for `GET /api/rooms/:room/messages/:id`: one retained message in its current state. */
  message(id: number): MessageFrame | undefined {
    return this.parts.history.message(id);
  }

  /** RPC for `GET /api/rooms/:room/search`, and a fan-out member's `search` frame: matches before id `before`, newest first. */
  search(q: unknown, before = Number.MAX_SAFE_INTEGER, limit = DEFAULT_SEARCH_RESULTS): Parsed<SearchPage> {
    return this.parts.search.find(this.parts.history, q, before, limit);
  }

  /** RPC for `POST /api/rooms/:room/messages`: a bot's message, stored and broadcast like any. */
  async push(fromName: unknown, text: unknown, nonce?: unknown): Promise<Parsed<MessageFrame>> {
    const checked = checkPush(fromName, text, nonce, this.parts.config.maxMessageChars);
    if (!checked.ok) return checked;
    this.parts.history.markCreated(Date.now());
    const { from, ...message } = checked.value;
    const posted = await new Promise<Parsed<Post>>((resolve) => this.parts.intake.accept(from, message, undefined, resolve));
    if (!posted.ok) return posted;
    this.commitNow(Date.now());
    const { stored, refused } = posted.value;
    return stored ? { ok: true, value: stored } : (refused ?? { ok: false, code: "internal_error", message: "the message could not be stored; try again" });
  }

  /**
   * An RPC's caller waits for the outcome: commit now rather than at the window's end. An empty
   * room written to counts as used, so its clean-up moves (lifecycle.ts).
   */
  private commitNow(now: number): void {
    this.parts.delivery.flush();
    if (this.parts.presence.roster.size === 0) planRound(this.parts, now);
  }

  /** RPC for `POST /api/rooms/:room/moderation`: an operator's action, stored and announced like a moderator's. */
  operate(body: Record<string, unknown>): Parsed<{ moderation: ModerationFrame; room: RoomState }> {
    const parsed = parseOperatorRequest(body);
    if (!parsed.ok) return parsed;
    const write = this.parts.moderation.write(parsed.value.request, { uid: parsed.value.by });
    this.parts.delivery.enqueue(write);
    this.commitNow(Date.now());
    this.parts.purgeFiles();
    const result = write.result ?? { ok: false, code: "internal_error", message: "the action was not applied; try again" };
    return result.ok ? { ok: true, value: { moderation: result.value, room: this.parts.moderation.state() } } : result;
  }

  /**
   * RPC for `POST /api/rooms/:room/files`, before its bytes are stored: a place for the upload, or
   * why not. The uploader must be one who could post here now: not banned, not held back by a lock.
   */
  admitFile(upload: Upload, address: string | undefined): Parsed<Admitted> {
    const now = Date.now();
    const refused = this.parts.moderation.banned(upload.uid, now, address) ?? this.parts.moderation.holdsBack(upload.uid);
    if (refused) return refused;
    const admitted = this.parts.files.admit(upload, now);
    // The unattached-upload sweep needs the alarm, even in a room nobody is in.
    if (admitted.ok && this.parts.presence.roster.size === 0) planRound(this.parts, now);
    return admitted;
  }

  /** RPC: the upload's bytes never reached R2; the room forgets it. */
  releaseFile(id: string): void {
    this.parts.files.release(id);
  }

  /** RPC for `GET` of a file's URL: the file while the room keeps it. */
  file(id: string): Served | undefined {
    return this.parts.files.served(id);
  }

  /** RPC for `GET /api/rooms/:room/webhooks`: the outbox, the endpoint's state, the dead letters. */
  webhookStatus(): WebhookStatus {
    return this.parts.webhooks.status();
  }

  /** RPC for `POST /api/rooms/:room/webhooks/replay`: the dead letters are sent again. */
  replayWebhooks(): { replayed: number } {
    return { replayed: this.parts.webhooks.replay() };
  }

  /** RPC for `GET /api/rooms/:room/bans`: the bans in force, newest first, as a moderator's `bans` frame lists them. */
  bans(): Omit<BansFrame, "type"> {
    return this.parts.moderation.bans();
  }

  /** RPC for `GET /api/rooms/:room/audit`: up to `limit` moderation actions before `before`, newest first. */
  audit(before: number, limit: number): AuditEntry[] {
    return this.parts.moderation.auditPage(before, limit);
  }

  // RPCs from the room's fan-out objects (shard.ts), for the members whose sockets they hold.

  /** A newcomer arrived at a fan-out object: its welcome and the entry shown for its person (for its attachment), or why not. */
  admit({ shard, ticket, member, since, upTo, address, exp, role }: Admission): Parsed<Welcome & { person: Member }> {
    if (!this.parts.fanout.redeem(ticket, shard)) {
      return { ok: false, code: "room_full", message: "no seat was kept for this connection; connect again" };
    }
    // Banned since it was sent there.
    const banned = this.parts.moderation.banned(member.uid, Date.now(), address);
    if (banned) return banned;
    const person = this.arrive(member);
    this.parts.fanout.admit({ member, person, shard, address, role });
    if (role !== undefined) this.parts.regranted();
    this.presenceLog.log("connect", { shard, online: this.parts.presence.roster.size });
    return { ok: true, value: { ...this.welcome(member, since, upTo, exp), person } };
  }

  /** A member on a fan-out object refreshed their token and its role changed. */
  regrant(memberId: string, role: GrantedRole | undefined): void {
    if (this.parts.fanout.regrant(memberId, role)) this.parts.regranted();
  }

  /**
   * A message from a member on a fan-out object. Refused at once, or answered once committed: its
   * acknowledgement (or a refusal found at the commit) reaches the member through the flush, and
   * if this object dies first, the caller learns it from this call failing.
   */
  async post(from: Sender, message: Omit<SendMessage, "type">): Promise<Refusal | { ok: true }> {
    const posted = await new Promise<Parsed<Post>>((resolve) => this.parts.intake.accept(from, message, from.id, resolve));
    if (!posted.ok) return posted;
    await this.parts.delivery.flushed();
    return { ok: true };
  }

  /** An edit, delete, react or moderation action from a member on a fan-out object; its answer comes with the flush. */
  change(from: Sender, action: MessageAction | ModerationRequest | SendBans): Refusal | { ok: true } {
    return this.parts.intake.act(from, action);
  }

  leave(memberId: string): void {
    this.depart(this.parts.fanout.remove(memberId));
  }

  /** What a fan-out object missed: the messages and changes after `after` up to `upTo`, encoded, placed. */
  missed(after: number, upTo: number): Outgoing[] {
    return replay(eventsBetween(this.parts.history, after, upTo, this.parts.config.welcomeHistory));
  }
}
