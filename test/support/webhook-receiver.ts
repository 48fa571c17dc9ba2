/**
 * The app's side of webhooks and the message hook, for tests: a Node HTTP handler that verifies
 * every request's Standard Webhooks signature with the `standardwebhooks` package, records what
 * arrived, and fails on purpose when told to. The workerd tests reach it as the worker's outbound
 * service (vitest.config.ts); the end-to-end tests serve it on a real port (`listen`). Tests steer
 * it and read it over HTTP under /control, so the same calls work from workerd and from Node.
 *
 * The hook answers by the message's text: `reject…` rejects (reason "not here"), `replace:<t>`
 * replaces with <t>, `slow:<ms>…` allows after <ms>, `hang…` never answers in time, `hostile:json`
 * answers non-JSON, `hostile:huge` 100 KiB, `hostile:replace` a replacement that breaks the text
 * rules, `hostile:500` fails with 500; anything else is allowed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";

export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from("edge chat rooms: the test webhook secret").toString("base64")}`;

/** How the receiver answers one delivery: a status, after a delay, or a dropped connection. */
export interface Reply {
  status?: number;
  delayMs?: number;
  retryAfter?: string;
  drop?: true;
}

export interface ReceivedEvent {
  id: string;
  type: string;
  room: string;
  seq: number;
  ts: number;
  data: Record<string, unknown>;
}

export interface Attempt {
  webhookId: string;
  at: number;
  status: number | "dropped";
  /** The answer reached the room: false while in flight, or when the room hung up first (a timeout, a crash). */
  answered: boolean;
  events: ReceivedEvent[];
}

export interface HookCall {
  room: string;
  text: string;
  edit?: number;
  from: { uid: string; name: string };
  startedAt: number;
  answeredAt?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

export class Receiver {
  private readonly verifier = new Webhook(TEST_WEBHOOK_SECRET);
  /** Per room: every delivery attempt, and the replies scripted for the next ones. */
  readonly attempts = new Map<string, Attempt[]>();
  readonly scripts = new Map<string, Reply[]>();
  private readonly hookCalls = new Map<string, HookCall[]>();
  /** Requests whose signature did not verify: always zero, or a test fails. */
  unsigned = 0;

  /** `hookDelayMs`: every hook answer waits this long first (the bench's 50 ms app). */
  private readonly hookDelayMs: number;

  constructor({ hookDelayMs = 0 }: { hookDelayMs?: number } = {}) {
    this.hookDelayMs = hookDelayMs;
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://receiver");
    const body = await readBody(req);
    if (url.pathname === "/control/script") {
      const { room, replies } = JSON.parse(body) as { room: string; replies: Reply[] };
      this.scripts.set(room, replies);
      return json(res, 200, {});
    }
    const room = url.searchParams.get("room") ?? "";
    if (url.pathname === "/control/attempts") return json(res, 200, { attempts: this.attempts.get(room) ?? [], unsigned: this.unsigned });
    if (url.pathname === "/control/summary") return json(res, 200, this.summary());
    if (url.pathname === "/control/hook-calls") return json(res, 200, { calls: this.hookCalls.get(room) ?? [], unsigned: this.unsigned });
    if (!this.verified(body, req)) {
      this.unsigned += 1;
      return json(res, 401, { error: "bad signature" });
    }
    if (url.pathname === "/events") return this.events(body, req, res);
    if (url.pathname === "/hook") return this.hook(body, res);
    json(res, 404, {});
  };

  /** Every room at once: deliveries, distinct events, hook calls, bad signatures. */
  summary(): { posts: number; events: number; hookCalls: number; unsigned: number } {
    const posts = [...this.attempts.values()].flat();
    const events = new Set(posts.flatMap((attempt) => attempt.events.map((event) => event.id))).size;
    const hookCalls = [...this.hookCalls.values()].reduce((n, calls) => n + calls.length, 0);
    return { posts: posts.length, events, hookCalls, unsigned: this.unsigned };
  }

  private listOf<T>(lists: Map<string, T[]>, room: string): T[] {
    let list = lists.get(room);
    if (!list) lists.set(room, (list = []));
    return list;
  }

  private verified(body: string, req: IncomingMessage): boolean {
    try {
      this.verifier.verify(body, req.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  }

  private async events(body: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { events } = JSON.parse(body) as { events: ReceivedEvent[] };
    const room = events[0]!.room;
    const reply = this.scripts.get(room)?.shift() ?? { status: 200 };
    const attempt: Attempt = {
      webhookId: String(req.headers["webhook-id"]),
      at: Date.now(),
      status: reply.drop ? "dropped" : (reply.status ?? 200),
      answered: false,
      events,
    };
    this.listOf(this.attempts, room).push(attempt);
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.drop) {
      req.socket.destroy();
      return;
    }
    if (req.socket.destroyed) return;
    res.writeHead(reply.status ?? 200, reply.retryAfter === undefined ? {} : { "retry-after": reply.retryAfter });
    res.end(() => (attempt.answered = true));
  }

  private async hook(body: string, res: ServerResponse): Promise<void> {
    const question = JSON.parse(body) as HookCall;
    const call: HookCall = { room: question.room, text: question.text, from: question.from, startedAt: Date.now() };
    if (question.edit !== undefined) call.edit = question.edit;
    this.listOf(this.hookCalls, call.room).push(call);
    if (this.hookDelayMs) await sleep(this.hookDelayMs);
    const answer = await hookAnswer(question.text);
    call.answeredAt = Date.now();
    if (answer.raw !== undefined) res.writeHead(answer.status ?? 200, { "content-type": "application/json" }).end(answer.raw);
    else json(res, 200, answer.json);
  }
}

async function hookAnswer(text: string): Promise<{ json?: unknown; raw?: string; status?: number }> {
  const slow = /^slow:(\d+)/.exec(text);
  if (slow) await sleep(Number(slow[1]));
  if (text.startsWith("hang")) await sleep(5000);
  if (text.startsWith("reject")) return { json: { action: "reject", reason: "not here" } };
  if (text.startsWith("replace:")) return { json: { action: "replace", text: text.slice("replace:".length) } };
  if (text === "hostile:json") return { raw: "<html>nope</html>" };
  if (text === "hostile:huge") return { raw: JSON.stringify({ action: "allow", padding: "x".repeat(100 * 1024) }) };
  if (text === "hostile:replace") return { json: { action: "replace", text: "   " } };
  if (text === "hostile:500") return { raw: "{}", status: 500 };
  if (text === "hostile:action") return { json: { action: "maybe" } };
  return { json: { action: "allow" } };
}

/** Serves a receiver on a loopback port; `close` stops it (a receiver that is down). */
export async function listen(receiver: Receiver, port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => void receiver.handle(req, res));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as { port: number };
  return {
    port: bound,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
