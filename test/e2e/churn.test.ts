/**
 * Churn over real sockets against `wrangler dev`: clients send while others drop and resume with
 * `since`, de-duplicating by id and re-sending unacknowledged messages with their nonce. At the end
 * every client's log equals the room's stored history. Twice: a room in one object whose clients
 * read one frame per message, and a room spread over fan-out objects (SHARD_MEMBERS is lowered)
 * whose clients read batch frames. `CHURN_SCALE=large` for the big run, `CHURN_SEED=<n>` to
 * replay one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { dialOver, storedHistory, totals } from "./reliability-support";
import { comparable, pickSeed, ReliableClient, seededRandom, sleep } from "./reliable-client";

const SIZES = {
  small: { clients: 6, messages: 300, dropChance: 0.05, pauseMs: 8 },
  large: { clients: 40, messages: 5000, dropChance: 0.03, pauseMs: 3 },
};
/** Per object: the small run's room spreads over three objects when every client is in. */
const SHARD_MEMBERS = 3;
const scale = process.env.CHURN_SCALE === "large" ? "large" : "small";
const size = SIZES[scale];

let server: DevServer;

beforeAll(async () => {
  // Bench limits: the connect limiter would otherwise refuse a burst of reconnects from 127.0.0.1.
  server = await startDevServer({ env: "bench", vars: { MAX_HISTORY: size.messages * 2, SHARD_MEMBERS } });
});

afterAll(async () => {
  await server?.stop();
});

describe(`churn over wrangler dev (${scale})`, () => {
  it.each([
    { layout: "one object, one frame per message", clients: SHARD_MEMBERS - 1, batch: false },
    { layout: "spread over fan-out objects, batch frames", clients: size.clients, batch: true },
  ])(
    "leaves every client's log equal to the stored history: $layout",
    async ({ clients: count, batch }) => {
      const seed = pickSeed(process.env.CHURN_SEED);
      console.log(`churn seed ${seed} (CHURN_SEED=${seed} replays it), sizes ${JSON.stringify(size)}`);
      const random = seededRandom(seed);
      const room = `churn-${seed}-${Date.now()}`;
      const dial = dialOver(server.wsUrl, room, { batch });
      const clients = Array.from({ length: count }, (_, i) => new ReliableClient(`c${i}`, dial, random));
      await Promise.all(clients.map((client) => client.start()));

      // One client stays away for most of the run: its resume is longer than a welcome page.
      const away = { from: Math.round(size.messages * 0.1), to: Math.round(size.messages * 0.9) };
      let drops = 0;
      for (let i = 1; i <= size.messages; i++) {
        if (i === away.from) clients[0]!.goAway();
        if (i === away.to) clients[0]!.comeBack();
        const client = clients[Math.floor(random() * clients.length)]!;
        client.say(`message ${i} from ${client.name}`);
        if (random() < size.dropChance) {
          clients[Math.floor(random() * clients.length)]!.drop();
          drops++;
        }
        await sleep(random() * size.pauseMs);
      }
      await Promise.all(clients.map((client) => client.settle(() => size.messages, 120_000)));

      const stored = (await storedHistory(server.url, room)).map(comparable);
      expect(stored).toHaveLength(size.messages);
      expect(new Set(stored.map(([, , , text]) => text)).size).toBe(size.messages);
      for (const client of clients) {
        expect(client.violations).toEqual([]);
        expect(client.log.map(comparable)).toEqual(stored);
      }
      const { shards } = (await (await fetch(`${server.url}/api/rooms/${room}`)).json()) as { shards: number };
      // Where sockets live shifts as they reconnect; the spread room keeps some in fan-out objects.
      if (batch) expect(shards).toBeGreaterThan(0);
      const summary = { seed, messages: stored.length, clients: clients.length, shards, drops, ...totals(clients), lost: 0 };
      console.log(`churn result ${JSON.stringify(summary)}`);
      expect(summary.reconnects).toBeGreaterThan(0);
      for (const client of clients) client.stop();
    },
    600_000,
  );
});
