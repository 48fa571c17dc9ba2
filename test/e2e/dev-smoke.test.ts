/**
 * `wrangler dev` serves the built page and accepts the worker's exports: the landing page, a room
 * page carrying the page script, and a real WebSocket round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { MessageFrame, ServerFrame, WelcomeFrame } from "../../src/wire/protocol";
import { type DevServer, startDevServer } from "../support/dev-server";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Resolves with the first frame that `match` accepts. */
function nextFrame<T extends ServerFrame>(ws: WebSocket, match: (frame: ServerFrame) => frame is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no matching frame within 5 s")), 5000);
    ws.on("message", function listen(data) {
      const text = data.toString();
      if (text === "pong") return;
      const frame = JSON.parse(text) as ServerFrame;
      if (!match(frame)) return;
      clearTimeout(timer);
      ws.off("message", listen);
      resolve(frame);
    });
  });
}

describe("dev smoke", () => {
  it("serves the landing page", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("serves the room page with the page script", async () => {
    const response = await fetch(`${server.url}/chat/lobby`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await response.text()).toContain('src="/app.js"');
    const script = await fetch(`${server.url}/app.js`);
    expect(script.status).toBe(200);
  });

  it("welcomes a WebSocket and echoes its message", async () => {
    const ws = new WebSocket(`${server.wsUrl}/chat/lobby?name=smoke`);
    try {
      const welcome = await nextFrame(ws, (f): f is WelcomeFrame => f.type === "welcome");
      expect(welcome.you.name).toBe("smoke");
      const echo = nextFrame(ws, (f): f is MessageFrame => f.type === "message" && f.nonce === "smoke-1");
      ws.send(JSON.stringify({ type: "message", text: "hello from smoke", nonce: "smoke-1" }));
      const message = await echo;
      expect(message.text).toBe("hello from smoke");
      expect(message.from.name).toBe("smoke");
    } finally {
      ws.close();
    }
  });

  it("answers a Close without a status code promptly", async () => {
    const ws = new WebSocket(`${server.wsUrl}/chat/lobby?name=closer`);
    await nextFrame(ws, (f): f is WelcomeFrame => f.type === "welcome");
    const started = Date.now();
    const code = await new Promise<number>((resolve) => {
      ws.once("close", resolve);
      ws.close();
    });
    expect(code).toBe(1000);
    // `ws` gives up waiting for the server's Close after 10 s and reports 1006.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
