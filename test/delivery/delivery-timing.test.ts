/**
 * When the room sends (src/delivery/delivery.ts), on a fake clock: a quiet room never waits, a busy one
 * sends one frame per member per window, and what counts as busy is frames per second times the
 * audience.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Delivery, FLUSH_WINDOW_MS, MAX_FLUSH_WINDOW_MS, SOCKETS_PER_WINDOW } from "../../src/delivery/delivery";

/** A member socket that records what it was sent. */
function socket(id: string) {
  const sent: string[] = [];
  return { id, batch: true, ws: { send: (data: string) => void sent.push(data) } as unknown as WebSocket, sent };
}

function room(audience: number, coalesceAbove: number) {
  const members = Array.from({ length: audience }, (_, i) => socket(`m${i}`));
  const delivery = new Delivery(
    {
      recipients: () => members,
      transaction: (fn) => fn(),
      coalesce: (entries) => entries,
      latestId: () => 0,
      fanOut: () => undefined,
      audience: () => audience,
      dismiss: () => undefined,
    },
    coalesceAbove,
  );
  const say = (n: number) => delivery.enqueue({ data: `{"n":${n}}` }, Date.now());
  return { members, delivery, say };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("flush timing", () => {
  it("sends every frame at once while frames times audience stay under the threshold", () => {
    const { members, say } = room(10, 20_000);
    for (let n = 0; n < 20; n++) {
      say(n);
      vi.advanceTimersByTime(5); // 200 frames/s to 10 members: 2,000 sends/s
    }
    expect(members[0]!.sent).toEqual(Array.from({ length: 20 }, (_, n) => `{"n":${n}}`));
  });

  it("coalesces into one frame per member per window once the room is busy", () => {
    const { members, say } = room(200, 20_000);
    const sendAt = (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        say(n);
        vi.advanceTimersByTime(1); // 1,000 frames/s to 200 members: 200,000 sends/s
      }
    };
    sendAt(0, 100); // the rate estimate needs a few dozen frames to see the load
    const before = members[0]!.sent.length;
    sendAt(100, 160);
    vi.advanceTimersByTime(FLUSH_WINDOW_MS);
    expect(members[0]!.sent.length - before).toBeLessThanOrEqual(Math.ceil(60 / FLUSH_WINDOW_MS) + 1);
    const delivered = members[0]!.sent.flatMap((f) => (f.startsWith('{"type":"batch"') ? (JSON.parse(f) as { frames: unknown[] }).frames : [JSON.parse(f)]));
    expect(delivered).toEqual(Array.from({ length: 160 }, (_, n) => ({ n })));
  });

  it("sends the first frame after a quiet spell at once, even in a big room", () => {
    const { members, say } = room(1000, 20_000);
    say(1);
    expect(members[0]!.sent).toEqual(['{"n":1}']);
  });

  it("never holds a frame longer than one window", () => {
    const { members, say } = room(100, 1);
    say(1);
    say(2);
    expect(members[0]!.sent).toHaveLength(1);
    vi.advanceTimersByTime(FLUSH_WINDOW_MS);
    expect(members[0]!.sent).toEqual(['{"n":1}', '{"n":2}']);
  });

  it("resolves flushed() only once the queued frames are out", async () => {
    const { members, delivery, say } = room(5, 1);
    say(1);
    say(2);
    let done = false;
    void delivery.flushed().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    vi.advanceTimersByTime(FLUSH_WINDOW_MS);
    await Promise.resolve();
    expect(done).toBe(true);
    expect(members[0]!.sent).toHaveLength(2);
  });
});

describe("a big object's window", () => {
  it("stretches by one window per SOCKETS_PER_WINDOW sockets, so its sends per second stay bounded", () => {
    const { members, say } = room(SOCKETS_PER_WINDOW * 3, 1);
    say(1);
    say(2);
    vi.advanceTimersByTime(FLUSH_WINDOW_MS * 3 - 1);
    expect(members[0]!.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(members[0]!.sent).toHaveLength(2);
  });

  it("never waits more than MAX_FLUSH_WINDOW_MS", () => {
    const { members, say } = room(SOCKETS_PER_WINDOW * 100, 1);
    say(1);
    say(2);
    vi.advanceTimersByTime(MAX_FLUSH_WINDOW_MS);
    expect(members[0]!.sent).toHaveLength(2);
  });
});
