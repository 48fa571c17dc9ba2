/**
 * @module
 * A file's `url`, and the signature that opens it in a room that admits only token holders
 * (`AUTH_REQUIRED=1`). An `<img>` and a download link cannot send `Authorization: Bearer`, and a
 * token in a URL would end up in logs and histories; so the room hands out each file's URL with
 * `?exp=<s>&sig=<HMAC>` instead (docs/protocol.md, *Files*). The signature covers the file's key
 * (`<room>/<id>`, so another room's or another file's signature fails) and its expiry, under a key
 * derived from `FILE_URL_SECRET` or, without one, from `AUTH_SECRET` under a label of its own, so
 * the derived key can sign nothing a token check would accept. The first secret signs; every
 * listed one verifies, so both rotate without breaking URLs already handed out.
 *
 * Expiries are rounded up to whole windows of `FILE_URL_SECONDS` (default an hour) and a URL lives
 * one to two windows: every copy of a message sent in one window carries the same URL, so a frame
 * is still encoded once for all its readers and the browser's cache keeps the image for the window.
 *
 * HMAC-SHA256 from @noble/hashes because it is synchronous: the room builds file references inside
 * its SQLite reads (history pages, the welcome, a new message), where WebCrypto's promises cannot go.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { readConfig } from "../config";

export interface UrlSigning {
  /** Derived keys; the first signs, any verifies. */
  keys: Uint8Array[];
  /** The window expiries are rounded to, in seconds. */
  windowSeconds: number;
}

export type UrlRefusal = { ok: false; status: 401 | 403; code: "file_url_expired" | "invalid_file_url"; message: string };

const LABEL = new TextEncoder().encode("edge-chat file URL v1");
const DEFAULT_WINDOW_SECONDS = 3600;
/** Base64url of 32 bytes. */
const SIG = /^[A-Za-z0-9_-]{43}$/;
const derived = new Map<string, Uint8Array>();

function derive(secret: string): Uint8Array {
  let key = derived.get(secret);
  if (key === undefined) {
    key = hkdf(sha256, new TextEncoder().encode(secret), undefined, LABEL, 32);
    derived.set(secret, key);
  }
  return key;
}

function secretsOf(value: unknown): string[] {
  return String(value ?? "")
    .split(",")
    .map((secret) => secret.trim())
    .filter((secret) => secret !== "");
}

/**
 * How this deployment signs file URLs: only when tokens are required (otherwise anyone with the
 * room's name reads its files, as they read its history). `undefined` also when no secret exists
 * (a JWKS-only setup without `FILE_URL_SECRET`): then a file needs a bearer like any other read.
 */
export function readUrlSigning(env: object): UrlSigning | undefined {
  const vars = env as Record<string, unknown>;
  const { auth } = readConfig(env);
  if (!auth.required) return undefined;
  const own = secretsOf(vars.FILE_URL_SECRET);
  const secrets = own.length > 0 ? own : auth.secrets;
  if (secrets.length === 0) return undefined;
  const window = Number(vars.FILE_URL_SECONDS);
  return { keys: secrets.map(derive), windowSeconds: Number.isInteger(window) && window >= 60 ? window : DEFAULT_WINDOW_SECONDS };
}

function tag(key: Uint8Array, room: string, id: string, exp: number): string {
  const mac = hmac(sha256, key, new TextEncoder().encode(`${room}/${id}\n${exp}`));
  return btoa(String.fromCharCode(...mac))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function expiryFor(now: number, window: number): number {
  return (Math.floor(now / 1000 / window) + 2) * window;
}

/** The URL a room hands out for file `id`: signed when `signing` is set, valid one to two windows from `now`. */
export function fileUrl(room: string, id: string, signing: UrlSigning | undefined, now = Date.now()): string {
  const path = `/api/rooms/${room}/files/${id}`;
  if (signing === undefined) return path;
  const exp = expiryFor(now, signing.windowSeconds);
  return `${path}?exp=${exp}&sig=${tag(signing.keys[0]!, room, id, exp)}`;
}

/** Signed URLs a room keeps for the window they share: each welcome's history would sign them all again (about 10 µs each). */
const CACHED_URLS = 10_000;

/** One room's file URLs, each signed once per window. */
export class FileUrls {
  private exp = 0;
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly room: string,
    private readonly signing: UrlSigning | undefined,
  ) {}

  of(id: string, now = Date.now()): string {
    if (this.signing === undefined) return fileUrl(this.room, id, undefined);
    const exp = expiryFor(now, this.signing.windowSeconds);
    if (exp !== this.exp) {
      this.cache.clear();
      this.exp = exp;
    }
    let url = this.cache.get(id);
    if (url === undefined) {
      url = fileUrl(this.room, id, this.signing, now);
      if (this.cache.size < CACHED_URLS) this.cache.set(id, url);
    }
    return url;
  }
}

/** Whether `exp` and `sig` from a file's URL open file `id` of `room` at `now`. */
export function checkFileUrl(
  room: string,
  id: string,
  exp: string | undefined,
  sig: string | undefined,
  signing: UrlSigning,
  now = Date.now(),
): { ok: true } | UrlRefusal {
  if (exp === undefined || !/^\d{1,12}$/.test(exp) || sig === undefined || !SIG.test(sig)) {
    return { ok: false, status: 403, code: "invalid_file_url", message: "the file URL's exp or sig is missing or malformed" };
  }
  const expiry = Number(exp);
  if (!signing.keys.some((key) => sameText(tag(key, room, id, expiry), sig))) {
    return { ok: false, status: 403, code: "invalid_file_url", message: "the file URL's signature does not match this file of this room" };
  }
  if (expiry * 1000 <= now) {
    return { ok: false, status: 401, code: "file_url_expired", message: "the file URL has expired; the message's current copy carries a fresh one" };
  }
  return { ok: true };
}

/** Compares in time that does not depend on where the strings differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
