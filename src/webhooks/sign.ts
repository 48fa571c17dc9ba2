/**
 * @module
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` keyed with the secret
 * decoded from `whsec_<base64>`, so the `standardwebhooks` and `svix` libraries verify it as is.
 */

const PREFIX = "whsec_";

/** The key inside a `whsec_<base64>` secret, or undefined when it is not one. */
export function parseSecret(secret: string): Uint8Array | undefined {
  if (!secret.startsWith(PREFIX)) return undefined;
  try {
    const key = Uint8Array.from(atob(secret.slice(PREFIX.length)), (char) => char.charCodeAt(0));
    // Shorter keys are guessable; the spec asks for 24 to 64 bytes.
    return key.byteLength >= 16 ? key : undefined;
  } catch {
    return undefined;
  }
}

function base64(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Signs with one key; the imported WebCrypto key is kept for every later request. */
export class Signer {
  private key: Promise<CryptoKey> | undefined;

  constructor(private readonly secret: Uint8Array) {}

  /** The three Standard Webhooks headers for `body`, sent as delivery `id` at `now`. */
  async headers(id: string, body: string, now = Date.now()): Promise<Record<string, string>> {
    const timestamp = String(Math.floor(now / 1000));
    this.key ??= crypto.subtle.importKey("raw", this.secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = await crypto.subtle.sign("HMAC", await this.key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
    return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${base64(mac)}` };
  }
}
