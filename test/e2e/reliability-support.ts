/**
 * Node-side plumbing for the reliability e2e tests: dialing `wrangler dev` with the `ws` package,
 * and reading a room's whole stored history through the paging API.
 */
import WebSocket from "ws";
import type { MessageFrame } from "../../src/wire/protocol";
import type { Dial, ReliableClient, Socket } from "./reliable-client";

/** A `Dial` for ReliableClient over real sockets; resolves once the upgrade is done. */
export function dialOver(wsUrl: string, room: string, { batch = false } = {}): Dial {
  return (name, since) =>
    new Promise<Socket>((resolve, reject) => {
      const query = new URLSearchParams({ name });
      if (since !== undefined) query.set("since", String(since));
      if (batch) query.set("batch", "1");
      const ws = new WebSocket(`${wsUrl}/chat/${room}?${query}`, { handshakeTimeout: 5000 });
      // ws is an EventEmitter: an "error" without a listener would be thrown. Errors end in "close".
      ws.on("error", reject);
      ws.once("open", () => resolve(ws as unknown as Socket));
    });
}

/** Every retained message of a room, oldest first, paged through `GET /api/rooms/:room/messages`. */
export async function storedHistory(url: string, room: string): Promise<MessageFrame[]> {
  const pages: MessageFrame[][] = [];
  for (let before: number | null | undefined = undefined; before !== null; ) {
    const query = before === undefined ? "limit=200" : `limit=200&before=${before}`;
    const response = await fetch(`${url}/api/rooms/${room}/messages?${query}`);
    if (!response.ok) throw new Error(`history page: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { messages: MessageFrame[]; nextBefore: number | null };
    pages.unshift(page.messages);
    before = page.nextBefore;
  }
  return pages.flat();
}

/** Totals over a set of clients, for the log line and docs/reliability.md. */
export function totals(clients: ReliableClient[]) {
  const sum = (pick: (client: ReliableClient) => number) => clients.reduce((n, client) => n + pick(client), 0);
  return {
    reconnects: sum((c) => c.stats.reconnects),
    resent: sum((c) => c.stats.resent),
    duplicatesIgnored: sum((c) => c.stats.duplicates),
    rateLimited: sum((c) => c.stats.errors.rate_limited ?? 0),
  };
}
