/**
 * @module
 * Node `ws` broadcast baseline, run as its own process (`node bench/baseline-node.ts`) so it does
 * not share the load generator's event loop. Prints `listening <port>` once ready.
 */
import { type WebSocket, WebSocketServer } from "ws";
import { BaselineRoom } from "./baseline-frames.ts";

const rooms = new Map<string, { frames: BaselineRoom; sockets: Set<WebSocket> }>();

const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });

server.on("connection", (ws, request) => {
  const url = new URL(request.url ?? "/", "http://x");
  const name = url.pathname.replace(/^\/chat\//, "");
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = { frames: new BaselineRoom(), sockets: new Set() }));
  const { frames, sockets } = room;
  sockets.add(ws);
  ws.send(frames.welcome(url.searchParams.get("name") ?? "guest"));
  ws.on("message", (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (text === "ping") return ws.send("pong");
    const out = frames.message(text);
    if (!out) return;
    for (const peer of sockets) peer.send(peer === ws ? out.own : out.all);
  });
  ws.on("close", () => sockets.delete(ws));
  ws.on("error", () => sockets.delete(ws));
});

server.on("listening", () => console.log(`listening ${(server.address() as { port: number }).port}`));
// The parent stops us with SIGTERM; also leave when it dies, so no orphan keeps the port.
process.on("disconnect", () => process.exit(0));
