/**
 * Floods: one connection far over its rate limit and another sending oversized frames, while a third
 * chats normally. The third loses nothing and its round trips stay near its own baseline
 * (invariant 4 of docs/reliability.md).
 */
import { describe, expect, it } from "vitest";
import { comparable, sleep } from "../e2e/reliable-client";
import { type Client, connect, join, roomName } from "../helpers";
import { percentile, storedLog } from "../reliability-helpers";

const ROUND_TRIPS = 15;
const OVERSIZED = "x".repeat(20_000);
// Generous on purpose: two noisy cores, other suites running. A queue behind the flood would cost
// seconds, not tens of milliseconds.
const SLOWDOWN_FACTOR = 10;
const FLOOR_MS = 1000;

/** Says something and waits for its own echo; returns the round trip in ms. */
async function roundTrip(client: Client, nonce: string): Promise<number> {
  const start = performance.now();
  client.say(`ping ${nonce}`, nonce);
  await client.until(() => client.ofType("message").some((m) => m.nonce === nonce), 10_000, `echo of ${nonce}`);
  return performance.now() - start;
}

async function roundTrips(client: Client, label: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    times.push(await roundTrip(client, `${label}-${i}`));
    await sleep(100); // Well under the chatter's own 10/s.
  }
  return times;
}

describe("floods", () => {
  it("leave a normal chatter's messages and latency untouched", async () => {
    const room = roomName("flood");
    const chatter = await join(room, "chatter");
    const flooder = await join(room, "flooder");
    const baseline = await roundTrips(chatter, "before");

    let done = false;
    let floodFrames = 0;
    let oversizedClosed = 0;
    const flood = (async () => {
      for (let burst = 0; !done && burst < 400; burst++) {
        for (let i = 0; i < 50; i++) flooder.say(`spam ${floodFrames++}`);
        await sleep(5);
      }
    })();
    const oversize = (async () => {
      for (let attempt = 0; !done && attempt < 20; attempt++) {
        const giant = await connect(room, "?name=giant");
        await giant.welcome();
        giant.send(OVERSIZED);
        await giant.until(() => giant.closed, 5000, "close after an oversized frame");
        if (giant.closed?.code === 1009) oversizedClosed++;
      }
    })();
    const during = await roundTrips(chatter, "during");
    done = true;
    await Promise.all([flood, oversize]);

    const bound = Math.max(percentile(baseline, 95) * SLOWDOWN_FACTOR, FLOOR_MS);
    console.log(
      `flood: ${floodFrames} spam frames, ${oversizedClosed} oversized closes, p95 ${percentile(baseline, 95).toFixed(1)} → ${percentile(during, 95).toFixed(1)} ms (bound ${bound.toFixed(0)})`,
    );
    expect(percentile(during, 95)).toBeLessThan(bound);
    expect(flooder.ofType("error").filter((e) => e.code === "rate_limited").length).toBeGreaterThan(floodFrames / 2);
    expect(oversizedClosed).toBeGreaterThan(0);

    // Nothing lost: the chatter saw exactly what was stored, its own messages and the spam let through.
    const stored = await storedLog(room);
    await chatter.until(() => chatter.messages().at(-1)?.id === stored.at(-1)?.[0], 5000, "the last stored message");
    expect(chatter.messages().map(comparable)).toEqual(stored);
    expect(chatter.ofType("error")).toEqual([]);
    expect(chatter.closed).toBeUndefined();
    expect(chatter.ofType("message").filter((m) => m.nonce !== undefined)).toHaveLength(2 * ROUND_TRIPS);
  }, 60_000);
});
