import { defineConfig } from "vitest/config";

// End-to-end tests run in Node against a real `wrangler dev` (test/support/dev-server.ts).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
