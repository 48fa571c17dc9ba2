/**
 * @module
 * A reconnecting chat client for reliability tests, written against the minimal WebSocket shape
 * that both workerd's `WebSocket` and Node's `ws` share, so the same client runs inside the vitest
 * pool (test/churn.test.ts) and against `wrangler dev` (test/e2e/*.test.ts).
 *
 * It does what a careful real client does: resumes with `since=<last id>`, de-duplicates by id,
 * and re-sends every unacknowledged message with its original nonce after a reconnect.
 */
import type { MessageFrame, ServerFrame, WireFrame } from "../../src/wire/protocol";

/** What the client needs from a socket; both runtimes' WebSockets have it. */
export interface Socket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number }) => void): void;
}

/** Opens a socket to the room, resuming after `since` when given; rejects if it can't connect. */
export type Dial = (name: string, since: number | undefined) => Promise<Socket>;

/** A seeded PRNG (mulberry32): the same seed replays the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the environment (`CHURN_SEED`) or the clock; tests print it so a failure can be replayed. */
export function pickSeed(fromEnv?: string): number {
  return fromEnv ? Number(fromEnv) : Date.now() % 2 ** 31;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` until it holds, or throws after `ms` with `what()` in the message. */
export async function waitFor(predicate: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(10);
  }
}

export interface ClientStats {
  connects: number;
  /** Connections lost (dropped on purpose, crashed, refused) after which the client came back. */
  reconnects: number;
  /** Messages re-sent with their original nonce. */
  resent: number;
  /** Frames ignored because their id was already in the log. */
  duplicates: number;
  /** Error frames received, by code. */
  errors: Record<string, number>;
}

export class ReliableClient {
  /** Every message seen, in id order, each id once. */
  readonly log: MessageFrame[] = [];
  /** Nonces this client sent, with their text; removed when acknowledged. */
  readonly pending = new Map<string, string>();
  /** The id each of this client's nonces got when acknowledged. */
  readonly acked = new Map<string, number>();
  /** Broken expectations seen on the wire (a welcome that admits a gap). */
  readonly violations: string[] = [];
  readonly stats: ClientStats = { connects: 0, reconnects: 0, resent: 0, duplicates: 0, errors: {} };
  private socket?: Socket;
  private online = false;
  private stopped = false;
  private away = false;
  private connecting = false;
  private attempt = 0;
  private sequence = 0;

  constructor(
    readonly name: string,
    private readonly dial: Dial,
    private readonly random: () => number = Math.random,
    private readonly backoff = { firstMs: 25, maxMs: 1000 },
  ) {}

  get lastId(): number {
    return this.log.at(-1)?.id ?? 0;
  }

  get connected(): boolean {
    return this.online;
  }

  /** Connects (retrying with backoff) and resolves once welcomed. */
  async start(): Promise<void> {
    void this.connect();
    await waitFor(
      () => this.online,
      30_000,
      () => `${this.name} to connect`,
    );
  }

  /** Sends a message with a fresh nonce; it stays pending (and is re-sent) until acknowledged. */
  say(text: string): string {
    const nonce = `${this.name}-${++this.sequence}`;
    this.pending.set(nonce, text);
    if (this.online) this.transmit(nonce, text);
    return nonce;
  }

  /** Drops the connection as a flaky network would; the client comes back by itself. */
  drop(): void {
    this.socket?.close(4000, "dropped by test");
  }

  /** Goes offline and stays away (still queueing what it says) until `comeBack()`. */
  goAway(): void {
    this.away = true;
    this.socket?.close(4001, "away");
  }

  comeBack(): void {
    this.away = false;
    if (this.socket || this.stopped) return;
    this.stats.reconnects++;
    void this.connect();
  }

  /** Waits until every own message is acknowledged and the log reaches `latestId`. */
  async settle(latestId: () => number, ms = 20_000): Promise<void> {
    await waitFor(
      () => this.online && this.pending.size === 0 && this.lastId >= latestId(),
      ms,
      () => `${this.name} to settle: online=${this.online} pending=${this.pending.size} last=${this.lastId}/${latestId()}`,
    );
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close(1000, "done");
  }

  private async connect(): Promise<void> {
    if (this.connecting) return;
    this.connecting = true;
    try {
      while (!this.stopped && !this.away) {
        try {
          const socket = await this.dial(this.name, this.log.length ? this.lastId : undefined);
          if (this.stopped || this.away) socket.close(1000, "gone");
          else this.attach(socket);
          return;
        } catch {
          await sleep(this.nextDelay());
        }
      }
    } finally {
      this.connecting = false;
    }
  }

  private nextDelay(): number {
    const { firstMs, maxMs } = this.backoff;
    const ceiling = Math.min(maxMs, firstMs * 2 ** this.attempt++);
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.stats.connects++;
    socket.addEventListener("message", (event) => {
      if (this.socket === socket && typeof event.data === "string" && event.data !== "pong") {
        const frame = JSON.parse(event.data) as WireFrame;
        // A batch reads exactly as its frames arriving one by one.
        for (const part of frame.type === "batch" ? frame.frames : [frame]) this.receive(part);
      }
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.online = false;
      if (this.stopped || this.away) return;
      this.stats.reconnects++;
      void sleep(this.nextDelay()).then(() => this.connect());
    });
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        if (frame.gap) this.violations.push(`${this.name}: welcome reported a gap after ${this.lastId}`);
        for (const message of frame.history) this.record(message);
        this.online = true;
        this.attempt = 0;
        for (const [nonce, text] of this.pending) {
          this.stats.resent++;
          this.transmit(nonce, text);
        }
        return;
      case "message":
        this.record(frame);
        if (frame.nonce !== undefined && this.pending.delete(frame.nonce)) this.acked.set(frame.nonce, frame.id);
        return;
      case "error":
        this.stats.errors[frame.code] = (this.stats.errors[frame.code] ?? 0) + 1;
        // Over the rate limit: the message was not stored; try it again a little later.
        if (frame.code === "rate_limited" && frame.nonce !== undefined) this.retryLater(frame.nonce);
        return;
      default:
        return;
    }
  }

  private retryLater(nonce: string): void {
    void sleep(100 + this.random() * 200).then(() => {
      const text = this.pending.get(nonce);
      if (text !== undefined && this.online) this.transmit(nonce, text);
    });
  }

  private record(message: MessageFrame): void {
    if (message.id <= this.lastId) {
      this.stats.duplicates++;
      return;
    }
    const { nonce: _own, ...stored } = message;
    this.log.push(stored);
  }

  private transmit(nonce: string, text: string): void {
    try {
      this.socket?.send(JSON.stringify({ type: "message", text, nonce }));
    } catch {
      // Closing: the message stays pending and is re-sent after the reconnect.
    }
  }
}

/** The same message in every client's log, as the stored row has it. */
export function comparable(message: MessageFrame): [number, string, string, string] {
  return [message.id, message.from.id, message.from.name, message.text];
}
