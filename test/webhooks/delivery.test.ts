/**
 * Getting events to a receiver that fails: retries of the very same delivery, Retry-After, a 410,
 * dead letters and their replay, an object evicted mid-delivery, and batching in a busy room.
 * WEBHOOK_RETRY_SECONDS is 0.2,0.4,0.8 and WEBHOOK_TIMEOUT_MS 1000 here (vitest.config.ts).
 */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { request, roomName } from "../helpers";
import { attempts, attemptsUntil, push, received, replay, script, status } from "./support";

const pushAll = async (room: string, texts: string[]) => {
  for (const text of texts) expect((await push(room, text)).status).toBe(201);
};
const texts = (n: number, prefix = "m") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const textsOf = (events: { data: Record<string, unknown> }[]) => events.map((event) => (event.data.message as { text: string }).text);

describe("webhook delivery", () => {
  it("sends the same delivery again after 500s, then everything after it, in order", async () => {
    const room = roomName("retry");
    await script(room, [{ status: 500 }, { status: 500 }]);
    await pushAll(room, ["first"]);
    await received(room, (e) => e.length === 1);
    await pushAll(room, ["second", "third"]);
    const events = await received(room, (e) => e.length === 3);
    expect(textsOf(events)).toEqual(["first", "second", "third"]);
    const log = (await attempts(room)).attempts;
    expect(log.slice(0, 3).map((a) => a.status)).toEqual([500, 500, 200]);
    expect(new Set(log.slice(0, 3).map((a) => a.webhookId)).size).toBe(1);
    expect(log[2]!.events).toEqual(log[0]!.events);
  });

  it("waits as long as a 429's Retry-After says, not the shorter schedule", async () => {
    const room = roomName("retry-after");
    await script(room, [{ status: 429, retryAfter: "2" }]);
    await pushAll(room, ["hello"]);
    await received(room, (e) => e.length === 1);
    const [limited, retried] = (await attempts(room)).attempts;
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1900);
  });

  it("counts a receiver that does not answer in time, or drops the connection, as a failure", async () => {
    const room = roomName("timeout");
    await script(room, [{ delayMs: 1500 }, { drop: true }]);
    await pushAll(room, ["patience"]);
    const log = await attemptsUntil(room, 3);
    expect(log.map((a) => a.status)).toEqual([200, "dropped", 200]);
    expect(new Set(log.map((a) => a.webhookId)).size).toBe(1);
    expect((await status(room)).lastError?.message).toMatch(/unreachable|no answer/);
  });

  it("keeps a delivery that failed every retry as a dead letter, goes on, and replays it on request", async () => {
    const room = roomName("dead");
    await script(room, [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
    await pushAll(room, ["doomed"]);
    for (let i = 0; i < 100 && (await status(room)).deadLetters.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const dead = await status(room);
    expect(dead.deadLetters).toMatchObject([{ firstSeq: 1, lastSeq: 1, events: 1, attempts: 4, lastError: "HTTP 500" }]);
    await pushAll(room, ["after"]);
    expect(textsOf(await received(room, (e) => e.length === 1))).toEqual(["after"]);
    expect(await (await replay(room)).json()).toEqual({ replayed: 1 });
    const events = await received(room, (e) => e.length === 2);
    expect(textsOf(events)).toEqual(["doomed", "after"]);
    const log = (await attempts(room)).attempts;
    expect(log.at(-1)!.webhookId).toBe(log[0]!.webhookId);
    expect((await status(room)).deadLetters).toEqual([]);
  });

  it("turns the endpoint off on a 410, keeps every event, and sends them all once replayed", async () => {
    const room = roomName("gone");
    await script(room, [{ status: 410 }]);
    await pushAll(room, ["one"]);
    for (let i = 0; i < 100 && !(await status(room)).disabled; i++) await new Promise((r) => setTimeout(r, 50));
    await pushAll(room, ["two", "three"]);
    const off = await status(room);
    expect(off.disabled?.reason).toContain("410");
    expect(off.outbox.events).toBe(3);
    expect((await attempts(room)).attempts).toHaveLength(1);
    expect((await replay(room)).status).toBe(200);
    expect(textsOf(await received(room, (e) => e.length === 3))).toEqual(["one", "two", "three"]);
    expect((await status(room)).disabled).toBeNull();
  });

  it("delivers what was committed before an eviction mid-delivery: the alarm wakes the room", async () => {
    const room = roomName("evicted");
    await script(room, [{ delayMs: 3000 }]);
    await pushAll(room, ["survives"]);
    const stub = env.ROOMS.getByName(room);
    for (let i = 0; i < 100 && (await attempts(room)).attempts.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await evictDurableObject(stub);
    // The first attempt died with the object; nothing but the alarm brings the room back.
    const log = await attemptsUntil(room, 2, 10_000);
    expect(new Set(log.map((a) => a.webhookId)).size).toBe(1);
    expect(textsOf(await received(room, (e) => e.length === 1))).toEqual(["survives"]);
  });

  it("batches what accumulates while a delivery is in flight, up to 100 events a POST", async () => {
    const room = roomName("busy");
    await script(room, [{ delayMs: 1000 }]);
    await pushAll(room, ["first"]);
    await attemptsUntil(room, 1);
    await Promise.all(texts(150).map((text) => pushAll(room, [text])));
    const events = await received(room, (e) => e.length === 151, 15_000);
    expect(new Set(textsOf(events))).toEqual(new Set(["first", ...texts(150)]));
    expect(events.map((e) => e.seq)).toEqual([...texts(151)].map((_, i) => i + 1));
    // A loaded machine may time the first POST out and retry it: a retry is the same delivery.
    const deliveries = new Map((await attempts(room)).attempts.map((a) => [a.webhookId, a.events.length]));
    expect([...deliveries.values()]).toEqual([1, 100, 50]);
  });

  it("keeps a POST within 256 KiB of UTF-8, however wide the characters", async () => {
    const room = roomName("wide");
    await script(room, [{ delayMs: 1000 }]);
    await pushAll(room, ["first"]);
    await attemptsUntil(room, 1);
    // 100 events of 3000 bytes each (a Chinese character is 3 bytes): over 256 KiB together.
    const wide = "聊".repeat(1000);
    await Promise.all(texts(100).map((text) => pushAll(room, [`${text} ${wide}`])));
    await received(room, (e) => e.length === 101, 15_000);
    const deliveries = new Map((await attempts(room)).attempts.map((a) => [a.webhookId, a.events.length]));
    const [, ...batches] = [...deliveries.values()];
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(100);
    expect(Math.max(...batches)).toBeLessThanOrEqual(Math.floor((256 * 1024) / 3000));
  });

  it("keeps dead letters through an abandoned room's clean-up, and seq goes on after it", async () => {
    const room = roomName("cleared");
    await script(room, [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
    await pushAll(room, ["before the clean-up"]);
    for (let i = 0; i < 100 && (await status(room)).deadLetters.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const stub = env.ROOMS.getByName(room);
    await runInDurableObject(stub, (_room, state) => void state.storage.sql.exec("UPDATE messages SET ts = ts - ?", 8 * 86_400_000));
    // The alarm set for the last attempt rings first and leaves the clean-up its own time; then the clean-up.
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    expect((await (await request(`/api/rooms/${room}`)).json()) as object).toMatchObject({ latestId: 0 });
    expect((await status(room)).deadLetters).toHaveLength(1);
    await pushAll(room, ["after the clean-up"]);
    const [after] = await received(room, (e) => e.length === 1);
    expect(after).toMatchObject({ seq: 2, data: { message: { text: "after the clean-up" } } });
  });

  it("answers the operator API only with the moderation token", async () => {
    const room = roomName("private");
    expect((await replay(room, "wrong")).status).toBe(401);
    const fresh = await status(room);
    expect(fresh).toMatchObject({ enabled: true, disabled: null, outbox: { events: 0, oldestAt: null }, next: null, deadLetters: [] });
  });
});
