/**
 * @module
 * The members of a room: its open sockets and what the room keeps per socket. Hides hibernation:
 * the in-memory map is rebuilt from the sockets' attachments after every wake.
 */
import { TokenBucket } from "./limits";
import type { Member } from "./protocol";

/** What the room keeps per socket in memory; `member` is also the socket's attachment. */
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

export class Members {
  private readonly sessions = new Map<WebSocket, Session>();
  /** Sockets already removed: close and error can both fire for one socket. */
  private readonly departed = new WeakSet<WebSocket>();

  constructor(
    private readonly newBucket: () => TokenBucket,
    sockets: WebSocket[],
  ) {
    for (const ws of sockets) {
      const member = ws.deserializeAttachment() as Member | null;
      if (member) this.track(ws, member);
    }
  }

  private track(ws: WebSocket, member: Member): void {
    this.sessions.set(ws, { member, bucket: this.newBucket(), lastTypingAt: 0, lastSeen: Date.now() });
  }

  /** Makes an accepted socket a member; the attachment carries it through hibernation. */
  add(ws: WebSocket, member: Member): void {
    ws.serializeAttachment(member);
    this.track(ws, member);
  }

  /** Removes a socket and returns who it was, only the first time it is asked. */
  remove(ws: WebSocket): Member | undefined {
    if (this.departed.has(ws)) return undefined;
    this.departed.add(ws);
    // After a wake, getWebSockets() no longer lists a socket that is closing, so the attachment
    // is the only record of who it was.
    const member = this.sessions.get(ws)?.member ?? (ws.deserializeAttachment() as Member | null);
    this.sessions.delete(ws);
    return member ?? undefined;
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

  /** By arrival: getWebSockets() after a wake has no defined order. */
  list(): Member[] {
    return [...this.sessions.values()].map((s) => s.member).sort((a, b) => a.joinedAt - b.joinedAt);
  }

  /** Sends one encoded frame to every member; `except` gets `except.data` instead, or nothing. */
  broadcast(data: string, except?: { ws: WebSocket; data?: string }): void {
    for (const ws of this.sessions.keys()) {
      if (ws !== except?.ws) send(ws, data);
      else if (except.data !== undefined) send(ws, except.data);
    }
  }
}
