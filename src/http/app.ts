/**
 * @module
 * The worker: the Hono app that routes every room to its own Durable Object, serves the page and
 * the HTTP API, and decides who connects (identity, origin, rate limits) before a room sees them.
 */
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { readConfig } from "../config";
import { addressOf, COOKIE_NAME, identityCookie, isSecret, newSecret, resolveUid } from "../identity/identity";
import { log } from "../log";
import { ADDRESS_HEADER, EXP_HEADER, HANDOFF_HEADERS, ROLE_HEADER, SHARD_HEADER, shardName, TICKET_HEADER, UID_HEADER } from "../sockets/handoff";
import { identify, refuseInBand } from "../tokens/door";
import { type AppIdentity, presentedToken } from "../tokens/verify";
import { parseConnectParams } from "../wire/parse";
import { api } from "./api";
import { embed, embeddedSecret, embedFraming } from "./embed";
import { type AppEnv, httpError, roomParam } from "./errors";
import { originAllowed } from "./origin";

export const app = new Hono<AppEnv>();

// Ids come from Cloudflare's ray id when there is one, never from a client-chosen header.
app.use(requestId({ headerName: "", generator: (c) => c.req.header("cf-ray") ?? crypto.randomUUID() }));
app.use("/embed/*", embedFraming);
app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    // The room page is shared as a link; the full path would leak the room name to other sites.
    referrerPolicy: "no-referrer",
    // The same as public/_headers gives the static pages.
    xFrameOptions: "DENY",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
    // A route that sets its own (a file's sandbox, src/files/serve.ts) keeps it.
    overwrite: false,
  }),
);

app.get("/healthz", (c) => c.json({ ok: true }));

app.use("/chat/:room", roomParam);
app.get("/chat/:room", (c) => (c.req.header("Upgrade") === undefined ? page(c) : connect(c)));
app.all("/chat/:room", (c) => {
  c.header("Allow", "GET");
  return httpError(c, 405, "method_not_allowed", "a room URL only answers GET");
});

app.route("/api", api);
app.route("/embed", embed);

app.notFound(async (c) =>
  c.req.path.startsWith("/api/") ? httpError(c, 404, "not_found", "no such API route") : mutable(await c.env.ASSETS.fetch(c.req.raw)),
);

app.onError((error, c) => {
  // Middleware refusals (bearer auth, body limit) arrive as HTTPExceptions with their own response.
  if (error instanceof HTTPException) return error.getResponse();
  log("error", { requestId: c.get("requestId"), path: c.req.path, message: String(error) });
  return httpError(c, 500, "internal_error", "something went wrong; it has been logged");
});

/**
 * A browser opening a room's share link gets the chat page, which connects back to the same URL,
 * and the identity cookie that upgrade will carry: the one it has, renewed, or a new one. Only the
 * room page sets it: it is the only page that opens a socket, and the landing page stays static.
 */
async function page(c: Context<AppEnv>): Promise<Response> {
  // `/room` rather than `/room.html`: with default html_handling the latter answers a redirect.
  const response = mutable(await c.env.ASSETS.fetch(new URL("/room", c.req.url)));
  const secret = getCookie(c, COOKIE_NAME, "host");
  response.headers.append("Set-Cookie", identityCookie(secret !== undefined && isSecret(secret) ? secret : newSecret()));
  // A shared cache must never hand one browser's cookie to another.
  response.headers.set("Cache-Control", "private, no-cache");
  return response;
}

async function connect(c: Context<AppEnv>): Promise<Response> {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    return httpError(c, 426, "upgrade_required", "only WebSocket upgrades are supported here");
  }
  const url = new URL(c.req.url);
  const room = c.req.param("room")!;
  // Only the platform says where a connection comes from; a client's own x-chat-address is dropped.
  const ip = c.req.header("cf-connecting-ip");
  // Independent, so awaited together: the limiter is a call, the identity and the address digests.
  const [limit, uid, address] = await Promise.all([
    c.env.CONNECT_LIMITER.limit({ key: ip ?? "unknown" }),
    resolveUid(url.searchParams.get("key"), getCookie(c, COOKIE_NAME, "host") ?? embeddedSecret(c, url.origin), room),
    ip === undefined ? undefined : addressOf(ip, room),
  ]);
  if (!limit.success) return refuse(c, 429, "rate_limited", "too many connection attempts; wait a few seconds");
  const config = readConfig(c.env);
  const origin = c.req.header("Origin");
  if (!originAllowed(origin, url.origin, config.allowedOrigins)) {
    return refuse(c, 403, "forbidden_origin", `origin ${origin} may not open this room`);
  }
  const params = parseConnectParams(url.searchParams);
  if (!params.ok) return refuse(c, 400, params.code, params.message);
  // The message names the rule, never the key: a key is a password.
  if (uid === undefined) return refuse(c, 400, "invalid_key", "key must be 16-128 characters of A-Z a-z 0-9 - _");
  // A token, when there is one, says who connects: the app's user, not the key or cookie.
  const app = await identify(presentedToken(url, c.req.header("Authorization")), config.auth, room);
  if (!app.ok) return refuseInBand(app, c.get("requestId"));
  return enter(c, room, url, app.value?.uid ?? uid, address, app.value);
}

/**
 * Hands the upgrade to the room's object, or, in a big room, to the fan-out object the room names
 * (fanout/fanout.ts). The room gets the uid and neither secret; a client's own uid header is
 * overwritten.
 */
async function enter(c: Context<AppEnv>, room: string, url: URL, uid: string, address: string | undefined, app?: AppIdentity): Promise<Response> {
  url.searchParams.delete("key");
  url.searchParams.delete("token");
  const headers = new Headers(c.req.raw.headers);
  headers.delete("Cookie");
  headers.delete("Authorization");
  for (const header of HANDOFF_HEADERS) headers.delete(header);
  headers.set(UID_HEADER, uid);
  if (address !== undefined) headers.set(ADDRESS_HEADER, address);
  if (app !== undefined) {
    // The token's name wins over the name parameter; the token itself goes no further.
    if (app.name !== undefined) url.searchParams.set("name", app.name);
    headers.set(EXP_HEADER, String(app.exp));
    if (app.role !== undefined) headers.set(ROLE_HEADER, app.role);
  }
  headers.set("x-request-id", c.get("requestId"));
  const response = await c.env.ROOMS.getByName(room).fetch(new Request(url, { headers }));
  const shard = response.headers.get(SHARD_HEADER);
  if (shard === null) return mutable(response);
  headers.set(TICKET_HEADER, response.headers.get(TICKET_HEADER) ?? "");
  return mutable(await c.env.SHARDS.getByName(shardName(room, Number(shard))).fetch(new Request(url, { headers })));
}

/** A fetched response has immutable headers; the middlewares add theirs, so copy it (101s included). */
function mutable(response: Response): Response {
  return new Response(response.body, response);
}

function refuse(c: Context<AppEnv>, status: 400 | 403 | 429, code: string, message: string): Response {
  log("refused", { requestId: c.get("requestId"), reason: code, room: c.req.param("room") });
  return httpError(c, status, code, message);
}
