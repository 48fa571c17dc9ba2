/**
 * An app's JWKS endpoint, for tests: a Node HTTP handler the workerd tests reach as the worker's
 * outbound service (vitest.config.ts), so every fetch of a key set lands here and is counted.
 * Each path under /jwks/ is its own endpoint; tests steer one and read its count under
 * /control/jwks/<name>, from workerd like any other fetch.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** How one endpoint answers: its keys, or a failure; `hangMs` delays every answer (a slow or dead host). */
export interface EndpointScript {
  keys?: unknown[];
  status?: number;
  hangMs?: number;
  cacheControl?: string;
}

interface Endpoint extends EndpointScript {
  fetches: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

export class JwksServer {
  private readonly endpoints = new Map<string, Endpoint>();

  private endpoint(name: string): Endpoint {
    let endpoint = this.endpoints.get(name);
    if (!endpoint) this.endpoints.set(name, (endpoint = { fetches: 0 }));
    return endpoint;
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? "/", "http://jwks");
    const control = /^\/control\/jwks\/([\w-]+)$/.exec(pathname);
    if (control) {
      const endpoint = this.endpoint(control[1]!);
      if (req.method === "POST") Object.assign(endpoint, JSON.parse(await readBody(req)) as EndpointScript);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ fetches: endpoint.fetches }));
      return;
    }
    const served = /^\/jwks\/([\w-]+)$/.exec(pathname);
    if (!served) {
      res.writeHead(404).end();
      return;
    }
    const endpoint = this.endpoint(served[1]!);
    endpoint.fetches += 1;
    if (endpoint.hangMs) await new Promise((resolve) => setTimeout(resolve, endpoint.hangMs));
    if (req.socket.destroyed) return;
    if (endpoint.status !== undefined && endpoint.status !== 200) {
      res.writeHead(endpoint.status).end("unavailable");
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (endpoint.cacheControl) headers["cache-control"] = endpoint.cacheControl;
    res.writeHead(200, headers).end(JSON.stringify({ keys: endpoint.keys ?? [] }));
  };
}
