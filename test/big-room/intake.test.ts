/**
 * The room-wide intake cap (INGRESS_BURST = 50 here, then INGRESS_PER_SECOND = 10): however many
 * objects its members are spread over, the sequencer accepts no more, and tells senders when to
 * retry. Nothing refused is stored; nothing accepted is lost.
 */
import { describe, expect, it } from "vitest";
import { roomName } from "../helpers";
import { storedRows } from "../reliability-helpers";
import { crowd, SHARD_MEMBERS } from "./helpers";

describe("room-wide intake", () => {
  it("refuses messages over the room's intake with rate_limited and a retry hint, from any object", async () => {
    const room = roomName("intake");
    const members = await crowd(room, SHARD_MEMBERS * 2);
    // 100 messages, 20 each (the per-connection burst), from both objects: 50 fit the room's burst,
    // and however slowly they arrive, the refill (10/s) cannot take the other 50 within 5 s.
    const senders = [members[0]!, members[1]!, members[2]!, members.at(-2)!, members.at(-1)!];
    const started = Date.now();
    senders.forEach((sender, s) => {
      for (let n = 0; n < 20; n++) sender.say(`${s}:${n}`, `s${s}-${n}`);
    });
    const answered = (nonce: string) => (f: { type: string; nonce?: string }) => (f.type === "message" || f.type === "error") && f.nonce === nonce;
    for (const [s, sender] of senders.entries()) {
      await sender.until(() => Array.from({ length: 20 }, (_, n) => `s${s}-${n}`).every((nonce) => sender.frames.some(answered(nonce))), 5000, "every answer");
    }
    const refused = senders.flatMap((sender) => sender.ofType("error"));
    const acked = senders.flatMap((sender) => sender.ofType("message").filter((m) => m.nonce !== undefined));
    expect(acked.length + refused.length).toBe(100);
    // The burst, plus what the refill added while they came in: everything else was refused.
    const seconds = (Date.now() - started) / 1000;
    expect(refused.length).toBeGreaterThanOrEqual(Math.floor(100 - 50 - 10 * seconds));
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toMatchObject({ code: "rate_limited" });
      expect(error.retryAfter).toBeGreaterThan(0);
    }
    const stored = (await storedRows(room)).map((row) => row.nonce);
    expect(stored.sort()).toEqual(acked.map((m) => m.nonce).sort());
  });
});
