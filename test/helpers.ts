/**
 * Small helpers for talking to rooms over real WebSockets inside workerd.
 */
import { exports } from "cloudflare:workers";
import { newSecret } from "../src/identity/identity";
import type { ModerationFrame } from "../src/wire/moderation-frames";
import type { ErrorFrame, MessageFrame, ServerFrame, UpdateFrame, WelcomeFrame, WireFrame } from "../src/wire/protocol";

/** A fresh room name per test, so tests never share state. */
export function roomName(prefix = "room"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export function request(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`http://chat.test${path}`, init));
}

/** A connected client that keeps every frame it receives, in order. */
export class Client {
  readonly frames: ServerFrame[] = [];
  readonly raw: string[] = [];
  closed?: { code: number; reason: string };
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const data = event.data as string;
      this.raw.push(data);
      if (data !== "pong") {
        const frame = JSON.parse(data) as WireFrame;
        // A batch reads exactly as its frames arriving one by one.
        this.frames.push(...(frame.type === "batch" ? frame.frames : [frame]));
      }
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `predicate` holds over what arrived, or fails after `ms`. */
  async until<T>(predicate: () => T | undefined | false, ms = 3000, what = "condition"): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the nth (1-based, counted from the start) frame of a type. */
  next<K extends ServerFrame["type"]>(type: K, nth = 1, ms?: number): Promise<Extract<ServerFrame, { type: K }>> {
    return this.until(() => this.ofType(type)[nth - 1], ms, `${type} #${nth}`);
  }

  ofType<K extends ServerFrame["type"]>(type: K): Extract<ServerFrame, { type: K }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: K }> => f.type === type);
  }

  messages(): MessageFrame[] {
    const welcome = this.frames.find((f): f is WelcomeFrame => f.type === "welcome");
    return [...(welcome?.history ?? []), ...this.ofType("message")];
  }

  welcome(): Promise<WelcomeFrame> {
    return this.next("welcome");
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  say(text: string, nonce?: string): void {
    this.send({ type: "message", text, ...(nonce === undefined ? {} : { nonce }) });
  }

  close(): void {
    this.ws.close(1000, "bye");
  }

  /** Expects no frame of `type` to arrive within `ms`. */
  async none(type: ServerFrame["type"], ms = 300): Promise<void> {
    const before = this.ofType(type).length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.ofType(type).length !== before) throw new Error(`unexpected ${type} frame`);
  }
}

let ipCounter = 0;

/** Opens a socket to a room; each call comes from its own IP so the connect limit stays out of the way. */
export async function connect(room: string, query = "", headers: Record<string, string> = {}): Promise<Client> {
  const ip = `192.0.2.${(ipCounter++ % 250) + 1}:${ipCounter}`;
  const response = await request(`/chat/${room}${query}`, {
    headers: { Upgrade: "websocket", "cf-connecting-ip": ip, ...headers },
  });
  const ws = response.webSocket;
  if (!ws) throw new Error(`no websocket: ${response.status} ${await response.text()}`);
  ws.accept();
  return new Client(ws);
}

/** Connects and waits for the welcome; `batch` opts in to batch frames, `key` joins as the person it identifies. */
export async function join(room: string, name?: string, since?: number, { batch = false, key }: { batch?: boolean; key?: string } = {}): Promise<Client> {
  const params = new URLSearchParams();
  if (name !== undefined) params.set("name", name);
  if (since !== undefined) params.set("since", String(since));
  if (batch) params.set("batch", "1");
  if (key !== undefined) params.set("key", key);
  const client = await connect(room, params.size ? `?${params}` : "");
  await client.welcome();
  return client;
}

/** Joins with a key of its own: the same person on every connection that reuses `key`. */
export function person(room: string, name: string, key = newSecret()): Promise<Client> {
  return join(room, name, undefined, { key });
}

export type Answer = MessageFrame | UpdateFrame | ErrorFrame | ModerationFrame;

/** Sends a frame with a fresh nonce and waits for what answers it: the own copy, or an error. */
export function answer(client: Client, frame: Record<string, unknown>): Promise<Answer> {
  const nonce = crypto.randomUUID();
  client.send({ ...frame, nonce });
  return client.until(
    () =>
      client.frames.find(
        (f): f is Answer => (f.type === "message" || f.type === "update" || f.type === "error" || f.type === "moderation") && f.nonce === nonce,
      ),
    3000,
    `the answer to ${String(frame.type)}`,
  );
}
