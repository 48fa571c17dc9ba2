/**
 * @module
 * The members of a room: its open sockets and what the room keeps per socket. Hides hibernation:
 * the in-memory map is rebuilt from the sockets' attachments after every wake.
 */
import type { Config } from "../config";
import type { GrantedRole } from "../tokens/claims";
import { CLOSE, errorFrame, type Member, PING, PONG } from "../wire/protocol";
import { closeQuietly, type Dismissal, type Recipient, send } from "./socket";
import { TokenBucket } from "./token-bucket";

/** A socket's member and the entry shown for its person (see Attachment). */
export interface Seat {
  member: Member;
  person: Member;
}

/** What the room keeps per socket in memory; its attachment's fields too. */
export interface Session extends Attachment {
  bucket: TokenBucket;
  lastTypingAt: number;
  /** Last frame from the client (or the wake that rebuilt this session). Pings are tracked by the runtime. */
  lastSeen: number;
}

/** A newcomer's connection. */
export function newMember(uid: string, name: string): Member {
  return { id: crypto.randomUUID(), uid, name, joinedAt: Date.now() };
}

/** What a socket's attachment holds through hibernation. */
export interface Attachment extends Seat {
  /**
   * The entry the room shows for this socket's person (the member of their first socket), so a
   * leave names what the join named, even after a wake (presence.ts).
   */
  person: Member;
  /** The client connected with `batch=1`. */
  batch: boolean;
  /** The connection's hashed network (identity.ts, addressOf), for a ban that asks for it. */
  address?: string;
  /** With an app's token: when it expires (seconds since epoch); the socket is closed then unless refreshed. */
  exp?: number;
  /** The role the app's token grants in this room (tokens/claims.ts). */
  role?: GrantedRole;
}

/** A socket that left: who it was, and whether this wake knew it (see `Members.remove`). */
export type Departed = Attachment & { counted: boolean };

export class Members {
  /** In order of arrival, which is the order `list()` reports. */
  private readonly sessions = new Map<WebSocket, Session>();
  /** Sockets already removed: close and error can both fire for one socket. */
  private readonly departed = new WeakSet<WebSocket>();

  /**
   * The members of an object that holds sockets, rebuilt from its sockets after a wake. Heartbeats
   * are answered by the runtime itself, so they never wake a hibernating object.
   */
  static open(ctx: DurableObjectState, { ratePerSecond, rateBurst }: Pick<Config, "ratePerSecond" | "rateBurst">): Members {
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    return new Members(() => new TokenBucket(ratePerSecond, rateBurst), ctx.getWebSockets());
  }

  constructor(
    private readonly newBucket: () => TokenBucket,
    sockets: WebSocket[],
  ) {
    // getWebSockets() after a wake has no defined order: restore arrival order once.
    const known = sockets
      .map((ws) => ({ ws, attachment: ws.deserializeAttachment() as Attachment | null }))
      .filter((entry): entry is { ws: WebSocket; attachment: Attachment } => entry.attachment !== null)
      .sort((a, b) => a.attachment.member.joinedAt - b.attachment.member.joinedAt);
    for (const { ws, attachment } of known) this.track(ws, attachment);
  }

  private track(ws: WebSocket, attachment: Attachment): void {
    this.sessions.set(ws, { ...attachment, bucket: this.newBucket(), lastTypingAt: 0, lastSeen: Date.now() });
  }

  /** Makes an accepted socket a member; the attachment carries it through hibernation. */
  add(ws: WebSocket, attachment: Attachment): void {
    ws.serializeAttachment(attachment);
    this.track(ws, attachment);
  }

  /**
   * Removes a socket and returns who it was, only the first time it is asked; `counted` says
   * whether this wake knew the socket. After a wake, getWebSockets() no longer lists a socket that
   * is closing, so the attachment is the only record of who it was.
   */
  remove(ws: WebSocket): Departed | undefined {
    if (this.departed.has(ws)) return undefined;
    this.departed.add(ws);
    const session = this.sessions.get(ws);
    if (session && this.sessions.delete(ws)) return { ...session, counted: true };
    const attachment = ws.deserializeAttachment() as Attachment | null;
    return attachment ? { ...attachment, counted: false } : undefined;
  }

  get(ws: WebSocket): Session | undefined {
    return this.sessions.get(ws);
  }

  get size(): number {
    return this.sessions.size;
  }

  entries(): IterableIterator<[WebSocket, Session]> {
    return this.sessions.entries();
  }

  /** Closes every socket of a dismissed person and removes it; returns who each was. */
  dismiss({ uid, code, reason }: Dismissal): Departed[] {
    const sockets = [...this.sessions].filter(([, session]) => session.member.uid === uid).map(([ws]) => ws);
    return sockets.flatMap((ws) => {
      closeQuietly(ws, code, reason);
      return this.remove(ws) ?? [];
    });
  }

  /** Every member's socket, for delivery. */
  *recipients(): Iterable<Recipient> {
    for (const [ws, { member, batch }] of this.sessions) yield { id: member.id, ws, batch };
  }

  /**
   * Sockets whose network vanished (a phone in a tunnel) never send a Close, and TCP can take many
   * minutes to notice; until then they would stay "online". Neither a frame nor a ping (answered
   * by the auto-response, which the runtime timestamps) within `idleMs`: presumed gone, closed
   * and removed. Returns who each was.
   */
  dropSilent(ctx: DurableObjectState, idleMs: number, now = Date.now()): Departed[] {
    const pingedAt = (ws: WebSocket) => ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
    const silent = [...this.sessions].filter(([ws, session]) => now - Math.max(session.lastSeen, pingedAt(ws)) > idleMs).map(([ws]) => ws);
    return silent.flatMap((ws) => {
      closeQuietly(ws, CLOSE.idle, "no heartbeat");
      return this.remove(ws) ?? [];
    });
  }

  /** A refreshed token's expiry and role, kept through hibernation. */
  renew(ws: WebSocket, exp: number, role: GrantedRole | undefined): void {
    const session = this.sessions.get(ws);
    if (!session) return;
    session.exp = exp;
    if (role === undefined) delete session.role;
    else session.role = role;
    const { member, person, batch, address } = session;
    ws.serializeAttachment({ member, person, batch, address, exp, role } satisfies Attachment);
  }

  /** The earliest token expiry of a socket here (seconds since epoch), if any socket has a token. */
  earliestExpiry(): number | undefined {
    let earliest: number | undefined;
    for (const { exp } of this.sessions.values()) if (exp !== undefined && (earliest === undefined || exp < earliest)) earliest = exp;
    return earliest;
  }

  /** Sockets whose token expired by `now` (ms): told `token_expired`, closed with 4401 and removed. Returns who each was. */
  dropExpired(now = Date.now()): Departed[] {
    const expired = [...this.sessions].filter(([, { exp }]) => exp !== undefined && exp * 1000 <= now).map(([ws]) => ws);
    return expired.flatMap((ws) => {
      send(ws, JSON.stringify(errorFrame({ code: "token_expired", message: "the token has expired; connect again with a fresh one" })));
      closeQuietly(ws, CLOSE.unauthorized, "token_expired");
      return this.remove(ws) ?? [];
    });
  }

  /** The sockets' attachments, by arrival. */
  list(): Attachment[] {
    return Array.from(this.sessions.values(), ({ member, person, batch, address, exp, role }) => ({ member, person, batch, address, exp, role }));
  }
}
