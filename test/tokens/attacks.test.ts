/**
 * Tokens made to get in without the app's signature, or to leak: each refused with a clear
 * `invalid_token`, none crashing anything, and no token ever written to a log, an error or a frame.
 */
import { exportSPKI } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifyToken } from "../../src/tokens/verify";
import { CLOSE } from "../../src/wire/protocol";
import { join, roomName } from "../helpers";
import { claims, connectWith, enter, mint, NEW_SECRET, OLD_SECRET, refresh, refusal, refusedAt, settings } from "./helpers";
import { appKey, endpointName, endpointUrl, publish, sign } from "./jwks-helpers";

const base64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const unsigned = (header: Record<string, unknown>) => `${base64url(header)}.${base64url(claims())}.`;

describe("algorithms a token may not choose", () => {
  it("alg none is refused at the door with invalid_token and 4401", async () => {
    const refused = await refusal(roomName(), unsigned({ alg: "none", typ: "JWT" }));
    expect(refused).toMatchObject({ code: "invalid_token", close: CLOSE.unauthorized, reason: "invalid_token" });
  });

  it("alg None, NONE and an empty signature on HS256 are refused too", async () => {
    for (const alg of ["None", "NONE", "HS256"]) expect((await verifyToken(unsigned({ alg }), settings(), "lobby")).ok, alg).toBe(false);
  });

  it("HS256 signed with the app's RSA public key as the secret (algorithm confusion) is refused", async () => {
    const rsa = await appKey("RS256");
    const name = endpointName();
    await publish(name, [rsa]);
    const pem = await exportSPKI(await crypto.subtle.importKey("jwk", rsa.jwk as JsonWebKey, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]));
    const withJwks = settings({ jwksUrl: endpointUrl(name) });
    // The genuine RS256 token passes, so the key set is in use; its public key as an HMAC secret does not.
    expect(await verifyToken(await sign(rsa), withJwks, "lobby")).toMatchObject({ ok: true });
    for (const secret of [pem, JSON.stringify(rsa.jwk)]) {
      const forged = await mint({}, new TextEncoder().encode(secret));
      expect(await verifyToken(forged, withJwks, "lobby")).toMatchObject({ ok: false, code: "invalid_token" });
      expect((await refusal(roomName(), forged)).code).toBe("invalid_token");
    }
  });

  it("an RS256 token is never checked against AUTH_SECRET, nor HS256 against the key set", async () => {
    const rsa = await appKey("RS256");
    const noKeySet = settings({ jwksUrl: undefined });
    delete noKeySet.jwksUrl;
    expect(await verifyToken(await sign(rsa), noKeySet, "lobby")).toMatchObject({
      ok: false,
      code: "invalid_token",
      message: expect.stringContaining("RS256"),
    });
    expect(await verifyToken(await mint(), settings({ secrets: [] }), "lobby")).toMatchObject({ ok: false, code: "invalid_token" });
  });
});

describe("keys", () => {
  it("a kid that names no key in the app's set is invalid_token, saying so", async () => {
    const es = await appKey("ES256");
    const name = endpointName();
    await publish(name, [es]);
    const result = await verifyToken(await sign(es, {}, "no-such-kid"), settings({ jwksUrl: endpointUrl(name) }), "lobby");
    expect(result).toMatchObject({ ok: false, code: "invalid_token", message: expect.stringContaining("kid") });
  });

  it("a token signed with a secret not in AUTH_SECRET is refused", async () => {
    expect(await refusal(roomName(), await mint({}, "a-secret-the-app-never-had-0123456789"))).toMatchObject({
      code: "invalid_token",
      close: CLOSE.unauthorized,
    });
  });

  it("during a rotation, tokens signed by either listed secret get in", async () => {
    const room = roomName();
    const [fresh, old] = await Promise.all([enter(room, await mint({ sub: "new" }, NEW_SECRET)), enter(room, await mint({ sub: "old" }, OLD_SECRET))]);
    expect((await fresh.welcome()).you.uid).toBe("app:new");
    expect((await old.welcome()).you.uid).toBe("app:old");
  });

  it("a bearer on the upgrade works like token=", async () => {
    const client = await connectWith(roomName(), await mint({ sub: "bot-1" }), { bearer: true });
    expect((await client.welcome()).you.uid).toBe("app:bot-1");
  });
});

describe("malformed and oversized tokens", () => {
  it("garbage, a truncated token and a bad signature are invalid_token, and nothing breaks", async () => {
    const good = await mint();
    for (const token of ["garbage", good.slice(0, 40), `${good.slice(0, -2)}xx`, "a.b.c"]) {
      expect((await refusal(roomName(), token)).code, token).toBe("invalid_token");
    }
  });

  it("an oversized token (20 000 characters) gets a clear invalid_token, and the server keeps serving", async () => {
    const huge = await mint({ padding: "x".repeat(20_000) });
    const refused = await refusal(roomName(), huge);
    expect(refused).toMatchObject({ code: "invalid_token", close: CLOSE.unauthorized, message: expect.stringContaining("8192 characters") });
    await join(roomName(), "after");
  });

  it("an oversized token in a refresh is refused and the socket stays open", async () => {
    const client = await enter(roomName(), await mint());
    const answer = await refresh(client, await mint({ padding: "x".repeat(10_000) }));
    expect(answer).toMatchObject({ type: "error", code: "invalid_token", message: expect.stringContaining("8192") });
    expect(client.closed).toBeUndefined();
  });
});

describe("refresh with someone else's sub", () => {
  it("is invalid_token; the socket keeps its identity and stays open", async () => {
    const room = roomName();
    const client = await enter(room, await mint({ sub: "alice" }));
    const answer = await refresh(client, await mint({ sub: "mallory", roles: { [room]: "owner" } }));
    expect(answer).toMatchObject({ type: "error", code: "invalid_token", message: expect.stringContaining("same sub") });
    client.say("still me");
    const [message] = await client.until(() => client.ofType("message").length > 0 && client.ofType("message"), 3000, "the message");
    expect(message!.from.uid).toBe("app:alice");
    expect(client.ofType("room")).toEqual([]);
  });

  it("on an anonymous connection is invalid_token: it did not start with a token", async () => {
    const client = await join(roomName(), "anon");
    expect(await refresh(client, await mint())).toMatchObject({
      type: "error",
      code: "invalid_token",
      message: expect.stringContaining("did not start with a token"),
    });
  });
});

describe("tokens never leak", () => {
  afterEach(() => vi.restoreAllMocks());

  it("appear in no log line, no error message and no frame, whatever happens to them", async () => {
    const lines: string[] = [];
    for (const level of ["log", "error", "warn", "info", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const room = roomName();
    const good = await mint({ sub: "leak-check", name: "Leaky" });
    const tokens = [
      good,
      await mint({ exp: Math.floor(Date.now() / 1000) - 120, iat: Math.floor(Date.now() / 1000) - 200 }),
      await mint({ rooms: ["elsewhere"] }),
    ];
    tokens.push(`${good.slice(0, -3)}abc`, await mint({ sub: "other" }));
    const client = await enter(room, good);
    const refused = await Promise.all(tokens.slice(1, 4).map(async (token) => refusedAt(await connectWith(room, token))));
    await refresh(client, tokens[4]!);
    await refresh(client, tokens[3]!);
    await refresh(client, good);
    const seen = [...lines, ...client.raw, ...refused.map((r) => JSON.stringify(r))].join("\n");
    // The room did log (connects, refusals): the spies saw its lines.
    expect(lines.some((line) => line.includes('"event":"refused"'))).toBe(true);
    for (const token of tokens) {
      const signature = token.split(".")[2]!;
      expect(seen.includes(token)).toBe(false);
      expect(seen.includes(signature)).toBe(false);
    }
  });
});
