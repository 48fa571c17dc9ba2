/**
 * @module
 * Who someone is, without accounts: holding a secret proves it. A browser's secret lives in an
 * HttpOnly cookie the worker sets; other clients send theirs as `key=`. Only a uid derived from it
 * is ever published. The worker resolves the uid and hands it to the room object, which never sees
 * a secret.
 */
import { generateCookie } from "hono/cookie";

/** The cookie's name without its `__Host-` prefix (which pins it to this host, path `/` and Secure). */
export const COOKIE_NAME = "chat_id";
/** Chromium caps cookie lifetimes at 400 days; every room page visit renews it. */
const COOKIE_MAX_AGE_SECONDS = 400 * 86400;

const SECRET = /^[A-Za-z0-9_-]{16,128}$/;
const UID_BYTES = 16;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A key or cookie value: 16-128 characters of `A-Z a-z 0-9 - _`. */
export function isSecret(value: string): boolean {
  return SECRET.test(value);
}

/** 32 random bytes: 256 bits nobody can guess. */
export function newSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The public id of a secret in one room: `u_` and 128 bits of SHA-256. The room name is hashed in
 * so that the same browser cannot be recognised across rooms by comparing uids.
 */
export async function uidOf(secret: string, room: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`edge-chat uid v1\0${room}\0${secret}`));
  return `u_${base64url(new Uint8Array(digest, 0, UID_BYTES))}`;
}

/**
 * A connection's network, hashed with the room's name: an IPv4 address whole, an IPv6 one by its
 * /64, which one household or phone usually holds whole (and rotates addresses inside). Kept only
 * by a ban that asks for it. Pseudonymous, not anonymous: whoever knows the room's name can hash
 * every IPv4 address and compare.
 */
export async function addressOf(ip: string, room: string): Promise<string> {
  const network = ip.includes(":") ? ipv6Prefix(ip) : ip;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`edge-chat address v1\0${room}\0${network}`));
  return `a_${base64url(new Uint8Array(digest, 0, UID_BYTES))}`;
}

/** The first four groups of an IPv6 address, `::` expanded, in one spelling. */
function ipv6Prefix(ip: string): string {
  const [head = "", tail] = ip.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/** A uid for one connection only, for clients that bring neither cookie nor key. */
function oneOffUid(): string {
  return `u_${base64url(crypto.getRandomValues(new Uint8Array(UID_BYTES)))}`;
}

/**
 * Who connects: the key when there is one (an explicit key beats an ambient cookie), else the
 * cookie, else a one-off identity. A malformed cookie counts as none: the page replaces it on the
 * next visit. `undefined` means the key is malformed, which the caller refuses.
 */
export async function resolveUid(key: string | null, cookie: string | undefined, room: string): Promise<string | undefined> {
  if (key !== null) return isSecret(key) ? uidOf(key, room) : undefined;
  if (cookie !== undefined && isSecret(cookie)) return uidOf(cookie, room);
  return oneOffUid();
}

/**
 * The Set-Cookie value carrying a browser's secret. HttpOnly: no script, not even ours, can read
 * it. SameSite=Lax rather than Strict: a share link followed from another site is a top-level GET,
 * and Strict would withhold the cookie there, so the worker would hand out a new identity and the
 * person would lose authorship of everything they wrote. Lax still withholds it from any
 * cross-site subrequest, the WebSocket upgrade included.
 */
export function identityCookie(secret: string): string {
  return generateCookie(COOKIE_NAME, secret, {
    prefix: "host",
    httpOnly: true,
    sameSite: "Lax",
    maxAge: COOKIE_MAX_AGE_SECONDS,
  });
}

/** The embedded rooms' cookie (src/http/embed.ts): its own name, so it never shadows the page's. */
export const EMBED_COOKIE_NAME = "chat_embed";

/**
 * The Set-Cookie value carrying the secret of a person inside an embedded room. A frame on another
 * site is a third-party context: a Lax cookie never reaches its socket, and browsers that block
 * third-party cookies drop any unpartitioned one. Partitioned (CHIPS) keeps it, keyed by the site
 * around the frame, so the same browser is one person per embedding site and never trackable
 * across them. SameSite=None lets it ride the frame's socket; the worker honours it only on a
 * socket from its own origin (that is, from the frame).
 */
export function embedIdentityCookie(secret: string): string {
  return generateCookie(EMBED_COOKIE_NAME, secret, {
    prefix: "host",
    httpOnly: true,
    sameSite: "None",
    partitioned: true,
    maxAge: COOKIE_MAX_AGE_SECONDS,
  });
}
