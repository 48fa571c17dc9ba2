/**
 * @module
 * Who may do what in a room, and what each moderation action does. Roles belong to a person's uid,
 * so they follow them across devices and reconnects. Every action is one synchronous step inside
 * the room's group commit (delivery.ts), in order with every message and change: a lock, a
 * demotion or a ban takes effect exactly at its place in the room's order, and two claims at once
 * are simply one after the other. Each action taken is recorded (audit.ts), then announced.
 */

import { type Outgoing, type PendingWrite, toAsker, withOwnCopy } from "../delivery/outgoing";
import { log } from "../log";
import { applyAction, type Oversight, updateEntry } from "../messages/actions";
import type { History } from "../messages/history";
import type { Dismissal } from "../sockets/socket";
import { closeReason } from "../sockets/socket";
import { type Grant, withGrants } from "../tokens/roles";
import { type Journal, messageData, noJournal } from "../webhooks/events";
import { refuse } from "../wire/checks";
import type { ModerationFrame, ModerationRequest, RoomFrame, RoomState, SendBan, SendBans, SendKick } from "../wire/moderation-frames";
import { type BansFrame, MAX_BANS_LISTED } from "../wire/moderation-frames";
import { CLOSE, errorFrame, type MessageFrame, type Parsed, type Refusal, type Sender } from "../wire/protocol";
import { type AuditEntry, AuditLog } from "./audit";
import { ModerationStore } from "./moderation-store";
import type { OperatorRequest } from "./operator";

/** Who acts: a member (by uid, with the connection that asked), or the operator API. */
export interface Actor {
  /** A member's uid, or `operator` / `operator:<name>`. */
  uid: string;
  /** Gets the refusal; its copy of the announcement carries the request's nonce. */
  connection?: string;
}

const MEMBER = 0;
const MODERATOR = 1;
const OWNER = 2;
const OPERATOR = 3;
/** Who holds each rank, for refusals. */
const RANKS = ["members", "moderators", "the owner"];

/** What an action did, before it is recorded and announced. */
interface Effect {
  announce: Omit<ModerationFrame, "type" | "by" | "ts">;
  /** The removed message's update comes first. */
  update?: Outgoing;
  /** The owner, moderators or settings changed: everyone gets the new `room` state. */
  changed?: true;
}

/** Where the room's people are connected now, in any of its objects. */
export interface Whereabouts {
  present(uid: string): boolean;
  /** The name the room shows for a person connected now. */
  name(uid: string): string | undefined;
  /** The hashed networks of the person's open sockets (identity.ts, addressOf). */
  addresses(uid: string): string[];
  /** Roles the app's tokens grant to people connected now, by arrival (tokens/roles.ts). */
  grants(): Grant[];
}

/** A moderation action waiting for the group commit; `result` is set once it ran. */
export interface ModerationWrite extends PendingWrite {
  result?: Parsed<ModerationFrame>;
}

export class Moderation implements Oversight {
  private readonly store: ModerationStore;
  private readonly audit: AuditLog;
  /** The state with the app's grants, read once; dropped whenever a write or a grant may have changed it. */
  private cached: { state: RoomState; grantedOwners: Set<string> } | undefined;

  constructor(
    sql: SqlStorage,
    private readonly history: History,
    private readonly whereabouts: Whereabouts,
    private readonly journal: Journal = noJournal,
  ) {
    this.store = new ModerationStore(sql);
    this.audit = new AuditLog(sql);
  }

  state(): RoomState {
    return this.current().state;
  }

  private current(): { state: RoomState; grantedOwners: Set<string> } {
    if (this.cached) return this.cached;
    const grants = this.whereabouts.grants();
    const grantedOwners = new Set(grants.flatMap(({ uid, role }) => (role === "owner" ? [uid] : [])));
    return (this.cached = { state: withGrants(this.store.state(), grants), grantedOwners });
  }

  /**
   * The app's grants changed (someone came, left or refreshed a token): the new state, when it
   * differs. Grants follow who is connected, as presence does, so the frame is live, with no place
   * in the order.
   */
  regranted(): Outgoing | undefined {
    const before = this.cached && JSON.stringify(this.cached.state);
    this.forget();
    const after = this.state();
    return JSON.stringify(after) === before ? undefined : { data: JSON.stringify({ type: "room", ...after } satisfies RoomFrame) };
  }

  /** After the room's storage was wiped, or a rolled-back commit: read everything afresh. */
  forget(): void {
    this.cached = undefined;
  }

  private rank(uid: string): number {
    if (uid === "operator" || uid.startsWith("operator:")) return OPERATOR;
    const { state, grantedOwners } = this.current();
    if (uid === state.owner || grantedOwners.has(uid)) return OWNER;
    return state.moderators.includes(uid) ? MODERATOR : MEMBER;
  }

  outranks(uid: string, other: string): boolean {
    const rank = this.rank(uid);
    return rank >= MODERATOR && rank > this.rank(other);
  }

  holdsBack(uid: string): Refusal | undefined {
    if (!this.state().locked || this.rank(uid) >= MODERATOR) return undefined;
    return refuse("locked", "the room is locked: only moderators may post, edit or react");
  }

  /** Why a new message by `from` may not be stored at `now` (a lock, slow mode), if so. Bots are the operator's. */
  holdsBackPost(from: Sender, now: number): Refusal | undefined {
    const { slowSeconds } = this.state();
    if (from.bot) return undefined;
    const held = this.holdsBack(from.uid);
    if (held || slowSeconds === 0 || this.rank(from.uid) >= MODERATOR) return held;
    const last = this.history.lastPostAt(from.uid);
    const wait = last === undefined ? 0 : last + slowSeconds * 1000 - now;
    if (wait <= 0) return undefined;
    const retryAfter = Math.ceil(wait / 100) / 10;
    return { ok: false, code: "slow_mode", message: `slow mode: one message per ${slowSeconds} s; retry in ${retryAfter} s`, retryAfter };
  }

  /** Why `uid`, connecting from `address`, may not be in the room at `now` (a ban in force), if so. */
  banned(uid: string, now: number, address?: string): Refusal | undefined {
    const ban = this.store.ban(uid, now, address);
    if (!ban) return undefined;
    const refusal: Refusal = {
      ok: false,
      code: "banned",
      message: ban.until === null ? "you are banned from this room" : `you are banned from this room until ${new Date(ban.until).toISOString()}`,
    };
    if (ban.until !== null) refusal.retryAfter = Math.ceil((ban.until - now) / 1000);
    if (ban.reason !== undefined) refusal.reason = ban.reason;
    return refusal;
  }

  /** Sockets of banned people that are still open (a delivery lost on its way): dismissed again. */
  stragglers(seats: Iterable<{ member: { id: string; uid: string }; address?: string }>, now: number): Outgoing[] {
    return [...seats].flatMap(({ member, address }) => {
      const refusal = this.banned(member.uid, now, address);
      if (!refusal) return [];
      const dismiss = { uid: member.uid, code: CLOSE.banned, reason: closeReason(refusal.reason, "banned") };
      return [{ data: JSON.stringify(errorFrame(refusal)), to: member.id, dismiss }];
    });
  }

  /** A moderator's delete of someone else's message (actions.ts): recorded, and its announcement. */
  removed(message: MessageFrame, by: string): Outgoing {
    return this.record({ action: "delete", id: message.id, uid: message.from.uid }, by, Date.now()).announcement;
  }

  /** The newest MAX_BANS_LISTED bans in force now, newest first, and how many there are. */
  bans(): Omit<BansFrame, "type"> {
    return this.store.bans(Date.now(), MAX_BANS_LISTED);
  }

  /** Up to `limit` audit entries before `before`, newest first. */
  auditPage(before: number, limit: number): AuditEntry[] {
    return this.audit.page(before, limit);
  }

  /** An action (or a read of the bans) for the next group commit; checked when it runs, in the room's order. */
  write(request: ModerationRequest | SendBans | OperatorRequest, actor: Actor): ModerationWrite {
    if (request.type === "bans") return this.listing(actor, request.nonce);
    const nonce = "nonce" in request ? request.nonce : undefined;
    const write: ModerationWrite = {
      bytes: 500,
      commit: () => {
        const now = Date.now();
        const effect = this.apply(request, actor.uid, now);
        if (!effect.ok) {
          write.result = effect;
          return toAsker(actor.connection, effect, nonce);
        }
        const { update, changed } = effect.value;
        const { frame, announcement } = this.record(effect.value.announce, actor.uid, now, actor.connection, nonce);
        write.result = { ok: true, value: frame };
        return [...(update ? [update] : []), announcement, ...(changed ? [this.newState(now)] : [])];
      },
      abort: () => {
        this.forget();
        write.result = refuse("internal_error", "the action could not be stored; try again", nonce);
        return toAsker(actor.connection, write.result);
      },
    };
    return write;
  }

  /**
   * The bans in force, for the asker alone. Read at its place in the room's order, so a page that
   * applies the `ban` and `unban` announcements after it to the list keeps it exact.
   */
  private listing(actor: Actor, nonce: string | undefined): PendingWrite {
    const answer = (): Outgoing[] => {
      const refused = this.require(actor.uid, MODERATOR, "list the bans");
      if (refused) return toAsker(actor.connection, refused, nonce);
      const frame: BansFrame = { type: "bans", ...this.bans(), ...(nonce === undefined ? {} : { nonce }) };
      return actor.connection === undefined ? [] : [{ data: JSON.stringify(frame), to: actor.connection }];
    };
    // A rolled-back flush stored nothing, so the list read afresh is as good.
    return { bytes: 500, commit: answer, abort: answer };
  }

  /** The room's state after a change, at its place in the order (history.ts, recordEvent). */
  private newState(now: number): Outgoing {
    this.forget();
    this.journal("room.updated", this.state());
    const frame = this.history.recordEvent({ type: "room", ...this.state() }, now);
    return { data: JSON.stringify(frame), id: frame.seq };
  }

  /**
   * Stores an action taken in the audit log and gives it its place in the order; returns it and
   * its announcement (the actor's copy with the nonce), which closes the sockets of whoever a kick
   * or ban removes once it is out.
   */
  private record(
    announce: Effect["announce"],
    by: string,
    now: number,
    connection?: string,
    nonce?: string,
  ): { frame: ModerationFrame; announcement: Outgoing } {
    const taken: ModerationFrame = { type: "moderation", ...announce, by, ts: now };
    this.audit.append(taken);
    const frame = this.history.recordEvent(taken, now);
    const { type: _type, ...announced } = frame;
    this.journal("moderation", announced);
    // Moderating a room counts as using it (lifecycle.ts).
    this.history.setMeta("moderated_at", now);
    log("moderation", { action: frame.action, by, uid: frame.uid, id: frame.id });
    const announcement = withOwnCopy(frame, connection, nonce, frame.seq);
    const dismiss = dismissalOf(frame);
    if (dismiss) announcement.dismiss = dismiss;
    return { frame, announcement };
  }

  private apply(request: ModerationRequest | OperatorRequest, by: string, now: number): Parsed<Effect> {
    switch (request.type) {
      case "claim":
        return this.claim(by, now);
      case "owner":
        // Only the operator API parses this action (operator.ts, parseOperatorRequest).
        this.store.setOwner(request.uid, now);
        return done(request.uid === null ? { action: "owner" } : { action: "owner", uid: request.uid }, { changed: true });
      case "promote":
      case "demote":
        return this.assign(request.type, request.uid, by, now);
      case "settings": {
        const { type: _type, nonce: _nonce, ...settings } = request;
        const refused = this.require(by, MODERATOR, "change the room's settings");
        if (refused) return refused;
        this.store.saveSettings({ ...this.state(), ...settings });
        return done({ action: "settings", settings }, { changed: true });
      }
      case "unban": {
        const refused = this.require(by, MODERATOR, "unban");
        if (refused) return refused;
        if (!this.store.removeBan(request.uid, now)) return refuse("not_found", `${request.uid} is not banned here`);
        return done({ action: "unban", uid: request.uid });
      }
      case "kick":
      case "ban":
        return this.remove(request, by, now);
      case "delete": {
        const removed = applyAction(this.history, this, request, by, now);
        if (!removed.ok) return removed;
        const { message } = removed.value;
        this.journal("message.deleted", { message: messageData(message), by });
        return done({ action: "delete", id: message.id, uid: message.from.uid }, { update: updateEntry(removed.value, undefined, undefined) });
      }
    }
  }

  private claim(uid: string, now: number): Parsed<Effect> {
    if (this.state().owner !== null) return refuse("forbidden", "the room already has an owner");
    // A room people already wrote in belongs to them all: nobody may seize it.
    if (this.history.postedAny()) return refuse("forbidden", "only a new room, with no messages yet, can be claimed");
    this.store.setOwner(uid, now);
    return done({ action: "claim", uid }, { changed: true });
  }

  private assign(action: "promote" | "demote", uid: string, by: string, now: number): Parsed<Effect> {
    const refused = this.require(by, OWNER, `${action} moderators`);
    if (refused) return refused;
    if (this.rank(uid) === OWNER) return refuse("forbidden", `nobody can ${action} the owner`);
    if (action === "promote") this.store.promote(uid, now);
    else this.store.demote(uid);
    return done({ action, uid }, { changed: true });
  }

  private remove(request: SendKick | SendBan, by: string, now: number): Parsed<Effect> {
    const { type, uid, reason } = request;
    const refused = this.require(by, MODERATOR, type);
    if (refused) return refused;
    if (!this.outranks(by, uid)) return refuse("forbidden", `you may ${type} only people below your own rank; nobody can ${type} the owner`);
    const announce: Effect["announce"] = reason === undefined ? { action: type, uid } : { action: type, uid, reason };
    if (request.type === "kick") {
      if (!this.whereabouts.present(uid)) return refuse("not_found", `${uid} is not in the room`);
      return done(announce);
    }
    const until = request.seconds === undefined ? null : now + request.seconds * 1000;
    const addresses = request.address ? this.whereabouts.addresses(uid) : [];
    // The list of bans shows a name, not just a uid: as the room knows it now, or as they last wrote.
    const name = this.whereabouts.name(uid) ?? this.history.lastNameOf(uid);
    this.store.addBan(uid, { until, addresses, by, ...(reason === undefined ? {} : { reason }), ...(name === undefined ? {} : { name }) }, now);
    if (until !== null) announce.until = until;
    if (addresses.length > 0) announce.address = true;
    if (name !== undefined) announce.name = name;
    return done(announce);
  }

  private require(by: string, rank: number, what: string): Refusal | undefined {
    if (this.rank(by) >= rank) return undefined;
    return refuse("forbidden", `only ${RANKS[rank]} may ${what}`);
  }
}

/** The sockets a kick or ban closes once it is announced, in every object that holds some. */
export function dismissalOf({ action, uid, reason }: ModerationFrame): Dismissal | undefined {
  if (uid === undefined) return undefined;
  if (action === "kick") return { uid, code: CLOSE.kicked, reason: closeReason(reason, "kicked") };
  if (action === "ban") return { uid, code: CLOSE.banned, reason: closeReason(reason, "banned") };
  return undefined;
}

function done(announce: Effect["announce"], rest: Omit<Effect, "announce"> = {}): Parsed<Effect> {
  return { ok: true, value: { announce, ...rest } };
}
