/**
 * Webhooks end to end: a real `wrangler dev` posting to a Node receiver on a real port, which
 * verifies every signature with the `standardwebhooks` package. The receiver goes down and comes
 * back, `wrangler dev` is SIGKILLed while a delivery is in flight and restarted on the same state
 * (nothing pokes the room afterwards: its alarm must bring it back), and a delivery that fails
 * every retry is dead-lettered and replayed through the operator API. After dedupe by event id the
 * receiver has every event exactly once, `seq` 1..n without a gap, in order as first seen apart
 * from the replayed dead letter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { type Attempt, listen, type ReceivedEvent, Receiver, TEST_WEBHOOK_SECRET } from "../support/webhook-receiver";
import { sleep, waitFor } from "./reliable-client";

const receiver = new Receiver();
let endpoint: Awaited<ReturnType<typeof listen>>;
let server: DevServer;
const room = `webhooks-${Date.now()}`;

const vars = () => ({
  WEBHOOK_URL: `http://127.0.0.1:${endpoint.port}/events`,
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  WEBHOOK_RETRY_SECONDS: "0.3,0.6,1",
  WEBHOOK_TIMEOUT_MS: "3000",
  PUSH_TOKEN: "e2e-push",
  MODERATION_TOKEN: "e2e-moderation",
});

beforeAll(async () => {
  endpoint = await listen(receiver);
  server = await startDevServer({ env: "bench", vars: vars() });
});

afterAll(async () => {
  await server?.stop();
  await endpoint?.close();
});

async function push(text: string): Promise<void> {
  const response = await fetch(`${server.url}/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: "Bearer e2e-push", "content-type": "application/json" },
    body: JSON.stringify({ text, from: "e2e" }),
  });
  expect(response.status).toBe(201);
}

const operator = (path: string, method = "GET") =>
  fetch(`${server.url}/api/rooms/${room}/webhooks${path}`, { method, headers: { authorization: "Bearer e2e-moderation" } }).then((r) => r.json());

const log = (): Attempt[] => receiver.attempts.get(room) ?? [];

/** The receiver's app: each event once, by id, from deliveries it answered 2xx, in the order first seen. */
function kept(): ReceivedEvent[] {
  const seen = new Map<string, ReceivedEvent>();
  for (const attempt of log()) {
    if (attempt.answered && attempt.status !== "dropped" && attempt.status < 300)
      for (const event of attempt.events) if (!seen.has(event.id)) seen.set(event.id, event);
  }
  return [...seen.values()];
}

const texts = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `message ${from + i}`);
const waitForKept = (n: number, what: string, ms = 30_000) =>
  waitFor(
    () => kept().length >= n,
    ms,
    () => `${what}: ${kept().length} of ${n} kept`,
  );

describe("webhooks against wrangler dev", () => {
  it("delivers every event exactly once after dedupe, through a receiver outage, a crash and a dead letter", async () => {
    for (const text of texts(1, 10)) await push(text);
    await waitForKept(10, "a healthy receiver");

    // The receiver is down (connection refused) for a few retries, then back on the same port.
    await endpoint.close();
    for (const text of texts(11, 20)) await push(text);
    await sleep(1500);
    endpoint = await listen(receiver, endpoint.port);
    await waitForKept(20, "the receiver back up");

    // Killed while a delivery is in flight: committed, sent, never acknowledged.
    receiver.scripts.set(room, [{ delayMs: 10_000 }]);
    for (const text of texts(21, 30)) await push(text);
    await waitFor(
      () => log().some((attempt) => attempt.events.some((event) => event.seq === 21)),
      10_000,
      () => "the delivery after the burst",
    );
    await server.kill();
    server = await startDevServer({ env: "bench", port: server.port, persistTo: server.persistTo, vars: vars() });
    await waitForKept(30, "the room woken by its alarm after the restart");

    // Every retry fails: a dead letter, while later events go on; then the operator replays it.
    receiver.scripts.set(room, [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
    await push("message 31");
    for (let i = 0; (await operator("")).deadLetters.length === 0; i++) {
      if (i > 100) throw new Error("no dead letter");
      await sleep(200);
    }
    for (const text of texts(32, 35)) await push(text);
    await waitForKept(34, "events after the dead letter");
    expect(await operator("/replay", "POST")).toEqual({ replayed: 1 });
    await waitForKept(35, "the replayed dead letter");

    const events = kept();
    expect(receiver.unsigned).toBe(0);
    expect(events.map((event) => (event.data.message as { text: string }).text).sort()).toEqual(texts(1, 35).sort());
    expect([...events].map((event) => event.seq).sort((a, b) => a - b)).toEqual(texts(1, 35).map((_, i) => i + 1));
    const inOrder = events.filter((event) => event.seq !== 31).map((event) => event.seq);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));
    const status = await operator("");
    expect(status).toMatchObject({ outbox: { events: 0 }, deadLetters: [], disabled: null });
    const summary = { events: events.length, attempts: log().length, unanswered: log().filter((a) => !a.answered || a.status !== 200).length };
    console.log(`webhooks e2e ${JSON.stringify(summary)}`);
  }, 180_000);
});
