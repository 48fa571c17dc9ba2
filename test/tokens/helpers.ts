/**
 * Minting app tokens the way an app's backend does (jose), and connecting with them. The secrets,
 * issuer and audience are the tokens projects' (vitest.config.ts).
 */
import { env } from "cloudflare:test";
import { type JWTPayload, SignJWT } from "jose";
import { readConfig } from "../../src/config";
import type { AuthSettings } from "../../src/tokens/verify";
import type { ErrorFrame } from "../../src/wire/protocol";
import { type Client, connect } from "../helpers";

/** AUTH_SECRET lists the new secret first, the old one second (a rotation under way). */
export const NEW_SECRET = "test-auth-secret-new-0123456789abcdef";
export const OLD_SECRET = "test-auth-secret-old-0123456789abcdef";
export const ISSUER = "https://app.test";
export const AUDIENCE = "edge-chat";

/** The projects' auth settings, for the rules checked without a socket. */
export function settings(overrides: Partial<AuthSettings> = {}): AuthSettings {
  return { ...readConfig(env).auth, ...overrides };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A token the app would sign: issuer, audience, issued now, ten minutes to live, unless `claims` say otherwise (`undefined` drops one). */
export function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  const now = nowSeconds();
  const base: Record<string, unknown> = { sub: "42", iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, ...overrides };
  for (const [name, value] of Object.entries(base)) if (value === undefined) delete base[name];
  return base as JWTPayload;
}

/** HS256 over `claims(overrides)` with `secret` (the new one by default). */
export function mint(overrides: Record<string, unknown> = {}, secret: string | Uint8Array = NEW_SECRET): Promise<string> {
  const key = typeof secret === "string" ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(claims(overrides)).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
}

/** Connects to `room` with `token` (as `token=`, or as a bearer on the upgrade). */
export function connectWith(room: string, token: string, { bearer = false, query = "" }: { bearer?: boolean; query?: string } = {}): Promise<Client> {
  if (bearer) return connect(room, query ? `?${query}` : "", { Authorization: `Bearer ${token}` });
  return connect(room, `?token=${encodeURIComponent(token)}${query ? `&${query}` : ""}`);
}

/** Connects with a token the room must welcome. */
export async function enter(room: string, token: string, query = ""): Promise<Client> {
  const client = await connectWith(room, token, { query });
  await client.until(() => client.ofType("welcome")[0] ?? client.closed, 3000, "the welcome");
  if (client.closed) throw new Error(`refused: ${JSON.stringify(client.frames)} ${JSON.stringify(client.closed)}`);
  return client;
}

/** What a socket the room turned away was told, and how it was closed. */
export async function refusedAt(client: Client): Promise<{ error: ErrorFrame; closed: { code: number; reason: string } }> {
  const closed = await client.until(() => client.closed, 3000, "the close");
  if (client.ofType("welcome").length > 0) throw new Error("welcomed before the refusal");
  return { error: client.ofType("error")[0]!, closed };
}

/** Connects with `token` and returns the refusal (code, close code and reason). */
export async function refusal(room: string, token: string): Promise<{ code: string; close: number; reason: string; message: string }> {
  const { error, closed } = await refusedAt(await connectWith(room, token));
  return { code: error.code, close: closed.code, reason: closed.reason, message: error.message };
}

/** Sends `{"type":"auth","token"}` and waits for its answer: the `auth` frame or an error. */
export async function refresh(client: Client, token: string): Promise<{ type: "auth"; exp: number } | ErrorFrame> {
  const auths = client.ofType("auth").length;
  const errors = client.ofType("error").length;
  client.send({ type: "auth", token });
  return client.until(() => client.ofType("auth")[auths] ?? client.ofType("error")[errors], 3000, "the auth answer");
}
