import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Small limits so tests reach them quickly; the defaults are checked in config.test.ts.
        bindings: { PUSH_TOKEN: "test-push-token", MAX_MEMBERS: "5", STATS_INTERVAL_SECONDS: "5" },
      },
    }),
  ],
  test: {
    include: ["test/*.test.ts"],
    // The room's structured logs are for operators; keep test output readable.
    onConsoleLog: (line) => !line.startsWith('{"event"'),
  },
});
