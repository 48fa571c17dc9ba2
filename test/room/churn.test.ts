/**
 * Churn inside the pool: clients send while others drop and come back with `since`. Invariants 1-3
 * of docs/reliability.md: nothing acknowledged is lost, every log is the stored history in id order,
 * and a retried nonce is stored once.
 */
import { describe, expect, it } from "vitest";
import { comparable, pickSeed, ReliableClient, seededRandom, sleep } from "../e2e/reliable-client";
import { join, roomName } from "../helpers";
import { dialRoom, storedLog, storedRows } from "../reliability-helpers";

// MAX_MEMBERS is 5 here; one seat stays free for a reconnect that races its own leave.
const CLIENTS = 4;
const MESSAGES = 150;
const DROP_CHANCE = 0.1;
// One client misses more than a welcome page (WELCOME_HISTORY = 100), so its resume spills into
// ordinary message frames after the welcome.
const AWAY = { from: 10, to: 140 };

describe("churn", () => {
  it.each([
    ["one frame per message", false],
    ["batch frames (batch=1)", true],
  ])(
    "leaves every client's log equal to the stored history after random drops and resumes: %s",
    async (_, batch) => {
      const seed = pickSeed();
      console.log(`churn seed ${seed} (replay: set it in pickSeed)`);
      const random = seededRandom(seed);
      const room = roomName("churn");
      const clients = Array.from({ length: CLIENTS }, (_, i) => new ReliableClient(`c${i}`, dialRoom(room, { batch }), random));
      await Promise.all(clients.map((client) => client.start()));

      for (let i = 1; i <= MESSAGES; i++) {
        if (i === AWAY.from) clients[0]!.goAway();
        if (i === AWAY.to) clients[0]!.comeBack();
        const client = clients[Math.floor(random() * CLIENTS)]!;
        client.say(`message ${i} from ${client.name}`);
        if (random() < DROP_CHANCE) clients[Math.floor(random() * CLIENTS)]!.drop();
        await sleep(random() * 15);
      }
      await Promise.all(clients.map((client) => client.settle(() => MESSAGES)));

      const stored = await storedLog(room);
      expect(stored.map(([id]) => id)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
      for (const client of clients) {
        expect(client.violations).toEqual([]);
        expect(client.log.map(comparable)).toEqual(stored);
      }
      const idByNonce = new Map((await storedRows(room)).map((row) => [row.nonce, row.id]));
      for (const client of clients) {
        for (const [nonce, id] of client.acked) expect(idByNonce.get(nonce)).toBe(id);
      }
      // No ghosts: every dropped socket left the member list.
      const { members } = await (await join(room, "newcomer")).welcome();
      expect(members.map((member) => member.name).sort()).toEqual([...clients.map((client) => client.name), "newcomer"]);
      const reconnects = clients.reduce((sum, client) => sum + client.stats.reconnects, 0);
      const resent = clients.reduce((sum, client) => sum + client.stats.resent, 0);
      console.log(`churn: ${MESSAGES} messages, ${reconnects} reconnects, ${resent} re-sent, 0 lost`);
      expect(reconnects).toBeGreaterThan(0);
      for (const client of clients) client.stop();
    },
    60_000,
  );
});
