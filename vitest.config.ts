import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const worker = (bindings: Record<string, string>) =>
  cloudflareTest({
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: { bindings: { PUSH_TOKEN: "test-push-token", MODERATION_TOKEN: "test-moderation-token", ...bindings } },
  });

export default defineConfig({
  test: {
    // The room's structured logs are for operators; keep test output readable.
    onConsoleLog: (line) => !line.startsWith('{"event"'),
    projects: [
      {
        // Small limits so tests reach them quickly (and every burst coalesces); the defaults are
        // checked in config.test.ts.
        plugins: [worker({ MAX_MEMBERS: "5", STATS_INTERVAL_SECONDS: "5", COALESCE_SENDS_PER_SECOND: "1" })],
        test: { name: "room", include: ["test/**/*.test.ts"], exclude: ["test/big-room/**", "test/e2e/**"] },
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
          }),
        ],
        test: { name: "big-room", include: ["test/big-room/*.test.ts"] },
      },
    ],
  },
});
