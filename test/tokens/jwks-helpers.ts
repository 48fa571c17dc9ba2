/**
 * The app's key pairs and its JWKS endpoint (test/support/jwks-server.ts, reached as the worker's
 * outbound service): publish public keys under a name, read how often the endpoint was fetched.
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { EndpointScript } from "../support/jwks-server";
import { claims } from "./helpers";

const CONTROL = "http://127.0.0.1:9/control/jwks";

export interface AppKey {
  kid: string;
  alg: "RS256" | "ES256" | "EdDSA";
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function appKey(alg: AppKey["alg"], kid = `${alg}-${crypto.randomUUID().slice(0, 8)}`): Promise<AppKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg === "EdDSA" ? "Ed25519" : alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** Signs `claims(overrides)` with `key`, naming its kid (or `kid`). */
export function sign(key: AppKey, overrides: Record<string, unknown> = {}, kid = key.kid): Promise<string> {
  return new SignJWT(claims(overrides)).setProtectedHeader({ alg: key.alg, kid, typ: "JWT" }).sign(key.privateKey);
}

/** A fresh endpoint name: a key set no isolate has cached yet. */
export function endpointName(): string {
  return `set-${crypto.randomUUID()}`;
}

export function endpointUrl(name: string): string {
  return `http://127.0.0.1:9/jwks/${name}`;
}

/** Sets how the endpoint answers from now on (its keys: the public halves of `keys`). */
export async function publish(name: string, keys: AppKey[], script: Omit<EndpointScript, "keys"> = {}): Promise<void> {
  await fetch(`${CONTROL}/${name}`, { method: "POST", body: JSON.stringify({ status: 200, hangMs: 0, ...script, keys: keys.map((key) => key.jwk) }) });
}

/** Makes the endpoint fail (`status`) or hang (`hangMs`) from now on. */
export async function breakEndpoint(name: string, script: Omit<EndpointScript, "keys">): Promise<void> {
  await fetch(`${CONTROL}/${name}`, { method: "POST", body: JSON.stringify(script) });
}

/** How many times the endpoint was fetched so far. */
export async function fetches(name: string): Promise<number> {
  return ((await (await fetch(`${CONTROL}/${name}`)).json()) as { fetches: number }).fetches;
}
