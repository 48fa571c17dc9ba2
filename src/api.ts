/**
 * @module
 * The HTTP API for backends and dashboards: room state, history paging, and server push.
 */
import { Hono, type Context } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { timingSafeEqual } from "hono/utils/buffer";
import { httpError, roomParam, type AppEnv } from "./http";
import { log } from "./log";

export const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;

export const api = new Hono<AppEnv>();

api.use("/rooms/:room", roomParam);
api.use("/rooms/:room/*", roomParam);

const room = (c: { env: Env; req: { param(name: "room"): string } }) => c.env.ROOMS.getByName(c.req.param("room"));

api.get("/rooms/:room", async (c) => c.json(await room(c).info()));

api.get("/rooms/:room/messages", async (c) => {
  const limit = intParam(c.req.query("limit"), DEFAULT_PAGE);
  const before = intParam(c.req.query("before"), Number.MAX_SAFE_INTEGER);
  if (limit === undefined || limit < 1 || limit > MAX_PAGE) {
    return httpError(c, 400, "invalid_query", `limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  if (before === undefined || before < 1) return httpError(c, 400, "invalid_query", "before must be a positive integer id");
  const messages = await room(c).page(before, limit);
  // Older messages may remain only when this page came back full.
  const nextBefore = messages.length === limit ? messages[0]!.id : null;
  return c.json({ messages, nextBefore });
});

// Missing, malformed and wrong tokens all answer 401: a caller learns nothing from the difference.
const unauthorized = {
  message: (c: Context) => httpError(c, 401, "unauthorized", "a valid bearer token is required"),
};

api.post(
  "/rooms/:room/messages",
  bearerAuth({
    // No secret configured means push is off: every token is wrong.
    verifyToken: (token, c) => {
      const secret = (c.env as Env).PUSH_TOKEN;
      return typeof secret === "string" && secret !== "" && timingSafeEqual(token, secret);
    },
    noAuthenticationHeader: unauthorized,
    invalidAuthenticationHeader: unauthorized,
    invalidToken: unauthorized,
  }),
  bodyLimit({ maxSize: 64 * 1024, onError: (c) => httpError(c, 413, "body_too_large", "body over 64 KiB") }),
  async (c) => {
    const body = await c.req.json<unknown>().catch(() => undefined);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return httpError(c, 400, "invalid_body", 'body must be a JSON object {"text": "...", "from": "name"}');
    }
    const { text, from, nonce } = body as Record<string, unknown>;
    const result = await room(c).push(from, text, nonce);
    if (!result.ok) return httpError(c, 400, result.code, result.message);
    log("push", { requestId: c.get("requestId"), room: c.req.param("room"), id: result.value.id });
    return c.json({ message: result.value }, 201);
  },
);

function intParam(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}
