/**
 * @module
 * What goes out, and when. Every frame a room sends to its members passes through here.
 *
 * Each WebSocket frame costs the runtime a fixed amount of work whatever its size, so a busy room
 * coalesces. A room is busy when its recent frame rate times its audience (the sockets of its
 * largest object) passes COALESCE_SENDS_PER_SECOND. Below that, and whenever nothing went out in
 * the last window, a frame goes out at once, alone, so quiet rooms pay no latency. In a busy room
 * frames wait for the next flush and every member that connected with `batch=1` gets them as one
 * `batch` frame, encoded once for all of them. The window is FLUSH_WINDOW_MS per
 * SOCKETS_PER_WINDOW sockets of the largest object: however fast messages come, an object sends
 * at most ~20,000 frames a second. Writes queued with the frames (group commit: docs/protocol.md,
 * "Delivery") run in one SQLite transaction at the flush, before anything they produce is sent.
 */
import { log } from "../log";
import { type Dismissal, type Recipient, send } from "../sockets/socket";
import { dismissals, type Outgoing, type PendingWrite, type ShardBatch } from "./outgoing";

/**
 * Quiet rooms never wait; a busy room sends at most one frame per member per window. 15 ms keeps
 * the added latency under a frame of video while cutting frames per member by the message rate
 * over ~67/s (docs/performance.md, "Delivery").
 */
export const FLUSH_WINDOW_MS = 15;
/**
 * A bigger object stretches its window: one more FLUSH_WINDOW_MS per this many sockets (300 sockets
 * flushed every 15 ms is 20,000 frames a second), but never past MAX_FLUSH_WINDOW_MS.
 */
export const SOCKETS_PER_WINDOW = 300;
export const MAX_FLUSH_WINDOW_MS = 250;
/** How fast the frame-rate estimate forgets: about the last quarter second counts. */
const RATE_MEMORY_MS = 250;
/** A flush goes early when this many frames, or about this many bytes, are waiting. */
export const MAX_BATCH_FRAMES = 100;
const MAX_BATCH_BYTES = 64 * 1024;

type Entry = Outgoing | PendingWrite;

export interface DeliveryHooks {
  recipients(): Iterable<Recipient>;
  /** `ctx.storage.transactionSync`: all-or-nothing, and the output gate holds sends until durable. */
  transaction<T>(fn: () => T): T;
  /** Rewrites the flushed entries before encoding; presence merges its storms here. */
  coalesce(entries: Outgoing[]): Outgoing[];
  /**
   * The room's newest place in its order, read before each commit: fan-out objects check it for
   * gaps. A room without fan-out objects may answer 0 and spare the read.
   */
  latestId(): number;
  /** Hands the flush to the room's fan-out objects, if it has any (fanout/fanout.ts). */
  fanOut(batch: ShardBatch): void;
  /** The sockets of the room's largest object: what one flush costs the busiest object. */
  audience(): number;
  /** Closes the sockets this object holds for a dismissal, after the frames that explain it. */
  dismiss(dismissal: Dismissal): void;
}

function isWrite(entry: Entry): entry is PendingWrite {
  return "commit" in entry;
}

/** Frames per second lately: an exponentially decaying count. */
class FrameRate {
  private perSecond = 0;
  private at = 0;

  add(now: number): number {
    this.perSecond = this.perSecond * Math.exp(-(now - this.at) / RATE_MEMORY_MS) + 1000 / RATE_MEMORY_MS;
    this.at = now;
    return this.perSecond;
  }
}

export class Delivery {
  private queue: Entry[] = [];
  private queuedBytes = 0;
  private lastFlushAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiting: (() => void)[] = [];
  private readonly rate = new FrameRate();

  /** `coalesceAbove`: sends per second (frames × audience) past which the room is busy. */
  constructor(
    private readonly hooks: DeliveryHooks,
    private readonly coalesceAbove: number,
  ) {}

  /** Resolves once everything queued so far has been committed and sent. */
  flushed(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Queues a frame or a write; a quiet room flushes it at once. */
  enqueue(entry: Entry, now = Date.now()): void {
    this.queue.push(entry);
    this.queuedBytes += isWrite(entry) ? entry.bytes : entry.data.length;
    const audience = this.hooks.audience();
    const busy = this.rate.add(now) * audience >= this.coalesceAbove;
    const window = Math.min(MAX_FLUSH_WINDOW_MS, FLUSH_WINDOW_MS * Math.max(1, Math.ceil(audience / SOCKETS_PER_WINDOW)));
    if (this.timer === undefined && (!busy || now - this.lastFlushAt >= window)) this.flush();
    else if (this.queue.length >= MAX_BATCH_FRAMES || this.queuedBytes >= MAX_BATCH_BYTES) this.flush();
    // A one-shot timer, never an interval: an idle room still hibernates.
    else this.timer ??= setTimeout(() => this.flush(), this.lastFlushAt + window - now);
  }

  /** Commits and sends everything queued, now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const queue = this.queue;
    const waiting = this.waiting;
    this.queue = [];
    this.waiting = [];
    this.queuedBytes = 0;
    this.lastFlushAt = Date.now();
    const afterId = this.hooks.latestId();
    const outgoing = this.hooks.coalesce(this.commit(queue));
    if (outgoing.length > 0) {
      deliver(outgoing, this.hooks.recipients());
      this.hooks.fanOut({ afterId, entries: outgoing });
    }
    for (const resolve of waiting) resolve();
    // Last: a dismissed member's leave is queued for the next flush, not sent inside this one.
    for (const dismissal of dismissals(outgoing)) this.hooks.dismiss(dismissal);
  }

  private commit(queue: Entry[]): Outgoing[] {
    if (!queue.some(isWrite)) return queue as Outgoing[];
    try {
      return this.hooks.transaction(() => queue.flatMap((entry) => (isWrite(entry) ? entry.commit() : [entry])));
    } catch (error) {
      // Rolled back as a whole: nothing of it was stored, so nothing of it is acknowledged.
      log("error", { where: "group_commit", writes: queue.filter(isWrite).length, message: String(error) });
      return queue.flatMap((entry) => (isWrite(entry) ? entry.abort() : [entry]));
    }
  }
}

/**
 * One `send` per member that reads batches: the shared batch is joined once; only the connections
 * named by an entry's `to`, `except` or `own` get a copy of their own. Others get each frame alone.
 */
export function deliver(outgoing: Outgoing[], recipients: Iterable<Recipient>): void {
  const special = new Set<string>();
  for (const entry of outgoing) {
    if (entry.to) special.add(entry.to);
    if (entry.except) special.add(entry.except);
    if (entry.own) special.add(entry.own.id);
  }
  let shared: string | null | undefined;
  for (const { id, ws, batch } of recipients) {
    if (!batch) {
      for (const entry of outgoing) sendPart(id, ws, entry);
    } else if (special.has(id)) {
      const parts = outgoing.map((entry) => copyFor(id, entry)).filter((part) => part !== undefined);
      if (parts.length > 0) send(ws, wrap(parts));
    } else {
      shared ??= sharedBatch(outgoing);
      if (shared !== null) send(ws, shared);
    }
  }
}

/** What every member not named by an entry gets: all but the frames meant for one member only; `null` if nothing. */
function sharedBatch(outgoing: Outgoing[]): string | null {
  const parts = outgoing.filter((entry) => entry.to === undefined).map((entry) => entry.data);
  return parts.length === 0 ? null : wrap(parts);
}

function copyFor(id: string, entry: Outgoing): string | undefined {
  if (entry.own?.id === id) return entry.own.data;
  return entry.except === id || (entry.to !== undefined && entry.to !== id) ? undefined : entry.data;
}

function sendPart(id: string, ws: WebSocket, entry: Outgoing): void {
  const data = copyFor(id, entry);
  if (data !== undefined) send(ws, data);
}

/** A lone frame goes out as itself, exactly as to a client that never asked for batches. */
function wrap(parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `{"type":"batch","frames":[${parts.join(",")}]}`;
}
