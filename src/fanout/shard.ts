/**
 * @module
 * A fan-out object: one of the objects a big room spreads its sockets over, named
 * `<room>/<index>` (fanout.ts). It holds up to SHARD_MEMBERS hibernatable sockets and nothing of
 * the room's state: the room's object stays the only sequencer. Members' frames are checked here
 * (inbound.ts) and passed to the sequencer; each flush comes back as one call, delivered to every
 * socket here with one encoding (delivery.ts). It tracks the newest message id it delivered and,
 * when a batch shows it missed some (a lost call, an eviction), fetches them from the sequencer's
 * storage before anything newer, so every member gets every message once, in id order. A flush
 * that dismisses someone (a kick or ban) closes their sockets here too, after delivering it.
 */
import { DurableObject } from "cloudflare:workers";
import { type Config, readConfig } from "../config";
import { deliver } from "../delivery/delivery";
import type { ShardBatch } from "../delivery/outgoing";
import { dismissals, type Outgoing } from "../delivery/outgoing";
import { log } from "../log";
import { parseShardName, readUpgrade, TICKET_HEADER } from "../sockets/handoff";
import { inspect, senderOf } from "../sockets/inbound";
import { type Attachment, Members, newMember } from "../sockets/members";
import type { Dismissal } from "../sockets/socket";
import { closeQuietly, closeReason, replyClose, send } from "../sockets/socket";
import { dismissSocket, renew } from "../tokens/session";
import { refuse } from "../wire/checks";
import { searchAnswer } from "../wire/parse-search";
import { CLOSE, errorFrame, type Parsed, type Refusal, type SearchPage } from "../wire/protocol";

const SCHEMA = `CREATE TABLE IF NOT EXISTS shard_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)`;

export class RoomShard extends DurableObject<Env> {
  private readonly config: Config;
  private readonly members: Members;
  /** Newcomers waiting for their welcome, with what was delivered meanwhile. */
  private readonly joining = new Map<string, Outgoing[]>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const config = (this.config = readConfig(env));
    ctx.storage.sql.exec(SCHEMA);
    this.members = Members.open(ctx, config);
  }

  private get place(): { room: string; index: number } {
    return parseShardName(this.ctx.id.name!);
  }

  private sequencer() {
    return this.env.ROOMS.getByName(this.place.room);
  }

  /** The newest message id delivered here; undefined before the first member. */
  private get lastId(): number | undefined {
    const [row] = this.ctx.storage.sql.exec<{ value: number }>("SELECT value FROM shard_state WHERE key = 'last_id'").toArray();
    return row?.value;
  }

  private set lastId(id: number) {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO shard_state (key, value) VALUES ('last_id', ?)", id);
  }

  /** A newcomer the room sent here (http/app.ts): admitted by the sequencer, then welcomed. */
  override async fetch(request: Request): Promise<Response> {
    const upgrade = readUpgrade(request);
    if (upgrade instanceof Response) return upgrade;
    const {
      params: { name, since, batch },
      uid,
      address,
      exp,
      role,
    } = upgrade;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const member = newMember(uid, name);
    this.joining.set(member.id, []);
    const ticket = request.headers.get(TICKET_HEADER) ?? "";
    const admitted = await this.sequencer()
      .admit({ shard: this.place.index, ticket, member, since, upTo: this.lastId, address, exp, role })
      .catch((error: unknown): Refusal => ({ ok: false, code: "internal_error", message: `the room did not answer: ${String(error)}` }));
    const meanwhile = this.joining.get(member.id) ?? [];
    this.joining.delete(member.id);
    if (!admitted.ok) {
      send(server, JSON.stringify(errorFrame(admitted)));
      if (admitted.code === "banned") closeQuietly(server, CLOSE.banned, closeReason(admitted.reason, "banned"));
      else closeQuietly(server, CLOSE.tryAgainLater, admitted.code);
    } else {
      const { frames, latestId, person } = admitted.value;
      this.members.add(server, { member, person, batch, exp, role });
      if (exp !== undefined) this.expireBy(exp);
      for (const frame of frames) server.send(frame);
      const missed = meanwhile.filter((entry) => entry.id === undefined || entry.id > latestId);
      deliver(missed, [{ id: member.id, ws: server, batch }]);
      // A kick or ban delivered while this newcomer waited for its welcome applies to it too.
      this.dismiss(dismissals(missed));
      this.lastId ??= latestId;
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** RPC from the sequencer: one flush for every socket here. */
  async deliver({ afterId, entries }: ShardBatch): Promise<void> {
    const last = this.lastId ?? afterId;
    const missed = afterId > last ? await this.sequencer().missed(last, afterId) : [];
    const fresh = [...missed, ...entries].filter((entry) => entry.id === undefined || entry.id > last);
    if (fresh.length === 0) return;
    for (const waiting of this.joining.values()) waiting.push(...fresh);
    deliver(fresh, this.members.recipients());
    this.lastId = Math.max(last, ...fresh.map((entry) => entry.id ?? 0));
    this.dismiss(dismissals(fresh));
  }

  /** Closes the sockets of dismissed people (kicked, banned); the sequencer hears they left. */
  private dismiss(dismissed: Dismissal[]): void {
    for (const dismissal of dismissed) for (const seat of this.members.dismiss(dismissal)) this.left(seat);
  }

  /** A fresh token on a socket here, as in the room (tokens/session.ts); a role change goes to the sequencer. */
  private async reauth(ws: WebSocket, token: string): Promise<void> {
    const session = this.members.get(ws);
    if (!session) return;
    const { member, exp, role } = session;
    const renewal = await renew(token, this.config.auth, this.place.room, { uid: member.uid, exp });
    if (!renewal.ok && renewal.close) {
      const seat = dismissSocket(this.members, ws, renewal);
      return seat && this.left(seat);
    }
    if (!renewal.ok) return send(ws, JSON.stringify(errorFrame(renewal)));
    this.members.renew(ws, renewal.exp, renewal.role);
    this.expireBy(renewal.exp);
    if (renewal.role !== role)
      await this.sequencer()
        .regrant(member.id, renewal.role)
        .catch((error: unknown) => log("error", { where: "shard regrant", message: String(error) }));
    send(ws, JSON.stringify(renewal.reply));
  }

  /** Moves the alarm forward to a token's expiry (seconds), never back. */
  private expireBy(exp: number): void {
    void this.ctx.storage.getAlarm().then((at) => {
      if (at === null || at > exp * 1000) return this.ctx.storage.setAlarm(exp * 1000);
    });
  }

  /** Rings at the earliest token expiry here: those sockets are told and closed, and the next expiry set. */
  override async alarm(): Promise<void> {
    for (const seat of this.members.dropExpired()) this.left(seat);
    const next = this.members.earliestExpiry();
    if (next !== undefined) await this.ctx.storage.setAlarm(Math.max(Date.now(), next * 1000));
  }

  /** RPC from the sequencer's stats tick: who is still here, after dropping silent sockets. */
  census(): string[] {
    for (const seat of this.members.dropSilent(this.ctx, this.config.idleTimeoutMs)) this.left(seat);
    return this.members.list().map(({ member }) => member.id);
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const session = this.members.get(ws);
    if (!session) return;
    const from = senderOf(session);
    const inbound = inspect(ws, session, data, this.config);
    switch (inbound.kind) {
      case "closed":
        return this.leave(ws);
      case "refuse":
        return send(ws, JSON.stringify(errorFrame(inbound.refusal)));
      case "typing":
        return void this.sequencer()
          .relayTyping(from)
          .catch(() => undefined);
      case "auth":
        return this.reauth(ws, inbound.token);
      case "search": {
        const { search } = inbound;
        const found = await this.sequencer()
          .search(search.q, search.before, search.limit)
          .catch((error: unknown): Refusal => refuse("internal_error", `the room did not answer: ${String(error)}; search again`));
        // RPC's types lose the spans' tuple shape; the values are the room's own.
        return send(ws, JSON.stringify(searchAnswer(search, found as Parsed<SearchPage>)));
      }
      case "message":
      case "action": {
        const { nonce } = inbound.kind === "message" ? inbound.frame : inbound.action;
        const sequencer = this.sequencer();
        const asked = inbound.kind === "message" ? sequencer.post(from, inbound.frame) : sequencer.change(from, inbound.action);
        const answer = await asked.catch((error: unknown): Refusal => {
          return refuse("internal_error", `not stored (the room did not answer: ${String(error)}); send it again`, nonce);
        });
        if (!answer.ok) send(ws, JSON.stringify(errorFrame(answer)));
      }
    }
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.leave(ws);
    replyClose(ws, code, reason);
  }

  override webSocketError(ws: WebSocket, error: unknown): void {
    log("error", { where: "shard websocket", message: String(error) });
    this.leave(ws);
  }

  private leave(ws: WebSocket): void {
    const seat = this.members.remove(ws);
    if (seat) this.left(seat);
  }

  private left({ member }: Attachment): void {
    void this.sequencer()
      .leave(member.id)
      .catch((error: unknown) => log("error", { where: "shard leave", message: String(error) }));
  }
}
