/**
 * @module
 * Tokens at the door: what the worker decides about a newcomer's token before any room object
 * sees them, and how it says no. Refusals come in-band (an error frame, then close 4401 or 4403)
 * because a browser never shows its page an upgrade's HTTP status.
 */
import { log } from "../log";
import { CLOSE, errorFrame } from "../wire/protocol";
import { type AppIdentity, type AuthSettings, type TokenRefusal, tokensConfigured, verifyToken } from "./verify";

/**
 * The app user a request's token names, `undefined` for an anonymous newcomer (allowed unless
 * AUTH_REQUIRED), or why it may not come in.
 */
export async function identify(
  token: string | undefined,
  settings: AuthSettings,
  room: string,
): Promise<{ ok: true; value: AppIdentity | undefined } | TokenRefusal> {
  if (token === undefined) {
    if (!settings.required) return { ok: true, value: undefined };
    return { ok: false, code: "token_required", message: "this server admits only people with a token from its app" };
  }
  if (!tokensConfigured(settings))
    return { ok: false, code: "invalid_token", message: "this server accepts no tokens (neither AUTH_SECRET nor AUTH_JWKS_URL is set)" };
  return verifyToken(token, settings, room);
}

/** The close code that goes with a token refusal. */
export function closeCodeOf(refusal: TokenRefusal): number {
  return refusal.code === "forbidden_room" ? CLOSE.forbiddenRoom : CLOSE.unauthorized;
}

/** Accepts the upgrade in the worker only to say why it may not stay; no room object is woken. */
export function refuseInBand(refusal: TokenRefusal, requestId?: string): Response {
  log("refused", { reason: refusal.code, requestId });
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.send(JSON.stringify(errorFrame(refusal)));
  server.close(closeCodeOf(refusal), refusal.code);
  return new Response(null, { status: 101, webSocket: client });
}
