/**
 * @module
 * Whether an app-signed token (JWT) is good for a room, with jose doing all of JOSE. HS256 tokens
 * are checked against every secret in `AUTH_SECRET` (rotation: old and new side by side); every
 * other algorithm only against the app's key set (`AUTH_JWKS_URL`), so a token cannot choose how it
 * is checked: `alg: none` and an HS256 token "signed" with a public key both fail. Refusals name
 * the rule that failed, never the token.
 */
import { decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyOptions, jwtVerify } from "jose";
import type { Config } from "../config";
import { appUid, type GrantedRole, grantedRole, mayJoin, readClaims } from "./claims";
import { KeySetUnavailable, keySetFor } from "./key-set";
import { VerifiedTokens } from "./verified";

/** The auth part of the config (config.ts). */
export type AuthSettings = Config["auth"];

type TokenCode = "token_required" | "invalid_token" | "token_expired" | "forbidden_room";
export type TokenRefusal = { ok: false; code: TokenCode; message: string };

/** Who a valid token says connects, as the room needs it. */
export interface AppIdentity {
  uid: string;
  sub: string;
  name?: string;
  /** Seconds since epoch. */
  exp: number;
  /** The app's role for this person in this room. */
  role?: GrantedRole;
}

/** Longer than any sane JWT; refused before parsing anything. */
const MAX_TOKEN_CHARS = 8192;
const CLOCK_SKEW_SECONDS = 60;
const KEY_SET_ALGORITHMS = ["RS256", "ES256", "EdDSA", "Ed25519"];

/** Whether tokens can be checked at all: a secret or a key set is configured. */
export function tokensConfigured(settings: AuthSettings): boolean {
  return settings.secrets.length > 0 || settings.jwksUrl !== undefined;
}

/** The token a request presents: `token=` in the URL (browsers' sockets), else `Authorization: Bearer`. */
export function presentedToken(url: URL, authorization: string | undefined): string | undefined {
  return url.searchParams.get("token") ?? bearerOf(authorization);
}

/** The token of an `Authorization: Bearer <JWT>` header, the only way HTTP reads present one. */
export function bearerOf(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
}

/** Checks `token` for `room` at `now` (ms): signature, times, claims, and that it may join the room. */
export async function verifyToken(
  token: string,
  settings: AuthSettings,
  room: string,
  now = Date.now(),
): Promise<{ ok: true; value: AppIdentity } | TokenRefusal> {
  if (token.length > MAX_TOKEN_CHARS) return invalid(`the token is over ${MAX_TOKEN_CHARS} characters`);
  const verified = await signedPayload(token, settings, now);
  if (!verified.ok) return verified;
  const payload = verified.value;
  const seconds = Math.floor(now / 1000);
  if (typeof payload.iat === "number" && payload.iat > seconds + CLOCK_SKEW_SECONDS) return invalid("the token was issued in the future (iat)");
  const claims = readClaims(payload as Record<string, unknown>);
  if (!claims.ok) return invalid(claims.message);
  const { sub, name, exp } = claims.value;
  // No skew past exp (jose allows it): the room closes a socket at exp, so a token accepted after
  // it would be welcomed and dropped at once.
  if (exp <= seconds) return { ok: false, code: "token_expired", message: EXPIRED };
  if (exp - (payload.iat ?? seconds) > settings.maxTtlSeconds) return invalid(`the token lives longer than ${settings.maxTtlSeconds} s (exp - iat)`);
  if (!mayJoin(claims.value, room)) return { ok: false, code: "forbidden_room", message: "the token's rooms do not include this room" };
  const identity: AppIdentity = { uid: appUid(sub), sub, exp };
  if (name !== undefined) identity.name = name;
  const role = grantedRole(claims.value, room);
  if (role !== undefined) identity.role = role;
  return { ok: true, value: identity };
}

/** The isolate's verified tokens: every connection and every room object in it share them. */
const verifiedTokens = new VerifiedTokens();

/** jose's verdict on the token under `settings`, from the isolate's verified tokens when it has one. */
async function signedPayload(token: string, settings: AuthSettings, now: number): Promise<{ ok: true; value: JWTPayload } | TokenRefusal> {
  // Who may sign and what they must say: a verdict under other settings counts for nothing.
  const scope = JSON.stringify([settings.secrets, settings.jwksUrl, settings.issuer, settings.audience]);
  const known = verifiedTokens.get(scope, token, now);
  if (known !== undefined) return { ok: true, value: known };
  const verified = await checkSignature(token, settings, now);
  if (verified.ok) verifiedTokens.set(scope, token, verified.value, now);
  return verified;
}

async function checkSignature(token: string, settings: AuthSettings, now: number): Promise<{ ok: true; value: JWTPayload } | TokenRefusal> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return invalid("the token is not a JWT");
  }
  const options: JWTVerifyOptions = { clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ["exp", "sub"], currentDate: new Date(now) };
  if (settings.issuer !== undefined) options.issuer = settings.issuer;
  if (settings.audience !== undefined) options.audience = settings.audience;
  if (alg === "HS256" && settings.secrets.length > 0) return bySecrets(token, settings.secrets, { ...options, algorithms: ["HS256"] });
  if (alg !== "HS256" && settings.jwksUrl !== undefined) {
    return attempt(() => jwtVerify(token, keySetFor(settings.jwksUrl!).key, { ...options, algorithms: KEY_SET_ALGORITHMS }));
  }
  return invalid(`tokens signed with ${String(alg).slice(0, 16)} are not accepted here`);
}

/** A token signed by any listed secret is valid: the next secret is tried only after a bad signature. */
async function bySecrets(token: string, secrets: string[], options: JWTVerifyOptions): Promise<{ ok: true; value: JWTPayload } | TokenRefusal> {
  let last: { ok: true; value: JWTPayload } | TokenRefusal = invalid("the token's signature does not match");
  for (const secret of secrets) {
    const key = await hmacKey(secret);
    last = await attempt(() => jwtVerify(token, key, options));
    if (last.ok || last.message !== SIGNATURE) return last;
  }
  return last;
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/**
 * A secret as a CryptoKey, imported once per isolate: given raw bytes, jose imports them again on
 * every verification. The secrets are the config's few, so the map stays small.
 */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

const SIGNATURE = "the token's signature does not match";
const EXPIRED = "the token has expired; get a fresh one";

async function attempt(verify: () => Promise<{ payload: JWTPayload }>): Promise<{ ok: true; value: JWTPayload } | TokenRefusal> {
  try {
    return { ok: true, value: (await verify()).payload };
  } catch (error) {
    return refusalOf(error);
  }
}

/** jose's errors as refusals, in fixed words: its messages could one day quote a claim. */
function refusalOf(error: unknown): TokenRefusal {
  if (error instanceof errors.JWTExpired) return { ok: false, code: "token_expired", message: EXPIRED };
  if (error instanceof errors.JWTClaimValidationFailed) return invalid(`the token's ${error.claim} claim is not acceptable`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid(SIGNATURE);
  if (error instanceof errors.JWKSNoMatchingKey) return invalid("the token names a key (kid) the app's key set does not have");
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid("the token's algorithm is not accepted");
  if (error instanceof KeySetUnavailable) return invalid("the app's key set could not be fetched; try again shortly");
  return invalid("the token is malformed");
}

function invalid(message: string): TokenRefusal {
  return { ok: false, code: "invalid_token", message };
}
