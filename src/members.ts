/**
 * @module
 * The members of a room: its open sockets, what the room keeps per socket, and the people they
 * belong to. Presence is per person (uid): someone's first socket announces them, their last one
 * leaving announces their departure. Hides hibernation: the in-memory maps are rebuilt from the
 * sockets' attachments after every wake.
 */
import { TokenBucket } from "./limits";
import type { JoinFrame, LeaveFrame, Member } from "./protocol";

/** What the room keeps per socket in memory; `member` is also in the socket's attachment. */
export interface Session {
  member: Member;
  bucket: TokenBucket;
  lastTypingAt: number;
  /** Last frame from the client (or the wake that rebuilt this session). Pings are tracked by the runtime. */
  lastSeen: number;
}

/** Close codes a peer can't send in a Close frame; the runtime throws if we echo them. */
function isReservedCloseCode(code: number): boolean {
  return code === 1005 || code === 1006 || code === 1015;
}

export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  if (isReservedCloseCode(code)) return;
  try {
    ws.close(code, reason);
  } catch {
    // Already closed (from 2026-04-07 the runtime answers a peer's Close itself), or reason > 123 bytes.
  }
}

export function send(ws: WebSocket, data: string): void {
  try {
    ws.send(data);
  } catch {
    // The socket is closing; its close handler will announce the leave.
  }
}

type Presence = { type: "join" | "leave"; member: Member };

/**
 * A socket's attachment: its own member, and the entry the room shows for its person (the member
 * of that person's first socket), so a leave names what the join named even after a wake.
 */
interface Attachment {
  member: Member;
  person: Member;
}

interface Person {
  shown: Member;
  sockets: number;
}

/**
 * How long join and leave announcements wait to be sent together. One per member would cost
 * n² frames when n people arrive at once (a shared link, a reconnect wave); batched, a storm of
 * joins costs one frame per member per batch.
 */
export const PRESENCE_BATCH_MS = 50;
/** Fewer than this go out one frame each, exactly as clients that predate batches expect. */
const BATCH_MIN = 4;

export class Members {
  private readonly sessions = new Map<WebSocket, Session>();
  /** By uid, in order of arrival, which is the order `list()` reports. */
  private readonly people = new Map<string, Person>();
  /** Sockets already removed: close and error can both fire for one socket. */
  private readonly departed = new WeakSet<WebSocket>();
  private presence: Presence[] = [];
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly newBucket: () => TokenBucket,
    sockets: WebSocket[],
  ) {
    // getWebSockets() after a wake has no defined order: restore arrival order once.
    const known = sockets
      .map((ws) => ({ ws, attachment: ws.deserializeAttachment() as Attachment | null }))
      .filter((entry): entry is { ws: WebSocket; attachment: Attachment } => entry.attachment !== null)
      .sort((a, b) => a.attachment.person.joinedAt - b.attachment.person.joinedAt || a.attachment.member.joinedAt - b.attachment.member.joinedAt);
    for (const { ws, attachment } of known) this.track(ws, attachment);
  }

  private track(ws: WebSocket, { member, person }: Attachment): void {
    this.sessions.set(ws, { member, bucket: this.newBucket(), lastTypingAt: 0, lastSeen: Date.now() });
    const known = this.people.get(member.uid);
    if (known) known.sockets++;
    else this.people.set(member.uid, { shown: person, sockets: 1 });
  }

  /**
   * Makes an accepted socket a member; the attachment carries it through hibernation. Announces
   * the person unless another of their sockets already did.
   */
  add(ws: WebSocket, member: Member): void {
    const known = this.people.get(member.uid);
    const attachment: Attachment = { member, person: known?.shown ?? member };
    ws.serializeAttachment(attachment);
    this.track(ws, attachment);
    if (!known) this.announce("join", member);
  }

  /**
   * Removes a socket and returns who it was, only the first time it is asked. Announces the
   * person's departure when it was their last socket.
   */
  remove(ws: WebSocket): Member | undefined {
    if (this.departed.has(ws)) return undefined;
    this.departed.add(ws);
    const session = this.sessions.get(ws);
    if (session) {
      this.sessions.delete(ws);
      const person = this.people.get(session.member.uid)!;
      if (--person.sockets === 0) {
        this.people.delete(session.member.uid);
        this.announce("leave", person.shown);
      }
      return session.member;
    }
    // After a wake, getWebSockets() no longer lists a socket that is closing, so the attachment
    // is the only record of who it was; their person is still here only if another socket is.
    const attachment = ws.deserializeAttachment() as Attachment | null;
    if (!attachment) return undefined;
    if (!this.people.has(attachment.member.uid)) this.announce("leave", attachment.person);
    return attachment.member;
  }

  get(ws: WebSocket): Session | undefined {
    return this.sessions.get(ws);
  }

  /** Open sockets. */
  get size(): number {
    return this.sessions.size;
  }

  /** Distinct people (uids) among the open sockets. */
  get headcount(): number {
    return this.people.size;
  }

  entries(): IterableIterator<[WebSocket, Session]> {
    return this.sessions.entries();
  }

  /** One entry per person, by arrival. */
  list(): Member[] {
    return Array.from(this.people.values(), (p) => p.shown);
  }

  /** Queues a join or leave announcement; see PRESENCE_BATCH_MS. */
  announce(type: Presence["type"], member: Member): void {
    this.presence.push({ type, member });
    // A one-shot timer, not an interval: it keeps the room awake for at most one batch.
    this.presenceTimer ??= setTimeout(() => this.flushPresence(), PRESENCE_BATCH_MS);
  }

  /**
   * Sends queued announcements in order. A few at a time go out one frame each, as always (a join
   * skips the person who joined: their welcome said it all, unless an earlier announcement in
   * this flush named them too, as when a last tab closes and a new one opens). A run of BATCH_MIN
   * or more of the same kind goes out as one frame to everyone, listing all its members.
   */
  private flushPresence(): void {
    clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
    const queued = this.presence;
    this.presence = [];
    const named = new Set<string>();
    for (let start = 0; start < queued.length; ) {
      const { type } = queued[start]!;
      let end = start + 1;
      while (end < queued.length && queued[end]!.type === type) end++;
      const run = queued.slice(start, end).map((p) => p.member);
      if (run.length >= BATCH_MIN) {
        this.sendAll(JSON.stringify({ type, member: run[0]!, members: run } satisfies JoinFrame | LeaveFrame));
      } else {
        for (const member of run) {
          this.sendAll(JSON.stringify({ type, member }), type === "join" && !named.has(member.uid) ? member.uid : undefined);
        }
      }
      for (const member of run) named.add(member.uid);
      start = end;
    }
  }

  /**
   * Sends one encoded frame to every member; `except` gets `except.data` instead, or nothing.
   * Pending announcements go first, so nobody hears from a member before hearing it joined.
   */
  broadcast(data: string, except?: { ws: WebSocket; data?: string }): void {
    if (this.presence.length > 0) this.flushPresence();
    for (const ws of this.sessions.keys()) {
      if (ws !== except?.ws) send(ws, data);
      else if (except.data !== undefined) send(ws, except.data);
    }
  }

  private sendAll(data: string, skipUid?: string): void {
    for (const [ws, session] of this.sessions) {
      if (session.member.uid !== skipUid) send(ws, data);
    }
  }
}
