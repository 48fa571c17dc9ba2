/**
 * @module
 * What every HTTP route shares: the app's types, the JSON error shape, and the room-name guard.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppIdentity } from "../tokens/verify";
import { isRoomName } from "../wire/names";

/** `app`: the app user a room reader's bearer token names (reader.ts). */
export type AppEnv = { Bindings: Env; Variables: RequestIdVariables & { app?: AppIdentity } };

/** Every HTTP error is `{"error": {"code", "message"}}`; docs/protocol.md lists the codes. */
export function httpError(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  return c.json({ error: { code, message } }, status);
}

/** Refuses a bad room name with 400 before any Durable Object is touched. */
export const roomParam: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isRoomName(c.req.param("room") ?? "")) {
    return httpError(c, 400, "invalid_room", "room names are 1-64 letters, digits, '-', '_' or '.', not starting with '.'");
  }
  await next();
};
