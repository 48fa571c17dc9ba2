/**
 * A big room in the browser: past the roster limit the page shows the exact number online, the
 * names it knows, and "and N more"; the room spreads over fan-out objects meanwhile
 * (SHARD_MEMBERS 3), which the page cannot tell.
 */
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { join, leave, say, text, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

const ROSTER_LIMIT = 4;
const fixture = usePageFixture({ env: "bench", vars: { ROSTER_LIMIT, SHARD_MEMBERS: 3 } });

/** Bots in the room over plain sockets, welcomed before this resolves. */
async function crowd(room: string, count: number): Promise<WebSocket[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const ws = new WebSocket(`${fixture.server.wsUrl}/chat/${room}?name=guest${i}&batch=1`);
      return new Promise<WebSocket>((resolve, reject) => {
        ws.once("error", reject);
        ws.on("message", (data: Buffer) => {
          if (data.toString().startsWith('{"type":"welcome"')) resolve(ws);
        });
      });
    }),
  );
}

describe("a crowded room", () => {
  it("shows the exact count online, a sample of names and how many more, and still chats", async () => {
    const room = uniqueRoom("crowd");
    const bots = await crowd(room, 8);
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const people = alice.page.getByRole("list", { name: /Online/ });
    await expect.poll(() => alice.page.locator("#online-count").textContent()).toBe("9");
    // The welcome listed the first ROSTER_LIMIT - 1 people and Alice herself.
    await expect.poll(() => people.getByRole("listitem").count()).toBe(ROSTER_LIMIT + 1);
    await expect.poll(() => people.getByRole("listitem").last().textContent()).toBe(text(alice.page, "room.more", { count: 9 - ROSTER_LIMIT }));

    // Arrivals in a crowd come as counts: the number moves, the list does not grow.
    const more = await crowd(room, 2);
    await expect.poll(() => alice.page.locator("#online-count").textContent(), { timeout: 5000 }).toBe("11");
    expect(await people.getByRole("listitem").count()).toBe(ROSTER_LIMIT + 1);

    // Alice's socket lives in a fan-out object (the room's own holds 3); she chats all the same.
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await say(bob.page, "hello crowd");
    await waitForMessage(alice.page, "hello crowd");
    const { shards } = (await (await fetch(`${fixture.server.url}/api/rooms/${room}`)).json()) as { shards: number };
    expect(shards).toBeGreaterThan(0);
    expect(alice.errors).toEqual([]);
    for (const ws of [...bots, ...more]) ws.close(1000);
    await Promise.all([leave(alice), leave(bob)]);
  });
});
