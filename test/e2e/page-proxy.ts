/**
 * @module
 * A loopback TCP proxy in front of `wrangler dev`, so browser tests can break a page's sockets the
 * way networks do. Chromium's offline emulation (`context.setOffline`) fires the `offline` event
 * and fails new connections, but leaves an open WebSocket to 127.0.0.1 working, so it can't drop
 * one; this can, both loudly (connections reset) and silently (bytes stop flowing, as when a
 * mobile network or a NAT box forgets the connection).
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface Proxy {
  url: string;
  /** Resets every open connection: the page sees its socket close at once. */
  dropAll(): void;
  /** Stops forwarding on every open connection without closing it: only a heartbeat can tell. */
  blackHoleAll(): void;
  /** While true, new connections are reset as soon as they arrive (the server seems down). */
  refuse: boolean;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  const pairs = new Set<[Socket, Socket]>();
  const holes = new Set<[Socket, Socket]>();
  const state = { refuse: false };
  const server: Server = createServer((client) => {
    if (state.refuse) return void client.resetAndDestroy();
    const upstream = connect(targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get refuse() {
      return state.refuse;
    },
    set refuse(value: boolean) {
      state.refuse = value;
    },
    dropAll() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    blackHoleAll() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        // Read and discard, so neither side's TCP stack sees back-pressure and gives the game away.
        client.on("data", () => {});
        upstream.on("data", () => {});
        holes.add([client, upstream]);
      }
      pairs.clear();
    },
    close() {
      for (const [client, upstream] of [...pairs, ...holes]) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
