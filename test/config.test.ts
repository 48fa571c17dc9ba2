import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config";

describe("config from [vars]", () => {
  it("falls back to the documented defaults", () => {
    expect(readConfig({})).toEqual({
      maxHistory: 100_000,
      historyMaxAgeMs: 90 * 86_400_000,
      welcomeHistory: 100,
      maxMessageChars: 2000,
      maxFrameBytes: 16384,
      ratePerSecond: 10,
      rateBurst: 20,
      maxMembers: 100_000,
      shardMembers: 2000,
      maxShards: 50,
      ingressPerSecond: 1000,
      ingressBurst: 2000,
      rosterLimit: 200,
      coalesceSendsPerSecond: 20_000,
      statsIntervalMs: 30_000,
      idleTimeoutMs: 90_000,
      emptyRoomTtlMs: 7 * 86_400_000,
      allowedOrigins: [],
      embedOrigins: [],
      auth: { secrets: [], required: false, maxTtlSeconds: 86_400 },
    });
  });

  it("reads strings from [vars] and keeps the default for a nonsense value", () => {
    const config = readConfig({ MAX_HISTORY: "50", RATE_BURST: "-3", ALLOWED_ORIGINS: "https://a.example, https://b.example" });
    expect(config.maxHistory).toBe(50);
    expect(config.rateBurst).toBe(20);
    expect(config.allowedOrigins).toEqual(["https://a.example", "https://b.example"]);
  });
});
