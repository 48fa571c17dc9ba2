/**
 * Tokens met again: their signature is not checked twice within a minute, but every rule that
 * depends on the clock or the room is, and a verdict counts only under the settings it was reached
 * under. The map of verified tokens is bounded, least recently used out first.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { VerifiedTokens } from "../../src/tokens/verified";
import { verifyToken } from "../../src/tokens/verify";
import { mint, OLD_SECRET, settings } from "./helpers";

const T = 1_950_000_000;
const at = (seconds: number) => seconds * 1000;

/** Counts the signature checks jose asks WebCrypto for. */
function countVerifications() {
  return vi.spyOn(crypto.subtle, "verify");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a token verified again", () => {
  it("within a minute is not checked for its signature twice", async () => {
    const token = await mint({ sub: "again", iat: T, exp: T + 600 });
    const verify = countVerifications();
    expect(await verifyToken(token, settings(), "lobby", at(T))).toMatchObject({ ok: true });
    expect(await verifyToken(token, settings(), "lobby", at(T + 59))).toMatchObject({ ok: true, value: { uid: "app:again" } });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("a minute later is checked again", async () => {
    const token = await mint({ sub: "later", iat: T, exp: T + 600 });
    await verifyToken(token, settings(), "lobby", at(T));
    const verify = countVerifications();
    expect(await verifyToken(token, settings(), "lobby", at(T + 60))).toMatchObject({ ok: true });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("at its exp is token_expired, whatever was verified before", async () => {
    const token = await mint({ iat: T, exp: T + 30 });
    expect(await verifyToken(token, settings(), "lobby", at(T + 29))).toMatchObject({ ok: true });
    expect(await verifyToken(token, settings(), "lobby", at(T + 30))).toMatchObject({ ok: false, code: "token_expired" });
  });

  it("for a room its rooms do not list is forbidden_room, though it was good for another", async () => {
    const token = await mint({ iat: T, exp: T + 600, rooms: ["team-*"] });
    expect(await verifyToken(token, settings(), "team-7", at(T))).toMatchObject({ ok: true });
    expect(await verifyToken(token, settings(), "lobby", at(T + 1))).toMatchObject({ ok: false, code: "forbidden_room" });
  });

  it("grants the role of the room it is verified for, each time", async () => {
    const token = await mint({ iat: T, exp: T + 600, roles: { "team-7": "moderator" } });
    expect(await verifyToken(token, settings(), "team-7", at(T))).toMatchObject({ ok: true, value: { role: "moderator" } });
    const elsewhere = await verifyToken(token, settings(), "team-8", at(T + 1));
    expect(elsewhere.ok && elsewhere.value.role).toBeUndefined();
  });

  it("under settings that no longer list its secret is invalid_token", async () => {
    const token = await mint({ iat: T, exp: T + 600 });
    expect(await verifyToken(token, settings(), "lobby", at(T))).toMatchObject({ ok: true });
    expect(await verifyToken(token, settings({ secrets: [OLD_SECRET] }), "lobby", at(T + 1))).toMatchObject({ ok: false, code: "invalid_token" });
  });

  it("under another issuer is invalid_token", async () => {
    const token = await mint({ iat: T, exp: T + 600 });
    expect(await verifyToken(token, settings(), "lobby", at(T))).toMatchObject({ ok: true });
    expect(await verifyToken(token, settings({ issuer: "https://other.test" }), "lobby", at(T + 1))).toMatchObject({ ok: false, code: "invalid_token" });
  });

  it("before its nbf (a clock that went back) is checked again, and refused", async () => {
    const token = await mint({ iat: T, nbf: T + 100, exp: T + 600 });
    expect(await verifyToken(token, settings(), "lobby", at(T + 100))).toMatchObject({ ok: true });
    expect(await verifyToken(token, settings(), "lobby", at(T))).toMatchObject({ ok: false, code: "invalid_token" });
  });

  it("that failed is checked again every time (a failure is never kept)", async () => {
    const token = await mint({ iat: T, exp: T + 600 }, "a-secret-the-server-never-heard-of-0123");
    await verifyToken(token, settings(), "lobby", at(T));
    const verify = countVerifications();
    expect(await verifyToken(token, settings(), "lobby", at(T + 1))).toMatchObject({ ok: false, code: "invalid_token" });
    expect(verify).toHaveBeenCalled();
  });
});

describe("the map of verified tokens", () => {
  const payload = (exp: number) => ({ sub: "x", exp });

  it("keeps at most its bound, dropping the least recently used", () => {
    const tokens = new VerifiedTokens(2);
    tokens.set("s", "a", payload(T + 600), at(T));
    tokens.set("s", "b", payload(T + 600), at(T));
    expect(tokens.get("s", "a", at(T))).toBeDefined();
    tokens.set("s", "c", payload(T + 600), at(T));
    expect([tokens.get("s", "a", at(T)), tokens.get("s", "b", at(T)), tokens.get("s", "c", at(T))].map(Boolean)).toEqual([true, false, true]);
    expect(tokens.size).toBe(2);
  });

  it("never keeps a payload past its exp, nor one without exp", () => {
    const tokens = new VerifiedTokens();
    tokens.set("s", "short", payload(T + 10), at(T));
    tokens.set("s", "none", { sub: "x" }, at(T));
    expect(tokens.get("s", "short", at(T + 9))).toBeDefined();
    expect(tokens.get("s", "short", at(T + 10))).toBeUndefined();
    expect(tokens.get("s", "none", at(T))).toBeUndefined();
  });

  it("does not keep a huge token", () => {
    const tokens = new VerifiedTokens();
    tokens.set("s", "x".repeat(4000), payload(T + 600), at(T));
    expect(tokens.size).toBe(0);
  });

  it("drops an entry it finds expired", () => {
    const tokens = new VerifiedTokens();
    tokens.set("s", "a", payload(T + 600), at(T));
    expect(tokens.get("s", "a", at(T + 60))).toBeUndefined();
    expect(tokens.size).toBe(0);
  });
});
