/**
 * @module
 * Who reads a room over HTTP: the guard every route that shows a room's contents goes through
 * (its state, its history, its files, and search when it comes). With `AUTH_REQUIRED=1` it takes
 * only callers with `Authorization: Bearer <JWT>` valid for that room; otherwise a bearer is
 * checked when tokens are configured, and a caller without one stays anonymous. Refusals use the
 * sockets' codes, as 401 (403 for a room the token does not list).
 */
import type { MiddlewareHandler } from "hono";
import { readConfig } from "../config";
import { log } from "../log";
import { identify } from "../tokens/door";
import { bearerOf, tokensConfigured } from "../tokens/verify";
import { type AppEnv, httpError } from "./errors";

export const roomReader: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { auth } = readConfig(c.env);
  // Without tokens configured a bearer here is someone else's (a dashboard's API token): ignored.
  const token = auth.required || tokensConfigured(auth) ? bearerOf(c.req.header("Authorization")) : undefined;
  const caller = await identify(token, auth, c.req.param("room") ?? "");
  if (caller.ok) {
    if (caller.value !== undefined) c.set("app", caller.value);
    return next();
  }
  log("refused", { requestId: c.get("requestId"), reason: caller.code, room: c.req.param("room") });
  if (caller.code === "forbidden_room") return httpError(c, 403, caller.code, caller.message);
  // RFC 6750: a 401 names the scheme, and says whether the token presented was the problem.
  c.header("WWW-Authenticate", caller.code === "token_required" ? 'Bearer realm="chat"' : `Bearer realm="chat", error="invalid_token"`);
  return httpError(c, 401, caller.code, caller.message);
};
