/** Tokens as an app's backend signs them, for browser tests against a `wrangler dev` with AUTH_SECRET. */
import { SignJWT } from "jose";

export const AUTH_SECRET = "e2e-token-test-secret-0123456789";

export interface Claims {
  sub?: string;
  name?: string;
  rooms?: string[];
  /** Seconds from now; negative for a token already expired. */
  expiresIn?: number;
  issuedAgo?: number;
}

export function sign({ sub = "42", expiresIn = 3600, issuedAgo = 0, ...claims }: Claims = {}, secret = AUTH_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt(now - issuedAgo)
    .setExpirationTime(now + expiresIn)
    .sign(new TextEncoder().encode(secret));
}
