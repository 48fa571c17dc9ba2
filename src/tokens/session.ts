/**
 * @module
 * A token refreshed on an open socket (`{"type":"auth","token"}`), judged by whichever object
 * holds the socket: the room's or a fan-out object. The socket stays open on a refusal while its
 * current token is still valid (its expiry closes it), except when the fresh token no longer lists
 * the room.
 */
import type { Departed, Members } from "../sockets/members";
import { closeQuietly, send } from "../sockets/socket";
import { type AuthFrame, errorFrame } from "../wire/protocol";
import type { GrantedRole } from "./claims";
import { closeCodeOf } from "./door";
import { type AuthSettings, type TokenRefusal, verifyToken } from "./verify";

export type Renewal = { ok: true; exp: number; role: GrantedRole | undefined; reply: AuthFrame } | (TokenRefusal & { close: boolean });

/** Checks a fresh token from the socket of `uid` (whose current token expires at `exp`, if it had one) in `room`. */
export async function renew(token: string, settings: AuthSettings, room: string, current: { uid: string; exp: number | undefined }): Promise<Renewal> {
  if (current.exp === undefined) {
    return { ok: false, code: "invalid_token", message: "this connection did not start with a token; connect again with one", close: false };
  }
  const verified = await verifyToken(token, settings, room);
  if (!verified.ok) return { ...verified, close: verified.code === "forbidden_room" };
  const { uid, exp, role } = verified.value;
  // A token holder may refresh their own identity, never take someone else's.
  if (uid !== current.uid) return { ok: false, code: "invalid_token", message: "a refreshed token must have the same sub as the connection's", close: false };
  return { ok: true, exp, role, reply: { type: "auth", exp } };
}

/** Closes one socket whose fresh token no longer lists the room (4403), after saying why; returns who it was. */
export function dismissSocket(members: Members, ws: WebSocket, refusal: TokenRefusal): Departed | undefined {
  send(ws, JSON.stringify(errorFrame(refusal)));
  closeQuietly(ws, closeCodeOf(refusal), refusal.code);
  return members.remove(ws);
}
