import { describe, expect, it } from "vitest";
import { originAllowed } from "../../src/http/origin";
import { connect, request, roomName } from "../helpers";

function upgrade(room: string, headers: Record<string, string>): Promise<Response> {
  return request(`/chat/${room}`, { headers: { Upgrade: "websocket", ...headers } });
}

describe("origin check on upgrades", () => {
  it("accepts the page's own origin", async () => {
    const client = await connect(roomName(), "?name=alice", { Origin: "http://chat.test" });
    expect((await client.welcome()).you.name).toBe("alice");
  });

  it("accepts a client without Origin (bots, CLIs)", async () => {
    const client = await connect(roomName(), "?name=bot-ish");
    expect((await client.welcome()).you.name).toBe("bot-ish");
  });

  it("refuses a foreign origin with 403", async () => {
    const response = await upgrade(roomName(), { Origin: "https://evil.example", "cf-connecting-ip": "198.51.100.7" });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden_origin");
  });
});

describe("the origin policy", () => {
  it("allows origins on the ALLOWED_ORIGINS list and nothing else", () => {
    const allowed = ["https://partner.example"];
    expect(originAllowed("https://partner.example", "https://chat.example", allowed)).toBe(true);
    expect(originAllowed("https://partner.example.evil", "https://chat.example", allowed)).toBe(false);
    expect(originAllowed("null", "https://chat.example", allowed)).toBe(false);
  });
});

describe("connection attempts per IP", () => {
  it("refuses attempts over the limit with 429 before the room is touched", async () => {
    const ip = "203.0.113.9";
    // The limit is 100 attempts per 10 s; bad names still count as attempts and touch no room.
    for (let i = 0; i < 100; i++) {
      expect((await upgrade(roomName(), { "cf-connecting-ip": ip, Origin: "https://evil.example" })).status).toBe(403);
    }
    const refused = await upgrade(roomName(), { "cf-connecting-ip": ip });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    const other = await upgrade(roomName(), { "cf-connecting-ip": "203.0.113.10" });
    expect(other.status).toBe(101);
  });
});
