/**
 * Reading the webhook settings (src/webhooks/settings.ts), the Retry-After rule, and signatures
 * the `standardwebhooks` package accepts as they are.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_SECONDS, readHookSettings, readWebhookSettings } from "../../src/webhooks/settings";
import { parseSecret, Signer } from "../../src/webhooks/sign";
import { retryAfterMs } from "../../src/webhooks/webhooks";
import { TEST_WEBHOOK_SECRET } from "../support/webhook-receiver";

const SECRET = TEST_WEBHOOK_SECRET;

describe("webhook settings", () => {
  it("are off without WEBHOOK_URL, and with a URL that is not https (http only to loopback) or a bad secret", () => {
    expect(readWebhookSettings({}).endpoint).toBeUndefined();
    expect(readWebhookSettings({ WEBHOOK_URL: "http://example.com/hook", WEBHOOK_SECRET: SECRET }).endpoint).toBeUndefined();
    expect(readWebhookSettings({ WEBHOOK_URL: "https://example.com/hook", WEBHOOK_SECRET: "hunter2" }).endpoint).toBeUndefined();
    expect(readWebhookSettings({ WEBHOOK_URL: "https://example.com/hook", WEBHOOK_SECRET: SECRET }).endpoint?.url).toBe("https://example.com/hook");
    expect(readWebhookSettings({ WEBHOOK_URL: "http://localhost:8788/hook", WEBHOOK_SECRET: SECRET }).endpoint).toBeDefined();
  });

  it("send every type by default, or the WEBHOOK_EVENTS listed, ignoring unknown names", () => {
    expect(readWebhookSettings({}).events.size).toBe(9);
    expect([...readWebhookSettings({ WEBHOOK_EVENTS: " message.created, nonsense ,moderation" }).events]).toEqual(["message.created", "moderation"]);
  });

  it("retry on the documented schedule unless WEBHOOK_RETRY_SECONDS is a list of numbers", () => {
    expect(readWebhookSettings({}).retrySeconds).toEqual(DEFAULT_RETRY_SECONDS);
    expect(readWebhookSettings({ WEBHOOK_RETRY_SECONDS: "1,2" }).retrySeconds).toEqual([1, 2]);
    expect(readWebhookSettings({ WEBHOOK_RETRY_SECONDS: "1,soon" }).retrySeconds).toEqual(DEFAULT_RETRY_SECONDS);
    expect(readWebhookSettings({}).timeoutMs).toBe(15_000);
  });

  it("give the message hook a 1 s timeout and the allow policy unless told otherwise", () => {
    expect(readHookSettings({})).toEqual({ endpoint: undefined, timeoutMs: 1000, failure: "allow" });
    expect(readHookSettings({ MESSAGE_HOOK_FAILURE: "reject", MESSAGE_HOOK_TIMEOUT_MS: "250" })).toMatchObject({ timeoutMs: 250, failure: "reject" });
  });
});

describe("Retry-After", () => {
  it("reads seconds or an HTTP date, never less than now nor more than a day", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("999999", now)).toBe(86_400_000);
    expect(retryAfterMs("later", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe("signatures", () => {
  it("verify with the standardwebhooks package, and fail for another body", async () => {
    const signer = new Signer(parseSecret(SECRET)!);
    const body = '{"events":[]}';
    const headers = await signer.headers("msg_1", body);
    const verifier = new Webhook(SECRET);
    expect(() => verifier.verify(body, headers)).not.toThrow();
    expect(() => verifier.verify('{"events":[1]}', headers)).toThrow();
  });
});
