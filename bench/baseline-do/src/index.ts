/**
 * @module
 * Broadcast-only baseline: `/chat/<room>` → one Durable Object per room, which accepts the socket
 * with the hibernation API, welcomes it and relays every message frame to all sockets. Ids and
 * recent messages live in memory only (the bench never lets it hibernate mid-run).
 */
import { DurableObject } from "cloudflare:workers";
import { BaselineRoom as Frames } from "../../baseline-frames.ts";

interface Env {
  ROOMS: DurableObjectNamespace<BaselineRoom>;
}

export class BaselineRoom extends DurableObject<Env> {
  private readonly frames = new Frames();
  /**
   * Its own set rather than ctx.getWebSockets() per message, which builds a new array of every
   * socket each call: the room keeps its own map too, so the comparison isolates the room's work.
   */
  private readonly sockets = new Set<WebSocket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    for (const ws of ctx.getWebSockets()) this.sockets.add(ws);
  }

  override async fetch(request: Request): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    this.sockets.add(server);
    server.send(this.frames.welcome(new URL(request.url).searchParams.get("name") ?? "guest"));
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    if (typeof data !== "string") return;
    if (data === "ping") return ws.send("pong");
    const out = this.frames.message(data);
    if (!out) return;
    for (const peer of this.sockets) {
      try {
        peer.send(peer === ws ? out.own : out.all);
      } catch {
        // Closing; nothing to do.
      }
    }
  }

  override webSocketError(ws: WebSocket): void {
    this.sockets.delete(ws);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.sockets.delete(ws);
    try {
      ws.close(code, reason);
    } catch {
      // The runtime already answered the Close (compatibility date >= 2026-04-07).
    }
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const match = /^\/chat\/([^/]+)$/.exec(new URL(request.url).pathname);
    if (!match || request.headers.get("Upgrade") !== "websocket") return new Response("not found", { status: 404 });
    return env.ROOMS.getByName(decodeURIComponent(match[1]!)).fetch(request);
  },
} satisfies ExportedHandler<Env>;
