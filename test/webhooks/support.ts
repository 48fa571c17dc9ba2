/**
 * Talking to the test receiver (test/support/webhook-receiver.ts) from workerd: every outbound
 * request of the worker reaches it, so these calls go to any loopback URL.
 */

import { request } from "../helpers";
import type { Attempt, HookCall, ReceivedEvent, Reply } from "../support/webhook-receiver";

const RECEIVER = "http://127.0.0.1:9";
const OPERATOR = { authorization: "Bearer test-moderation-token" };

/** The receiver answers the room's next deliveries so, then 200s. */
export async function script(room: string, replies: Reply[]): Promise<void> {
  await fetch(`${RECEIVER}/control/script`, { method: "POST", body: JSON.stringify({ room, replies }) });
}

export async function attempts(room: string): Promise<{ attempts: Attempt[]; unsigned: number }> {
  return (await fetch(`${RECEIVER}/control/attempts?room=${room}`)).json();
}

export async function hookCalls(room: string): Promise<HookCall[]> {
  return ((await (await fetch(`${RECEIVER}/control/hook-calls?room=${room}`)).json()) as { calls: HookCall[] }).calls;
}

/** What the receiver's app keeps: every event once (by id), from the deliveries it answered 2xx. */
function deduped(log: Attempt[]): ReceivedEvent[] {
  const seen = new Map<string, ReceivedEvent>();
  for (const attempt of log) {
    if (!attempt.answered || attempt.status === "dropped" || attempt.status >= 300) continue;
    for (const event of attempt.events) if (!seen.has(event.id)) seen.set(event.id, event);
  }
  return [...seen.values()].sort((a, b) => a.seq - b.seq);
}

/** Waits until the receiver kept events that satisfy `done`; returns them. */
export async function received(room: string, done: (events: ReceivedEvent[]) => boolean, ms = 8000): Promise<ReceivedEvent[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const events = deduped((await attempts(room)).attempts);
    if (done(events)) return events;
    if (Date.now() > deadline) throw new Error(`the receiver has only ${JSON.stringify(events.map((e) => `${e.seq}:${e.type}`))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the room made at least `n` delivery attempts; returns them all. */
export async function attemptsUntil(room: string, n: number, ms = 8000): Promise<Attempt[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const log = (await attempts(room)).attempts;
    if (log.length >= n) return log;
    if (Date.now() > deadline) throw new Error(`only ${log.length} of ${n} delivery attempts`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const types = (events: ReceivedEvent[]) => events.map((event) => event.type);

export async function status(room: string) {
  const response = await request(`/api/rooms/${room}/webhooks`, { headers: OPERATOR });
  return response.json() as Promise<import("../../src/webhooks/webhooks").WebhookStatus>;
}

export function replay(room: string, token = "test-moderation-token"): Promise<Response> {
  return request(`/api/rooms/${room}/webhooks/replay`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
}

export function push(room: string, text: string, from = "ci"): Promise<Response> {
  return request(`/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: "Bearer test-push-token", "content-type": "application/json" },
    body: JSON.stringify({ text, from }),
  });
}
