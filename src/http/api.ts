/**
 * @module
 * The HTTP API for backends, dashboards and the page: room state, history paging, one message,
 * server push, and the operator's moderation, bans and audit log.
 */
import { type Context, Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { timingSafeEqual } from "hono/utils/buffer";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { log } from "../log";
import { isRecord } from "../wire/checks";
import { DEFAULT_SEARCH_RESULTS, type ErrorCode, MAX_SEARCH_RESULTS } from "../wire/protocol";
import { type AppEnv, httpError, roomParam } from "./errors";
import { files } from "./files";
import { roomReader } from "./reader";

const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;

export const api = new Hono<AppEnv>();

api.use("/rooms/:room", roomParam);
api.use("/rooms/:room/*", roomParam);

const room = (c: { env: Env; req: { param(name: "room"): string } }) => c.env.ROOMS.getByName(c.req.param("room"));

api.route("/", files);

api.get("/rooms/:room", roomReader, async (c) => c.json(await room(c).info()));

api.get("/rooms/:room/messages", roomReader, async (c) => {
  const page = pageQuery(c);
  if (page instanceof Response) return page;
  const messages = await room(c).page(page.before, page.limit);
  // Older messages may remain only when this page came back full.
  const nextBefore = messages.length === page.limit ? messages[0]!.id : null;
  return c.json({ messages, nextBefore });
});

// One message by id, for a reply whose original is older than what the reader has loaded.
api.get("/rooms/:room/messages/:id", roomReader, async (c) => {
  const id = intParam(c.req.param("id"), 0);
  if (id === undefined || id < 1) return httpError(c, 400, "invalid_query", "the message id must be a positive integer");
  const message = await room(c).message(id);
  if (!message) return httpError(c, 404, "not_found", "no such message: never sent, or gone with retention");
  return c.json({ message });
});

// Search reads what GET .../messages reads, under the same access rule.
api.get("/rooms/:room/search", roomReader, async (c) => {
  const page = pageQuery(c, DEFAULT_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
  if (page instanceof Response) return page;
  const found = await room(c).search(c.req.query("q") ?? "", page.before, page.limit);
  return found.ok ? c.json(found.value) : httpError(c, found.code === "not_found" ? 404 : 400, found.code, found.message);
});

// Missing, malformed and wrong tokens all answer 401: a caller learns nothing from the difference.
const unauthorized = {
  message: (c: Context) => httpError(c, 401, "unauthorized", "a valid bearer token is required"),
};

/** Bearer auth against one secret. No secret configured means the route is off: every token is wrong. */
function tokenAuth(secretName: "PUSH_TOKEN" | "MODERATION_TOKEN") {
  return bearerAuth({
    verifyToken: (token, c) => {
      const secret = (c.env as Env)[secretName];
      return typeof secret === "string" && secret !== "" && timingSafeEqual(token, secret);
    },
    noAuthenticationHeader: unauthorized,
    invalidAuthenticationHeader: unauthorized,
    invalidToken: unauthorized,
  });
}

const limitBody = bodyLimit({ maxSize: 64 * 1024, onError: (c) => httpError(c, 413, "body_too_large", "body over 64 KiB") });

/** The request's JSON object, or undefined when the body is not one. */
async function objectBody(c: Context): Promise<Record<string, unknown> | undefined> {
  const body = await c.req.json<unknown>().catch(() => undefined);
  return isRecord(body) ? body : undefined;
}

api.post("/rooms/:room/messages", tokenAuth("PUSH_TOKEN"), limitBody, async (c) => {
  const body = await objectBody(c);
  if (!body) return httpError(c, 400, "invalid_body", 'body must be a JSON object {"text": "...", "from": "name"}');
  const { text, from, nonce } = body;
  const result = await room(c).push(from, text, nonce);
  if (!result.ok) return httpError(c, 400, result.code, result.message);
  log("push", { requestId: c.get("requestId"), room: c.req.param("room"), id: result.value.id });
  return c.json({ message: result.value }, 201);
});

/** How a refused moderation action answers; anything not listed is the request's fault (400). */
const REFUSAL_STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = { forbidden: 403, not_found: 404, internal_error: 500 };

api.post("/rooms/:room/moderation", tokenAuth("MODERATION_TOKEN"), limitBody, async (c) => {
  const body = await objectBody(c);
  if (!body) return httpError(c, 400, "invalid_body", 'body must be a JSON object {"action": "...", ...}');
  const result = await room(c).operate(body);
  if (!result.ok) return httpError(c, REFUSAL_STATUS[result.code] ?? 400, result.code, result.message);
  return c.json(result.value);
});

api.get("/rooms/:room/audit", tokenAuth("MODERATION_TOKEN"), async (c) => {
  const page = pageQuery(c);
  if (page instanceof Response) return page;
  const entries = await room(c).audit(page.before, page.limit);
  // Older entries may remain only when this page came back full.
  const nextBefore = entries.length === page.limit ? entries.at(-1)!.seq : null;
  return c.json({ entries, nextBefore });
});

// The bans in force, as owners and moderators see them on the page.
api.get("/rooms/:room/bans", tokenAuth("MODERATION_TOKEN"), async (c) => c.json(await room(c).bans()));

// The webhook outbox: its depth, the endpoint's state and the dead letters; and their replay.
api.get("/rooms/:room/webhooks", tokenAuth("MODERATION_TOKEN"), async (c) => c.json(await room(c).webhookStatus()));

api.post("/rooms/:room/webhooks/replay", tokenAuth("MODERATION_TOKEN"), async (c) => c.json(await room(c).replayWebhooks()));

/** `limit` (1-`max`, default `fallback`) and `before` (a positive number, default: after the newest), or the 400 answer. */
function pageQuery(c: Context, fallback = DEFAULT_PAGE, max = MAX_PAGE): { limit: number; before: number } | Response {
  const limit = intParam(c.req.query("limit"), fallback);
  const before = intParam(c.req.query("before"), Number.MAX_SAFE_INTEGER);
  if (limit === undefined || limit < 1 || limit > max) {
    return httpError(c, 400, "invalid_query", `limit must be an integer from 1 to ${max}`);
  }
  if (before === undefined || before < 1) return httpError(c, 400, "invalid_query", "before must be a positive integer");
  return { limit, before };
}

function intParam(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}
