/**
 * A crash in the middle of a conversation: `wrangler dev` is killed (SIGKILL) while clients are
 * sending, then started again on the same local state and port. The clients reconnect by themselves;
 * nothing acknowledged before the crash is missing, and every message that was in flight is re-sent
 * with its nonce and stored exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";
import { dialOver, storedHistory, totals } from "./reliability-support";
import { comparable, ReliableClient, sleep, waitFor } from "./reliable-client";

const NAMES = ["ana", "ben", "cho", "dev"];
const BEFORE = 40; // acknowledged before the crash
const AROUND = 40; // sent while the server dies, is down, and comes back
const TOTAL = BEFORE + AROUND;
const BURST = 20; // of AROUND, sent at once just before the kill

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ env: "bench" });
});

afterAll(async () => {
  await server?.stop();
});

describe("crash and restart of wrangler dev", () => {
  it("keeps every acknowledged message and stores each in-flight one exactly once", async () => {
    const room = `crash-${Date.now()}`;
    const clients = NAMES.map((name) => new ReliableClient(name, dialOver(server.wsUrl, room)));
    const textOf = new Map<string, string>();
    const say = (i: number) => {
      const client = clients[i % clients.length]!;
      const text = `message ${i} from ${client.name}`;
      textOf.set(client.say(text), text);
    };
    try {
      await Promise.all(clients.map((client) => client.start()));
      for (let i = 1; i <= BEFORE; i++) say(i);
      await Promise.all(clients.map((client) => client.settle(() => BEFORE)));

      // A burst still in flight when the process dies: some stored, some acknowledged, some neither.
      for (let i = BEFORE + 1; i <= BEFORE + BURST; i++) say(i);
      const ackedCount = () => clients.reduce((n, client) => n + client.acked.size, 0);
      await waitFor(
        () => ackedCount() >= BEFORE + 2,
        10_000,
        () => "the server to start on the burst",
      );
      const talking = (async () => {
        for (let i = BEFORE + BURST + 1; i <= TOTAL; i++) {
          say(i);
          await sleep(25);
        }
      })();
      const acked = clients.flatMap((client) => [...client.acked]);
      const seen = clients.flatMap((client) => client.log.map(comparable));
      await server.kill();
      await sleep(500);
      server = await startDevServer({ env: "bench", port: server.port, persistTo: server.persistTo });
      await talking;
      await Promise.all(clients.map((client) => client.settle(() => TOTAL, 60_000)));

      const stored = (await storedHistory(server.url, room)).map(comparable);
      expect(stored).toHaveLength(TOTAL);
      expect(new Set(stored.map(([, , , text]) => text))).toEqual(new Set(textOf.values()));
      const byId = new Map(stored.map((row) => [row[0], row]));
      for (const [nonce, id] of acked) expect(byId.get(id)?.[3]).toBe(textOf.get(nonce));
      for (const row of seen) expect(byId.get(row[0])).toEqual(row);
      for (const client of clients) expect(client.log.map(comparable)).toEqual(stored);
      const summary = { messages: stored.length, ackedBeforeCrash: acked.length, ...totals(clients), lost: 0 };
      console.log(`crash result ${JSON.stringify(summary)}`);
      expect(summary.reconnects).toBeGreaterThanOrEqual(clients.length);
    } finally {
      for (const client of clients) client.stop();
    }
  }, 180_000);
});
