/**
 * @module
 * The room: one Durable Object per room name, the room's only sequencer. It holds the room's
 * sockets itself until it has SHARD_MEMBERS of them, then sends newcomers to fan-out objects
 * (shard.ts), which pass their members' frames back here. A frame's path: webSocketMessage →
 * inspect (inbound.ts) → room-wide intake → Messages.post (messages.ts), or actionWrite for an
 * edit, delete or react (actions.ts), or a moderation write (moderation.ts) → group commit to
 * SQLite (history.ts) and delivery at the next flush (delivery.ts), here and to every fan-out
 * object (fanout.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { type Config, readConfig } from "../config";
import { Delivery } from "../delivery/delivery";
import type { Outgoing } from "../delivery/outgoing";
import { type Admission, FanOut, type ShardStub } from "../fanout/fanout";
import { type Admitted, Files, type Served, type Upload } from "../files/files";
import { readFileConfig } from "../files/rules";
import { log, Tally } from "../log";
import { actionWrite } from "../messages/actions";
import { History } from "../messages/history";
import { Messages, type Post } from "../messages/messages";
import { checkPush } from "../messages/push";
import type { AuditEntry } from "../moderation/audit";
import { Moderation } from "../moderation/moderation";
import { parseOperatorRequest } from "../moderation/operator";
import { Search, searchIndexOn } from "../search/search";
import { readUpgrade, SHARD_HEADER, shardName, TICKET_HEADER, type Upgrade } from "../sockets/handoff";
import { inspect, senderOf } from "../sockets/inbound";
import type { Attachment, Seat } from "../sockets/members";
import { Members, newMember } from "../sockets/members";
import { closeReason, replyClose, send, turnAway } from "../sockets/socket";
import type { GrantedRole } from "../tokens/claims";
import { dismissSocket, renew } from "../tokens/session";
import { MessageHook } from "../webhooks/hook";
import { readHookSettings, readWebhookSettings } from "../webhooks/settings";
import { type WebhookStatus, Webhooks } from "../webhooks/webhooks";
import type { BansFrame, ModerationFrame, ModerationRequest, RoomState, SendBans } from "../wire/moderation-frames";
import { isModerationRequest } from "../wire/parse-moderation";
import { searchAnswer } from "../wire/parse-search";
import type { Member, MessageAction, MessageFrame, Parsed, Refusal, SearchPage, Sender, SendMessage, ServerFrame } from "../wire/protocol";
import { CLOSE, DEFAULT_SEARCH_RESULTS, errorFrame } from "../wire/protocol";
import { RoomAlarm } from "./alarm";
import { Intake } from "./intake";
import { abandoned, nextAlarm, statsFrame } from "./lifecycle";
import { mergePresence, Presence } from "./presence";
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
  private readonly config: Config;
  private readonly history: History;
  private readonly files: Files;
  private readonly searchIndex: Search;
  private readonly members: Members;
  private readonly fanout: FanOut;
  private readonly presence: Presence;
  private readonly delivery: Delivery;
  private readonly messages: Messages;
  private readonly moderation: Moderation;
  private readonly intake: Intake;
  private readonly presenceLog = new Tally();
  private readonly webhooks: Webhooks;
  private readonly hook: MessageHook;
  private created = false;
  private readonly alarms: RoomAlarm;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const config = (this.config = readConfig(env));
    this.files = new Files(ctx.storage.sql, env.FILES, ctx.id.name ?? ctx.id.toString(), readFileConfig(env));
    this.searchIndex = new Search(ctx.storage.sql, searchIndexOn(env));
    this.history = new History(ctx.storage.sql, this.files.store, this.searchIndex);
    this.files.migrate();
    this.searchIndex.migrate();
    this.members = Members.open(ctx, config);
    const room = ctx.id.name ?? ctx.id.toString();
    this.alarms = new RoomAlarm(ctx.storage, (now) => this.webhooks.due(now));
    this.webhooks = new Webhooks(ctx.storage.sql, readWebhookSettings(env), {
      room,
      transaction: (fn) => ctx.storage.transactionSync(fn),
      wake: (at) => this.alarms.wake(at),
    });
    this.hook = new MessageHook(readHookSettings(env), room, config.maxMessageChars);
    this.fanout = new FanOut(ctx.storage.sql, config, (index) => this.shard(index));
    this.delivery = new Delivery(
      {
        recipients: () => this.members.recipients(),
        transaction: (fn) => ctx.storage.transactionSync(fn),
        coalesce: mergePresence,
        latestId: () => (this.fanout.size > 0 ? this.history.latestId() : 0),
        fanOut: (batch) => this.fanout.forward(batch),
        audience: () => Math.max(this.members.size, this.fanout.largest),
        dismiss: (dismissal) => {
          for (const seat of this.members.dismiss(dismissal)) this.depart(seat);
        },
      },
      config.coalesceSendsPerSecond,
    );
    this.presence = new Presence(
      config.rosterLimit,
      this.seats(),
      (entry) => this.delivery.enqueue(entry),
      (type, member) => {
        const write = this.webhooks.person(type === "join" ? "member.joined" : "member.left", member);
        if (write) this.delivery.enqueue(write);
      },
    );
    this.moderation = new Moderation(
      ctx.storage.sql,
      this.history,
      {
        present: (uid) => this.presence.roster.has(uid),
        name: (uid) => this.presence.roster.nameOf(uid),
        addresses: (uid) => this.seats().flatMap(({ member, address }) => (member.uid === uid && address ? [address] : [])),
        grants: () => this.seats().flatMap(({ member, role }) => (role ? [{ uid: member.uid, role }] : [])),
      },
      this.webhooks.record,
    );
    this.messages = new Messages(
      this.history,
      this.delivery,
      config.maxHistory,
      (from, now) => this.moderation.holdsBackPost(from, now),
      this.webhooks.record,
      this.files,
    );
    this.intake = new Intake(config.ingressPerSecond, config.ingressBurst);
  }

  /** Who holds each open socket of the room, in every object. */
  private seats(): (Seat & { address?: string; role?: GrantedRole })[] {
    return [...this.members.list(), ...this.fanout.seats()];
  }

  /** Open sockets of the room, in every object. */
  private get sockets(): number {
    return this.members.size + this.fanout.size;
  }

  private shard(index: number): ShardStub {
    return this.env.SHARDS.getByName(shardName(this.ctx.id.name!, index));
  }

  override async fetch(request: Request): Promise<Response> {
    const upgrade = readUpgrade(request);
    if (upgrade instanceof Response) return upgrade;
    const { params, uid, address, requestId, exp, role } = upgrade;
    const banned = this.moderation.banned(uid, Date.now(), address);
    if (banned) return turnAway(this.ctx, banned, CLOSE.banned, closeReason(banned.reason, "banned"), requestId);
    const placement = this.fanout.seat(this.members.size);
    if (placement.where === "shard") {
      return new Response(null, { status: 307, headers: { [SHARD_HEADER]: String(placement.shard), [TICKET_HEADER]: placement.ticket } });
    }
    if (placement.where === "full") {
      const message = `the room is full (${this.config.maxMembers} members)`;
      return turnAway(this.ctx, { ok: false, code: "room_full", message }, CLOSE.tryAgainLater, "room is full", requestId);
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    this.join(server, uid, params, { address, exp, role });
    this.presenceLog.log("connect", { requestId, online: this.presence.roster.size });
    return new Response(null, { status: 101, webSocket: client });
  }

  private join(ws: WebSocket, uid: string, { name, since, batch }: Upgrade["params"], seat: Pick<Attachment, "address" | "exp" | "role">): void {
    const member = newMember(uid, name);
    const person = this.arrive(member);
    // Seated before its welcome, so the room's state it shows has the role its token grants.
    this.members.add(ws, { member, person, batch, ...seat });
    const granted = seat.role === undefined ? undefined : this.moderation.regranted();
    for (const frame of this.welcome(member, since, undefined, seat.exp).frames) ws.send(frame);
    // The others hear of the grant; the newcomer's first frame is still its welcome.
    if (granted) this.delivery.enqueue(granted);
    if (seat.exp !== undefined) this.expireBy(seat.exp);
  }

  private welcome(member: Member, since: number | undefined, upTo?: number, exp?: number): Welcome {
    this.markCreated(member.joinedAt);
    return welcome(this.history, this.presence.roster, this.config, this.moderation.state(), member, since, upTo, exp);
  }

  /** Brings the clean-up round, which closes expired sockets, forward to a token's expiry (seconds), never back. */
  private expireBy(exp: number): void {
    this.alarms.roundBy(exp * 1000);
  }

  /** The app's grants changed: everyone gets the room's state when it differs. */
  private regranted(): void {
    const frame = this.moderation.regranted();
    if (frame) this.delivery.enqueue(frame);
  }

  /** A fresh token on a socket here (tokens/session.ts). */
  private async reauth(ws: WebSocket, token: string): Promise<void> {
    const session = this.members.get(ws);
    if (!session) return;
    const { member, exp, role } = session;
    const renewal = await renew(token, this.config.auth, this.ctx.id.name!, { uid: member.uid, exp });
    if (!renewal.ok && renewal.close) return this.depart(dismissSocket(this.members, ws, renewal));
    if (!renewal.ok) return this.tell(member.id, renewal);
    this.members.renew(ws, renewal.exp, renewal.role);
    this.expireBy(renewal.exp);
    if (renewal.role !== role) this.regranted();
    this.broadcast(renewal.reply, { to: member.id });
  }

  /** Records when the room was first used; a write only the first time per wake. */
  private markCreated(now: number): void {
    if (this.created) return;
    this.history.setMeta("created_at", now, false);
    this.created = true;
  }

  /** A socket joins the room; returns the entry shown for its person (presence.ts). */
  private arrive(member: Member): Member {
    if (this.sockets === 0) this.scheduleAlarm(Date.now());
    return this.presence.arrive(member);
  }

  /**
   * Handles a departure once, however the socket ended, in whichever object held it (`members`
   * and `fanout` hand each seat over only once); a person's last socket announces their leave.
   */
  private depart(seat: (Seat & { counted?: boolean; role?: GrantedRole }) | undefined): void {
    if (!seat) return;
    const { member } = seat;
    this.presence.depart(seat, seat.counted);
    if (seat.role !== undefined) this.regranted();
    this.presenceLog.log("disconnect", { member: member.id, seconds: Math.round((Date.now() - member.joinedAt) / 1000) });
    if (this.presence.roster.size === 0) {
      this.history.setMeta("emptied_at", Date.now());
      this.scheduleAlarm(Date.now());
    }
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void | Promise<void> {
    const session = this.members.get(ws);
    if (!session) return;
    const from = senderOf(session);
    const { id } = from;
    const inbound = inspect(ws, session, data, this.config);
    switch (inbound.kind) {
      case "closed":
        return this.depart(this.members.remove(ws));
      case "refuse":
        return this.tell(id, inbound.refusal);
      case "typing":
        return this.relayTyping(from);
      case "auth":
        return this.reauth(ws, inbound.token);
      case "search":
        return send(ws, JSON.stringify(searchAnswer(inbound.search, this.search(inbound.search.q, inbound.search.before, inbound.search.limit))));
      case "message":
        return this.accept(from, inbound.frame, id, (taken) => {
          if (!taken.ok) this.tell(id, taken);
        });
      case "action": {
        const taken = this.act(from, inbound.action);
        if (!taken.ok) this.tell(id, taken);
      }
    }
  }

  /**
   * Takes a message into the room's order, within the room-wide intake limit, once the message
   * hook (if any) let it through; `then` hears the outcome.
   */
  private accept(from: Sender, message: Omit<SendMessage, "type">, ackTo: string | undefined, then: (posted: Parsed<Post>) => void): void {
    const refused = this.intake.refuse(message.nonce);
    if (refused) return then(refused);
    if (!this.hook.enabled) return then(this.messages.post(from, message, ackTo));
    const { text, replyTo, nonce } = message;
    this.hook.screen(from.id, { from, text, replyTo }, (verdict) =>
      then(verdict.ok ? this.messages.post(from, { ...message, text: verdict.text }, ackTo) : { ...verdict, ...(nonce === undefined ? {} : { nonce }) }),
    );
  }

  /**
   * Queues an edit, delete, react or moderation action (or a moderator's read of the bans) for the
   * next group commit, within the room-wide intake. With a message hook an edit waits for its
   * answer, and the sender's other actions keep their place behind it.
   */
  private act(from: Sender, action: MessageAction | ModerationRequest | SendBans): Refusal | { ok: true } {
    const refused = this.intake.refuse(action.nonce);
    if (refused) return refused;
    if (isModerationRequest(action)) {
      this.delivery.enqueue(this.moderation.write(action, { uid: from.uid, connection: from.id }));
      return { ok: true };
    }
    const write = (change: MessageAction) => {
      this.delivery.enqueue(actionWrite(this.history, this.moderation, change, from, this.webhooks.record));
      if (change.type === "delete") this.purgeFiles();
    };
    if (!this.hook.enabled) write(action);
    else if (action.type !== "edit") this.hook.inTurn(from.id, () => write(action));
    else {
      this.hook.screen(from.id, { from, text: action.text, edit: action.id }, (verdict) =>
        verdict.ok
          ? write({ ...action, text: verdict.text })
          : this.tell(from.id, { ...verdict, ...(action.nonce === undefined ? {} : { nonce: action.nonce }) }),
      );
    }
    return { ok: true };
  }

  /** Once the flush has committed a delete, its files' bytes go from R2 (their URLs 404 already). */
  private purgeFiles(): void {
    void this.delivery.flushed().then(() => this.files.purge());
  }

  /**
   * Typing from a member here, or (by RPC) on a fan-out object: to everyone but the typist, and
   * only from someone who could post now (not a member of a locked room, not one in slow mode).
   */
  relayTyping(from: Sender): void {
    if (this.moderation.holdsBackPost(from, Date.now())) return;
    this.broadcast({ type: "typing", from }, { except: from.id });
  }

  private broadcast(frame: ServerFrame, options: Omit<Outgoing, "data"> = {}): void {
    this.delivery.enqueue({ data: JSON.stringify(frame), ...options });
  }

  /** Answers a member's frame with an error, in order with everything else it is sent. */
  private tell(memberId: string, refusal: Refusal): void {
    this.broadcast(errorFrame(refusal), { to: memberId });
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.depart(this.members.remove(ws));
    replyClose(ws, code, reason);
  }

  override webSocketError(ws: WebSocket, error: unknown): void {
    log("error", { where: "websocket", message: String(error) });
    this.depart(this.members.remove(ws));
  }

  /** Plans the clean-up round (lifecycle.ts); the alarm rings then, or sooner for the webhook outbox. */
  private scheduleAlarm(now: number): void {
    const exp = this.members.earliestExpiry();
    // The files' sweep and the earliest token expiry (an expired socket closes within a second or
    // so) ride the clean-up round.
    const roundAt = Math.min(
      nextAlarm(this.history, this.config, this.presence.roster.size > 0, now),
      this.files.dueAt(now) ?? Number.POSITIVE_INFINITY,
      exp === undefined ? Number.POSITIVE_INFINITY : Math.max(now, exp * 1000),
    );
    this.alarms.plan(roundAt, now);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const roundDue = this.alarms.rang();
    const sending = this.webhooks.send();
    if (roundDue) await this.tick(now);
    else this.alarms.resume(now);
    await sending;
  }

  /** The stats and clean-up round. */
  private async tick(now: number): Promise<void> {
    this.history.deleteOlderThan(now - this.config.historyMaxAgeMs);
    await this.files.sweep(now);
    for (const seat of this.members.dropSilent(this.ctx, this.config.idleTimeoutMs, now)) this.depart(seat);
    for (const seat of this.members.dropExpired(now)) this.depart(seat);
    for (const id of await this.fanout.strays()) this.depart(this.fanout.remove(id));
    for (const entry of this.moderation.stragglers(this.fanout.seats(), now)) this.delivery.enqueue(entry);
    if (this.presence.roster.size > 0) {
      this.broadcast(statsFrame(this.history, this.presence.roster.size, now));
    } else if (abandoned(this.history, this.config, now)) {
      await this.clear();
      return;
    }
    this.scheduleAlarm(now);
  }

  private async clear(): Promise<void> {
    // Undelivered events and dead letters are the app's, not the room's: they stay.
    const outbox = this.webhooks.copy();
    await this.ctx.storage.deleteAlarm();
    await this.files.deleteAll();
    await this.ctx.storage.deleteAll();
    this.alarms.cleared();
    this.history.migrate();
    this.files.migrate();
    this.searchIndex.migrate();
    this.fanout.migrate();
    this.webhooks.restore(outbox);
    this.moderation.forget();
    this.created = false;
    const due = this.webhooks.due();
    if (due !== undefined) this.alarms.wake(due);
    log("room_cleared", {});
  }

  /** RPC for `GET /api/rooms/:room`. Reads only: a room nobody used stays unused. */
  info(): RoomInfo {
    return {
      online: this.presence.roster.size,
      shards: this.fanout.shards,
      latestId: this.history.latestId(),
      oldestId: this.history.oldestId() ?? null,
      createdAt: this.history.getMeta("created_at") ?? null,
      storageBytes: this.ctx.storage.sql.databaseSize,
    };
  }

  /** RPC for `GET /api/rooms/:room/messages`: up to `limit` messages before id `before`. */
  page(before: number, limit: number): MessageFrame[] {
    return this.history.before(before, limit);
  }

  /** RPC for `GET /api/rooms/:room/messages/:id`: one retained message in its current state. */
  message(id: number): MessageFrame | undefined {
    return this.history.message(id);
  }

  /** RPC for `GET /api/rooms/:room/search`, and a fan-out member's `search` frame: matches before id `before`, newest first. */
  search(q: unknown, before = Number.MAX_SAFE_INTEGER, limit = DEFAULT_SEARCH_RESULTS): Parsed<SearchPage> {
    return this.searchIndex.find(this.history, q, before, limit);
  }

  /** RPC for `POST /api/rooms/:room/messages`: a bot's message, stored and broadcast like any. */
  async push(fromName: unknown, text: unknown, nonce?: unknown): Promise<Parsed<MessageFrame>> {
    const checked = checkPush(fromName, text, nonce, this.config.maxMessageChars);
    if (!checked.ok) return checked;
    this.markCreated(Date.now());
    const { from, ...message } = checked.value;
    const posted = await new Promise<Parsed<Post>>((resolve) => this.accept(from, message, undefined, resolve));
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
    this.delivery.flush();
    if (this.presence.roster.size === 0) this.scheduleAlarm(now);
  }

  /** RPC for `POST /api/rooms/:room/moderation`: an operator's action, stored and announced like a moderator's. */
  operate(body: Record<string, unknown>): Parsed<{ moderation: ModerationFrame; room: RoomState }> {
    const parsed = parseOperatorRequest(body);
    if (!parsed.ok) return parsed;
    const write = this.moderation.write(parsed.value.request, { uid: parsed.value.by });
    this.delivery.enqueue(write);
    this.commitNow(Date.now());
    this.purgeFiles();
    const result = write.result ?? { ok: false, code: "internal_error", message: "the action was not applied; try again" };
    return result.ok ? { ok: true, value: { moderation: result.value, room: this.moderation.state() } } : result;
  }

  /**
   * RPC for `POST /api/rooms/:room/files`, before its bytes are stored: a place for the upload, or
   * why not. The uploader must be one who could post here now: not banned, not held back by a lock.
   */
  admitFile(upload: Upload, address: string | undefined): Parsed<Admitted> {
    const now = Date.now();
    const refused = this.moderation.banned(upload.uid, now, address) ?? this.moderation.holdsBack(upload.uid);
    if (refused) return refused;
    const admitted = this.files.admit(upload, now);
    // The unattached-upload sweep needs the alarm, even in a room nobody is in.
    if (admitted.ok && this.presence.roster.size === 0) this.scheduleAlarm(now);
    return admitted;
  }

  /** RPC: the upload's bytes never reached R2; the room forgets it. */
  releaseFile(id: string): void {
    this.files.release(id);
  }

  /** RPC for `GET` of a file's URL: the file while the room keeps it. */
  file(id: string): Served | undefined {
    return this.files.served(id);
  }

  /** RPC for `GET /api/rooms/:room/webhooks`: the outbox, the endpoint's state, the dead letters. */
  webhookStatus(): WebhookStatus {
    return this.webhooks.status();
  }

  /** RPC for `POST /api/rooms/:room/webhooks/replay`: the dead letters are sent again. */
  replayWebhooks(): { replayed: number } {
    return { replayed: this.webhooks.replay() };
  }

  /** RPC for `GET /api/rooms/:room/bans`: the bans in force, newest first, as a moderator's `bans` frame lists them. */
  bans(): Omit<BansFrame, "type"> {
    return this.moderation.bans();
  }

  /** RPC for `GET /api/rooms/:room/audit`: up to `limit` moderation actions before `before`, newest first. */
  audit(before: number, limit: number): AuditEntry[] {
    return this.moderation.auditPage(before, limit);
  }

  // RPCs from the room's fan-out objects (shard.ts), for the members whose sockets they hold.

  /**
   * A newcomer arrived at a fan-out object: its welcome and the entry shown for its person (for
   * its attachment), or why it may not stay.
   */
  admit({ shard, ticket, member, since, upTo, address, exp, role }: Admission): Parsed<Welcome & { person: Member }> {
    if (!this.fanout.redeem(ticket, shard)) {
      return { ok: false, code: "room_full", message: "no seat was kept for this connection; connect again" };
    }
    // Banned since it was sent there.
    const banned = this.moderation.banned(member.uid, Date.now(), address);
    if (banned) return banned;
    const person = this.arrive(member);
    this.fanout.admit({ member, person, shard, address, role });
    if (role !== undefined) this.regranted();
    this.presenceLog.log("connect", { shard, online: this.presence.roster.size });
    return { ok: true, value: { ...this.welcome(member, since, upTo, exp), person } };
  }

  /** A member on a fan-out object refreshed their token and its role changed. */
  regrant(memberId: string, role: GrantedRole | undefined): void {
    if (this.fanout.regrant(memberId, role)) this.regranted();
  }

  /**
   * A message from a member on a fan-out object. Refused at once, or answered once committed: its
   * acknowledgement (or a refusal found at the commit) reaches the member through the flush, and
   * if this object dies first, the caller learns it from this call failing.
   */
  async post(from: Sender, message: Omit<SendMessage, "type">): Promise<Refusal | { ok: true }> {
    const posted = await new Promise<Parsed<Post>>((resolve) => this.accept(from, message, from.id, resolve));
    if (!posted.ok) return posted;
    await this.delivery.flushed();
    return { ok: true };
  }

  /** An edit, delete, react or moderation action from a member on a fan-out object; its answer comes with the flush. */
  change(from: Sender, action: MessageAction | ModerationRequest | SendBans): Refusal | { ok: true } {
    return this.act(from, action);
  }

  leave(memberId: string): void {
    this.depart(this.fanout.remove(memberId));
  }

  /** What a fan-out object missed: the messages and changes after `after` up to `upTo`, encoded, placed. */
  missed(after: number, upTo: number): Outgoing[] {
    return replay(eventsBetween(this.history, after, upTo, this.config.welcomeHistory));
  }
}
