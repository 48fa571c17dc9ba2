import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { JwksServer } from "./test/support/jwks-server.ts";
import { Receiver, TEST_WEBHOOK_SECRET } from "./test/support/webhook-receiver.ts";

const worker = (bindings: Record<string, string>, options: { outboundService?: Receiver["handle"] } = {}) =>
  cloudflareTest({
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: {
      bindings: { PUSH_TOKEN: "test-push-token", MODERATION_TOKEN: "test-moderation-token", ...bindings },
      ...(options.outboundService ? { outboundService: { node: options.outboundService } } : {}),
    },
  });

// Rooms with webhooks and a message hook, against a receiver in this (Node) process: every
// outbound request of the worker reaches it (test/support/webhook-receiver.ts). Retries and
// timeouts are short so tests never wait minutes.
const receiver = new Receiver();
const withWebhooks = (bindings: Record<string, string>) =>
  worker(
    {
      WEBHOOK_URL: "http://127.0.0.1:9/events",
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      WEBHOOK_RETRY_SECONDS: "0.2,0.4,0.8",
      WEBHOOK_TIMEOUT_MS: "1000",
      MESSAGE_HOOK_URL: "http://127.0.0.1:9/hook",
      MESSAGE_HOOK_TIMEOUT_MS: "400",
      MAX_MEMBERS: "50",
      STATS_INTERVAL_SECONDS: "5",
      ...bindings,
    },
    { outboundService: receiver.handle },
  );

// App-signed tokens: two HS256 secrets (a rotation under way), an issuer, an audience, an hour at
// most, and the app's JWKS endpoint served by this (Node) process (test/support/jwks-server.ts).
const jwks = new JwksServer();
const AUTH = {
  AUTH_SECRET: "test-auth-secret-new-0123456789abcdef, test-auth-secret-old-0123456789abcdef",
  AUTH_JWKS_URL: "http://127.0.0.1:9/jwks/app",
  AUTH_ISSUER: "https://app.test",
  AUTH_AUDIENCE: "edge-chat",
  AUTH_MAX_TTL_SECONDS: "3600",
};
const withTokens = (bindings: Record<string, string>) => worker({ ...AUTH, ...bindings }, { outboundService: jwks.handle });

export default defineConfig({
  test: {
    // The room's structured logs are for operators; keep test output readable.
    onConsoleLog: (line) => !line.startsWith('{"event"'),
    projects: [
      {
        // Small limits so tests reach them quickly (and every burst coalesces); the defaults are
        // checked in config.test.ts.
        plugins: [worker({ MAX_MEMBERS: "5", STATS_INTERVAL_SECONDS: "5", COALESCE_SENDS_PER_SECOND: "1" })],
        test: { name: "room", include: ["test/**/*.test.ts"], exclude: ["test/big-room/**", "test/e2e/**", "test/webhooks/**", "test/tokens/**"] },
      },
      {
        // A room spread over many objects: five sockets per object, a crowd past twenty, a room-wide
        // intake of 50 messages at once, then 10 a second.
        plugins: [
          worker({
            SHARD_MEMBERS: "5",
            MAX_SHARDS: "30",
            MAX_MEMBERS: "150",
            ROSTER_LIMIT: "20",
            INGRESS_PER_SECOND: "10",
            INGRESS_BURST: "50",
            COALESCE_SENDS_PER_SECOND: "1",
            STATS_INTERVAL_SECONDS: "5",
            AUTH_SECRET: AUTH.AUTH_SECRET,
          }),
        ],
        test: { name: "big-room", include: ["test/big-room/*.test.ts"] },
      },
      { plugins: [withWebhooks({})], test: { name: "webhooks", include: ["test/webhooks/*.test.ts"] } },
      // The same with MESSAGE_HOOK_FAILURE=reject: a hook that fails keeps the message out.
      { plugins: [withWebhooks({ MESSAGE_HOOK_FAILURE: "reject" })], test: { name: "webhooks-strict", include: ["test/webhooks/strict/*.test.ts"] } },
      { plugins: [withTokens({ MAX_MEMBERS: "2000", STATS_INTERVAL_SECONDS: "5" })], test: { name: "tokens", include: ["test/tokens/*.test.ts"] } },
      // The same with AUTH_REQUIRED=1: no socket and no HTTP read of a room without a token.
      {
        plugins: [withTokens({ AUTH_REQUIRED: "1", STATS_INTERVAL_SECONDS: "5" })],
        test: { name: "tokens-required", include: ["test/tokens/required/*.test.ts"] },
      },
    ],
  },
});
