/**
 * @module
 * The handoff between the worker and the objects that hold a room's sockets: what the worker
 * tells an object about a newcomer (headers it sets itself, never a client's), how a room sends a
 * newcomer on to one of its fan-out objects, and how those objects are named.
 */
import type { GrantedRole } from "../tokens/claims";
import { isUid } from "../wire/checks";
import { type ConnectParams, parseConnectParams } from "../wire/parse";

/** How the worker tells the room object who connects. Set by the worker on every upgrade it forwards. */
export const UID_HEADER = "x-chat-uid";
/** Where they connect from, hashed (`addressOf`); absent when the platform did not say. */
export const ADDRESS_HEADER = "x-chat-address";
/** With an app's token (verified by the worker, which never forwards the token): when it expires, in seconds. */
export const EXP_HEADER = "x-chat-exp";
/** With an app's token: the role it grants in this room, `owner` or `moderator`. */
export const ROLE_HEADER = "x-chat-role";
/** Every header the worker sets about a newcomer: a client's own are dropped before it sets them. */
export const HANDOFF_HEADERS = [UID_HEADER, ADDRESS_HEADER, EXP_HEADER, ROLE_HEADER];

/** How the room sends a newcomer's upgrade on to a fan-out object, through the worker (http/app.ts). */
export const SHARD_HEADER = "x-edge-chat-shard";
export const TICKET_HEADER = "x-edge-chat-ticket";

/** Fan-out objects are named `<room>/<index>`: room names never contain a slash. */
export function shardName(room: string, index: number): string {
  return `${room}/${index}`;
}

export function parseShardName(name: string): { room: string; index: number } {
  const at = name.lastIndexOf("/");
  return { room: name.slice(0, at), index: Number(name.slice(at + 1)) };
}

/** An upgrade as the worker hands it over (http/app.ts): the connect parameters and who is asking. */
export interface Upgrade {
  params: ConnectParams;
  uid: string;
  /** The newcomer's hashed network (identity.ts, addressOf). */
  address?: string;
  /** With an app's token: when it expires (seconds since epoch). */
  exp?: number;
  /** With an app's token: the role it grants here. */
  role?: GrantedRole;
  requestId?: string;
}

/** Reads an upgrade, or the HTTP answer refusing it. Only the worker calls objects, and it always sets the uid. */
export function readUpgrade(request: Request): Upgrade | Response {
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return Response.json({ error: { code: "upgrade_required", message: "expected a WebSocket upgrade" } }, { status: 426 });
  }
  const params = parseConnectParams(new URL(request.url).searchParams);
  if (!params.ok) return Response.json({ error: { code: params.code, message: params.message } }, { status: 400 });
  const uid = request.headers.get(UID_HEADER);
  if (uid === null || !isUid(uid)) {
    return Response.json({ error: { code: "internal_error", message: "no identity from the worker" } }, { status: 500 });
  }
  const upgrade: Upgrade = { params: params.value, uid };
  const address = request.headers.get(ADDRESS_HEADER);
  const requestId = request.headers.get("x-request-id");
  if (address !== null) upgrade.address = address;
  if (requestId !== null) upgrade.requestId = requestId;
  const exp = Number(request.headers.get(EXP_HEADER) ?? Number.NaN);
  if (Number.isFinite(exp)) upgrade.exp = exp;
  const role = request.headers.get(ROLE_HEADER);
  if (role === "owner" || role === "moderator") upgrade.role = role;
  return upgrade;
}
