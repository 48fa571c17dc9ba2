/**
 * The app's key set (AUTH_JWKS_URL): keys chosen by kid, cached for Cache-Control's max-age (an
 * hour without one), refetched at most once a minute for an unknown kid, kept in use while the
 * endpoint is down, and a quick `invalid_token` (about 1 s timeout, one retry) when nothing is
 * cached. The clock is the key set's own, so a minute passes in no time.
 */
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { KeySet } from "../../src/tokens/key-set";
import { verifyToken } from "../../src/tokens/verify";
import { settings } from "./helpers";
import { type AppKey, appKey, breakEndpoint, endpointName, endpointUrl, fetches, publish, sign } from "./jwks-helpers";

const MINUTE = 60_000;

/** A key set on a fresh endpoint with `keys`, read on a clock the test moves. */
async function keySet(keys: AppKey[], cacheControl?: string) {
  const name = endpointName();
  await publish(name, keys, cacheControl === undefined ? {} : { cacheControl });
  const clock = { now: 1_000_000 };
  const set = new KeySet(endpointUrl(name), { now: () => clock.now });
  const accepts = async (token: string) =>
    jwtVerify(token, set.key).then(
      () => true,
      () => false,
    );
  return { name, clock, set, accepts };
}

describe("keys chosen by kid", () => {
  it("ES256, RS256 and EdDSA tokens from one key set are accepted, with one fetch for all", async () => {
    const keys = await Promise.all([appKey("ES256"), appKey("RS256"), appKey("EdDSA")]);
    const name = endpointName();
    await publish(name, keys);
    const withJwks = settings({ jwksUrl: endpointUrl(name) });
    for (const key of keys)
      expect(await verifyToken(await sign(key, { sub: key.alg }), withJwks, "lobby"), key.alg).toMatchObject({ ok: true, value: { uid: `app:${key.alg}` } });
    expect(await fetches(name)).toBe(1);
  });

  it("a token signed by another key under a listed kid is refused", async () => {
    const [listed, impostor] = await Promise.all([appKey("ES256"), appKey("ES256")]);
    const { accepts } = await keySet([listed]);
    expect(await accepts(await sign(impostor, {}, listed.kid))).toBe(false);
    expect(await accepts(await sign(listed))).toBe(true);
  });
});

describe("caching", () => {
  it("honours Cache-Control max-age", async () => {
    const key = await appKey("ES256");
    const { name, clock, accepts } = await keySet([key], "public, max-age=120");
    const token = await sign(key);
    expect(await accepts(token)).toBe(true);
    clock.now += 119_000;
    expect(await accepts(token)).toBe(true);
    expect(await fetches(name)).toBe(1);
    clock.now += 2000;
    expect(await accepts(token)).toBe(true);
    expect(await fetches(name)).toBe(2);
  });

  it("keeps keys an hour without Cache-Control", async () => {
    const key = await appKey("ES256");
    const { name, clock, accepts } = await keySet([key]);
    const token = await sign(key);
    await accepts(token);
    clock.now += 59 * MINUTE;
    await accepts(token);
    expect(await fetches(name)).toBe(1);
    clock.now += 2 * MINUTE;
    await accepts(token);
    expect(await fetches(name)).toBe(2);
  });

  it("never fetches on every token, even when the endpoint says max-age=0", async () => {
    const key = await appKey("ES256");
    const { name, clock, accepts } = await keySet([key], "max-age=0");
    const token = await sign(key);
    for (let i = 0; i < 20; i++) {
      await accepts(token);
      clock.now += 1000;
    }
    expect(await fetches(name)).toBe(1);
  });
});

describe("rotation: a kid the cache does not know", () => {
  it("a new kid appearing in the endpoint costs one refetch, and its tokens are accepted", async () => {
    const [old, rotated] = await Promise.all([appKey("ES256", "k-old"), appKey("ES256", "k-new")]);
    const { name, clock, accepts } = await keySet([old]);
    expect(await accepts(await sign(old))).toBe(true);
    await publish(name, [old, rotated]);
    clock.now += MINUTE;
    expect(await accepts(await sign(rotated))).toBe(true);
    expect(await accepts(await sign(old))).toBe(true);
    expect(await fetches(name)).toBe(2);
  });

  it("unknown kids refetch at most once a minute, however many arrive", async () => {
    const key = await appKey("ES256");
    const { name, clock, accepts } = await keySet([key]);
    await accepts(await sign(key));
    clock.now += MINUTE;
    const strangers = await Promise.all(Array.from({ length: 50 }, (_, i) => sign(key, {}, `unknown-${i}`)));
    expect(await Promise.all(strangers.map(accepts))).toEqual(strangers.map(() => false));
    expect(await fetches(name)).toBe(2);
    clock.now += MINUTE - 1000;
    expect(await accepts(strangers[0]!)).toBe(false);
    expect(await fetches(name)).toBe(2);
    clock.now += 1000;
    await accepts(strangers[0]!);
    expect(await fetches(name)).toBe(3);
  });
});

describe("the endpoint down", () => {
  it("cached keys keep working past their max-age, with one retry and then a minute's rest", async () => {
    const key = await appKey("ES256");
    const { name, clock, accepts } = await keySet([key]);
    const token = await sign(key);
    await accepts(token);
    await breakEndpoint(name, { status: 503 });
    clock.now += 61 * MINUTE;
    expect(await accepts(token)).toBe(true);
    expect(await fetches(name)).toBe(3);
    clock.now += 30_000;
    expect(await accepts(token)).toBe(true);
    expect(await fetches(name)).toBe(3);
  });

  it("with nothing cached, a clear invalid_token at once, without hammering the endpoint", async () => {
    const key = await appKey("ES256");
    const name = endpointName();
    await breakEndpoint(name, { status: 503 });
    const withJwks = settings({ jwksUrl: endpointUrl(name) });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, async () => verifyToken(await sign(key), withJwks, "lobby")));
    expect(Date.now() - started).toBeLessThan(3000);
    for (const result of results)
      expect(result).toMatchObject({ ok: false, code: "invalid_token", message: expect.stringContaining("key set could not be fetched") });
    // One fetch and its retry, shared by every waiting token.
    expect(await fetches(name)).toBe(2);
  });

  it("a hanging endpoint times out after about a second, is retried once, then tokens are refused at once", async () => {
    const key = await appKey("ES256");
    const name = endpointName();
    await breakEndpoint(name, { hangMs: 10_000 });
    const withJwks = settings({ jwksUrl: endpointUrl(name) });
    const started = Date.now();
    expect(await verifyToken(await sign(key), withJwks, "lobby")).toMatchObject({ ok: false, code: "invalid_token" });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(6000);
    expect(await fetches(name)).toBe(2);
    const again = Date.now();
    expect(await verifyToken(await sign(key), withJwks, "lobby")).toMatchObject({ ok: false, code: "invalid_token" });
    expect(Date.now() - again).toBeLessThan(500);
    expect(await fetches(name)).toBe(2);
  });

  it("once the endpoint is back, keys are fetched again after a few seconds' rest", async () => {
    const key = await appKey("ES256");
    const name = endpointName();
    await breakEndpoint(name, { status: 500 });
    const clock = { now: 1_000_000 };
    const set = new KeySet(endpointUrl(name), { now: () => clock.now });
    const token = await sign(key);
    await expect(jwtVerify(token, set.key)).rejects.toThrow();
    await publish(name, [key]);
    clock.now += 6000;
    await expect(jwtVerify(token, set.key)).resolves.toMatchObject({ payload: { sub: "42" } });
    expect(await fetches(name)).toBe(3);
  });

  it("an endpoint answering something other than a key set counts as down", async () => {
    const key = await appKey("ES256");
    const name = endpointName();
    await breakEndpoint(name, { status: 404 });
    const result = await verifyToken(await sign(key), settings({ jwksUrl: endpointUrl(name) }), "lobby");
    expect(result).toMatchObject({ ok: false, code: "invalid_token" });
  });
});
