/**
 * @module
 * Sites that embed rooms, for the widget's browser tests: a tiny HTTP server on 127.0.0.1 whose
 * pages are opened as `http://localhost:<port>`, another site than the room's
 * `http://127.0.0.1:<port>` (so the frame is a third-party context), and stopped after the file.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HostSite {
  /** `http://localhost:<port>`. */
  origin: string;
  /** The address of a page whose body is `body`; the room server's address replaces `{server}`. */
  page(body: string): string;
  close(): Promise<void>;
}

export async function startHostSite(server: () => string): Promise<HostSite> {
  const pages = new Map<string, string>();
  const http: Server = createServer((request, response) => {
    const body = pages.get(new URL(request.url ?? "/", "http://x").pathname);
    if (body === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A shop</title></head><body><main><h1>A shop</h1>${body.replaceAll("{server}", server())}</main></body></html>`,
    );
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const origin = `http://localhost:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    page(body) {
      const path = `/page-${pages.size + 1}`;
      pages.set(path, body);
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
